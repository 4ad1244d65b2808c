package model

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// MergeCORS merges Slateo's rule into a bucket's CORS rules. Slateo's rule is found by its ID
// (when desired has one) or by its origins being exactly Slateo's; it is replaced in place
// when it differs and appended after the other rules when missing. Every other rule is kept,
// in its order. changed is false when the rules already hold desired.
func MergeCORS(current []CORSRule, desired CORSRule) ([]CORSRule, bool) {
	out := make([]CORSRule, 0, len(current)+1)
	found, changed := false, false
	for _, r := range current {
		switch {
		case !isSlateoRule(r, desired):
			out = append(out, r)
		case found:
			changed = true
		case CORSRulesEqual(r, desired):
			found = true
			out = append(out, r)
		default:
			found, changed = true, true
			out = append(out, desired)
		}
	}
	if !found {
		out = append(out, desired)
		changed = true
	}
	return out, changed
}

func isSlateoRule(r, desired CORSRule) bool {
	if desired.ID != "" && r.ID == desired.ID {
		return true
	}
	return CORSRulesEqual(r, desired) ||
		equalSets(r.AllowedOrigins, desired.AllowedOrigins, false)
}

// CORSRulesEqual reports whether two rules allow the same: lists compare as sets (methods and
// headers without regard to case), and the IDs must match.
func CORSRulesEqual(a, b CORSRule) bool {
	return a.ID == b.ID &&
		a.MaxAgeSeconds == b.MaxAgeSeconds &&
		equalSets(a.AllowedMethods, b.AllowedMethods, true) &&
		equalSets(a.AllowedOrigins, b.AllowedOrigins, false) &&
		equalSets(a.AllowedHeaders, b.AllowedHeaders, true) &&
		equalSets(a.ExposeHeaders, b.ExposeHeaders, true)
}

func equalSets(a, b []string, foldCase bool) bool {
	na, nb := normalSet(a, foldCase), normalSet(b, foldCase)
	if len(na) != len(nb) {
		return false
	}
	for i := range na {
		if na[i] != nb[i] {
			return false
		}
	}
	return true
}

func normalSet(in []string, foldCase bool) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if foldCase {
			s = strings.ToLower(s)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	uniq := out[:0]
	for i, s := range out {
		if i == 0 || s != out[i-1] {
			uniq = append(uniq, s)
		}
	}
	return uniq
}

// CORSShadowing explains each rule placed before Slateo's rule that S3 would pick instead of
// it for a GET or HEAD from the org's origin or https://slateo.ai (S3 uses the first rule
// that matches). rules is the merged list; the result is empty when Slateo's rule decides
// or is not in the list.
func CORSShadowing(rules []CORSRule, desired CORSRule, slug string) []string {
	var notes []string
	for i, r := range rules {
		if isSlateoRule(r, desired) {
			return notes
		}
		if hit := shadowedRequest(r, slug); hit != "" {
			notes = append(notes, fmt.Sprintf(
				"rule %d%s comes before Slateo's rule and also matches %s; S3 uses the first"+
					" matching rule, so its headers apply instead of Slateo's",
				i+1, ruleLabel(r), hit))
		}
	}
	return nil
}

func ruleLabel(r CORSRule) string {
	if r.ID == "" {
		return ""
	}
	return fmt.Sprintf(" (ID %q)", CleanLine(r.ID))
}

// shadowedRequest names the first request Slateo's rule is meant for that r also matches.
func shadowedRequest(r CORSRule, slug string) string {
	origins := []string{"https://slateo.ai"}
	if slug != "" {
		origins = []string{OrgOrigin(slug), "https://slateo.ai"}
	}
	for _, o := range origins {
		for _, m := range CORSMethods {
			if corsRuleMatches(r, o, m) {
				return m + " from " + o
			}
		}
	}
	return ""
}

func corsRuleMatches(r CORSRule, origin, method string) bool {
	methodOK := false
	for _, m := range r.AllowedMethods {
		methodOK = methodOK || strings.EqualFold(m, method)
	}
	if !methodOK {
		return false
	}
	for _, p := range r.AllowedOrigins {
		if originMatches(p, origin) {
			return true
		}
	}
	return false
}

// originMatches compares an origin with an AllowedOrigin pattern that may hold one '*'.
func originMatches(pattern, origin string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == origin
	}
	prefix, suffix := pattern[:star], pattern[star+1:]
	return len(origin) >= len(prefix)+len(suffix) &&
		strings.HasPrefix(origin, prefix) && strings.HasSuffix(origin, suffix)
}

// corsRuleJSON is one rule in the shape of the AWS CLI's --cors-configuration document.
type corsRuleJSON struct {
	ID             string   `json:"ID,omitempty"`
	AllowedHeaders []string `json:"AllowedHeaders,omitempty"`
	AllowedMethods []string `json:"AllowedMethods"`
	AllowedOrigins []string `json:"AllowedOrigins"`
	ExposeHeaders  []string `json:"ExposeHeaders,omitempty"`
	MaxAgeSeconds  int32    `json:"MaxAgeSeconds,omitempty"`
}

type corsConfigJSON struct {
	CORSRules []corsRuleJSON `json:"CORSRules"`
}

// CORSRulesJSON renders rules as the AWS CLI's CORS configuration document
// ({"CORSRules": [...]}); no rules render as the empty string, meaning no configuration.
func CORSRulesJSON(rules []CORSRule) string {
	if len(rules) == 0 {
		return ""
	}
	doc := corsConfigJSON{CORSRules: make([]corsRuleJSON, len(rules))}
	for i, r := range rules {
		doc.CORSRules[i] = corsRuleJSON(r)
	}
	out, _ := json.Marshal(doc)
	return string(out)
}

// ParseCORSRulesJSON reads a document written by CORSRulesJSON; the empty string yields no
// rules.
func ParseCORSRulesJSON(doc string) ([]CORSRule, error) {
	if strings.TrimSpace(doc) == "" {
		return nil, nil
	}
	var cfg corsConfigJSON
	if err := json.Unmarshal([]byte(doc), &cfg); err != nil {
		return nil, fmt.Errorf("reading CORS configuration document: %w", err)
	}
	rules := make([]CORSRule, len(cfg.CORSRules))
	for i, r := range cfg.CORSRules {
		rules[i] = CORSRule(r)
	}
	return rules, nil
}

// PromoteCORSRule moves Slateo's rule in front of the first earlier rule that shadows it
// (see CORSShadowing), so that S3 picks Slateo's rule for GET and HEAD from Slateo's
// origins; the other rules keep their order, and requests from other origins or with other
// methods still reach them as before. It returns the rules unchanged and no notes when
// nothing shadows Slateo's rule or the rules do not hold it.
func PromoteCORSRule(rules []CORSRule, desired CORSRule, slug string) ([]CORSRule, []string) {
	notes := CORSShadowing(rules, desired, slug)
	ours := -1
	for i, r := range rules {
		if isSlateoRule(r, desired) {
			ours = i
			break
		}
	}
	if len(notes) == 0 || ours < 0 {
		return rules, nil
	}
	first := 0
	for first < ours && shadowedRequest(rules[first], slug) == "" {
		first++
	}
	out := make([]CORSRule, 0, len(rules))
	out = append(out, rules[:first]...)
	out = append(out, rules[ours])
	out = append(out, rules[first:ours]...)
	out = append(out, rules[ours+1:]...)
	notes = append(notes, fmt.Sprintf("so Slateo's rule moves ahead of it, to position %d; "+
		"only GET and HEAD from Slateo's origins change hands", first+1))
	return out, notes
}
