package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// BucketPolicyMaxBytes is S3's limit on the size of a bucket policy (20 KB).
const BucketPolicyMaxBytes = 20 * 1024

// KeyPolicyMaxBytes is KMS's limit on the size of a key policy (32 KB).
const KeyPolicyMaxBytes = 32 * 1024

// PolicyVersion is the policy language version the setup guide's documents use.
const PolicyVersion = "2012-10-17"

// ErrPolicyJSON is wrapped by the errors MergePolicy and PolicyStatements return when a
// document is not a JSON policy object.
var ErrPolicyJSON = errors.New("policy is not a valid JSON policy document")

// PolicyStatements returns the statements of a policy document, each exactly as written.
// A policy whose Statement is a single object yields one statement; an empty document none.
func PolicyStatements(doc string) ([]json.RawMessage, error) {
	if strings.TrimSpace(doc) == "" {
		return nil, nil
	}
	fields, err := policyFields(doc)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if f.key == "Statement" {
			return splitStatements(f.value)
		}
	}
	return nil, nil
}

// MergePolicy merges desired statements into the current policy document (empty means no
// policy). Each desired statement must carry a Sid; it replaces the current statement with
// that Sid when the two differ in meaning, and is appended when no statement has that Sid.
// Every other statement, every other top-level field (Version, Id, unknown ones) and their
// order are kept byte for byte. When nothing needs to change, MergePolicy returns current
// unchanged and changed is false.
func MergePolicy(current string, desired []json.RawMessage) (string, bool, error) {
	ours, err := desiredBySid(desired)
	if err != nil {
		return "", false, err
	}
	if strings.TrimSpace(current) == "" {
		return newPolicy(desired), true, nil
	}

	fields, err := policyFields(current)
	if err != nil {
		return "", false, err
	}
	idx := -1
	for i, f := range fields {
		if f.key == "Statement" {
			idx = i
		}
	}
	var stmts []json.RawMessage
	if idx >= 0 {
		if stmts, err = splitStatements(fields[idx].value); err != nil {
			return "", false, err
		}
	}

	merged, changed, err := mergeStatements(stmts, desired, ours)
	if err != nil || !changed {
		return current, false, err
	}
	value := joinStatements(merged)
	if idx < 0 {
		fields = append(fields, policyField{key: "Statement", value: value})
	} else {
		fields[idx].value = value
	}
	return joinFields(fields), true, nil
}

// mergeStatements replaces or appends each desired statement. A later statement that repeats
// one of our Sids is dropped, since a policy's Sids must be unique.
func mergeStatements(stmts, desired []json.RawMessage,
	ours map[string]json.RawMessage) ([]json.RawMessage, bool, error) {
	seen := map[string]bool{}
	changed := false
	out := make([]json.RawMessage, 0, len(stmts)+len(desired))
	for i, s := range stmts {
		sid, err := statementSid(s)
		if err != nil {
			return nil, false, fmt.Errorf("statement %d: %w", i+1, err)
		}
		want, isOurs := ours[sid]
		switch {
		case !isOurs:
			out = append(out, s)
		case seen[sid]:
			changed = true
		case StatementsEquivalent(s, want):
			seen[sid] = true
			out = append(out, s)
		default:
			seen[sid] = true
			changed = true
			out = append(out, compactJSON(want))
		}
	}
	for _, d := range desired {
		sid, _ := statementSid(d)
		if !seen[sid] {
			seen[sid] = true
			changed = true
			out = append(out, compactJSON(d))
		}
	}
	return out, changed, nil
}

func desiredBySid(desired []json.RawMessage) (map[string]json.RawMessage, error) {
	ours := make(map[string]json.RawMessage, len(desired))
	for i, d := range desired {
		sid, err := statementSid(d)
		if err != nil {
			return nil, fmt.Errorf("desired statement %d: %w", i+1, err)
		}
		if sid == "" {
			return nil, fmt.Errorf("desired statement %d has no Sid", i+1)
		}
		ours[sid] = d
	}
	return ours, nil
}

func newPolicy(desired []json.RawMessage) string {
	compacted := make([]json.RawMessage, len(desired))
	for i, d := range desired {
		compacted[i] = compactJSON(d)
	}
	return joinFields([]policyField{
		{key: "Version", value: json.RawMessage(`"` + PolicyVersion + `"`)},
		{key: "Statement", value: joinStatements(compacted)},
	})
}

// policyField is one top-level member of a policy document, its value exactly as written.
type policyField struct {
	key   string
	value json.RawMessage
}

// policyFields reads the top-level members of a JSON object in their order.
func policyFields(doc string) ([]policyField, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: it must be a JSON object", ErrPolicyJSON)
	}
	var fields []policyField
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrPolicyJSON, err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("%w: member %q: %v", ErrPolicyJSON, key, err)
		}
		fields = append(fields, policyField{key: key, value: value})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPolicyJSON, err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("%w: text after the closing brace", ErrPolicyJSON)
	}
	return fields, nil
}

func splitStatements(value json.RawMessage) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(value)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return []json.RawMessage{trimmed}, nil
	}
	var stmts []json.RawMessage
	if err := json.Unmarshal(trimmed, &stmts); err != nil {
		return nil, fmt.Errorf("%w: Statement must be an object or a list: %v", ErrPolicyJSON, err)
	}
	return stmts, nil
}

func joinStatements(stmts []json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, s := range stmts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(s)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func joinFields(fields []policyField) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(f.key)
		b.Write(key)
		b.WriteByte(':')
		b.Write(f.value)
	}
	b.WriteByte('}')
	return b.String()
}

// statementSid returns a statement's Sid (matched case-sensitively, as IAM does).
func statementSid(stmt json.RawMessage) (string, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(stmt, &members); err != nil {
		return "", fmt.Errorf("%w: a statement must be a JSON object", ErrPolicyJSON)
	}
	raw, ok := members["Sid"]
	if !ok {
		return "", nil
	}
	var sid string
	if err := json.Unmarshal(raw, &sid); err != nil {
		return "", fmt.Errorf("%w: Sid must be a string", ErrPolicyJSON)
	}
	return sid, nil
}

func compactJSON(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}

// StatementsEquivalent reports whether two policy statements mean the same: the order of
// actions, resources and principals does not matter, and a single string equals a
// one-element list, as IAM reads them. Invalid JSON is never equivalent.
func StatementsEquivalent(a, b json.RawMessage) bool {
	na, errA := normalStatement(a)
	nb, errB := normalStatement(b)
	return errA == nil && errB == nil && reflect.DeepEqual(na, nb)
}

func normalStatement(raw json.RawMessage) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for _, k := range []string{"Action", "NotAction", "Resource", "NotResource"} {
		if v, ok := m[k]; ok {
			m[k] = stringSet(v)
		}
	}
	for _, k := range []string{"Principal", "NotPrincipal"} {
		if p, ok := m[k].(map[string]any); ok {
			for kind, v := range p {
				p[kind] = stringSet(v)
			}
		}
	}
	if c, ok := m["Condition"].(map[string]any); ok {
		for _, op := range c {
			if keys, ok := op.(map[string]any); ok {
				for k, v := range keys {
					keys[k] = stringSet(v)
				}
			}
		}
	}
	return m, nil
}

// stringSet turns a string or a list of strings into a sorted list without duplicates; any
// other value is returned as it is.
func stringSet(v any) any {
	var out []string
	switch t := v.(type) {
	case string:
		out = []string{t}
	case []any:
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return v
			}
			out = append(out, s)
		}
	default:
		return v
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
