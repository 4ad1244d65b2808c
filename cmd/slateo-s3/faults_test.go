package main

import (
	"slices"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/awsops/sandbox/scenario"
	"slateo-s3/model"
)

const (
	faultUploads = scenario.UploadsBucket
	faultCache   = scenario.CacheBucket
)

// policyFor is the guide's bucket policy for a principal, with the object statement's
// resource replaced when objects is not "/*".
func policyFor(bucket, principal, listAction, objects string) string {
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"AllowSlateoListBucket","Effect":"Allow","Principal":{"AWS":"` + principal +
		`"},"Action":"` + listAction + `","Resource":"arn:aws:s3:::` + bucket + `"},` +
		`{"Sid":"AllowSlateoObjectAccess","Effect":"Allow","Principal":{"AWS":"` + principal +
		`"},"Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:GetObjectTagging",` +
		`"s3:PutObjectTagging"],"Resource":"arn:aws:s3:::` + bucket + objects + `"}]}`
}

// corsXML is a CORS configuration of one rule with the guide's origins and these methods.
func corsXML(methods ...string) string {
	var b strings.Builder
	b.WriteString(`<CORSConfiguration><CORSRule><AllowedHeader>*</AllowedHeader>`)
	for _, m := range methods {
		b.WriteString("<AllowedMethod>" + m + "</AllowedMethod>")
	}
	b.WriteString(`<AllowedOrigin>https://*.slateo.ai</AllowedOrigin>` +
		`<AllowedOrigin>https://slateo.ai</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>` +
		`<MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`)
	return b.String()
}

// keyWithoutSlateo is a key policy that keeps only the key administrators' statement.
const keyWithoutSlateo = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[` +
	`{"Sid":"Enable IAM User Permissions","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`

// keyWithSlateo adds the guide's statement to keyWithoutSlateo.
var keyWithSlateo = strings.Replace(keyWithoutSlateo, `"Resource":"*"}]}`,
	`"Resource":"*"},{"Sid":"AllowSlateoKMSAccess","Effect":"Allow","Principal":{"AWS":"`+
		scenario.OrgRoleARN+`"},"Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey"],`+
		`"Resource":"*"}]}`, 1)

// TestCheckFailsOneCheckPerFault starts from the healthy account, which passes, makes one
// mistake the runbooks describe, and expects exactly the checks that explain it to fail, with
// check's exit code.
func TestCheckFailsOneCheckPerFault(t *testing.T) {
	isolateAWS(t)
	wrongSlug := model.RoleARN(scenario.SiblingSlug)
	wrongAccount := strings.Replace(scenario.OrgRoleARN, model.SlateoAccountID, "880265510189", 1)
	orgDeny := `{"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":"s3:*",` +
		`"Resource":["arn:aws:s3:::` + faultCache + `","arn:aws:s3:::` + faultCache + `/*"],` +
		`"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`
	tests := []struct {
		name  string
		fault func(t *testing.T, srv *sandbox.Server)
		args  []string
		code  int
		fails []string // "id bucket"
	}{
		{name: "healthy", code: exitOK},
		{name: "wrong slug", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutBucketPolicy(faultUploads,
				policyFor(faultUploads, wrongSlug, "s3:ListBucket", "/*")))
		}, code: exitFail, fails: []string{"policy-principal " + faultUploads}},
		{name: "wrong account", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutBucketPolicy(faultUploads,
				policyFor(faultUploads, wrongAccount, "s3:ListBucket", "/*")))
		}, code: exitFail, fails: []string{"policy-principal " + faultUploads}},
		{name: "missing /*", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutBucketPolicy(faultCache,
				policyFor(faultCache, scenario.OrgRoleARN, "s3:ListBucket", "/")))
		}, code: exitFail, fails: []string{"policy-resources " + faultCache}},
		{name: "missing ListBucket", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutBucketPolicy(faultCache,
				policyFor(faultCache, scenario.OrgRoleARN, "s3:ListBucketVersions", "/*")))
		}, code: exitFail, fails: []string{"policy-actions " + faultCache}},
		{name: "deny for principals outside the organisation", fault: func(t *testing.T,
			srv *sandbox.Server) {
			doc := policyFor(faultCache, scenario.OrgRoleARN, "s3:ListBucket", "/*")
			must(t, srv.S3().PutBucketPolicy(faultCache,
				strings.TrimSuffix(doc, "]}")+","+orgDeny+"]}"))
		}, code: exitFail, fails: []string{"policy-deny " + faultCache}},
		{name: "CORS on the uploads bucket only", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().DeleteBucketCORS(faultCache))
			must(t, srv.S3().PutBucketCORS(faultUploads, corsXML("GET", "HEAD")))
		}, code: exitFail, fails: []string{"cors " + faultCache}},
		{name: "HEAD missing", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutBucketCORS(faultCache, corsXML("GET")))
		}, code: exitFail, fails: []string{"cors " + faultCache}},
		{name: "one public access flag off", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutPublicAccessBlock(faultUploads, true, true, true, false))
		}, code: exitFail, fails: []string{"public-access-block " + faultUploads}},
		{name: "AWS-managed aws/s3 key", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.S3().PutBucketEncryption(faultCache, "aws:kms", ""))
		}, code: exitFail, fails: []string{"encryption " + faultCache}},
		{name: "key without the org role", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.KMS().PutKeyPolicy(scenario.Region, orgKey(t, srv).ID, keyWithoutSlateo))
		}, code: exitFail, fails: []string{"kms-grant " + faultUploads, "kms-grant " + faultCache}},
		{name: "key in another region", fault: func(t *testing.T, srv *sandbox.Server) {
			arn, err := srv.KMS().CreateKey("us-east-1", "elsewhere", keyWithSlateo)
			must(t, err)
			must(t, srv.S3().PutBucketEncryption(faultCache, "aws:kms", arn))
		}, code: exitFail, fails: []string{"kms-grant " + faultCache}},
		{name: "key pending deletion", fault: func(t *testing.T, srv *sandbox.Server) {
			must(t, srv.KMS().ScheduleKeyDeletion(scenario.Region, orgKey(t, srv).ID, 7))
		}, code: exitFail, fails: []string{"kms-grant " + faultUploads, "kms-grant " + faultCache}},
		{name: "same bucket twice", args: []string{"--uploads-bucket", faultCache,
			"--cache-bucket", faultCache}, code: exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Slateo has the sibling org's role too, so a policy may name it (the wrong slug).
			srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy",
				OrgRoles: []string{"acme", scenario.SiblingSlug}})
			if tt.fault != nil {
				tt.fault(t, srv)
			}
			args := append([]string{"--json", "--org", "acme", "--company", "acme",
				"--endpoint-url", srv.URL()}, tt.args...)
			r := runCheckCmd(t, args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if tt.code == exitUsage {
				return
			}
			var failed []string
			for _, c := range decodeCheck(t, r.stdout).Checks {
				if c.Status == model.Fail || c.Status == model.Unknown {
					failed = append(failed, c.ID+" "+c.Bucket)
				}
			}
			if !slices.Equal(failed, tt.fails) {
				t.Errorf("failing checks %q, want %q", failed, tt.fails)
			}
		})
	}
}

// orgKey is the healthy account's customer-managed key.
func orgKey(t *testing.T, srv *sandbox.Server) struct{ ID string } {
	t.Helper()
	k, err := srv.KMS().Key(scenario.Region, scenario.KeyAlias)
	must(t, err)
	return struct{ ID string }{k.ID}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
