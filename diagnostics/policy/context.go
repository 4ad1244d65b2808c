package policy

import "strings"

// Kind says what the evaluator knows about one condition key of a request.
type Kind int

// What can be known about a condition key.
const (
	// Unknown: the key may be absent or hold any value.
	Unknown Kind = iota
	// Known: the key is present and Values holds its values.
	Known
	// Absent: the key is never in the request context.
	Absent
	// Present: the key is present but its value cannot be known here (a source IP).
	Present
	// Distinct: the key may be absent; when present its value equals none of the literal
	// values a policy could name (the caller's organisation id, seen from another org).
	Distinct
)

// Value is what is known about one condition key. Why explains values that are not Known.
type Value struct {
	Kind   Kind
	Values []string
	Why    string
}

// Context holds the condition keys of a request, by lower-case key name. Keys it does not
// hold are Unknown.
type Context map[string]Value

// Set records a key's value; the key name is case-insensitive.
func (c Context) Set(key string, v Value) {
	c[strings.ToLower(key)] = v
}

// Lookup returns what is known about a key; prefixed keys such as aws:PrincipalTag/team are
// looked up by their exact name first and then by their prefix (aws:PrincipalTag/).
func (c Context) Lookup(key string) Value {
	k := strings.ToLower(key)
	if v, ok := c[k]; ok {
		return v
	}
	if rest, ok := strings.CutPrefix(k, "kms:encryptioncontext:"); ok && rest != "" {
		if v, ok := c["kms:encryptioncontext:"]; ok {
			return v
		}
	}
	if i := strings.IndexByte(k, '/'); i >= 0 {
		if v, ok := c[k[:i+1]]; ok {
			return v
		}
	}
	return Value{Kind: Unknown, Why: "the checker does not know condition key " + key}
}

// KnownValue returns a Known value.
func KnownValue(vals ...string) Value { return Value{Kind: Known, Values: vals} }

// AbsentValue returns an Absent value with the reason.
func AbsentValue(why string) Value { return Value{Kind: Absent, Why: why} }

// PresentValue returns a Present value of unknown content, with the reason.
func PresentValue(why string) Value { return Value{Kind: Present, Why: why} }

// DistinctValue returns a Distinct value with the reason.
func DistinctValue(why string) Value { return Value{Kind: Distinct, Why: why} }

// UnknownValue returns an Unknown value with the reason.
func UnknownValue(why string) Value { return Value{Kind: Unknown, Why: why} }
