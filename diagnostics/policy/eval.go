package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Caller is the principal making the request: a session of an IAM role in an account.
type Caller struct {
	// Account is the caller's 12-digit account id.
	Account string
	// RoleARN is the ARN of the role, arn:aws:iam::<account>:role/<name>.
	RoleARN string
}

func (c Caller) roleName() string {
	_, name, _ := strings.Cut(c.RoleARN, ":role/")
	return name
}

func (c Caller) sessionPrefix() string {
	return "arn:aws:sts::" + c.Account + ":assumed-role/" + c.roleName() + "/"
}

// Request is one call to evaluate. Resource may hold * wildcards; it then stands for every
// resource it matches (arn:aws:s3:::bucket/* is "every object"), and a statement applies
// only if it covers them all.
type Request struct {
	Caller   Caller
	Action   string
	Resource string
	Context  Context
}

// Via says how a statement's principal names the caller.
type Via int

// The ways a principal can name a role session, most specific last.
const (
	ViaNone Via = iota
	// ViaAnyone: "*" or {"AWS":"*"}.
	ViaAnyone
	// ViaAccount: the caller's account id or its root ARN.
	ViaAccount
	// ViaRole: the role's ARN.
	ViaRole
	// ViaNotPrincipal: a NotPrincipal that does not exclude the caller.
	ViaNotPrincipal
)

// Match is how statements of one effect apply to a request: Result Yes when a statement
// surely applies (Statement is the first such), Maybe when one might (Reasons say why).
type Match struct {
	Result    Tri
	Statement Statement
	Via       Via
	Reasons   []string
}

// Outcome is the policy's answer for a request.
type Outcome string

// The possible outcomes.
const (
	Allowed    Outcome = "allowed"
	Denied     Outcome = "denied"
	NotAllowed Outcome = "not allowed"
	Undecided  Outcome = "undecided"
)

// Decision is the policy's answer with the statements behind it.
type Decision struct {
	Outcome Outcome
	Allow   Match
	Deny    Match
}

// Evaluate decides a request against the policy alone: an explicit Deny wins over any
// Allow, and without an applicable Allow the request is not allowed.
func Evaluate(p Policy, r Request) Decision {
	d := Decision{Allow: matchEffect(p, r, "Allow"), Deny: matchEffect(p, r, "Deny")}
	switch {
	case d.Deny.Result == Yes:
		d.Outcome = Denied
	case d.Deny.Result == Maybe:
		d.Outcome = Undecided
	case d.Allow.Result == Yes:
		d.Outcome = Allowed
	case d.Allow.Result == Maybe:
		d.Outcome = Undecided
	default:
		d.Outcome = NotAllowed
	}
	return d
}

func matchEffect(p Policy, r Request, effect string) Match {
	var m Match
	for _, s := range p.Statements {
		if s.Effect != effect {
			continue
		}
		v, via := applies(s, r)
		switch {
		case v.t == Yes && (m.Result != Yes || via > m.Via):
			m.Result, m.Statement, m.Via = Yes, s, via
		case v.t == Maybe && m.Result == No:
			m.Result, m.Statement = Maybe, s
			m.Reasons = append(m.Reasons, labelled(s, v.why)...)
		case v.t == Maybe:
			m.Reasons = append(m.Reasons, labelled(s, v.why)...)
		}
	}
	if m.Result == Yes {
		m.Reasons = nil
	}
	return m
}

func labelled(s Statement, why []string) []string {
	out := make([]string, len(why))
	for i, w := range why {
		out[i] = s.Label() + ": " + w
	}
	return out
}

// applies decides whether a statement applies to a request (whatever its effect), and how
// its principal names the caller.
func applies(s Statement, r Request) (verdict, Via) {
	pv, via := principalMatch(s, r.Caller)
	if pv.t == No {
		return no(), ViaNone
	}
	conds := make([]verdict, 0, len(s.Condition))
	for _, c := range s.Condition {
		conds = append(conds, evalCondition(c, r.Context))
	}
	all := append([]verdict{pv, actionMatch(s, r.Action), resourceMatch(s, r)}, conds...)
	return and(all...), via
}

// AppliesTo is Applies with an exported result: the answer and the reasons for a Maybe.
func AppliesTo(s Statement, r Request) (Tri, Via, []string) {
	v, via := applies(s, r)
	return v.t, via, v.why
}

func actionMatch(s Statement, action string) verdict {
	list := s.Action
	if s.HasNotAction {
		list = s.NotAction
	}
	hit := false
	for _, a := range list {
		if Glob(a, action, true) {
			hit = true
			break
		}
	}
	return fromBool(hit != s.HasNotAction)
}

func resourceMatch(s Statement, r Request) verdict {
	if s.HasNotResource {
		return not(resourceList(s.NotResource, r))
	}
	return resourceList(s.Resource, r)
}

