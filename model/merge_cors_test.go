package model

import (
	"reflect"
	"strings"
	"testing"
)

func guideCORSRule() CORSRule {
	return CORSRule{
		AllowedHeaders: []string{"*"},
		AllowedMethods: []string{"GET", "HEAD"},
		AllowedOrigins: []string{"https://*.slateo.ai", "https://slateo.ai"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  3600,
	}
}

func TestMergeCORS(t *testing.T) {
	ours := guideCORSRule()
	appRule := CORSRule{ID: "app", AllowedMethods: []string{"GET", "PUT"},
		AllowedOrigins: []string{"https://app.acme.com"}, MaxAgeSeconds: 600}
	stale := ours
	stale.AllowedMethods = []string{"GET"}
	reordered := ours
	reordered.AllowedMethods = []string{"head", "GET"}
	reordered.AllowedOrigins = []string{"https://slateo.ai", "https://*.slateo.ai"}
	withID := ours
	withID.ID = "slateo"
	byID := CORSRule{ID: "slateo", AllowedMethods: []string{"GET"},
		AllowedOrigins: []string{"https://old.example"}}

	tests := []struct {
		name        string
		current     []CORSRule
		desired     CORSRule
		want        []CORSRule
		wantChanged bool
	}{
		{name: "none", desired: ours, want: []CORSRule{ours}, wantChanged: true},
		{name: "foreign kept first", current: []CORSRule{appRule}, desired: ours,
			want: []CORSRule{appRule, ours}, wantChanged: true},
		{name: "stale replaced in place", current: []CORSRule{stale, appRule}, desired: ours,
			want: []CORSRule{ours, appRule}, wantChanged: true},
		{name: "same rule in another order", current: []CORSRule{appRule, reordered},
			desired: ours, want: []CORSRule{appRule, reordered}},
		{name: "found by id", current: []CORSRule{byID, appRule}, desired: withID,
			want: []CORSRule{withID, appRule}, wantChanged: true},
		{name: "duplicate dropped", current: []CORSRule{ours, appRule, ours}, desired: ours,
			want: []CORSRule{ours, appRule}, wantChanged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := MergeCORS(tt.current, tt.desired)
			if changed != tt.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rules = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCORSShadowing(t *testing.T) {
	ours := guideCORSRule()
	tests := []struct {
		name  string
		rules []CORSRule
		want  []string
	}{
		{name: "ours first", rules: []CORSRule{ours, {AllowedMethods: []string{"GET"},
			AllowedOrigins: []string{"*"}}}},
		{name: "wildcard before ours", rules: []CORSRule{{ID: "all",
			AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}, ours},
			want: []string{`rule 1 (ID "all")`, "GET from https://acme.slateo.ai"}},
		{name: "other origin before ours", rules: []CORSRule{{AllowedMethods: []string{"GET"},
			AllowedOrigins: []string{"https://app.acme.com"}}, ours}},
		{name: "org pattern before ours, head only", rules: []CORSRule{{
			AllowedMethods: []string{"HEAD"}, AllowedOrigins: []string{"https://*.slateo.ai"}},
			ours}, want: []string{"rule 1 ", "HEAD from https://acme.slateo.ai"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes := CORSShadowing(tt.rules, ours, "acme")
			text := strings.Join(notes, "\n")
			if len(tt.want) == 0 && len(notes) != 0 {
				t.Fatalf("notes = %q, want none", notes)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("notes = %q, want %q in them", notes, w)
				}
			}
		})
	}
}

func TestCORSRulesJSONRoundTrip(t *testing.T) {
	rules := []CORSRule{{ID: "app", AllowedMethods: []string{"PUT"},
		AllowedOrigins: []string{"https://app.acme.com"}}, guideCORSRule()}
	doc := CORSRulesJSON(rules)
	for _, want := range []string{`"CORSRules"`, `"AllowedOrigins"`, `"MaxAgeSeconds":3600`,
		`"ID":"app"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document %s lacks %s", doc, want)
		}
	}
	back, err := ParseCORSRulesJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rules) {
		t.Errorf("round trip = %+v, want %+v", back, rules)
	}
	if CORSRulesJSON(nil) != "" {
		t.Error("no rules must render as no document")
	}
	if got, err := ParseCORSRulesJSON(""); err != nil || got != nil {
		t.Errorf("ParseCORSRulesJSON(\"\") = %v, %v", got, err)
	}
}

func TestDiffDocuments(t *testing.T) {
	before := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow"}]}`
	after := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow"},{"Sid":"B"}]}`
	diff := DiffDocuments(before, after)
	for _, want := range []string{"--- current", "+++ after", `+      "Sid": "B"`,
		`     "Sid": "A",`} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	if DiffDocuments(before, before) != "" {
		t.Error("equal documents must give an empty diff")
	}
	if d := DiffDocuments("", after); !strings.Contains(d, "-(none)") {
		t.Errorf("a new document must show the removed (none) marker:\n%s", d)
	}
}

func TestPromoteCORSRule(t *testing.T) {
	ours := guideCORSRule()
	star := CORSRule{ID: "all", AllowedMethods: []string{"GET", "PUT"},
		AllowedOrigins: []string{"*"}}
	app := CORSRule{ID: "app", AllowedMethods: []string{"GET"},
		AllowedOrigins: []string{"https://app.acme.com"}}
	tests := []struct {
		name      string
		rules     []CORSRule
		want      []CORSRule
		wantNotes bool
	}{
		{name: "not shadowed", rules: []CORSRule{app, ours}, want: []CORSRule{app, ours}},
		{name: "shadowed by wildcard", rules: []CORSRule{app, star, ours},
			want: []CORSRule{app, ours, star}, wantNotes: true},
		{name: "ours missing", rules: []CORSRule{star}, want: []CORSRule{star}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes := PromoteCORSRule(tt.rules, ours, "acme")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rules = %+v\nwant %+v", got, tt.want)
			}
			if (len(notes) > 0) != tt.wantNotes {
				t.Errorf("notes = %q, want notes: %v", notes, tt.wantNotes)
			}
			if len(CORSShadowing(got, ours, "acme")) != 0 {
				t.Error("Slateo's rule is still shadowed after promotion")
			}
		})
	}
}
