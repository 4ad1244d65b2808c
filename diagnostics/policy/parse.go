package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Policy is a parsed policy document.
type Policy struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy. Has* fields tell which of the paired elements
// (Principal/NotPrincipal, Action/NotAction, Resource/NotResource) the statement uses.
type Statement struct {
	// Index is the statement's position in the policy, from 0.
	Index  int
	Sid    string
	Effect string

	Principal       Principal
	NotPrincipal    Principal
	HasPrincipal    bool
	HasNotPrincipal bool

	Action       []string
	NotAction    []string
	HasNotAction bool

	Resource       []string
	NotResource    []string
	HasNotResource bool

	Condition []Condition
	// Raw is the statement's JSON, compacted.
	Raw string
}

// Principal is the value of a Principal or NotPrincipal element. Any is true for the bare
// string "*"; Values maps each principal type (AWS, Service, Federated, CanonicalUser) to its
// values.
type Principal struct {
	Any    bool
	Values map[string][]string
}

// Condition is one test of a Condition block: an operator applied to one key.
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// Label names the statement for people: its Sid, or its position when it has none.
func (s Statement) Label() string {
	if s.Sid != "" {
		return fmt.Sprintf("statement %q", s.Sid)
	}
	return fmt.Sprintf("statement #%d (no Sid)", s.Index+1)
}

// IsAllow reports whether the statement's effect is Allow.
func (s Statement) IsAllow() bool { return s.Effect == "Allow" }

// IsDeny reports whether the statement's effect is Deny.
func (s Statement) IsDeny() bool { return s.Effect == "Deny" }

// Parse reads a policy document. It accepts every form IAM accepts: Statement as one object
// or a list, string-or-list elements, every principal form, and condition values that are
// strings, numbers or booleans.
func Parse(doc string) (Policy, error) {
	var top map[string]json.RawMessage
	if err := decodeStrict([]byte(doc), &top); err != nil {
		return Policy{}, fmt.Errorf("parsing policy: %w", err)
	}
	var p Policy
	if err := optionalString(top, "Version", &p.Version); err != nil {
		return Policy{}, err
	}
	if err := optionalString(top, "Id", &p.ID); err != nil {
		return Policy{}, err
	}
	raw, ok := top["Statement"]
	if !ok {
		return Policy{}, errors.New("parsing policy: missing required field Statement")
	}
	stmts, err := parseStatements(raw)
	if err != nil {
		return Policy{}, err
	}
	p.Statements = stmts
	return p, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON document")
	}
	return nil
}

func optionalString(obj map[string]json.RawMessage, key string, dst *string) error {
	raw, ok := obj[key]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("parsing policy: %s must be a string", key)
	}
	return nil
}

func parseStatements(raw json.RawMessage) ([]Statement, error) {
	var list []json.RawMessage
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return nil, fmt.Errorf("parsing policy: Statement: %w", err)
		}
	} else {
		list = []json.RawMessage{trimmed}
	}
	stmts := make([]Statement, 0, len(list))
	for i, r := range list {
		s, err := parseStatement(r)
		if err != nil {
			return nil, fmt.Errorf("parsing policy: statement #%d: %w", i+1, err)
		}
		s.Index = i
		stmts = append(stmts, s)
	}
	return stmts, nil
}

