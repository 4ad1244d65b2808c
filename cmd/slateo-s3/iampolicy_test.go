package main

import (
	"bytes"
	"encoding/json"
	"path"
	"slices"
	"strings"
	"testing"

	"slateo-s3/awsops"
	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// printedPolicy is the policy `slateo-s3 iam-policy` prints.
type printedPolicy struct {
	Statement []struct {
		Effect   string
		Action   []string
		Resource []string
	}
}

func iamPolicyOf(t *testing.T, args ...string) printedPolicy {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"iam-policy", "--org", "acme", "--company", "acme"}, args...)
	if code := run(args, &stdout, &stderr); code != exitOK {
		t.Fatalf("iam-policy: exit %d; stderr: %s", code, &stderr)
	}
	var p printedPolicy
	if err := json.Unmarshal(stdout.Bytes(), &p); err != nil {
		t.Fatalf("iam-policy printed no JSON policy: %v\n%s", err, &stdout)
	}
	return p
}

// allows reports whether an Allow statement grants action on resource; IAM's * in a
// resource matches any characters, / included, which path.Match's does not, so an ARN is
// matched with its slashes turned into a character that * covers.
func (p printedPolicy) allows(action, resource string) bool {
	flat := func(s string) string { return strings.ReplaceAll(s, "/", "|") }
	for _, st := range p.Statement {
		if st.Effect != "Allow" || !slices.Contains(st.Action, action) {
			continue
		}
		for _, r := range st.Resource {
			if ok, _ := path.Match(flat(r), flat(resource)); ok {
				return true
			}
		}
	}
	return false
}

// resourceOf is the ARN IAM authorises a logged call on. Object reads are of trail log
// files, which CloudTrail writes under AWSLogs/; key calls name a key of the sandbox.
func resourceOf(r sandboxtest.Request, action string) string {
	switch {
	case r.Service == "s3" && r.Bucket != "" && action == "s3:GetObject":
		return "arn:aws:s3:::" + r.Bucket + "/AWSLogs/111122223333/CloudTrail/x.json.gz"
	case r.Service == "s3" && r.Bucket != "":
		return "arn:aws:s3:::" + r.Bucket
	case r.Service == "kms" && r.Operation != "ListAliases":
		return "arn:aws:kms:us-west-2:111122223333:key/k"
	}
	return "*"
}

// TestIAMPolicyAllowsWhatCommandsCall runs commands against the broken sandbox, reads its
// request log, and proves that the printed policy allows every call they made: check,
// plan, events and report the read-only policy; apply the apply policy.
func TestIAMPolicyAllowsWhatCommandsCall(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		name     string
		commands [][]string
		policy   []string
		// wantOps must appear in the log, so that the test proves something.
		wantOps []string
	}{
		{name: "read only", commands: [][]string{{"check"}, {"plan"}, {"events"}, {"report"}},
			wantOps: []string{"GetBucketPolicy", "GetKeyPolicy", "LookupEvents",
				"DescribeTrails", "GetObject"}},
		{name: "apply", commands: [][]string{{"apply", "--yes",
			"--backup-dir", t.TempDir()}}, policy: []string{"--apply"},
			wantOps: []string{"PutBucketPolicy", "PutBucketCors", "PutKeyPolicy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log sandboxtest.RequestLog
			srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken", Log: &log})
			for _, c := range tt.commands {
				var stdout, stderr bytes.Buffer
				args := append(c, "--org", "acme", "--company", "acme",
					"--endpoint-url", srv.URL())
				if code := run(args, &stdout, &stderr); code != exitOK && code != exitFail {
					t.Fatalf("%v: exit %d; stderr: %s", c, code, &stderr)
				}
			}
			policy := iamPolicyOf(t, tt.policy...)
			seen := map[string]bool{}
			for _, r := range log.Requests(t) {
				seen[r.Operation] = true
				action, ok := awsops.ActionFor(r.Service, r.Operation)
				if !ok {
					t.Errorf("%s:%s was called but ActionFor does not know it", r.Service,
						r.Operation)
					continue
				}
				if action == "" {
					continue
				}
				if res := resourceOf(r, action); !policy.allows(action, res) {
					t.Errorf("%s:%s needs %s on %s, which the policy does not allow",
						r.Service, r.Operation, action, res)
				}
			}
			for _, op := range tt.wantOps {
				if !seen[op] {
					t.Errorf("the commands never called %s; seen %v", op, seen)
				}
			}
		})
	}
}
