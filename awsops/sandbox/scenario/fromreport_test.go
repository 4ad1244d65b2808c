package scenario

import (
	"slices"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox/kmssim"
	"slateo-s3/awsops/sandbox/s3sim"
	"slateo-s3/awsops/sandbox/trailsim"
)

// maskedReport is a small masked report: a bucket whose policy names the org role and a
// principal of another (masked) account, a disabled key named by alias, a refused read.
const maskedReport = `{
  "settings": {"org_slug": "acme", "company": "acme", "uploads_bucket": "u-bucket",
    "cache_bucket": "c-bucket", "region": "us-west-2", "kms_key": "alias/k"},
  "caller": {"account": "[account-1]", "arn": "arn:aws:iam::[account-1]:user/[user-1]"},
  "documents": {
    "buckets": [{
      "name": "u-bucket",
      "presence": {"availability": "present", "value": "owned"},
      "region": {"availability": "present", "value": "us-west-2"},
      "policy": {"availability": "present", "value": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::u-bucket/*", "Principal": {"AWS": [
            "arn:aws:iam::880265510198:role/slateo-prod-storage-acme-eu",
            "arn:aws:iam::[account-2]:user/[user-2]"]}}]}},
      "cors": {"availability": "could-not-read", "reason": "AccessDenied",
        "missing_action": "s3:GetBucketCORS"},
      "versioning": {"availability": "present", "value": "Suspended"}
    }, {
      "name": "c-bucket",
      "presence": {"availability": "present", "value": "missing"}
    }],
    "keys": [{"ref": "alias/k", "metadata": {"availability": "present", "value": {
      "key_id": "0a1b2c3d-0000-4000-8000-00000000abcd", "account": "[account-1]",
      "region": "us-west-2", "state": "Disabled", "manager": "CUSTOMER"}},
      "policy": {"availability": "present", "value": "{\"Version\":\"2012-10-17\",` +
	`\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":` +
	`\"arn:aws:iam::[account-1]:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}}],
    "trails": {"availability": "could-not-read", "reason": "AccessDenied",
      "missing_action": "cloudtrail:DescribeTrails"}
  }
}`

func TestParseReport(t *testing.T) {
	tests := []struct {
		name, data, wantErr string
	}{
		{"not JSON", "Slateo report", "reading the report"},
		{"no buckets", `{"checks": []}`, "names no bucket"},
		{"masked", maskedReport, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseReport([]byte(tt.data))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" &&
				(err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("ParseReport: %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestReportOrgRolesDeniedAccount(t *testing.T) {
	r, err := ParseReport([]byte(maskedReport))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.OrgRoles(), []string{"acme", "acme-eu"}; !slices.Equal(got, want) {
		t.Errorf("OrgRoles = %v, want %v", got, want)
	}
	want := []string{"DescribeTrails", "GetBucketCors:u-bucket"}
	if got := r.Denied(); !slices.Equal(got, want) {
		t.Errorf("Denied = %v, want %v", got, want)
	}
	if got := r.CallerAccount(); got != "" {
		t.Errorf("CallerAccount of a masked report = %q, want none", got)
	}
}

// TestReportApply rebuilds the masked report: the caller's account becomes the sandbox's,
// another masked account a stand-in, the key keeps its id, alias and state.
func TestReportApply(t *testing.T) {
	r, err := ParseReport([]byte(maskedReport))
	if err != nil {
		t.Fatal(err)
	}
	env := newTarget(t).Env
	env.OrgRoles = r.OrgRoles()
	tr := Target{Env: env, S3: s3sim.New(env), KMS: kmssim.New(env), Trail: trailsim.New(env)}
	tr.Trail.UseBuckets(tr.S3.BucketExists)
	if err := r.Apply(tr); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if !tr.S3.BucketExists("u-bucket") || tr.S3.BucketExists("c-bucket") {
		t.Errorf("buckets: u-bucket %v, c-bucket %v; want only the owned one",
			tr.S3.BucketExists("u-bucket"), tr.S3.BucketExists("c-bucket"))
	}
	policy := mustGet(t, tr.S3, "u-bucket", "policy")
	for _, want := range []string{"slateo-prod-storage-acme-eu",
		"arn:aws:iam::100000000002:user/user-2"} {
		if !strings.Contains(policy, want) {
			t.Errorf("policy lacks %s:\n%s", want, policy)
		}
	}
	if v := mustGet(t, tr.S3, "u-bucket", "versioning"); !strings.Contains(v, "Suspended") {
		t.Errorf("versioning = %s, want Suspended", v)
	}
	k, err := tr.KMS.Key("us-west-2", "alias/k")
	if err != nil {
		t.Fatalf("key by alias: %v", err)
	}
	if k.ID != "0a1b2c3d-0000-4000-8000-00000000abcd" || k.State != kmssim.StateDisabled ||
		!strings.Contains(k.Policy, "arn:aws:iam::"+tr.Env.Account+":root") {
		t.Errorf("key = %+v; want the report's id, Disabled, policy naming %s", k,
			tr.Env.Account)
	}
}

// FuzzReportApply: a report is a file from a customer; whatever it holds, reading it and
// rebuilding its account fails with an error or succeeds, and never panics.
func FuzzReportApply(f *testing.F) {
	f.Add([]byte(maskedReport))
	f.Add([]byte(`{"settings": {"uploads_bucket": "b"}, "documents": {"buckets": [` +
		`{"name": "b", "presence": {"availability": "present", "value": "owned"},` +
		`"cors": {"availability": "present", "value": [{"allowed_methods": ["GET"]}]}}]},` +
		`"events": {"events": [{"source": "s3.amazonaws.com", "name": "GetObject",` +
		`"principal": "arn:aws:sts::1:assumed-role/r/s", "resource": "arn:aws:s3:::b/k"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReport(data)
		if err != nil {
			return
		}
		env := newTarget(t).Env
		env.OrgRoles = r.OrgRoles()
		tr := Target{Env: env, S3: s3sim.New(env), KMS: kmssim.New(env),
			Trail: trailsim.New(env)}
		tr.Trail.UseBuckets(tr.S3.BucketExists)
		_ = r.Apply(tr)
		_ = r.Denied()
	})
}
