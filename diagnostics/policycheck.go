package diagnostics

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"slateo-s3/diagnostics/policy"
	"slateo-s3/model"
)

// need is one thing the org role must be able to do on a bucket.
type need struct {
	action   string
	resource string
}

// bucketNeeds are the six required actions, each on the resource it applies to. With the org
// id known, object actions are asked for the org's prefix only, the only keys Slateo uses.
func bucketNeeds(s model.Settings, bucket string) []need {
	objects := model.ObjectsARN(bucket)
	if s.OrgID != "" {
		objects = model.BucketARN(bucket) + "/" + s.OrgID + "/*"
	}
	out := make([]need, 0, len(model.BucketActions)+len(model.ObjectActions))
	for _, a := range model.BucketActions {
		out = append(out, need{a, model.BucketARN(bucket)})
	}
	for _, a := range model.ObjectActions {
		out = append(out, need{a, objects})
	}
	return out
}

// policyAnalysis holds what every policy check of one bucket needs.
type policyAnalysis struct {
	s        model.Settings
	bucket   model.BucketState
	pol      policy.Policy
	caller   policy.Caller
	ctx      policy.Context
	restrict bool
}

func (a policyAnalysis) request(n need) policy.Request {
	return policy.Request{Caller: a.caller, Action: n.action, Resource: n.resource, Context: a.ctx}
}

var policyIDs = []string{IDPolicyPrincipal, IDPolicyActions, IDPolicyResources, IDPolicyDeny}

func policyChecks(s model.State, b model.BucketState) []model.Check {
	f := b.Policy
	if f.IsUnreadable() {
		out := make([]model.Check, 0, len(policyIDs))
		for _, id := range policyIDs {
			out = append(out, unreadable(id, b.Name, "the bucket policy", f))
		}
		return out
	}
	if f.IsAbsent() {
		return noPolicyChecks(s.Settings, b)
	}
	pol, err := policy.Parse(f.Value)
	if err != nil {
		out := make([]model.Check, 0, len(policyIDs))
		for _, id := range policyIDs {
			c := newCheck(id, b.Name, model.Unknown, "the bucket policy could not be analysed")
			c.Detail = err.Error() + "\n" + indentJSON(f.Value)
			out = append(out, c)
		}
		return out
	}
	region := ""
	if b.Region.IsPresent() {
		region = normRegion(b.Region.Value)
	}
	a := policyAnalysis{
		s: s.Settings, bucket: b, pol: pol, caller: slateoCaller(s.Settings),
		ctx:      s3Context(s.Settings, region, s.Caller),
		restrict: b.PublicAccessBlock.IsPresent() && b.PublicAccessBlock.Value.RestrictPublicBuckets,
	}
	principal, resources := a.principal(), a.resources()
	actions := a.actions(principal.Status == model.Fail, resources.Status == model.Fail)
	return []model.Check{principal, actions, resources, a.deny()}
}

func noPolicyChecks(s model.Settings, b model.BucketState) []model.Check {
	fix := bucketPolicyFix(b.Name, s.OrgSlug)
	detail := "GetBucketPolicy: " + b.Policy.Reason + "."
	mk := func(id, summary string) model.Check {
		return withFix(newCheck(id, b.Name, model.Fail, summary), detail, fix)
	}
	return []model.Check{
		mk(IDPolicyPrincipal, "bucket has no policy, so the org role has no access"),
		mk(IDPolicyActions, "bucket has no policy: none of the six actions is allowed"),
		mk(IDPolicyResources, "bucket has no policy: neither the bucket nor its objects are granted"),
		pass(IDPolicyDeny, b.Name, "no bucket policy, so no statement denies the org role", detail),
	}
}

func (a policyAnalysis) principal() model.Check {
	id, name, role := IDPolicyPrincipal, a.bucket.Name, a.s.RoleARN()
	var account, public, pinned []policy.Statement
	for _, st := range a.pol.Statements {
		if !st.IsAllow() {
			continue
		}
		t, via, _ := policy.PrincipalMatch(st, a.caller)
		switch {
		case t == policy.Yes && via == policy.ViaRole:
			return pass(id, name, "an Allow statement names the org role "+role,
				st.Label()+": "+st.Raw)
		case t == policy.Yes && via == policy.ViaAccount:
			account = append(account, st)
		case t == policy.Yes && st.Public():
			public = append(public, st)
		case t == policy.Yes && via == policy.ViaAnyone:
			if ct, _ := policy.ConditionsMatch(st, a.ctx); ct == policy.Yes {
				pinned = append(pinned, st)
			}
		}
	}
	fix := bucketPolicyFix(name, a.s.OrgSlug)
	if len(pinned) > 0 {
		return a.pinnedPrincipal(pinned, fix)
	}
	if len(account) > 0 {
		c := newCheck(id, name, model.Warn, "the policy grants Slateo's whole account "+
			model.SlateoAccountID+", not the org role")
		return withFix(c, statementsText(account)+"\nA grant to the account (root or bare "+
			"id) lets Slateo's own IAM decide which of its roles may use your bucket: the "+
			"role of every Slateo customer could be allowed, not just "+role+".", fix)
	}
	if len(public) > 0 {
		return a.publicPrincipal(public, fix)
	}
	c := newCheck(id, name, model.Fail, "no Allow statement names the org role "+role)
	return withFix(c, principalHints(a.pol, a.s)+"\nExpected principal: "+
		`{"AWS": "`+role+`"}`, fix)
}