// resourceList is Yes when a pattern covers the whole requested resource, Maybe when one
// covers part of it or depends on an unknown policy variable.
func resourceList(list []string, r Request) verdict {
	out := no()
	for _, pat := range list {
		p, ok := substitute(pat, r.Context)
		switch {
		case !ok:
			out = or(out, maybe(fmt.Sprintf("resource %q uses a policy variable whose value "+
				"is not known", pat)))
		case Covers(p, r.Resource):
			return yes()
		case Intersects(p, r.Resource):
			out = or(out, maybe(fmt.Sprintf("resource %q covers only part of %s", pat,
				r.Resource)))
		}
	}
	return out
}

func principalMatch(s Statement, c Caller) (verdict, Via) {
	switch {
	case s.HasPrincipal:
		return principalNames(s.Principal, c)
	case s.HasNotPrincipal:
		return notPrincipal(s.NotPrincipal, c), ViaNotPrincipal
	}
	// Identity policies have no principal: they apply to whoever they are attached to.
	return yes(), ViaRole
}

func principalNames(p Principal, c Caller) (verdict, Via) {
	if p.Any {
		return yes(), ViaAnyone
	}
	best, via := no(), ViaNone
	for _, v := range p.Values["AWS"] {
		got, how := awsPrincipal(v, c)
		switch {
		case got.t == Yes && (best.t != Yes || how > via):
			best, via = got, how
		case got.t == Maybe && best.t == No:
			best = got
		}
	}
	return best, via
}

func awsPrincipal(v string, c Caller) (verdict, Via) {
	switch {
	case v == "*":
		return yes(), ViaAnyone
	case v == c.Account || v == "arn:aws:iam::"+c.Account+":root":
		return yes(), ViaAccount
	case strings.EqualFold(v, c.RoleARN):
		return yes(), ViaRole
	case strings.HasPrefix(v, c.sessionPrefix()):
		return maybe(fmt.Sprintf("principal %q names one session of the role; the session "+
			"name Slateo uses is not known", v)), ViaRole
	}
	return no(), ViaNone
}

// notPrincipal decides whether a NotPrincipal element leaves the caller in. A role session
// is evaluated as the session, the role and the account together; it is left out only when
// all three are listed.
func notPrincipal(p Principal, c Caller) verdict {
	if p.Any {
		return no()
	}
	var account, role, session bool
	var sessionMaybe string
	for _, v := range p.Values["AWS"] {
		switch {
		case v == "*":
			return no()
		case v == c.Account || v == "arn:aws:iam::"+c.Account+":root":
			account = true
		case strings.EqualFold(v, c.RoleARN):
			role = true
		case strings.HasPrefix(v, c.sessionPrefix()):
			session = true
			sessionMaybe = v
		}
	}
	if !account || !role || !session {
		return yes()
	}
	return maybe(fmt.Sprintf("NotPrincipal lists session %q; whether Slateo's session has "+
		"that name is not known", sessionMaybe))
}

// fixedConditionKeys are the keys that, with fixed values, make a grant to "*" non-public
// in S3's sense.
var fixedConditionKeys = []string{
	"aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:sourceip",
	"aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
	"aws:sourceaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid",
	"s3:dataaccesspointarn", "s3:dataaccesspointaccount", "aws:principalorgpaths",
}

// Public reports whether an Allow statement grants to everyone in S3's sense: its principal
// is "*" and no condition pins it to fixed principals, networks or sources.
func (s Statement) Public() bool {
	if !s.IsAllow() {
		return false
	}
	anyone := s.HasPrincipal && (s.Principal.Any || slices.Contains(s.Principal.Values["AWS"], "*"))
	if !anyone && !s.HasNotPrincipal {
		return false
	}
	for _, c := range s.Condition {
		if slices.Contains(fixedConditionKeys, strings.ToLower(c.Key)) {
			return false
		}
	}
	return true
}

// NamesAWS returns the AWS principal values of the statement's Principal.
func (s Statement) NamesAWS() []string {
	if !s.HasPrincipal {
		return nil
	}
	if s.Principal.Any {
		return []string{"*"}
	}
	return s.Principal.Values["AWS"]
}

// PrincipalMatch decides whether a statement's Principal or NotPrincipal takes in the caller,
// and how.
func PrincipalMatch(s Statement, c Caller) (Tri, Via, []string) {
	v, via := principalMatch(s, c)
	return v.t, via, v.why
}

// ResourceMatch decides whether a statement's Resource or NotResource covers the request's
// whole resource: Maybe when it covers part of it or depends on an unknown variable.
func ResourceMatch(s Statement, r Request) (Tri, []string) {
	v := resourceMatch(s, r)
	return v.t, v.why
}

// ConditionsMatch decides a statement's Condition block alone for a request context.
func ConditionsMatch(s Statement, ctx Context) (Tri, []string) {
	conds := make([]verdict, 0, len(s.Condition))
	for _, c := range s.Condition {
		conds = append(conds, evalCondition(c, ctx))
	}
	v := and(conds...)
	return v.t, v.why
}

// ActionMatch reports whether a statement's Action or NotAction takes in an action.
func ActionMatch(s Statement, action string) bool {
	return actionMatch(s, action).t == Yes
}
