package model

import "testing"

func TestNearName(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		near      bool
	}{
		{name: "equal", got: "acme-slateo-cache", want: "acme-slateo-cache", near: true},
		{name: "case", got: "Acme-Slateo-Cache", want: "acme-slateo-cache", near: true},
		{name: "one letter dropped", got: "acme-slate-cache", want: "acme-slateo-cache",
			near: true},
		{name: "swapped letters", got: "acme-slaeto-cache", want: "acme-slateo-cache", near: true},
		{name: "two edits", got: "acme-slateo-cach3s", want: "acme-slateo-cache", near: true},
		{name: "other bucket", got: "acme-slateo-uploads", want: "acme-slateo-cache", near: false},
		{name: "unrelated", got: "billing-reports", want: "acme-slateo-cache", near: false},
		{name: "short name one edit", got: "logz", want: "logs", near: true},
		{name: "short name two edits", got: "lozz", want: "logs", near: false},
		{name: "empty", got: "", want: "logs", near: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NearName(tt.got, tt.want); got != tt.near {
				t.Errorf("NearName(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.near)
			}
		})
	}
}

func TestRoleOfPrincipal(t *testing.T) {
	tests := []struct {
		name          string
		arn           string
		account, role string
		ok            bool
	}{
		{name: "session",
			arn:     "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/s1",
			account: "880265510198", role: "slateo-prod-storage-acme", ok: true},
		{name: "role with path", arn: "arn:aws:iam::111122223333:role/ops/admin",
			account: "111122223333", role: "admin", ok: true},
		{name: "user", arn: "arn:aws:iam::111122223333:user/alice"},
		{name: "session without name", arn: "arn:aws:sts::111122223333:assumed-role/r"},
		{name: "not an arn", arn: "ANONYMOUS_PRINCIPAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account, role, ok := RoleOfPrincipal(tt.arn)
			if account != tt.account || role != tt.role || ok != tt.ok {
				t.Errorf("RoleOfPrincipal(%q) = %q, %q, %v, want %q, %q, %v",
					tt.arn, account, role, ok, tt.account, tt.role, tt.ok)
			}
		})
	}
}

func TestIsOrgRole(t *testing.T) {
	session := "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/query-7"
	if !IsOrgRole(session, "acme") {
		t.Errorf("IsOrgRole(%q, acme) = false", session)
	}
	if IsOrgRole(session, "globex") {
		t.Errorf("IsOrgRole(%q, globex) = true", session)
	}
	if IsOrgRole("arn:aws:sts::111122223333:assumed-role/slateo-prod-storage-acme/x", "acme") {
		t.Error("a role of another account was taken for the org role")
	}
	if slug, ok := IsSlateoRole(session); !ok || slug != "acme" {
		t.Errorf("IsSlateoRole(%q) = %q, %v", session, slug, ok)
	}
}
