package model

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// guideStatements are the two bucket statements exactly as the setup guide words them.
func guideStatements(bucket, slug string) []json.RawMessage {
	principal := `{"AWS":"` + RoleARN(slug) + `"}`
	return []json.RawMessage{
		json.RawMessage(`{"Sid":"` + SidListBucket + `","Effect":"Allow","Principal":` +
			principal + `,"Action":"s3:ListBucket","Resource":"` + BucketARN(bucket) + `"}`),
		json.RawMessage(`{"Sid":"` + SidObjectAccess + `","Effect":"Allow","Principal":` +
			principal + `,"Action":["s3:GetObject","s3:PutObject","s3:DeleteObject",` +
			`"s3:GetObjectTagging","s3:PutObjectTagging"],"Resource":"` +
			ObjectsARN(bucket) + `"}`),
	}
}

func kmsStatement(slug string) json.RawMessage {
	return json.RawMessage(`{"Sid":"` + SidKMS + `","Effect":"Allow","Principal":{"AWS":"` +
		RoleARN(slug) + `"},"Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey"],` +
		`"Resource":"*"}`)
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "merge", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustStatements(t *testing.T, doc string) []json.RawMessage {
	t.Helper()
	stmts, err := PolicyStatements(doc)
	if err != nil {
		t.Fatalf("PolicyStatements: %v", err)
	}
	return stmts
}

func sidsOf(t *testing.T, doc string) []string {
	t.Helper()
	var sids []string
	for _, s := range mustStatements(t, doc) {
		sid, err := statementSid(s)
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, sid)
	}
	return sids
}

func TestMergePolicy(t *testing.T) {
	const bucket = "acme-slateo-uploads"
	ours := guideStatements(bucket, "acme")
	tests := []struct {
		name        string
		current     string
		desired     []json.RawMessage
		wantChanged bool
		wantSids    []string
		// keptFrom are the indexes in current's statements that must survive byte for byte.
		keptFrom []int
	}{
		{name: "no policy", current: "", desired: ours, wantChanged: true,
			wantSids: []string{SidListBucket, SidObjectAccess}},
		{name: "foreign statements kept, ours appended",
			current: readFixture(t, "uploads-policy-foreign.json"), desired: ours,
			wantChanged: true, keptFrom: []int{0, 1, 2},
			wantSids: []string{"DenyInsecureTransport", "PartnerRead", "",
				SidListBucket, SidObjectAccess}},
		{name: "wrong slug replaced in place, reordered actions kept",
			current: readFixture(t, "uploads-policy-stale.json"), desired: ours,
			wantChanged: true, keptFrom: []int{0, 2},
			wantSids: []string{"DenyInsecureTransport", SidListBucket, SidObjectAccess}},
		{name: "aws-formatted key policy gets the kms statement",
			current: readFixture(t, "key-policy-aws-style.json"),
			desired: []json.RawMessage{kmsStatement("acme")}, wantChanged: true,
			keptFrom: []int{0, 1},
			wantSids: []string{"Enable IAM User Permissions",
				"Allow access for Key Administrators", SidKMS}},
		{name: "cloudfront, elb and escaped text kept byte for byte",
			current: readFixture(t, "cloudfront-oac-policy.json"), desired: ours,
			wantChanged: true, keptFrom: []int{0, 1, 2},
			wantSids: []string{"AllowCloudFrontServicePrincipal", "ELBAccessLogs",
				"Escapes & <unicode> café", SidListBucket, SidObjectAccess}},
		{name: "single statement object",
			current: `{"Version":"2012-10-17","Statement":{"Sid":"Only","Effect":"Deny",` +
				`"Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::b"}}`,
			desired: ours[:1], wantChanged: true, keptFrom: []int{0},
			wantSids: []string{"Only", SidListBucket}},
		{name: "duplicate of our sid dropped",
			current: `{"Statement":[` + string(ours[0]) + `,` + string(ours[0]) + `]}`,
			desired: ours[:1], wantChanged: true, keptFrom: []int{0},
			wantSids: []string{SidListBucket}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, changed, err := MergePolicy(tt.current, tt.desired)
			if err != nil {
				t.Fatalf("MergePolicy: %v", err)
			}
			if changed != tt.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if !json.Valid([]byte(merged)) {
				t.Fatalf("merged policy is not valid JSON: %s", merged)
			}
			if got := sidsOf(t, merged); strings.Join(got, "|") != strings.Join(tt.wantSids, "|") {
				t.Errorf("Sids = %q, want %q", got, tt.wantSids)
			}
			assertKept(t, tt.current, merged, tt.keptFrom)
			assertOursPresent(t, merged, tt.desired)
			again, changedAgain, err := MergePolicy(merged, tt.desired)
			if err != nil || changedAgain || again != merged {
				t.Errorf("second merge: changed=%v err=%v; want the same text back", changedAgain, err)
			}
		})
	}
}

func assertKept(t *testing.T, current, merged string, keptFrom []int) {
	t.Helper()
	before := mustStatements(t, current)
	for _, i := range keptFrom {
		if !strings.Contains(merged, string(before[i])) {
			t.Errorf("statement %d not kept byte for byte:\n%s\nin\n%s", i, before[i], merged)
		}
	}
}

