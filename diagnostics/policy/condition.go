package policy

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// opSpec describes one base condition operator.
type opSpec struct {
	match   func(value, want string) bool
	negated bool
	// pattern is true when want values may hold * and ? wildcards.
	pattern bool
	// strings is true for operators whose values are plain strings, so that a Distinct key
	// (present with a value that equals no literal) decides them.
	strings bool
}

var operators = map[string]opSpec{
	"stringequals":              {match: eq, strings: true},
	"stringnotequals":           {match: eq, negated: true, strings: true},
	"stringequalsignorecase":    {match: strings.EqualFold, strings: true},
	"stringnotequalsignorecase": {match: strings.EqualFold, negated: true, strings: true},
	"stringlike":                {match: like, pattern: true, strings: true},
	"stringnotlike":             {match: like, negated: true, pattern: true, strings: true},
	"numericequals":             {match: numeric(func(c int) bool { return c == 0 })},
	"numericnotequals":          {match: numeric(func(c int) bool { return c == 0 }), negated: true},
	"numericlessthan":           {match: numeric(func(c int) bool { return c < 0 })},
	"numericlessthanequals":     {match: numeric(func(c int) bool { return c <= 0 })},
	"numericgreaterthan":        {match: numeric(func(c int) bool { return c > 0 })},
	"numericgreaterthanequals":  {match: numeric(func(c int) bool { return c >= 0 })},
	"dateequals":                {match: date(func(c int) bool { return c == 0 })},
	"datenotequals":             {match: date(func(c int) bool { return c == 0 }), negated: true},
	"datelessthan":              {match: date(func(c int) bool { return c < 0 })},
	"datelessthanequals":        {match: date(func(c int) bool { return c <= 0 })},
	"dategreaterthan":           {match: date(func(c int) bool { return c > 0 })},
	"dategreaterthanequals":     {match: date(func(c int) bool { return c >= 0 })},
	"bool":                      {match: strings.EqualFold},
	"binaryequals":              {match: eq},
	"ipaddress":                 {match: ipIn},
	"notipaddress":              {match: ipIn, negated: true},
	"arnequals":                 {match: arnLike, pattern: true, strings: true},
	"arnlike":                   {match: arnLike, pattern: true, strings: true},
	"arnnotequals":              {match: arnLike, negated: true, pattern: true, strings: true},
	"arnnotlike":                {match: arnLike, negated: true, pattern: true, strings: true},
}

func eq(v, w string) bool   { return v == w }
func like(v, w string) bool { return Glob(w, v, false) }

// arnLike compares the six colon-separated parts of two ARNs one by one, each with
// wildcards, as ArnLike and ArnEquals do.
func arnLike(v, w string) bool {
	vp, wp := strings.SplitN(v, ":", 6), strings.SplitN(w, ":", 6)
	if len(vp) != 6 || len(wp) != 6 {
		return w == "*" || v == w
	}
	for i := range vp {
		if !Glob(wp[i], vp[i], false) {
			return false
		}
	}
	return true
}