func parseStatement(raw json.RawMessage) (Statement, error) {
	var obj map[string]json.RawMessage
	if err := decodeStrict(raw, &obj); err != nil {
		return Statement{}, err
	}
	if obj == nil {
		return Statement{}, errors.New("statement must be an object")
	}
	var s Statement
	if err := optionalString(obj, "Sid", &s.Sid); err != nil {
		return Statement{}, err
	}
	if err := optionalString(obj, "Effect", &s.Effect); err != nil {
		return Statement{}, err
	}
	if s.Effect != "Allow" && s.Effect != "Deny" {
		return Statement{}, fmt.Errorf("effect %q is neither Allow nor Deny", s.Effect)
	}
	if err := parseStatementParts(obj, &s); err != nil {
		return Statement{}, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err == nil {
		s.Raw = buf.String()
	}
	return s, nil
}

func parseStatementParts(obj map[string]json.RawMessage, s *Statement) error {
	var err error
	if s.Principal, s.HasPrincipal, err = principalField(obj, "Principal"); err != nil {
		return err
	}
	if s.NotPrincipal, s.HasNotPrincipal, err = principalField(obj, "NotPrincipal"); err != nil {
		return err
	}
	if s.HasPrincipal && s.HasNotPrincipal {
		return errors.New("both Principal and NotPrincipal")
	}
	var hasAction, hasResource bool
	if s.Action, hasAction, err = listField(obj, "Action"); err != nil {
		return err
	}
	if s.NotAction, s.HasNotAction, err = listField(obj, "NotAction"); err != nil {
		return err
	}
	if hasAction == s.HasNotAction {
		return errors.New("exactly one of Action and NotAction is required")
	}
	if s.Resource, hasResource, err = listField(obj, "Resource"); err != nil {
		return err
	}
	if s.NotResource, s.HasNotResource, err = listField(obj, "NotResource"); err != nil {
		return err
	}
	if hasResource && s.HasNotResource {
		return errors.New("both Resource and NotResource")
	}
	if !hasResource && !s.HasNotResource {
		// Key policies may leave Resource out only in theory; treat absence as "*" the way
		// trust policies do, which can only make the checker more careful about denies.
		s.Resource = []string{"*"}
	}
	s.Condition, err = conditionField(obj)
	return err
}

// listField reads an element that is a string or a list of strings.
func listField(obj map[string]json.RawMessage, key string) ([]string, bool, error) {
	raw, ok := obj[key]
	if !ok {
		return nil, false, nil
	}
	vals, err := stringOrList(raw)
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", key, err)
	}
	return vals, true, nil
}

func stringOrList(raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, errors.New("must be a string or a list of strings")
	}
	return many, nil
}

func principalField(obj map[string]json.RawMessage, key string) (Principal, bool, error) {
	raw, ok := obj[key]
	if !ok {
		return Principal{}, false, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		if one != "*" {
			return Principal{}, true, fmt.Errorf("%s: a string principal must be \"*\"", key)
		}
		return Principal{Any: true}, true, nil
	}
	var typed map[string]json.RawMessage
	if err := json.Unmarshal(raw, &typed); err != nil || typed == nil {
		return Principal{}, true, fmt.Errorf("%s: must be \"*\" or an object", key)
	}
	p := Principal{Values: make(map[string][]string, len(typed))}
	for typ, v := range typed {
		vals, err := stringOrList(v)
		if err != nil {
			return Principal{}, true, fmt.Errorf("%s.%s: %w", key, typ, err)
		}
		p.Values[typ] = vals
	}
	return p, true, nil
}

func conditionField(obj map[string]json.RawMessage) ([]Condition, error) {
	raw, ok := obj["Condition"]
	if !ok {
		return nil, nil
	}
	var block map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &block); err != nil {
		return nil, errors.New("Condition must map operators to objects of keys")
	}
	var conds []Condition
	for op, keys := range block {
		for key, v := range keys {
			vals, err := conditionValues(v)
			if err != nil {
				return nil, fmt.Errorf("Condition %s %s: %w", op, key, err)
			}
			conds = append(conds, Condition{Operator: op, Key: key, Values: vals})
		}
	}
	sortConditions(conds)
	return conds, nil
}

// conditionValues reads a condition value: a string, number or boolean, or a list of them.
func conditionValues(raw json.RawMessage) ([]string, error) {
	var items []json.RawMessage
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, err
		}
	} else {
		items = []json.RawMessage{trimmed}
	}
	vals := make([]string, 0, len(items))
	for _, it := range items {
		v, err := scalar(it)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return vals, nil
}

func scalar(raw json.RawMessage) (string, error) {
	var v any
	if err := decodeStrict(raw, &v); err != nil {
		return "", err
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		if x {
			return "true", nil
		}
		return "false", nil
	case json.Number:
		return x.String(), nil
	}
	return "", errors.New("values must be strings, numbers or booleans")
}

// sortConditions orders conditions by operator then key, so that reasons and reports come
// out the same on every run although JSON objects are unordered maps.
func sortConditions(conds []Condition) {
	slices.SortFunc(conds, func(a, b Condition) int {
		if c := strings.Compare(a.Operator, b.Operator); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.Key), strings.ToLower(b.Key))
	})
}