// pinnedPrincipal judges Allow statements whose principal is "*" but whose conditions admit
// the org role (say ArnEquals aws:PrincipalArn): fine when they admit only this org's role,
// a warning when another org's Slateo role would pass too.
func (a policyAnalysis) pinnedPrincipal(pinned []policy.Statement, fix string) model.Check {
	id, name := IDPolicyPrincipal, a.bucket.Name
	other := maps.Clone(a.ctx)
	other.Set("aws:PrincipalArn", policy.KnownValue(model.RoleARN(a.s.OrgSlug+"-another-org")))
	for _, st := range pinned {
		if ct, _ := policy.ConditionsMatch(st, other); ct != policy.No {
			c := newCheck(id, name, model.Warn, st.Label()+" admits the org role by "+
				"condition, but other Slateo orgs' roles too")
			return withFix(c, st.Raw+"\nA pattern on the role ARN lets the role of every "+
				"Slateo customer in, not just "+a.s.RoleARN()+".", fix)
		}
	}
	return pass(id, name, "an Allow statement admits exactly the org role by condition",
		statementsText(pinned))
}

func (a policyAnalysis) publicPrincipal(public []policy.Statement, fix string) model.Check {
	id, name := IDPolicyPrincipal, a.bucket.Name
	if a.restrict {
		c := newCheck(id, name, model.Fail, "the policy grants everyone (\"*\"), which "+
			"RestrictPublicBuckets limits to your own account: the org role is not named")
		return withFix(c, statementsText(public), fix)
	}
	c := newCheck(id, name, model.Fail, "the policy makes the bucket public instead of "+
		"naming the org role")
	return withFix(c, statementsText(public)+"\nAnyone on the internet can use these grants.",
		fix)
}

// principalHints explains what the Allow statements name instead of the org role.
func principalHints(pol policy.Policy, s model.Settings) string {
	var lines []string
	for _, st := range pol.Statements {
		if !st.IsAllow() {
			continue
		}
		for _, v := range st.NamesAWS() {
			lines = append(lines, fmt.Sprintf("%s names %s%s", st.Label(), v, principalHint(v, s)))
		}
		for _, typ := range slices.Sorted(maps.Keys(st.Principal.Values)) {
			if typ != "AWS" {
				lines = append(lines, fmt.Sprintf("%s names %s %s", st.Label(), typ,
					strings.Join(st.Principal.Values[typ], ", ")))
			}
		}
	}
	if len(lines) == 0 {
		return "No Allow statement names any AWS principal."
	}
	return strings.Join(lines, "\n")
}

func principalHint(v string, s model.Settings) string {
	want := s.RoleARN()
	acct, name, isRole := strings.Cut(strings.TrimPrefix(v, "arn:aws:iam::"), ":role/")
	switch {
	case strings.HasPrefix(v, "AROA") || strings.HasPrefix(v, "AIDA"):
		return ": a unique id, which S3 shows when the named role was deleted; name the " +
			"role by its ARN again"
	case strings.HasPrefix(v, "arn:aws:sts::"):
		return ": an assumed-role session, which names one session only; name the role " +
			"ARN " + want
	case !isRole:
		return ""
	case strings.HasSuffix(name, "/"+model.RoleName(s.OrgSlug)):
		return ": the role name under a path; Slateo's role has none (" + want + ")"
	case acct != model.SlateoAccountID && name == model.RoleName(s.OrgSlug):
		return ": the right role name in the wrong account (Slateo's is " +
			model.SlateoAccountID + ")"
	case model.NearName(v, want):
		return ": close to, but not exactly, " + want
	case strings.HasPrefix(name, model.RoleNamePrefix) && acct == model.SlateoAccountID:
		return fmt.Sprintf(": the role of org %q, not of %q", strings.TrimPrefix(name,
			model.RoleNamePrefix), s.OrgSlug)
	}
	return ""
}

func statementsText(sts []policy.Statement) string {
	lines := make([]string, len(sts))
	for i, st := range sts {
		lines[i] = st.Label() + ": " + st.Raw
	}
	return strings.Join(lines, "\n")
}

// allowOutcome is what the Allow statements alone say about one need.
type allowOutcome struct {
	n       need
	m       policy.Match
	blocked bool
}

