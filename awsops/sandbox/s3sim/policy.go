package s3sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

const (
	msgPolicyNotJSON      = "Policies must be valid JSON and the first byte must be '{'"
	msgInvalidAction      = "Policy has invalid action"
	msgInvalidResource    = "Policy has invalid resource"
	msgActionNotApplies   = "Action does not apply to any resource(s) in statement"
	msgInvalidPrincipal   = "Invalid principal in policy"
	maxPolicyBytes        = 20 * 1024
	statementField        = "Statement"
	principalField        = "Principal"
	notPrincipalField     = "NotPrincipal"
	bucketARNPrefix       = "arn:aws:s3:::"
	msgPolicyTooLargeText = "Policy exceeds the maximum allowed document size."
)

// parsedPolicy is a policy document decoded for validation.
type parsedPolicy struct {
	statements []map[string]any
}

// parsePolicy decodes a bucket policy and checks its shape, as S3 does before anything else.
func parsePolicy(text string) (parsedPolicy, *Error) {
	if len(text) > maxPolicyBytes {
		return parsedPolicy{}, newError(http.StatusBadRequest, "PolicyTooLarge",
			msgPolicyTooLargeText)
	}
	trimmed := strings.TrimLeft(text, " \t\r\n")
	var doc map[string]any
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.UseNumber()
	if !strings.HasPrefix(trimmed, "{") || dec.Decode(&doc) != nil || dec.More() {
		return parsedPolicy{}, errMalformedPolicy(msgPolicyNotJSON)
	}
	raw, ok := doc[statementField]
	if !ok {
		return parsedPolicy{}, errMalformedPolicy("Missing required field Statement")
	}
	var p parsedPolicy
	for _, item := range listOf(raw) {
		st, ok := item.(map[string]any)
		if !ok {
			return parsedPolicy{}, errMalformedPolicy("Statement is not a JSON object")
		}
		p.statements = append(p.statements, st)
	}
	if len(p.statements) == 0 {
		return parsedPolicy{}, errMalformedPolicy("Missing required field Statement")
	}
	return p, nil
}

