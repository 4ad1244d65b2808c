package diagnostics

import (
	"fmt"
	"strings"

	"slateo-s3/diagnostics/policy"
	"slateo-s3/model"
)

// candidates are the Allow statements that name the org role (or its account, or everyone);
// when none does, every Allow statement, so that a wrong principal does not hide a wrong
// resource.
func (a policyAnalysis) candidates() []policy.Statement {
	var named, all []policy.Statement
	for _, st := range a.pol.Statements {
		if !st.IsAllow() {
			continue
		}
		all = append(all, st)
		if t, _, _ := policy.PrincipalMatch(st, a.caller); t != policy.No {
			named = append(named, st)
		}
	}
	if len(named) > 0 {
		return named
	}
	return all
}

func (a policyAnalysis) resources() model.Check {
	id, name := IDPolicyResources, a.bucket.Name
	bucketARN := model.BucketARN(name)
	objects := bucketNeeds(a.s, name)[len(model.BucketActions)].resource
	sts := a.candidates()
	var missing []string
	for _, res := range []string{bucketARN, objects} {
		if !a.covered(sts, res) {
			missing = append(missing, res)
		}
	}
	found := resourcesText(sts)
	if len(missing) == 0 {
		return pass(id, name, "the policy covers the bucket and its objects", found)
	}
	c := newCheck(id, name, model.Fail, "the policy does not cover "+strings.Join(missing, " nor "))
	detail := found + resourceHints(sts, name)
	return withFix(c, detail, bucketPolicyFix(name, a.s.OrgSlug))
}

func (a policyAnalysis) covered(sts []policy.Statement, res string) bool {
	r := policy.Request{Caller: a.caller, Resource: res, Context: a.ctx}
	for _, st := range sts {
		if t, _ := policy.ResourceMatch(st, r); t == policy.Yes {
			return true
		}
	}
	return false
}

func resourcesText(sts []policy.Statement) string {
	if len(sts) == 0 {
		return "The policy has no Allow statement."
	}
	var lines []string
	for _, st := range sts {
		if st.HasNotResource {
			lines = append(lines, st.Label()+": NotResource "+strings.Join(st.NotResource, ", "))
			continue
		}
		lines = append(lines, st.Label()+": Resource "+strings.Join(st.Resource, ", "))
	}
	return strings.Join(lines, "\n")
}

// resourceHints points at the usual mistakes: another bucket's name (names are
// case-sensitive), a missing /*, a slash without the star.
func resourceHints(sts []policy.Statement, bucket string) string {
	var hints []string
	for _, st := range sts {
		for _, r := range st.Resource {
			b, rest, _ := strings.Cut(strings.TrimPrefix(r, "arn:aws:s3:::"), "/")
			switch {
			case b != bucket && model.NearName(b, bucket):
				hints = append(hints, fmt.Sprintf("%s names bucket %q, not %q: bucket names "+
					"are case-sensitive and must match exactly", st.Label(), b, bucket))
			case b == bucket && strings.HasSuffix(r, "/") && rest == "":
				hints = append(hints, fmt.Sprintf("%s has %q: without the * it covers no "+
					"object; use %s", st.Label(), r, model.ObjectsARN(bucket)))
			}
		}
	}
	if len(hints) == 0 {
		return "\nThe guide grants s3:ListBucket on " + model.BucketARN(bucket) +
			" and the object actions on " + model.ObjectsARN(bucket) + "."
	}
	return "\n" + strings.Join(hints, "\n")
}

func (a policyAnalysis) deny() model.Check {
	id, name := IDPolicyDeny, a.bucket.Name
	blocked := map[int][]string{}
	var order []policy.Statement
	var maybe []string
	var reasons []string
	for _, n := range bucketNeeds(a.s, name) {
		d := policy.Evaluate(a.pol, a.request(n))
		switch d.Deny.Result {
		case policy.Yes:
			if _, ok := blocked[d.Deny.Statement.Index]; !ok {
				order = append(order, d.Deny.Statement)
			}
			blocked[d.Deny.Statement.Index] = append(blocked[d.Deny.Statement.Index], n.action)
		case policy.Maybe:
			maybe = append(maybe, n.action)
			reasons = append(reasons, d.Deny.Reasons...)
		}
	}
	if len(order) > 0 {
		return a.denyFail(order, blocked)
	}
	if len(maybe) > 0 {
		c := newCheck(id, name, model.Warn, "a Deny statement may block the org role from "+
			strings.Join(maybe, ", "))
		return withFix(c, strings.Join(dedupe(reasons), "\n"), exemptFix(a.s.RoleARN()))
	}
	return pass(id, name, "no Deny statement blocks the org role", denyList(a.pol))
}

func (a policyAnalysis) denyFail(order []policy.Statement, blocked map[int][]string) model.Check {
	var lines, labels []string
	for _, st := range order {
		labels = append(labels, st.Label())
		lines = append(lines, fmt.Sprintf("%s denies the org role %s:\n%s%s", st.Label(),
			strings.Join(blocked[st.Index], ", "), indentJSON(st.Raw), denyWhy(st)))
	}
	c := newCheck(IDPolicyDeny, a.bucket.Name, model.Fail,
		strings.Join(labels, " and ")+" blocks the org role")
	return withFix(c, strings.Join(lines, "\n"), exemptFix(a.s.RoleARN()))
}

// denyWhy explains the usual reasons a Deny catches Slateo's role.
func denyWhy(st policy.Statement) string {
	var why []string
	if st.HasNotPrincipal {
		why = append(why, "NotPrincipal leaves a role session out only when it lists the "+
			"account, the role ARN and the assumed-role session ARN together.")
	}
	for _, c := range st.Condition {
		switch strings.ToLower(c.Key) {
		case "aws:principalorgid", "aws:principalorgpaths":
			why = append(why, "Slateo's role is outside your AWS organization, so "+c.Key+
				" never matches your organization.")
		case "aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip":
			why = append(why, "Slateo does not come through your VPCs or VPC endpoints.")
		case "aws:principalaccount", "aws:principalarn":
			why = append(why, "The org role is in Slateo's account "+model.SlateoAccountID+".")
		}
	}
	if len(why) == 0 {
		return ""
	}
	return "\n" + strings.Join(dedupe(why), "\n")
}

func exemptFix(role string) string {
	return "Exempt the org role in each Deny statement by adding to its Condition (conditions " +
		"are ANDed, so the Deny then skips the role):\n" +
		`"ArnNotEquals": {"aws:PrincipalArn": "` + role + `"}` +
		"\nor, if the statement already has that key under ArnNotEquals/ArnNotLike/" +
		"StringNotEquals, add the role ARN to its values. Then put the policy back with " +
		"aws s3api put-bucket-policy."
}

func denyList(pol policy.Policy) string {
	var lines []string
	for _, st := range pol.Statements {
		if st.IsDeny() {
			lines = append(lines, st.Label()+" does not apply to the org role: "+st.Raw)
		}
	}
	if len(lines) == 0 {
		return "The policy has no Deny statement."
	}
	return strings.Join(lines, "\n")
}
