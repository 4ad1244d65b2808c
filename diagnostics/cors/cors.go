// Package cors decides, the way S3 does, whether a bucket's CORS rules allow a browser
// request: the first rule that matches origin, method and requested headers wins.
package cors

import (
	"fmt"
	"strings"

	"slateo-s3/model"
)

// Request is a browser's cross-origin request, or its preflight.
type Request struct {
	Origin string
	Method string
	// Headers are the names in Access-Control-Request-Headers.
	Headers []string
}

// Result is S3's answer to a request.
type Result struct {
	Allowed bool
	// Rule is the index of the matching rule, or -1.
	Rule int
	// AllowOrigin is the Access-Control-Allow-Origin S3 sends: the origin, or * when the
	// matching rule allows every origin.
	AllowOrigin string
	// Reason says, when not allowed, what stopped the closest rule.
	Reason string
}

// Match scans the rules in order and returns the first that allows the request.
func Match(rules []model.CORSRule, req Request) Result {
	if len(rules) == 0 {
		return Result{Rule: -1, Reason: "CORS is not enabled for this bucket"}
	}
	best, bestDepth := "", -1
	for i, r := range rules {
		depth, why := ruleDepth(r, req)
		if depth == 3 {
			return Result{Allowed: true, Rule: i, AllowOrigin: allowOrigin(r, req.Origin)}
		}
		if depth > bestDepth {
			best, bestDepth = fmt.Sprintf("rule %s %s", ruleName(r, i), why), depth
		}
	}
	if bestDepth == 0 {
		best = fmt.Sprintf("no rule allows origin %s", req.Origin)
	}
	return Result{Rule: -1, Reason: best}
}

// ruleDepth says how far a rule gets: 0 origin fails, 1 method fails, 2 a header fails,
// 3 it matches.
func ruleDepth(r model.CORSRule, req Request) (int, string) {
	if !anyOrigin(r.AllowedOrigins, req.Origin) {
		return 0, fmt.Sprintf("does not allow origin %s", req.Origin)
	}
	if !hasMethod(r.AllowedMethods, req.Method) {
		return 1, fmt.Sprintf("allows origin %s but not method %s", req.Origin, req.Method)
	}
	for _, h := range req.Headers {
		if !headerAllowed(r.AllowedHeaders, h) {
			return 2, fmt.Sprintf("allows origin and method but not header %s", h)
		}
	}
	return 3, ""
}

func ruleName(r model.CORSRule, i int) string {
	if r.ID != "" {
		return fmt.Sprintf("#%d (%q)", i+1, r.ID)
	}
	return fmt.Sprintf("#%d", i+1)
}

func allowOrigin(r model.CORSRule, origin string) string {
	for _, o := range r.AllowedOrigins {
		if o == "*" {
			return "*"
		}
	}
	return origin
}

func anyOrigin(patterns []string, origin string) bool {
	for _, p := range patterns {
		if OriginMatches(p, origin) {
			return true
		}
	}
	return false
}

func hasMethod(methods []string, m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}

func headerAllowed(patterns []string, h string) bool {
	for _, p := range patterns {
		if starMatch(strings.ToLower(p), strings.ToLower(h)) {
			return true
		}
	}
	return false
}

// OriginMatches reports whether an AllowedOrigin pattern matches a request Origin: scheme,
// host and port compared as one string, where * stands for any run of characters.
func OriginMatches(pattern, origin string) bool {
	return starMatch(pattern, origin)
}

// starMatch matches s against a pattern whose only wildcard is *.
func starMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}