func (a policyAnalysis) allowed(n need) allowOutcome {
	d := policy.Evaluate(a.pol, a.request(n))
	o := allowOutcome{n: n, m: d.Allow}
	if o.m.Result != policy.Yes || o.m.Via != policy.ViaAnyone || !o.m.Statement.Public() {
		return o
	}
	if a.restrict {
		o.blocked = true
		return o
	}
	// Only a public grant allows the role; it reaches a cross-account caller unless
	// RestrictPublicBuckets is on, at the bucket or at the account level, which is not read.
	o.m.Result = policy.Maybe
	o.m.Reasons = []string{o.m.Statement.Label() + " grants everyone (\"*\"): it reaches " +
		"Slateo only while neither the bucket's nor the account's RestrictPublicBuckets " +
		"is on, and it makes the bucket public"}
	return o
}

// actions checks that the org role is granted each required action. An action that is
// granted, but to another principal or on another resource, is left to policy-principal or
// policy-resources when that check fails, so that one mistake fails one check.
func (a policyAnalysis) actions(principalFails, resourcesFail bool) model.Check {
	id, name := IDPolicyActions, a.bucket.Name
	var missing, maybe, account, elsewhere, blamed []string
	var reasons []string
	for _, n := range bucketNeeds(a.s, name) {
		o := a.allowed(n)
		blame := ""
		if o.m.Result == policy.No || o.blocked {
			blame = a.grantedElsewhere(n, principalFails, resourcesFail)
		}
		switch {
		case blame != "":
			elsewhere = append(elsewhere, n.action)
			blamed = append(blamed, blame)
		case o.m.Result == policy.No || o.blocked:
			missing = append(missing, n.action)
		case o.m.Result == policy.Maybe:
			maybe = append(maybe, n.action)
			reasons = append(reasons, o.m.Reasons...)
		case o.m.Via == policy.ViaAccount:
			account = append(account, n.action)
		}
	}
	fix := bucketPolicyFix(name, a.s.OrgSlug)
	switch {
	case len(missing) > 0:
		c := newCheck(id, name, model.Fail, "the org role is not allowed "+
			strings.Join(missing, ", "))
		return withFix(c, a.needsText(), fix)
	case len(maybe) > 0:
		c := newCheck(id, name, model.Warn, "cannot tell whether the org role may "+
			strings.Join(maybe, ", "))
		return withFix(c, strings.Join(dedupe(reasons), "\n"), fix)
	case len(account) > 0:
		c := newCheck(id, name, model.Warn, "all six actions are allowed, but only through "+
			"the grant to Slateo's whole account")
		return withFix(c, a.needsText(), fix)
	case principalFails && len(elsewhere) == len(bucketNeeds(a.s, name)):
		c := newCheck(id, name, model.Skip, "the policy grants the six actions, but not "+
			"to the org role: see policy-principal")
		return withFix(c, a.needsText(), fix)
	case len(elsewhere) > 0:
		return pass(id, name, "the policy grants all six actions; "+
			strings.Join(dedupe(blamed), " and ")+" says why some do not reach the org role",
			a.needsText())
	}
	return pass(id, name, "the org role is allowed all six required actions", a.needsText())
}

// grantedElsewhere returns the failing check that explains a need that is not allowed when
// an Allow statement grants its action but misses only in what that check reports: the
// principal (no statement names the org role) or the resource. It returns "" otherwise.
func (a policyAnalysis) grantedElsewhere(n need, principalFails, resourcesFail bool) string {
	req := a.request(n)
	for _, st := range a.candidates() {
		if !policy.ActionMatch(st, n.action) {
			continue
		}
		t, _ := policy.ResourceMatch(st, req)
		switch {
		case t == policy.No && resourcesFail:
			return IDPolicyResources
		case t != policy.No && principalFails:
			return IDPolicyPrincipal
		}
	}
	return ""
}

// needsText lists, per required action, which statement allows it.
func (a policyAnalysis) needsText() string {
	var lines []string
	for _, n := range bucketNeeds(a.s, a.bucket.Name) {
		o := a.allowed(n)
		var how string
		switch {
		case o.blocked:
			how = "granted only to everyone (\"*\"), which RestrictPublicBuckets blocks"
		case o.m.Result == policy.Yes:
			how = "allowed by " + o.m.Statement.Label()
		case o.m.Result == policy.Maybe:
			how = "maybe allowed by " + o.m.Statement.Label()
		default:
			how = "NOT allowed: " + a.whyNot(n)
		}
		lines = append(lines, fmt.Sprintf("%s on %s: %s", n.action, n.resource, how))
	}
	return strings.Join(lines, "\n")
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// whyNot says why no Allow statement applies to a need: none names the role, none has the
// action, or none covers the resource.
func (a policyAnalysis) whyNot(n need) string {
	req := a.request(n)
	named, acted := false, false
	for _, st := range a.pol.Statements {
		if !st.IsAllow() {
			continue
		}
		if t, _, _ := policy.PrincipalMatch(st, a.caller); t == policy.No {
			continue
		}
		named = true
		if policy.ActionMatch(st, n.action) {
			acted = true
			if t, _ := policy.ResourceMatch(st, req); t == policy.No {
				return st.Label() + " has the action but not on this resource"
			}
		}
	}
	switch {
	case !named:
		return "no Allow statement names the org role"
	case !acted:
		return "no Allow statement for the org role has this action"
	}
	return "the statements that have it do not apply (see their conditions)"
}