func numeric(ok func(int) bool) func(v, w string) bool {
	return func(v, w string) bool {
		a, err1 := strconv.ParseFloat(v, 64)
		b, err2 := strconv.ParseFloat(w, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		return ok(cmpFloat(a, b))
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func date(ok func(int) bool) func(v, w string) bool {
	return func(v, w string) bool {
		a, ok1 := parseDate(v)
		b, ok2 := parseDate(w)
		if !ok1 || !ok2 {
			return false
		}
		return ok(a.Compare(b))
	}
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

func ipIn(v, w string) bool {
	addr, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	if p, err := netip.ParsePrefix(w); err == nil {
		return p.Contains(addr)
	}
	if a, err := netip.ParseAddr(w); err == nil {
		return a == addr
	}
	return false
}

// operator is a parsed condition operator: set qualifier, base, IfExists suffix.
type operator struct {
	spec      opSpec
	null      bool
	anyValue  bool
	allValues bool
	ifExists  bool
}

func parseOperator(name string) (operator, bool) {
	n := strings.ToLower(name)
	var op operator
	switch {
	case strings.HasPrefix(n, "foranyvalue:"):
		op.anyValue, n = true, strings.TrimPrefix(n, "foranyvalue:")
	case strings.HasPrefix(n, "forallvalues:"):
		op.allValues, n = true, strings.TrimPrefix(n, "forallvalues:")
	}
	if n == "null" {
		op.null = true
		return op, !op.anyValue && !op.allValues
	}
	if strings.HasSuffix(n, "ifexists") {
		op.ifExists, n = true, strings.TrimSuffix(n, "ifexists")
	}
	spec, ok := operators[n]
	op.spec = spec
	return op, ok
}

// evalCondition decides one condition for the request context.
func evalCondition(c Condition, ctx Context) verdict {
	op, ok := parseOperator(c.Operator)
	if !ok {
		return maybe(fmt.Sprintf("condition operator %s is not known to the checker", c.Operator))
	}
	v := ctx.Lookup(c.Key)
	res := evalValue(op, c.Values, v, ctx)
	if res.t == Maybe {
		res.why = []string{describeCondition(c, v)}
	}
	return res
}

func describeCondition(c Condition, v Value) string {
	why := v.Why
	if why == "" {
		why = "its value cannot be decided"
	}
	return fmt.Sprintf("%s %s %s: %s", c.Operator, c.Key, quoteList(c.Values), why)
}

func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func evalValue(op operator, want []string, v Value, ctx Context) verdict {
	if op.null {
		return evalNull(want, v)
	}
	switch v.Kind {
	case Absent:
		return whenAbsent(op)
	case Known:
		return evalKnown(op, want, v.Values, ctx)
	case Distinct:
		return same(whenAbsent(op), whenDistinct(op, want))
	case Present:
		return whenAnyValue(op, want)
	}
	return same(whenAbsent(op), whenAnyValue(op, want))
}

// same is the answer of two possible worlds when they agree, else maybe.
func same(a, b verdict) verdict {
	if a.t == b.t && a.t != Maybe {
		return a
	}
	return maybe()
}

// whenAnyValue is the operator's result when the key holds a value nobody can know: decided
// only when a lone * pattern matches every value.
func whenAnyValue(op operator, want []string) verdict {
	if op.spec.pattern && slices.Contains(want, "*") {
		return fromBool(!op.spec.negated)
	}
	return maybe()
}

func evalNull(want []string, v Value) verdict {
	var isAbsent verdict
	switch v.Kind {
	case Absent:
		isAbsent = yes()
	case Known, Present:
		isAbsent = no()
	default:
		return maybe()
	}
	res := no()
	for _, w := range want {
		if strings.EqualFold(w, "true") {
			res = or(res, isAbsent)
		} else {
			res = or(res, not(isAbsent))
		}
	}
	return res
}

// whenAbsent is the operator's result when the key is not in the request.
func whenAbsent(op operator) verdict {
	switch {
	case op.ifExists, op.allValues:
		return yes()
	case op.anyValue:
		return no()
	}
	return fromBool(op.spec.negated)
}

// whenDistinct is the operator's result when the key holds a value equal to no literal.
func whenDistinct(op operator, want []string) verdict {
	if !op.spec.strings {
		return maybe()
	}
	if op.spec.pattern {
		for _, w := range want {
			if strings.ContainsAny(w, "*?") || strings.Contains(w, "${") {
				return maybe()
			}
		}
	}
	return fromBool(op.spec.negated)
}

func evalKnown(op operator, want, vals []string, ctx Context) verdict {
	resolved := make([]string, 0, len(want))
	for _, w := range want {
		r, ok := substitute(w, ctx)
		if !ok {
			return maybe()
		}
		resolved = append(resolved, r)
	}
	hit := func(v string) bool {
		for _, w := range resolved {
			if op.spec.match(v, w) {
				return true
			}
		}
		return false
	}
	if op.allValues {
		for _, v := range vals {
			if hit(v) == op.spec.negated {
				return no()
			}
		}
		return yes()
	}
	for _, v := range vals {
		if hit(v) != op.spec.negated {
			return yes()
		}
	}
	return no()
}

// substitute replaces policy variables such as ${aws:PrincipalAccount} with known values;
// it fails when a variable's value is not known.
func substitute(s string, ctx Context) (string, bool) {
	if !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		name := s[i+2 : i+j]
		val, ok := variable(name, ctx)
		if !ok {
			return "", false
		}
		b.WriteString(val)
		s = s[i+j+1:]
	}
}

func variable(name string, ctx Context) (string, bool) {
	switch name {
	case "*", "?", "$":
		return name, true
	}
	if k, def, found := strings.Cut(name, ", '"); found {
		v := ctx.Lookup(k)
		if v.Kind == Known && len(v.Values) == 1 {
			return v.Values[0], true
		}
		if v.Kind == Absent {
			return strings.TrimSuffix(def, "'"), true
		}
		return "", false
	}
	v := ctx.Lookup(name)
	if v.Kind == Known && len(v.Values) == 1 {
		return v.Values[0], true
	}
	return "", false
}
