package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParsePolicy feeds arbitrary documents to the parser and the evaluator. Run longer with
// go test ./diagnostics/policy -run '^$' -fuzz FuzzParsePolicy -fuzztime 20s
func FuzzParsePolicy(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	keys, _ := filepath.Glob(filepath.Join("..", "testdata", "keys", "*.json"))
	files = append(files, keys...)
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b), "s3:GetObject")
		}
	}
	f.Add(stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), "s3:x")
	f.Add(stmt(`[{"Effect":"Deny","NotPrincipal":{"AWS":"1"},"NotAction":"a","NotResource":
		"b","Condition":{"ForAllValues:StringLikeIfExists":{"aws:PrincipalTag/x":["*"]}}}]`),
		"s3:ListBucket")
	f.Add(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"${aws:username}"}}`, "*")
	f.Fuzz(func(t *testing.T, doc, action string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		req := Request{Caller: slateo(), Action: action, Resource: objects,
			Context: testContext()}
		d := Evaluate(p, req)
		if d.Outcome == Denied && d.Deny.Result != Yes {
			t.Fatalf("denied without a deny statement: %+v", d)
		}
		for _, s := range p.Statements {
			if _, err := Parse(`{"Statement":` + s.Raw + `}`); err != nil {
				t.Fatalf("statement %s does not parse again: %v", s.Raw, err)
			}
		}
		p.Statements = append(p.Statements, Statement{Index: len(p.Statements),
			Effect: "Deny", Principal: Principal{Any: true}, HasPrincipal: true,
			Action: []string{"*"}, Resource: []string{"*"}})
		if got := Evaluate(p, req); got.Outcome != Denied {
			t.Fatalf("Deny of * did not deny %q: %+v", action, got)
		}
	})
}

// FuzzGlob checks that Covers never claims more than matching gives.
func FuzzGlob(f *testing.F) {
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/x", "arn:aws:s3:::b/*")
	f.Add("a?c*", "abc", "a*")
	f.Fuzz(func(t *testing.T, p, s, r string) {
		if Covers(p, r) && Glob(r, s, false) && !Glob(p, s, false) {
			t.Fatalf("Covers(%q, %q) but %q matches only the second", p, r, s)
		}
		if Glob(p, s, false) && Glob(r, s, false) && !Intersects(p, r) {
			t.Fatalf("Intersects(%q, %q) false but both match %q", p, r, s)
		}
	})
}
