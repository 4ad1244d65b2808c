package policy

import (
	"strings"
	"testing"
)

const (
	role    = "arn:aws:iam::880265510198:role/slateo-prod-storage-acme"
	bucket  = "arn:aws:s3:::acme-slateo-cache"
	objects = bucket + "/*"
)

func slateo() Caller {
	return Caller{Account: "880265510198", RoleARN: role}
}

func testContext() Context {
	c := Context{}
	c.Set("aws:SecureTransport", KnownValue("true"))
	c.Set("aws:PrincipalArn", KnownValue(role))
	c.Set("aws:PrincipalAccount", KnownValue("880265510198"))
	c.Set("aws:PrincipalOrgID", DistinctValue("outside your organization"))
	c.Set("aws:SourceVpce", DistinctValue("not through your VPC endpoints"))
	c.Set("aws:SourceIp", PresentValue("Slateo's IPs are not published"))
	c.Set("aws:username", AbsentValue("roles have no user name"))
	c.Set("s3:x-amz-server-side-encryption", UnknownValue("depends on the request"))
	c.Set("aws:MultiFactorAuthPresent", AbsentValue("no MFA"))
	return c
}

func mustParse(t *testing.T, doc string) Policy {
	t.Helper()
	p, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return p
}

func stmt(body string) string {
	return `{"Version":"2012-10-17","Statement":` + body + `}`
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantErr string
		check   func(t *testing.T, p Policy)
	}{
		{name: "statement object, strings", doc: stmt(`{"Effect":"Allow","Principal":"*",
			"Action":"s3:GetObject","Resource":"` + objects + `"}`),
			check: func(t *testing.T, p Policy) {
				s := p.Statements[0]
				if len(p.Statements) != 1 || !s.Principal.Any || s.Action[0] != "s3:GetObject" {
					t.Errorf("got %+v", p)
				}
			}},
		{name: "statement list, lists", doc: stmt(`[{"Sid":"A","Effect":"Deny",
			"NotPrincipal":{"AWS":["1","2"],"Service":"s3.amazonaws.com"},
			"NotAction":["s3:Get*"],"NotResource":["a","b"]}]`),
			check: func(t *testing.T, p Policy) {
				s := p.Statements[0]
				if !s.HasNotPrincipal || len(s.NotPrincipal.Values["AWS"]) != 2 ||
					!s.HasNotAction || !s.HasNotResource || s.Label() != `statement "A"` {
					t.Errorf("got %+v", s)
				}
			}},
		{name: "condition scalars", doc: stmt(`{"Effect":"Deny","Principal":{"AWS":"*"},
			"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},
			"NumericLessThan":{"s3:TlsVersion":1.2},"StringEquals":{"k":["a",3,true]}}}`),
			check: func(t *testing.T, p Policy) {
				got := map[string]string{}
				for _, c := range p.Statements[0].Condition {
					got[c.Operator] = strings.Join(c.Values, ",")
				}
				if got["Bool"] != "false" || got["NumericLessThan"] != "1.2" ||
					got["StringEquals"] != "a,3,true" {
					t.Errorf("conditions %v", got)
				}
			}},
		{name: "missing statement", doc: `{"Version":"2012-10-17"}`, wantErr: "Statement"},
		{name: "bad effect", doc: stmt(`{"Effect":"allow","Action":"*","Resource":"*"}`),
			wantErr: "neither Allow nor Deny"},
		{name: "action and notaction", doc: stmt(`{"Effect":"Allow","Action":"*",
			"NotAction":"*","Resource":"*"}`), wantErr: "exactly one"},
		{name: "string principal not star", doc: stmt(`{"Effect":"Allow","Principal":"x",
			"Action":"*","Resource":"*"}`), wantErr: "must be"},
		{name: "not json", doc: `Policy`, wantErr: "parsing policy"},
		{name: "trailing data", doc: `{"Statement":[]} x`, wantErr: "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.doc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
		})
	}
}

