package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "caller arn",
			in:   "arn:aws:iam::111122223333:user/alice",
			want: "arn:aws:iam::[account-1]:user/[user-1]",
		},
		{
			name: "org role kept, session masked",
			in:   "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/worker-7",
			want: "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/[session-1]",
		},
		{
			name: "slateo role arn unchanged",
			in:   "arn:aws:iam::880265510198:role/slateo-prod-storage-acme",
			want: "arn:aws:iam::880265510198:role/slateo-prod-storage-acme",
		},
		{
			name: "access key and ip",
			in:   "key AKIAIOSFODNN7EXAMPLE from 203.0.113.9",
			want: "key [key-1] from [ip-1]",
		},
		{
			name: "principal id with email session",
			in:   "AROAEXAMPLEID12345678:bob@example.com",
			want: "[key-1]:[email-1]",
		},
		{
			name: "email",
			in:   "contact ops@acme.example",
			want: "contact [email-1]",
		},
		{
			name: "ipv6",
			in:   "2001:0db8:0000:0000:0000:ff00:0042:8329",
			want: "[ip-1]",
		},
		{
			name: "record user name, Slateo role name kept",
			in:   `"userName": "sandbox-admin", "sessionIssuer": {"userName": "slateo-prod-storage-acme"}`,
			want: `"userName": "[user-1]", "sessionIssuer": {"userName": "slateo-prod-storage-acme"}`,
		},
		{
			name: "bucket name kept",
			in:   "acme-slateo-cache in us-west-2",
			want: "acme-slateo-cache in us-west-2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New().String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestConsistentTokens(t *testing.T) {
	r := New()
	a := r.String("account 111122223333 and 444455556666")
	b := r.String("again 444455556666, then 111122223333")
	if a != "account [account-1] and [account-2]" || b != "again [account-2], then [account-1]" {
		t.Fatalf("tokens not consistent: %q / %q", a, b)
	}
	if twice := r.String(a); twice != a {
		t.Errorf("redacting twice changed %q to %q", a, twice)
	}
}

func TestKeep(t *testing.T) {
	got := New("111122223333").String("arn:aws:iam::111122223333:root")
	if !strings.Contains(got, "111122223333") {
		t.Errorf("kept value was masked: %q", got)
	}
}

func TestNilRedactorLeavesText(t *testing.T) {
	var r *Redactor
	if got := r.String("111122223333"); got != "111122223333" {
		t.Errorf("nil Redactor changed text: %q", got)
	}
}
