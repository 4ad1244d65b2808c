// Package redact masks what a screen-share or a support ticket should not show: the
// customer's account id, access key ids, IP addresses, role session names, IAM user names
// and email addresses. Slateo's public account id and the org role's name stay visible so the
// setup can still be checked by eye. Masking is consistent: within one Redactor the same
// value always becomes the same token.
package redact

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// slateoRolePrefix starts the names of Slateo's org roles, which stay visible.
const slateoRolePrefix = "slateo-prod-storage-"

// Redactor masks sensitive values in text. A nil or disabled Redactor returns text unchanged.
// It is safe for concurrent use.
type Redactor struct {
	keep map[string]bool

	mu     sync.Mutex
	tokens map[string]string
	counts map[string]int
}

// New returns an enabled Redactor that never masks the values in keep (besides Slateo's own
// account id, which is always kept).
func New(keep ...string) *Redactor {
	r := &Redactor{
		keep:   map[string]bool{"880265510198": true},
		tokens: map[string]string{},
		counts: map[string]int{},
	}
	for _, k := range keep {
		r.keep[k] = true
	}
	return r
}

// pattern finds one kind of sensitive value; group 1 (when present) is the part to mask.
type pattern struct {
	kind string
	re   *regexp.Regexp
}

// The order matters: ARN parts and session pairs go before the bare numbers and keys they
// contain, so that each is masked under its own kind.
var patterns = []pattern{
	{"email", regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)},
	{"session", regexp.MustCompile(`assumed-role/[\w+=,.@-]+/([\w+=,.@-]+)`)},
	{"session", regexp.MustCompile(`\b(?:AROA|AIDA)[A-Z0-9]{12,}:([\w+=,.@-]+)`)},
	{"user", regexp.MustCompile(`:user/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)`)},
	// A CloudTrail record names the IAM user (or a session's role) in userName too.
	{"user", regexp.MustCompile(`"userName"\s*:\s*"([\w+=,.@-]+)"`)},
	{"key", regexp.MustCompile(`\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|AGPA)[A-Z0-9]{12,}\b`)},
	{"ip", regexp.MustCompile(
		`\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b`)},
	{"ip", regexp.MustCompile(`\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b`)},
	{"account", regexp.MustCompile(`\b\d{12}\b`)},
}

// String masks every sensitive value in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, p := range patterns {
		s = r.replace(p, s)
	}
	return s
}

func (r *Redactor) replace(p pattern, s string) string {
	return p.re.ReplaceAllStringFunc(s, func(match string) string {
		sub := p.re.FindStringSubmatchIndex(match)
		start, end := 0, len(match)
		if len(sub) >= 4 && sub[2] >= 0 {
			start, end = sub[2], sub[3]
		}
		value := match[start:end]
		if r.keep[value] || isToken(value) || strings.HasPrefix(value, slateoRolePrefix) {
			return match
		}
		return match[:start] + r.token(p.kind, value) + match[end:]
	})
}

var tokenPattern = regexp.MustCompile(`^\[[a-z]+-\d+\]$`)

// isToken reports whether a value is already a mask, so that redacting twice is harmless.
func isToken(v string) bool {
	return tokenPattern.MatchString(v)
}

func (r *Redactor) token(kind, value string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := kind + "\x00" + value
	if t, ok := r.tokens[key]; ok {
		return t
	}
	r.counts[kind]++
	t := fmt.Sprintf("[%s-%d]", kind, r.counts[kind])
	r.tokens[key] = t
	return t
}