// listOf turns a policy value that may be a single item or an array into a slice.
func listOf(v any) []any {
	if list, ok := v.([]any); ok {
		return list
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// stringsOf returns the strings of a single-or-array policy value, and false if any item is
// not a string.
func stringsOf(v any) ([]string, bool) {
	var out []string
	for _, item := range listOf(v) {
		s, ok := item.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// validatePolicy checks a bucket policy for bucket the way S3 does and returns the
// MalformedPolicy error S3 would send, or nil.
func (s *Service) validatePolicy(bucketName string, p parsedPolicy) *Error {
	for _, st := range p.statements {
		if err := validateStatementShape(st); err != nil {
			return err
		}
		if err := validateActionsAndResources(bucketName, st); err != nil {
			return err
		}
		if err := s.validatePrincipals(st); err != nil {
			return err
		}
	}
	return nil
}

func validateStatementShape(st map[string]any) *Error {
	effect, ok := st["Effect"]
	if !ok {
		return errMalformedPolicy("Missing required field Effect")
	}
	if effect != "Allow" && effect != "Deny" {
		e, _ := effect.(string)
		return errMalformedPolicy("Invalid effect: " + e)
	}
	required := [][2]string{
		{principalField, notPrincipalField},
		{"Action", "NotAction"},
		{"Resource", "NotResource"},
	}
	for _, pair := range required {
		_, a := st[pair[0]]
		_, b := st[pair[1]]
		if !a && !b {
			return errMalformedPolicy("Missing required field " + pair[0])
		}
	}
	return nil
}

// validateActionsAndResources checks that every action and resource is one S3 knows and
// that at least one action of the statement applies to one of its resources.
func validateActionsAndResources(bucketName string, st map[string]any) *Error {
	actionField, resourceField := "Action", "Resource"
	if _, ok := st[actionField]; !ok {
		actionField = "NotAction"
	}
	if _, ok := st[resourceField]; !ok {
		resourceField = "NotResource"
	}
	actions, ok := stringsOf(st[actionField])
	if !ok || len(actions) == 0 {
		return errMalformedPolicy(msgInvalidAction)
	}
	var levels []level
	for _, a := range actions {
		l, ok := expandAction(a)
		if !ok {
			return errMalformedPolicy(msgInvalidAction)
		}
		levels = append(levels, l...)
	}
	resources, ok := stringsOf(st[resourceField])
	if !ok || len(resources) == 0 {
		return errMalformedPolicy(msgInvalidResource)
	}
	var onBucket, onObjects bool
	for _, r := range resources {
		b, o := resourceLevels(bucketName, r)
		if !b && !o {
			return errMalformedPolicy(msgInvalidResource)
		}
		onBucket, onObjects = onBucket || b, onObjects || o
	}
	if actionField == "NotAction" || resourceField == "NotResource" {
		return nil
	}
	for _, l := range levels {
		if l == bucketLevel && onBucket || l == objectLevel && onObjects {
			return nil
		}
	}
	return errMalformedPolicy(msgActionNotApplies)
}

// resourceLevels reports whether a policy resource covers the bucket itself and whether it
// covers objects of the bucket. A resource that covers neither is outside the bucket.
func resourceLevels(bucketName, resource string) (onBucket, onObjects bool) {
	if resource == "*" {
		return true, true
	}
	if !strings.HasPrefix(resource, bucketARNPrefix) {
		return false, false
	}
	arn := bucketARNPrefix + bucketName
	if strings.HasPrefix(resource, arn+"/") {
		return false, true
	}
	onBucket = globMatch(resource, arn)
	onObjects = strings.ContainsAny(resource, "*?") && globMatch(resource, arn+"/*")
	return onBucket, onObjects
}

// validatePrincipals refuses an AWS principal that does not exist.
func (s *Service) validatePrincipals(st map[string]any) *Error {
	for _, field := range []string{principalField, notPrincipalField} {
		v, ok := st[field]
		if !ok {
			continue
		}
		if v == "*" {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return errMalformedPolicy(msgInvalidPrincipal)
		}
		for kind, val := range m {
			values, ok := stringsOf(val)
			if !ok || len(values) == 0 {
				return errMalformedPolicy(msgInvalidPrincipal)
			}
			if kind != "AWS" {
				continue
			}
			for _, p := range values {
				if !s.env.PrincipalExists(p) {
					return errMalformedPolicy(msgInvalidPrincipal)
				}
			}
		}
	}
	return nil
}

// isPublic applies S3's rule: a policy is public when an Allow statement grants to a
// principal that is not fixed, without a condition that pins the caller or the source
// to fixed values.
func isPublic(p parsedPolicy) bool {
	for _, st := range p.statements {
		if st["Effect"] != "Allow" {
			continue
		}
		if publicPrincipal(st) && !qualifyingCondition(st["Condition"]) {
			return true
		}
	}
	return false
}

func publicPrincipal(st map[string]any) bool {
	if _, ok := st[notPrincipalField]; ok {
		return true
	}
	v := st[principalField]
	if v == "*" {
		return true
	}
	m, _ := v.(map[string]any)
	for kind, val := range m {
		values, _ := stringsOf(val)
		for _, p := range values {
			if kind == "Federated" || strings.ContainsAny(p, "*?") {
				return true
			}
		}
	}
	return false
}

// fixingKeys are the condition keys that, with fixed values, make a grant non-public.
var fixingKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourceowner": true, "aws:sourceaccount": true, "aws:principalorgid": true,
	"aws:principalaccount": true, "aws:principalarn": true, "aws:userid": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
	"s3:dataaccesspointarn":                          true, "s3:dataaccesspointaccount": true,
}

func qualifyingCondition(cond any) bool {
	ops, _ := cond.(map[string]any)
	for op, body := range ops {
		if strings.HasSuffix(op, "IfExists") || strings.Contains(op, "Not") {
			continue
		}
		keys, _ := body.(map[string]any)
		for key, val := range keys {
			values, ok := stringsOf(val)
			if ok && len(values) > 0 && fixingValues(strings.ToLower(key), values) {
				return true
			}
		}
	}
	return false
}

func fixingValues(key string, values []string) bool {
	if key == "aws:sourceip" {
		for _, v := range values {
			if !narrowPublicCIDR(v) {
				return false
			}
		}
		return true
	}
	if !fixingKeys[key] {
		return false
	}
	for _, v := range values {
		if strings.ContainsAny(v, "*?") || strings.Contains(v, "${") {
			return false
		}
	}
	return true
}

var privateCIDR = regexp.MustCompile(`^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)`)

// narrowPublicCIDR reports whether a SourceIp value pins requests to a range no broader
// than /8 (IPv4) or /32 (IPv6) outside the private ranges.
func narrowPublicCIDR(v string) bool {
	if privateCIDR.MatchString(v) {
		return false
	}
	addr, bits, found := strings.Cut(v, "/")
	if !found {
		return true
	}
	n := 0
	for _, c := range bits {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	if strings.Contains(addr, ":") {
		return n >= 32
	}
	return n >= 8
}

// normalizePolicy returns the policy as S3 hands it back: compact JSON in the order it was
// written, with a bare account id as an AWS principal turned into the account's root ARN.
func normalizePolicy(text string) string {
	dec := json.NewDecoder(strings.NewReader(strings.TrimSpace(text)))
	dec.UseNumber()
	var buf bytes.Buffer
	if err := copyJSON(dec, &buf, false, false); err != nil {
		return text
	}
	return buf.String()
}

var bareAccount = regexp.MustCompile(`^[0-9]{12}$`)

// copyJSON copies one JSON value from dec to buf compactly; inPrincipal and inAWS say
// whether the value sits under a Principal and, within it, under its AWS key.
func copyJSON(dec *json.Decoder, buf *bytes.Buffer, inPrincipal, inAWS bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		return copyContainer(dec, buf, t, inPrincipal, inAWS)
	case string:
		if inAWS && bareAccount.MatchString(t) {
			t = "arn:aws:iam::" + t + ":root"
		}
		writeJSONString(buf, t)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	default:
		buf.WriteString("null")
	}
	return nil
}

func copyContainer(dec *json.Decoder, buf *bytes.Buffer, open json.Delim,
	inPrincipal, inAWS bool) error {
	isObject := open == '{'
	buf.WriteRune(rune(open))
	for first := true; dec.More(); first = false {
		if !first {
			buf.WriteByte(',')
		}
		childPrincipal, childAWS := inPrincipal, inAWS
		if isObject {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			writeJSONString(buf, key)
			buf.WriteByte(':')
			childPrincipal = key == principalField || key == notPrincipalField
			childAWS = inPrincipal && key == "AWS"
		}
		if err := copyJSON(dec, buf, childPrincipal, childAWS); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if isObject {
		buf.WriteByte('}')
	} else {
		buf.WriteByte(']')
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1)
}