func assertOursPresent(t *testing.T, merged string, desired []json.RawMessage) {
	t.Helper()
	after := mustStatements(t, merged)
	for _, d := range desired {
		found := false
		for _, s := range after {
			found = found || StatementsEquivalent(s, d)
		}
		if !found {
			t.Errorf("desired statement missing from merged policy: %s", d)
		}
	}
}

func TestMergePolicyKeepsTopLevelFields(t *testing.T) {
	current := `{"Id":"custom","Version":"2012-10-17","x-note":{"a":[1,2]},` +
		`"Statement":[]}`
	merged, changed, err := MergePolicy(current, guideStatements("b", "acme")[:1])
	if err != nil || !changed {
		t.Fatalf("MergePolicy: changed=%v err=%v", changed, err)
	}
	want := `{"Id":"custom","Version":"2012-10-17","x-note":{"a":[1,2]},"Statement":[`
	if !strings.HasPrefix(merged, want) {
		t.Errorf("merged = %s\nwant prefix %s", merged, want)
	}
}

func TestMergePolicyUnchangedWhenEquivalent(t *testing.T) {
	current := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowSlateoListBucket",` +
		`"Effect":"Allow","Principal":{"AWS":["` + RoleARN("acme") + `"]},` +
		`"Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::b"]}]}`
	merged, changed, err := MergePolicy(current, guideStatements("b", "acme")[:1])
	if err != nil {
		t.Fatal(err)
	}
	if changed || merged != current {
		t.Errorf("changed = %v, merged = %s; want the current policy untouched", changed, merged)
	}
}

func TestMergePolicyErrors(t *testing.T) {
	tests := []struct {
		name    string
		current string
		desired []json.RawMessage
		policy  bool
	}{
		{name: "not json", current: "Access Denied", desired: guideStatements("b", "a"),
			policy: true},
		{name: "array document", current: `[{"Statement":[]}]`,
			desired: guideStatements("b", "a"), policy: true},
		{name: "statement is a string", current: `{"Statement":"x"}`,
			desired: guideStatements("b", "a"), policy: true},
		{name: "trailing text", current: `{"Statement":[]} {}`,
			desired: guideStatements("b", "a"), policy: true},
		{name: "desired without sid", current: "",
			desired: []json.RawMessage{json.RawMessage(`{"Effect":"Allow"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := MergePolicy(tt.current, tt.desired)
			if err == nil {
				t.Fatal("MergePolicy succeeded; want an error")
			}
			if tt.policy != errors.Is(err, ErrPolicyJSON) {
				t.Errorf("errors.Is(err, ErrPolicyJSON) = %v, want %v (%v)",
					!tt.policy, tt.policy, err)
			}
		})
	}
}

func TestStatementsEquivalent(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{name: "string vs list", a: `{"Action":"s3:GetObject"}`, b: `{"Action":["s3:GetObject"]}`,
			want: true},
		{name: "order", a: `{"Action":["a","b"],"Principal":{"AWS":["x","y"]}}`,
			b: `{"Action":["b","a"],"Principal":{"AWS":["y","x"]}}`, want: true},
		{name: "condition values", a: `{"Condition":{"StringEquals":{"k":["1","2"]}}}`,
			b: `{"Condition":{"StringEquals":{"k":["2","1"]}}}`, want: true},
		{name: "effect differs", a: `{"Effect":"Allow"}`, b: `{"Effect":"Deny"}`},
		{name: "principal differs", a: `{"Principal":{"AWS":"x"}}`, b: `{"Principal":"*"}`},
		{name: "invalid", a: `{`, b: `{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StatementsEquivalent(json.RawMessage(tt.a), json.RawMessage(tt.b))
			if got != tt.want {
				t.Errorf("StatementsEquivalent = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzMergePolicyKeepsForeignStatements(f *testing.F) {
	for _, name := range []string{"uploads-policy-foreign.json", "uploads-policy-stale.json",
		"key-policy-aws-style.json", "cloudfront-oac-policy.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "merge", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`{"Statement":{"Sid":"x"}}`)
	desired := guideStatements("b", "acme")
	f.Fuzz(func(t *testing.T, current string) {
		merged, _, err := MergePolicy(current, desired)
		if err != nil {
			return
		}
		if !json.Valid([]byte(merged)) {
			t.Fatalf("merged policy is not JSON: %s", merged)
		}
		before, _ := PolicyStatements(current)
		for _, st := range before {
			sid, _ := statementSid(st)
			if sid != SidListBucket && sid != SidObjectAccess &&
				!strings.Contains(merged, string(st)) {
				t.Fatalf("foreign statement %s lost from %s", st, merged)
			}
		}
		again, changed, err := MergePolicy(merged, desired)
		if err != nil || changed || again != merged {
			t.Fatalf("merging twice changed the policy: %v %v", changed, err)
		}
	})
}

// BenchmarkMergePolicy merges into a policy near S3's 20 KB limit; the console does this
// once per bucket per plan, so it must stay far below a network round trip.
func BenchmarkMergePolicy(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; sb.Len() < BucketPolicyMaxBytes-1000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"Sid":"Deny` + strings.Repeat("x", i%7) + `","Effect":"Deny",` +
			`"Principal":"*","Action":["s3:DeleteObject","s3:PutObject"],` +
			`"Resource":"arn:aws:s3:::b/locked/*"}`)
	}
	sb.WriteString(`]}`)
	current := sb.String()
	desired := guideStatements("b", "acme")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := MergePolicy(current, desired); err != nil {
			b.Fatal(err)
		}
	}
}