func TestEvaluate(t *testing.T) {
	allowRole := `{"Sid":"AllowSlateo","Effect":"Allow","Principal":{"AWS":"` + role + `"},
		"Action":["s3:GetObject","s3:PutObject"],"Resource":"` + objects + `"}`
	tests := []struct {
		name     string
		doc      string
		action   string
		resource string
		want     Outcome
		via      Via
		denyBy   string
		reason   string
	}{
		{name: "role allowed", doc: stmt(`[` + allowRole + `]`), action: "s3:GetObject",
			want: Allowed, via: ViaRole},
		{name: "action case-insensitive", doc: stmt(`[` + allowRole + `]`),
			action: "S3:getobject", want: Allowed, via: ViaRole},
		{name: "other action not allowed", doc: stmt(`[` + allowRole + `]`),
			action: "s3:DeleteObject", want: NotAllowed},
		{name: "wildcard action", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":"` + role +
			`"},"Action":"s3:*Object*","Resource":"` + objects + `"}`),
			action: "s3:PutObjectTagging", want: Allowed, via: ViaRole},
		{name: "question mark action", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":"` +
			role + `"},"Action":"s3:?etObject","Resource":"` + objects + `"}`),
			action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "notaction allow", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":"` + role +
			`"},"NotAction":"s3:DeleteBucket","Resource":"*"}`),
			action: "s3:DeleteObject", want: Allowed, via: ViaRole},
		{name: "notaction excludes", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":"` + role +
			`"},"NotAction":"s3:Delete*","Resource":"*"}`),
			action: "s3:DeleteObject", want: NotAllowed},
		{name: "account root", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":
			"arn:aws:iam::880265510198:root"},"Action":"s3:*","Resource":"*"}`),
			action: "s3:GetObject", want: Allowed, via: ViaAccount},
		{name: "bare account id", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":
			["880265510198"]},"Action":"s3:*","Resource":"*"}`),
			action: "s3:GetObject", want: Allowed, via: ViaAccount},
		{name: "star principal", doc: stmt(`{"Effect":"Allow","Principal":"*",
			"Action":"s3:GetObject","Resource":"*"}`),
			action: "s3:GetObject", want: Allowed, via: ViaAnyone},
		{name: "aws star principal", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},
			"Action":"s3:GetObject","Resource":"*"}`),
			action: "s3:GetObject", want: Allowed, via: ViaAnyone},
		{name: "other role", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":
			"arn:aws:iam::880265510198:role/slateo-prod-storage-other"},"Action":"s3:*",
			"Resource":"*"}`), action: "s3:GetObject", want: NotAllowed},
		{name: "service principal", doc: stmt(`{"Effect":"Allow","Principal":{"Service":
			"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}`),
			action: "s3:PutObject", want: NotAllowed},
		{name: "session principal undecidable", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/s1"},
			"Action":"s3:*","Resource":"*"}`), action: "s3:GetObject", want: Undecided,
			reason: "session"},
		{name: "bucket arn does not cover objects", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"` + bucket + `"}`),
			action: "s3:GetObject", want: NotAllowed},
		{name: "prefix resource covers part", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"` + bucket + `/org-1/*"}`),
			action: "s3:GetObject", want: Undecided, reason: "covers only part"},
		{name: "prefix resource covers org prefix", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"` + bucket + `/org-1/*"}`),
			action: "s3:GetObject", resource: bucket + "/org-1/*", want: Allowed, via: ViaRole},
		{name: "notresource", doc: stmt(`{"Effect":"Allow","Principal":{"AWS":"` + role +
			`"},"Action":"s3:*","NotResource":"arn:aws:s3:::other/*"}`),
			action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "deny beats allow", doc: stmt(`[` + allowRole + `,{"Sid":"NoGet","Effect":
			"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]`),
			action: "s3:GetObject", want: Denied, denyBy: "NoGet"},
		{name: "deny of star always denies", doc: stmt(`[` + allowRole + `,{"Sid":"All",
			"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]`),
			action: "s3:PutObject", want: Denied, denyBy: "All"},
		{name: "deny insecure transport does not block", doc: stmt(`[` + allowRole + `,
			{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["` +
			bucket + `","` + objects + `"],"Condition":{"Bool":{"aws:SecureTransport":
			"false"}}}]`), action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "org id deny blocks", doc: stmt(`[` + allowRole + `,{"Sid":"Org","Effect":
			"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":
			{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]`),
			action: "s3:GetObject", want: Denied, denyBy: "Org"},
		{name: "org id deny with role exemption", doc: stmt(`[` + allowRole + `,{"Sid":"Org",
			"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":
			{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"},"ArnNotEquals":
			{"aws:PrincipalArn":"` + role + `"}}}]`),
			action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "org id allow never matches", doc: stmt(`{"Effect":"Allow","Principal":"*",
			"Action":"s3:*","Resource":"*","Condition":{"StringEquals":
			{"aws:PrincipalOrgID":"o-abc123"}}}`), action: "s3:GetObject", want: NotAllowed},
		{name: "org id like pattern undecidable", doc: stmt(`{"Effect":"Allow","Principal":"*",
			"Action":"s3:*","Resource":"*","Condition":{"StringLike":
			{"aws:PrincipalOrgID":"o-*"}}}`), action: "s3:GetObject", want: Undecided},
		{name: "vpce deny blocks", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":
			{"aws:SourceVpce":"vpce-1a2b3c"}}}]`),
			action: "s3:GetObject", want: Denied, denyBy: "#2"},
		{name: "source ip allow undecidable", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"*","Condition":{"IpAddress":
			{"aws:SourceIp":"203.0.113.0/24"}}}`), action: "s3:GetObject", want: Undecided,
			reason: "IPs are not published"},
		{name: "sse deny undecidable", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":
			{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]`),
			action: "s3:PutObject", want: Undecided, reason: "depends on the request"},
		{name: "like star on unknown key with if exists", doc: stmt(`{"Effect":"Allow",
			"Principal":{"AWS":"` + role + `"},"Action":"s3:*","Resource":"*","Condition":
			{"StringLikeIfExists":{"s3:x-amz-server-side-encryption":"*"}}}`),
			action: "s3:PutObject", want: Allowed, via: ViaRole},
		{name: "like star on present key", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"*","Condition":{"StringLike":
			{"aws:SourceIp":"*"}}}`), action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "not like star on present key", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotLike":
			{"aws:SourceIp":"*"}}}]`), action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "null on present key", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Null":
			{"aws:SourceIp":"true"}}}]`), action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "null on unknown key undecidable", doc: stmt(`[` + allowRole + `,{"Effect":
			"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"Null":
			{"s3:x-amz-server-side-encryption":"true"}}}]`), action: "s3:PutObject",
			want: Undecided, reason: "s3:x-amz-server-side-encryption"},
		{name: "sse deny irrelevant to reads", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":
			{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]`),
			action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "null condition on absent key", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Null":
			{"aws:MultiFactorAuthPresent":"true"}}}]`),
			action: "s3:GetObject", want: Denied},
		{name: "bool if exists on absent key", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":
			{"aws:MultiFactorAuthPresent":"false"}}}]`),
			action: "s3:GetObject", want: Denied},
		{name: "principal arn like allow", doc: stmt(`{"Effect":"Allow","Principal":"*",
			"Action":"s3:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":
			"arn:aws:iam::880265510198:role/slateo-prod-storage-*"}}}`),
			action: "s3:GetObject", want: Allowed, via: ViaAnyone},
		{name: "for any value on absent key", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":
			{"ForAnyValue:StringEquals":{"aws:username":["bob"]}}}]`),
			action: "s3:GetObject", want: Allowed, via: ViaRole},
		{name: "for all values on absent key", doc: stmt(`[` + allowRole + `,{"Effect":"Deny",
			"Principal":"*","Action":"s3:*","Resource":"*","Condition":
			{"ForAllValues:StringEquals":{"aws:username":["bob"]}}}]`),
			action: "s3:GetObject", want: Denied},
		{name: "numeric principal account", doc: stmt(`{"Effect":"Allow","Principal":"*",
			"Action":"s3:*","Resource":"*","Condition":{"NumericEquals":
			{"aws:PrincipalAccount":880265510198}}}`),
			action: "s3:GetObject", want: Allowed, via: ViaAnyone},
		{name: "unknown operator undecidable", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"*","Condition":{"Weird":
			{"aws:PrincipalArn":"x"}}}`), action: "s3:GetObject", want: Undecided,
			reason: "not known"},
		{name: "policy variable in resource", doc: stmt(`{"Effect":"Allow","Principal":
			{"AWS":"` + role + `"},"Action":"s3:*","Resource":"arn:aws:s3:::acme-slateo-cache/` +
			`${aws:PrincipalAccount}/*"}`), action: "s3:GetObject",
			resource: bucket + "/880265510198/*", want: Allowed, via: ViaRole},
		{name: "notprincipal deny without session blocks", doc: stmt(`[` + allowRole + `,
			{"Effect":"Deny","NotPrincipal":{"AWS":["` + role + `",
			"arn:aws:iam::880265510198:root"]},"Action":"s3:*","Resource":"*"}]`),
			action: "s3:GetObject", want: Denied},
		{name: "notprincipal deny with session undecidable", doc: stmt(`[` + allowRole + `,
			{"Effect":"Deny","NotPrincipal":{"AWS":["` + role + `",
			"arn:aws:iam::880265510198:root",
			"arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/s"]},
			"Action":"s3:*","Resource":"*"}]`), action: "s3:GetObject", want: Undecided},
		{name: "notprincipal star exempts everyone", doc: stmt(`[` + allowRole + `,
			{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]`),
			action: "s3:GetObject", want: Allowed, via: ViaRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.resource
			if res == "" {
				res = objects
			}
			d := Evaluate(mustParse(t, tt.doc), Request{Caller: slateo(), Action: tt.action,
				Resource: res, Context: testContext()})
			if d.Outcome != tt.want {
				t.Fatalf("outcome %s, want %s (allow %+v, deny %+v)", d.Outcome, tt.want,
					d.Allow, d.Deny)
			}
			if tt.want == Allowed && d.Allow.Via != tt.via {
				t.Errorf("via %d, want %d", d.Allow.Via, tt.via)
			}
			if tt.denyBy != "" && !strings.Contains(d.Deny.Statement.Label(), tt.denyBy) {
				t.Errorf("denied by %s, want %s", d.Deny.Statement.Label(), tt.denyBy)
			}
			reasons := strings.Join(append(d.Allow.Reasons, d.Deny.Reasons...), "|")
			if tt.want == Undecided && !strings.Contains(reasons, tt.reason) {
				t.Errorf("reasons %q, want containing %q", reasons, tt.reason)
			}
		})
	}
}

func TestGlobCoversIntersects(t *testing.T) {
	tests := []struct {
		p, r              string
		covers, intersect bool
	}{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/*", true, true},
		{"*", "arn:aws:s3:::b/*", true, true},
		{"arn:aws:s3:::b/a*", "arn:aws:s3:::b/*", false, true},
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/*", false, true},
		{"arn:aws:s3:::b/*.csv", "arn:aws:s3:::b/*", false, true},
		{"arn:aws:s3:::c/*", "arn:aws:s3:::b/*", false, false},
		{"arn:aws:s3:::b", "arn:aws:s3:::b/*", false, false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b", true, true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/org/*", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.p+" vs "+tt.r, func(t *testing.T) {
			if got := Covers(tt.p, tt.r); got != tt.covers {
				t.Errorf("Covers = %t, want %t", got, tt.covers)
			}
			if got := Intersects(tt.p, tt.r); got != tt.intersect {
				t.Errorf("Intersects = %t, want %t", got, tt.intersect)
			}
		})
	}
}
