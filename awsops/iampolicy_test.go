package awsops

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"slateo-s3/model"
)

func policyActions(t *testing.T, doc string) []string {
	t.Helper()
	var p iamPolicy
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, doc)
	}
	var actions []string
	for _, st := range p.Statement {
		if st.Effect != "Allow" || len(st.Resource) == 0 {
			t.Errorf("statement %s grants nothing: %+v", st.Sid, st)
		}
		actions = append(actions, st.Action...)
	}
	return actions
}

func TestIAMPolicyCoversEveryOperation(t *testing.T) {
	s := model.Settings{OrgSlug: "acme", Company: "acme"}
	read := policyActions(t, IAMPolicy(s, false))
	all := policyActions(t, IAMPolicy(s, true))
	for op, action := range operationActions {
		if action == "" {
			continue
		}
		if !slices.Contains(all, action) {
			t.Errorf("%s needs %s, which the apply policy lacks", op, action)
		}
		isWrite := slices.ContainsFunc([]string{"Put", "Create", "Delete"}, func(p string) bool {
			return strings.HasPrefix(strings.SplitN(op, ":", 2)[1], p)
		})
		if !isWrite && !slices.Contains(read, action) {
			t.Errorf("read %s needs %s, which the read-only policy lacks", op, action)
		}
		if isWrite && slices.Contains(read, action) {
			t.Errorf("the read-only policy grants %s, needed only by %s", action, op)
		}
	}
}

func TestIAMPolicyNamesTheBuckets(t *testing.T) {
	doc := IAMPolicy(model.Settings{Company: "acme", Region: "eu-west-1"}, true)
	for _, want := range []string{
		`"arn:aws:s3:::acme-slateo-uploads"`,
		`"arn:aws:s3:::acme-slateo-cache"`,
		`"arn:aws:kms:eu-west-1:*:key/*"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("policy lacks %s:\n%s", want, doc)
		}
	}
}

func TestActionFor(t *testing.T) {
	tests := []struct {
		service, op, want string
		ok                bool
	}{
		{"s3", "HeadBucket", "s3:ListBucket", true},
		{"s3", "GetBucketCors", "s3:GetBucketCORS", true},
		{"s3", "DeleteBucketCors", "s3:PutBucketCORS", true},
		{"sts", "GetCallerIdentity", "", true},
		{"s3", "DeleteBucket", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.service+":"+tt.op, func(t *testing.T) {
			got, ok := ActionFor(tt.service, tt.op)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ActionFor = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
