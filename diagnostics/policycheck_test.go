package diagnostics

import (
	"strings"
	"testing"

	"slateo-s3/model"
)

const cacheBucket = "acme-slateo-cache"

// withCachePolicy is the healthy state with another bucket policy on the cache bucket.
func withCachePolicy(doc string) model.State {
	s := healthyState()
	s.Buckets[1].Policy = model.Known(doc)
	return s
}

type want struct {
	status model.Status
	// text must appear in the summary or the detail.
	text string
}

func TestBucketPolicyChecks(t *testing.T) {
	P, F, W, S := model.Pass, model.Fail, model.Warn, model.Skip
	tests := []struct {
		fixture                         string
		principal, actions, res, denial want
	}{
		{fixture: "guide.json", principal: want{P, "names the org role"},
			actions: want{P, "all six"}, res: want{P, "covers the bucket"},
			denial: want{P, "no Deny statement"}},
		{fixture: "deny-insecure-transport.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{P, "DenyInsecureTransport\" does not apply"}},
		{fixture: "orgid-deny.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{F, "outside your AWS organization"}},
		{fixture: "orgid-deny-exempt.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{P, ""}},
		{fixture: "partner-grants.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{P, ""}},
		{fixture: "root-grant.json", principal: want{W, "whole account 880265510198"},
			actions: want{W, "only through the grant"}, res: want{P, ""}, denial: want{P, ""}},
		{fixture: "bare-account.json", principal: want{W, "every Slateo customer"},
			actions: want{W, ""}, res: want{P, ""}, denial: want{P, ""}},
		{fixture: "notprincipal-deny.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{F, "assumed-role session ARN"}},
		{fixture: "notaction-wildcards.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{P, ""}},
		{fixture: "wildcard-actions.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{P, ""}},
		{fixture: "wrong-slug.json", principal: want{F, `the role of org "acme-corp"`},
			actions: want{S, "not to the org role: see policy-principal"},
			res:     want{P, ""}, denial: want{P, ""}},
		{fixture: "bucket-arn-only.json", principal: want{P, ""},
			actions: want{P, "grants all six actions; policy-resources says why"},
			res:     want{F, "does not cover arn:aws:s3:::acme-slateo-cache/*"}, denial: want{P, ""}},
		{fixture: "case-mismatch.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{F, "names are case-sensitive"}, denial: want{P, ""}},
		{fixture: "source-ip.json", principal: want{P, ""},
			actions: want{W, "IP addresses are not published"}, res: want{P, ""},
			denial: want{P, ""}},
		{fixture: "vpce-deny.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{F, "OnlyFromVpce"}},
		{fixture: "sse-deny.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{W, "s3:x-amz-server-side-encryption"}},
		{fixture: "public-read.json", principal: want{F, "RestrictPublicBuckets"},
			actions: want{S, "see policy-principal"}, res: want{P, ""},
			denial: want{P, ""}},
		{fixture: "principal-arn-condition.json", principal: want{P, "by condition"},
			actions: want{P, ""}, res: want{P, ""}, denial: want{P, ""}},
		{fixture: "principal-arn-like.json", principal: want{W, "other Slateo orgs"},
			actions: want{P, ""}, res: want{P, ""}, denial: want{P, ""}},
		{fixture: "account-deny.json", principal: want{P, ""}, actions: want{P, ""},
			res: want{P, ""}, denial: want{F, "s3:GetObject, s3:DeleteObject"}},
		{fixture: "deleted-role.json", principal: want{F, "unique id"},
			actions: want{F, "s3:PutObject on arn:aws:s3:::acme-slateo-cache/*: NOT allowed"},
			res:     want{P, ""}, denial: want{P, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			checks := Checklist(withCachePolicy(readFixture(t, tt.fixture)))
			for id, w := range map[string]want{IDPolicyPrincipal: tt.principal,
				IDPolicyActions: tt.actions, IDPolicyResources: tt.res, IDPolicyDeny: tt.denial} {
				assertCheck(t, find(t, checks, id, cacheBucket), w)
			}
		})
	}
}

func assertCheck(t *testing.T, c model.Check, w want) {
	t.Helper()
	if c.Status != w.status {
		t.Errorf("%s: status %s, want %s\nsummary: %s\ndetail: %s", c.ID, c.Status, w.status,
			c.Summary, c.Detail)
		return
	}
	if !strings.Contains(c.Summary+"\n"+c.Detail, w.text) {
		t.Errorf("%s: %q not in\nsummary: %s\ndetail: %s", c.ID, w.text, c.Summary, c.Detail)
	}
	if (c.Status == model.Pass) != (c.Fix == "") {
		t.Errorf("%s: status %s with fix %q", c.ID, c.Status, c.Fix)
	}
}

func TestPublicPolicyWithoutRestrict(t *testing.T) {
	s := withCachePolicy(readFixture(t, "public-read.json"))
	s.Buckets[1].PublicAccessBlock = model.Absent[model.PublicAccessBlock](
		"NoSuchPublicAccessBlockConfiguration")
	checks := Checklist(s)
	assertCheck(t, find(t, checks, IDPolicyPrincipal, cacheBucket),
		want{model.Fail, "makes the bucket public"})
	assertCheck(t, find(t, checks, IDPublicAccessBlock, cacheBucket),
		want{model.Fail, "not configured"})
	assertCheck(t, find(t, checks, IDPolicyActions, cacheBucket),
		want{model.Warn, "account's RestrictPublicBuckets"})
	s.Buckets[1].PublicAccessBlock = model.Unreadable[model.PublicAccessBlock]("AccessDenied",
		"s3:GetBucketPublicAccessBlock")
	if c := find(t, Checklist(s), IDPolicyActions, cacheBucket); c.Status == model.Pass {
		t.Errorf("policy-actions passed on a public grant with Block Public Access unread")
	}
}

func TestPolicyFixNamesUserValues(t *testing.T) {
	c := find(t, Checklist(withCachePolicy(readFixture(t, "wrong-slug.json"))),
		IDPolicyPrincipal, cacheBucket)
	for _, s := range []string{
		"arn:aws:iam::880265510198:role/slateo-prod-storage-acme\"",
		"\"Resource\": \"arn:aws:s3:::acme-slateo-cache/*\"",
		"aws s3api put-bucket-policy --bucket acme-slateo-cache --policy file://policy.json",
	} {
		if !strings.Contains(c.Fix, s) {
			t.Errorf("fix lacks %q:\n%s", s, c.Fix)
		}
	}
}

func TestNoPolicy(t *testing.T) {
	s := healthyState()
	s.Buckets[0].Policy = model.Absent[string]("NoSuchBucketPolicy")
	checks := Checklist(s)
	for _, id := range []string{IDPolicyPrincipal, IDPolicyActions, IDPolicyResources} {
		assertCheck(t, find(t, checks, id, "acme-slateo-uploads"),
			want{model.Fail, "NoSuchBucketPolicy"})
	}
	assertCheck(t, find(t, checks, IDPolicyDeny, "acme-slateo-uploads"),
		want{model.Pass, "no bucket policy"})
}

func TestOrgPrefixResource(t *testing.T) {
	doc := strings.ReplaceAll(readFixture(t, "guide.json"), "acme-slateo-cache/*",
		"acme-slateo-cache/org-42/*")
	tests := []struct {
		name      string
		orgID     string
		want, res want
	}{
		{name: "org id unknown", want: want{model.Warn, "covers only part"},
			res: want{model.Fail, ""}},
		{name: "org id matches", orgID: "org-42", want: want{model.Pass, ""},
			res: want{model.Pass, ""}},
		// The actions are granted, on another org's prefix: one mistake, one failing check.
		{name: "other org id", orgID: "org-7", want: want{model.Pass, "policy-resources"},
			res: want{model.Fail, "org-7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := withCachePolicy(doc)
			s.Settings.OrgID = tt.orgID
			checks := Checklist(s)
			assertCheck(t, find(t, checks, IDPolicyActions, cacheBucket), tt.want)
			assertCheck(t, find(t, checks, IDPolicyResources, cacheBucket), tt.res)
		})
	}
}

func TestPrincipalHints(t *testing.T) {
	tests := []struct {
		principal string
		hint      string
	}{
		{"arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/s1", "one session"},
		{"arn:aws:iam::880265510198:role/team/slateo-prod-storage-acme", "under a path"},
		{"arn:aws:iam::880265510189:role/slateo-prod-storage-acme", "in the wrong account"},
		{"arn:aws:iam::880265510198:role/slateo-prod-storage-acem", "close to, but not"},
		{"arn:aws:iam::880265510198:role/slateo-prod-storage-beta", `org "beta"`},
		{"AROA3XFRBF535PLBIFPI4", "unique id"},
	}
	for _, tt := range tests {
		t.Run(tt.principal, func(t *testing.T) {
			doc := strings.ReplaceAll(readFixture(t, "guide.json"),
				"arn:aws:iam::880265510198:role/slateo-prod-storage-acme", tt.principal)
			c := find(t, Checklist(withCachePolicy(doc)), IDPolicyPrincipal, cacheBucket)
			assertCheck(t, c, want{model.Fail, tt.hint})
		})
	}
}
