package sandbox_test

import (
	"bytes"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// TestCLIErrors checks that the CLI prints the error codes AWS sends for the mistakes the
// console has to explain.
func TestCLIErrors(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	srv := sandboxtest.Start(t, sandbox.Options{})
	sandboxtest.MustCLI(t, srv, "s3api", "create-bucket", "--bucket", uploads,
		"--create-bucket-configuration", "LocationConstraint=us-west-2")
	publicPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + uploads + `/*"}]}`
	tests := []struct {
		name string
		args []string
		code string
		op   string
	}{
		{"location constraint in us-east-1", []string{"s3api", "create-bucket",
			"--bucket", "acme-east", "--region", "us-east-1",
			"--create-bucket-configuration", "LocationConstraint=us-east-1"},
			"InvalidLocationConstraint", "CreateBucket"},
		{"no location constraint outside us-east-1", []string{"s3api", "create-bucket",
			"--bucket", "acme-west"}, "IllegalLocationConstraintException", "CreateBucket"},
		{"invalid bucket name", []string{"s3api", "create-bucket", "--bucket", "Acme_Uploads",
			"--create-bucket-configuration", "LocationConstraint=us-west-2"},
			"InvalidBucketName", "CreateBucket"},
		{"bucket already owned", []string{"s3api", "create-bucket", "--bucket", uploads,
			"--create-bucket-configuration", "LocationConstraint=us-west-2"},
			"BucketAlreadyOwnedByYou", "CreateBucket"},
		{"role that does not exist", []string{"s3api", "put-bucket-policy", "--bucket",
			uploads, "--policy", guidePolicy(uploads,
				"arn:aws:iam::880265510198:role/slateo-prod-storage-nosuchorg")},
			"MalformedPolicy", "PutBucketPolicy"},
		{"public policy under BlockPublicPolicy", []string{"s3api", "put-bucket-policy",
			"--bucket", uploads, "--policy", publicPolicy}, "AccessDenied", "PutBucketPolicy"},
		{"no CORS", []string{"s3api", "get-bucket-cors", "--bucket", uploads},
			"NoSuchCORSConfiguration", "GetBucketCors"},
		{"no policy", []string{"s3api", "get-bucket-policy", "--bucket", uploads},
			"NoSuchBucketPolicy", "GetBucketPolicy"},
		{"no bucket", []string{"s3api", "get-bucket-policy", "--bucket", "acme-missing"},
			"NoSuchBucket", "GetBucketPolicy"},
		{"head of a missing bucket", []string{"s3api", "head-bucket", "--bucket",
			"acme-missing"}, "404", "HeadBucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, exit := sandboxtest.CLI(t, srv, tt.args...)
			want := "An error occurred (" + tt.code + ") when calling the " + tt.op +
				" operation"
			if exit == 0 || !strings.Contains(errOut, want) {
				t.Errorf("exit %d, stderr %q; want a failure with %q", exit, errOut, want)
			}
		})
	}
}

// TestCLIPolicyMessages checks the messages of the refusals the console quotes to users.
func TestCLIPolicyMessages(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	srv := sandboxtest.Start(t, sandbox.Options{})
	sandboxtest.MustCLI(t, srv, "s3api", "create-bucket", "--bucket", cache,
		"--create-bucket-configuration", "LocationConstraint=us-west-2")
	tests := []struct {
		name, policy, message string
	}{
		{"unknown role", guidePolicy(cache,
			"arn:aws:iam::880265510198:role/slateo-prod-storage-nosuchorg"),
			"Invalid principal in policy"},
		{"public", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` +
			`"Resource":"arn:aws:s3:::` + cache + `/*"}]}`,
			`User: arn:aws:iam::111122223333:user/sandbox-admin is not authorized to ` +
				`perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::` + cache +
				`" because public policies are blocked by the BlockPublicPolicy block ` +
				`public access setting.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, _ := sandboxtest.CLI(t, srv, "s3api", "put-bucket-policy", "--bucket",
				cache, "--policy", tt.policy)
			if !strings.Contains(errOut, tt.message) {
				t.Errorf("stderr %q, want message %q", errOut, tt.message)
			}
		})
	}
}

// TestCLIRegionRedirect reads a bucket of another region the way the CLI does on AWS: the
// sandbox answers as S3 does and the CLI's redirector retries in the bucket's region.
func TestCLIRegionRedirect(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	log := &syncWriter{w: &bytes.Buffer{}}
	srv := sandboxtest.Start(t, sandbox.Options{Log: log})
	if err := srv.S3().CreateBucket("acme-dublin", "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.S3().PutBucketVersioning("acme-dublin", "Enabled"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ region, firstStatus string }{
		{"us-west-2", `"status":301`}, {"us-east-1", `"status":400`},
	}
	for _, tt := range tests {
		region := tt.region
		t.Run(region, func(t *testing.T) {
			before := len(log.String())
			out := sandboxtest.MustCLI(t, srv, "s3api", "get-bucket-versioning", "--bucket",
				"acme-dublin", "--region", region)
			if !strings.Contains(out, `"Status": "Enabled"`) {
				t.Errorf("get-bucket-versioning = %s, want Enabled", out)
			}
			lines := strings.Split(strings.TrimSpace(log.String()[before:]), "\n")
			if len(lines) < 2 || !strings.Contains(lines[0], tt.firstStatus) ||
				!strings.Contains(lines[len(lines)-1], `"status":200`) {
				t.Errorf("requests %v; want %s first and a 200 retry", lines, tt.firstStatus)
			}
		})
	}
}
