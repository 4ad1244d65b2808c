package s3sim

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// corsRule is one CORSRule of a bucket's CORS configuration.
type corsRule struct {
	ID             string   `xml:"ID,omitempty" json:"id,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader" json:"allowedHeaders,omitempty"`
	AllowedMethods []string `xml:"AllowedMethod" json:"allowedMethods"`
	AllowedOrigins []string `xml:"AllowedOrigin" json:"allowedOrigins"`
	ExposeHeaders  []string `xml:"ExposeHeader" json:"exposeHeaders,omitempty"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty" json:"maxAgeSeconds,omitempty"`
}

type corsConfiguration struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	Xmlns   string     `xml:"xmlns,attr,omitempty"`
	Rules   []corsRule `xml:"CORSRule"`
}

var corsMethods = map[string]bool{"GET": true, "PUT": true, "POST": true, "DELETE": true,
	"HEAD": true}

// parseCORS decodes and validates a <CORSConfiguration> document as PutBucketCors does.
func parseCORS(data []byte) ([]corsRule, *Error) {
	var c corsConfiguration
	if err := xml.Unmarshal(data, &c); err != nil || len(c.Rules) == 0 {
		return nil, errMalformedXML()
	}
	if len(c.Rules) > 100 {
		return nil, errInvalidRequest("The number of CORS rules should not exceed allowed " +
			"limit of 100 rules.")
	}
	for _, r := range c.Rules {
		if err := validateCORSRule(r); err != nil {
			return nil, err
		}
	}
	return c.Rules, nil
}

func validateCORSRule(r corsRule) *Error {
	if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 || len(r.ID) > 255 {
		return errMalformedXML()
	}
	for _, m := range r.AllowedMethods {
		if !corsMethods[m] {
			return errInvalidRequest("Found unsupported HTTP method in CORS config. " +
				"Unsupported method is " + m)
		}
	}
	for _, o := range r.AllowedOrigins {
		if strings.Count(o, "*") > 1 {
			return errInvalidRequest(`AllowedOrigin "` + o +
				`" can not have more than one wildcard.`)
		}
	}
	for _, h := range r.AllowedHeaders {
		if strings.Count(h, "*") > 1 {
			return errInvalidRequest(`AllowedHeader "` + h +
				`" can not have more than one wildcard.`)
		}
	}
	return nil
}

// corsMatch is the outcome of evaluating a request against a bucket's CORS rules.
type corsMatch struct {
	rule     corsRule
	wildcard bool     // matched through a lone "*" origin
	headers  []string // requested headers, lower-cased
}

// matchCORS finds the first rule that allows origin, method and every requested header.
func matchCORS(rules []corsRule, origin, method, requestHeaders string) (corsMatch, bool) {
	headers := splitHeaderList(requestHeaders)
	for _, r := range rules {
		wildcard, ok := originAllowed(r.AllowedOrigins, origin)
		if !ok || !contains(r.AllowedMethods, method) || !headersAllowed(r, headers) {
			continue
		}
		return corsMatch{rule: r, wildcard: wildcard, headers: headers}, true
	}
	return corsMatch{}, false
}

func splitHeaderList(v string) []string {
	var out []string
	for _, h := range strings.Split(v, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// originAllowed matches an Origin against a rule's origins; the single * of a pattern
// stands for any run of characters. It also reports whether the match came from a lone "*".
func originAllowed(patterns []string, origin string) (wildcard, ok bool) {
	for _, p := range patterns {
		if p == "*" {
			return true, true
		}
	}
	for _, p := range patterns {
		if wildcardMatch(p, origin, false) {
			return false, true
		}
	}
	return false, false
}

func headersAllowed(r corsRule, headers []string) bool {
	for _, h := range headers {
		allowed := false
		for _, p := range r.AllowedHeaders {
			if wildcardMatch(p, h, true) {
				allowed = true
				break
			}
		}
		if !allowed {
			return false
		}
	}
	return true
}

// wildcardMatch matches a pattern holding at most one *.
func wildcardMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	before, after, found := strings.Cut(pattern, "*")
	if !found {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) &&
		strings.HasSuffix(s, after)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// setCORSHeaders adds the Access-Control headers S3 sends for a matched request.
func setCORSHeaders(h http.Header, m corsMatch, origin string) {
	if m.wildcard {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(m.rule.AllowedMethods, ", "))
	if len(m.headers) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(m.headers, ", "))
	}
	if len(m.rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(m.rule.ExposeHeaders, ", "))
	}
	if m.rule.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*m.rule.MaxAgeSeconds))
	}
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

func corsForbidden(message, method, resourceType string) *Error {
	return newError(http.StatusForbidden, "AccessForbidden", message,
		xmlElement("Method", method), xmlElement("ResourceType", resourceType))
}

// preflight evaluates an OPTIONS request on a bucket (nil when it does not exist) exactly as
// S3 does, and returns the headers to send or the error body.
func preflight(b *bucket, r *http.Request, hasKey bool) (http.Header, *Error) {
	origin := r.Header.Get("Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	shownMethod := method
	if shownMethod == "" {
		shownMethod = http.MethodOptions
	}
	if origin == "" {
		return nil, newError(http.StatusBadRequest, "BadRequest",
			"Insufficient information. Origin request header needed.")
	}
	if b == nil {
		return nil, corsForbidden("CORSResponse: Bucket not found", http.MethodOptions,
			"BUCKET")
	}
	if len(b.CORS) == 0 {
		return nil, corsForbidden("CORSResponse: CORS is not enabled for this bucket.",
			shownMethod, "BUCKET")
	}
	if method == "" {
		return nil, newError(http.StatusBadRequest, "BadRequest",
			"Invalid Access-Control-Request-Method: null")
	}
	m, ok := matchCORS(b.CORS, origin, method, r.Header.Get("Access-Control-Request-Headers"))
	if !ok {
		resourceType := "BUCKET"
		if hasKey {
			resourceType = "OBJECT"
		}
		return nil, corsForbidden("CORSResponse: This CORS request is not allowed. This is "+
			"usually because the evalution of Origin, request method / "+
			"Access-Control-Request-Method or Access-Control-Request-Headers are not "+
			"whitelisted by the resource's CORS spec.", method, resourceType)
	}
	h := http.Header{}
	setCORSHeaders(h, m, origin)
	return h, nil
}
