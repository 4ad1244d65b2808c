package sandbox_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

const (
	uploads = "acme-slateo-uploads"
	cache   = "acme-slateo-cache"
	roleARN = "arn:aws:iam::880265510198:role/slateo-prod-storage-acme"
)

// guidePolicy is the bucket policy the setup guide asks for, for a bucket and an org role.
func guidePolicy(bucket, role string) string {
	return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowSlateoListBucket",
      "Effect": "Allow",
      "Principal": {"AWS": "` + role + `"},
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::` + bucket + `"
    },
    {
      "Sid": "AllowSlateoObjectAccess",
      "Effect": "Allow",
      "Principal": {"AWS": "` + role + `"},
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                 "s3:GetObjectTagging", "s3:PutObjectTagging"],
      "Resource": "arn:aws:s3:::` + bucket + `/*"
    }
  ]
}`
}

const guideCORS = `{"CORSRules": [{
  "AllowedHeaders": ["*"],
  "AllowedMethods": ["GET", "HEAD"],
  "AllowedOrigins": ["https://*.slateo.ai", "https://slateo.ai"],
  "ExposeHeaders": ["ETag"],
  "MaxAgeSeconds": 3600
}]}`

const blockAll = "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true," +
	"RestrictPublicBuckets=true"

func decode(t *testing.T, text string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("decoding CLI output %q: %v", text, err)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCLISetupGuide follows the setup guide's S3 steps with the real AWS CLI v2 and reads
// every setting back.
func TestCLISetupGuide(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	srv := sandboxtest.Start(t, sandbox.Options{})
	for _, b := range []string{uploads, cache} {
		sandboxtest.MustCLI(t, srv, "s3api", "create-bucket", "--bucket", b, "--region",
			"us-west-2", "--create-bucket-configuration", "LocationConstraint=us-west-2")
		sandboxtest.MustCLI(t, srv, "s3api", "put-public-access-block", "--bucket", b,
			"--public-access-block-configuration", blockAll)
		sandboxtest.MustCLI(t, srv, "s3api", "put-bucket-policy", "--bucket", b,
			"--policy", "file://"+writeFile(t, "policy.json", guidePolicy(b, roleARN)))
	}
	sandboxtest.MustCLI(t, srv, "s3api", "put-bucket-cors", "--bucket", cache,
		"--cors-configuration", "file://"+writeFile(t, "cors.json", guideCORS))

	for _, b := range []string{uploads, cache} {
		t.Run(b, func(t *testing.T) {
			assertLocation(t, srv, b, "us-west-2")
			assertPublicAccessBlock(t, srv, b)
			assertPolicy(t, srv, b)
		})
	}
	assertCORS(t, srv)
}

func assertLocation(t *testing.T, srv *sandbox.Server, bucket, want string) {
	var loc struct{ LocationConstraint *string }
	decode(t, sandboxtest.MustCLI(t, srv, "s3api", "get-bucket-location",
		"--bucket", bucket), &loc)
	if loc.LocationConstraint == nil || *loc.LocationConstraint != want {
		t.Errorf("LocationConstraint = %v, want %s", loc.LocationConstraint, want)
	}
}

func assertPublicAccessBlock(t *testing.T, srv *sandbox.Server, bucket string) {
	var got struct {
		PublicAccessBlockConfiguration map[string]bool
	}
	decode(t, sandboxtest.MustCLI(t, srv, "s3api", "get-public-access-block",
		"--bucket", bucket), &got)
	for _, flag := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
		"RestrictPublicBuckets"} {
		if !got.PublicAccessBlockConfiguration[flag] {
			t.Errorf("%s = false, want true", flag)
		}
	}
}

func assertPolicy(t *testing.T, srv *sandbox.Server, bucket string) {
	var got struct{ Policy string }
	decode(t, sandboxtest.MustCLI(t, srv, "s3api", "get-bucket-policy", "--bucket", bucket), &got)
	var doc, want any
	decode(t, got.Policy, &doc)
	decode(t, guidePolicy(bucket, roleARN), &want)
	gotJSON, _ := json.Marshal(doc)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("policy read back:\n%s\nwant:\n%s", gotJSON, wantJSON)
	}
}

func assertCORS(t *testing.T, srv *sandbox.Server) {
	var got struct {
		CORSRules []struct {
			AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders []string
			MaxAgeSeconds                                                 int
		}
	}
	decode(t, sandboxtest.MustCLI(t, srv, "s3api", "get-bucket-cors", "--bucket", cache), &got)
	if len(got.CORSRules) != 1 {
		t.Fatalf("CORS rules = %+v, want one", got.CORSRules)
	}
	r := got.CORSRules[0]
	checks := []struct {
		name      string
		got, want []string
	}{
		{"AllowedHeaders", r.AllowedHeaders, []string{"*"}},
		{"AllowedMethods", r.AllowedMethods, []string{"GET", "HEAD"}},
		{"AllowedOrigins", r.AllowedOrigins, []string{"https://*.slateo.ai", "https://slateo.ai"}},
		{"ExposeHeaders", r.ExposeHeaders, []string{"ETag"}},
	}
	for _, c := range checks {
		if strings.Join(c.got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if r.MaxAgeSeconds != 3600 {
		t.Errorf("MaxAgeSeconds = %d, want 3600", r.MaxAgeSeconds)
	}
}

// TestCLIReads runs every S3 read the console makes through the CLI against the healthy
// scenario and checks the values it prints.
func TestCLIReads(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy"})
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"s3api", "head-bucket", "--bucket", cache}, nil},
		{[]string{"s3api", "get-bucket-encryption", "--bucket", cache},
			[]string{`"SSEAlgorithm": "aws:kms"`, `"KMSMasterKeyID": "`}},
		{[]string{"s3api", "get-bucket-ownership-controls", "--bucket", cache},
			[]string{`"ObjectOwnership": "BucketOwnerEnforced"`}},
		{[]string{"s3api", "get-bucket-versioning", "--bucket", cache},
			[]string{`"Status": "Enabled"`}},
		{[]string{"s3api", "get-bucket-logging", "--bucket", cache},
			[]string{`"TargetBucket": "acme-slateo-access-logs"`}},
		{[]string{"s3api", "get-bucket-policy-status", "--bucket", cache},
			[]string{`"IsPublic": false`}},
		{[]string{"s3api", "list-buckets"},
			[]string{`"Name": "acme-slateo-cache"`, `"Name": "acme-slateo-uploads"`}},
		{[]string{"s3", "ls"}, []string{" acme-slateo-cache\n", " acme-slateo-uploads\n"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:2], " "), func(t *testing.T) {
			t.Parallel()
			out := sandboxtest.MustCLI(t, srv, tt.args...)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output %s lacks %q", out, w)
				}
			}
		})
	}
}
