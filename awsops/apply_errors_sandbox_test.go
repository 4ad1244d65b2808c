package awsops_test

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"slateo-s3/awsops"
	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// emptyFixture is a sandbox account with nothing in it.
func emptyFixture(t *testing.T, s model.Settings) *fixture {
	t.Helper()
	cleanAWSEnv(t)
	f := &fixture{log: &requestLog{}, backups: t.TempDir()}
	f.srv = sandboxtest.Start(t, sandbox.Options{Log: f.log})
	s.EndpointURL = f.srv.URL()
	f.settings = s
	f.session = f.connect(t)
	return f
}

func TestPlanCreatesMissingBuckets(t *testing.T) {
	tests := []struct {
		region     string
		wantConfig bool
	}{
		{region: "us-east-1"},
		{region: "eu-west-1", wantConfig: true},
		{region: "us-west-2", wantConfig: true},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			f := emptyFixture(t, model.Settings{OrgSlug: "acme", Company: "acme",
				Region: tt.region})
			changes, err := f.session.Plan(context.Background(), f.settings,
				awsops.PlanOptions{})
			must(t, err)
			c := findChange(t, changes, "create-bucket:"+uploads)
			if has := strings.Contains(c.CLI, "LocationConstraint="+tt.region); has != tt.wantConfig {
				t.Errorf("CLI %q: LocationConstraint present = %v, want %v", c.CLI, has,
					tt.wantConfig)
			}
			f.applyAll(t)
			for _, b := range []string{uploads, cache} {
				doc, err := f.session.Applier().ReadDocument(context.Background(),
					awsops.KindCreateBucket, b, tt.region)
				must(t, err)
				if doc == "" {
					t.Errorf("bucket %s was not created", b)
				}
			}
		})
	}
}

func TestApplyExplainsErrors(t *testing.T) {
	t.Run("role does not exist", func(t *testing.T) {
		f := newFixture(t)
		f.settings.OrgSlug = "acmee"
		err := applyFirst(t, f, "bucket-policy:"+uploads)
		var ae *awsops.ApplyError
		if !errors.As(err, &ae) || ae.Code != "MalformedPolicy" {
			t.Fatalf("error = %v, want an ApplyError with MalformedPolicy", err)
		}
		for _, want := range []string{"Invalid principal in policy", `"acmee"`,
			"slateo-prod-storage-acmee"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	})
	t.Run("public statement under BlockPublicPolicy", func(t *testing.T) {
		f := newFixture(t)
		public := `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":` +
			`"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
			uploads + `/public/*"}]}`
		must(t, f.srv.S3().PutBucketPolicy(uploads, public))
		changes, err := f.session.Plan(context.Background(), f.settings, awsops.PlanOptions{})
		must(t, err)
		c := findChange(t, changes, "bucket-policy:"+uploads)
		if !strings.Contains(strings.Join(c.Notes, " "), "PublicRead") {
			t.Errorf("plan notes %q do not name the public statement", c.Notes)
		}
		err = applyFirst(t, f, "bucket-policy:"+uploads)
		var ae *awsops.ApplyError
		if !errors.As(err, &ae) || ae.Code != "AccessDenied" ||
			!strings.Contains(ae.Hint, "BlockPublicPolicy") {
			t.Fatalf("error = %v, want AccessDenied explained by BlockPublicPolicy", err)
		}
	})
}

// applyFirst applies the plan's changes in order until the one with id, and returns its
// error.
func applyFirst(t *testing.T, f *fixture, id string) error {
	t.Helper()
	ctx := context.Background()
	for range 10 {
		changes, err := f.session.Plan(ctx, f.settings, awsops.PlanOptions{})
		must(t, err)
		c := changes[0]
		_, err = f.session.Apply(ctx, f.settings, c, f.backups)
		if c.ID == id {
			return err
		}
		must(t, err)
	}
	t.Fatalf("change %s never came up", id)
	return nil
}

func TestPlanRefuses(t *testing.T) {
	t.Run("policy over 20 KB", func(t *testing.T) {
		f := newFixture(t)
		must(t, f.srv.S3().PutBucketPolicy(uploads, bigPolicy(model.BucketPolicyMaxBytes-100)))
		changes, err := f.session.Plan(context.Background(), f.settings, awsops.PlanOptions{})
		must(t, err)
		c := findChange(t, changes, "bucket-policy:"+uploads)
		if !strings.Contains(c.Refusal, "20480") {
			t.Fatalf("refusal = %q, want the 20 KB limit", c.Refusal)
		}
		mark := f.log.mark()
		_, err = f.session.Apply(context.Background(), f.settings, c, f.backups)
		if !errors.Is(err, awsops.ErrRefused) || len(f.log.writesSince(t, mark)) != 0 {
			t.Errorf("Apply of a refused change: err %v, writes %v", err,
				f.log.writesSince(t, mark))
		}
	})
	t.Run("aws-managed key", func(t *testing.T) {
		f := newFixture(t)
		managed, err := f.srv.KMS().Key(region, "alias/aws/s3")
		must(t, err)
		f.settings.KMSKey = managed.ARN
		changes, err := f.session.Plan(context.Background(), f.settings, awsops.PlanOptions{})
		must(t, err)
		c := findChange(t, changes, "key-policy:"+managed.ARN)
		if !strings.Contains(c.Refusal, "AWS-managed") {
			t.Errorf("refusal = %q, want it to say the key is AWS-managed", c.Refusal)
		}
	})
}

// bigPolicy is a valid policy of about size bytes made of foreign statements.
func bigPolicy(size int) string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"Sid":"Deny` + strings.Repeat("x", 40) + string(rune('a'+i%26)) +
			strconv.Itoa(i) + `","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject",` +
			`"Resource":"arn:aws:s3:::` + uploads + `/locked/*"}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestPlanCLICommandsConverge runs every command plan prints with the real AWS CLI v2 and
// checks that the account then needs no change.
func TestPlanCLICommandsConverge(t *testing.T) {
	f := newFixture(t)
	aws := sandboxtest.AWSCLI(t)
	changes, err := f.session.Plan(context.Background(), f.settings,
		awsops.PlanOptions{Versioning: true})
	must(t, err)
	for _, c := range changes {
		ctx, cancel := context.WithTimeout(context.Background(), sandboxtest.CLITimeout)
		cmd := exec.CommandContext(ctx, "/bin/sh", "-c",
			strings.Replace(c.CLI, "aws ", aws+" ", 1))
		cmd.Env = sandboxtest.Env(t, f.srv)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.CLI, err, out)
		}
	}
	again, err := f.session.Plan(context.Background(), f.settings,
		awsops.PlanOptions{Versioning: true})
	must(t, err)
	if len(again) != 0 {
		t.Errorf("after the CLI commands, plan still has %v", changeIDs(again))
	}
}

func TestRestoreRemovesWhatDidNotExist(t *testing.T) {
	f := emptyFixture(t, model.Settings{OrgSlug: "acme", Company: "acme", Region: region})
	for _, b := range []string{uploads, cache} {
		must(t, f.srv.S3().CreateBucket(b, region))
	}
	must(t, f.srv.S3().PutBucketOwnershipControls(uploads, "ObjectWriter"))
	ctx := context.Background()
	opts := awsops.PlanOptions{Versioning: true, Ownership: true}
	var files, ids []string
	for range 20 {
		changes, err := f.session.Plan(ctx, f.settings, opts)
		must(t, err)
		if len(changes) == 0 {
			break
		}
		res, err := f.session.Apply(ctx, f.settings, changes[0], f.backups)
		must(t, err)
		files = append(files, res.BackupFile)
		ids = append(ids, changes[0].ID)
	}
	if len(files) != 6 {
		t.Fatalf("applied %v, want 2 policies, CORS, 2 versioning and ownership", ids)
	}
	for i := len(files) - 1; i >= 0; i-- {
		c, err := f.session.PlanRestore(ctx, files[i])
		must(t, err)
		_, err = f.session.Apply(ctx, f.settings, c, f.backups)
		must(t, err)
	}
	want := map[string]string{
		awsops.KindBucketPolicy + " " + uploads: "",
		awsops.KindBucketPolicy + " " + cache:   "",
		awsops.KindCORS + " " + cache:           "",
		awsops.KindOwnership + " " + uploads:    `{"Rules":[{"ObjectOwnership":"ObjectWriter"}]}`,
		// Versioning cannot be turned off once on: restoring "none" suspends it.
		awsops.KindVersioning + " " + uploads: `{"Status":"Suspended"}`,
	}
	for key, doc := range want {
		kind, bucket, _ := strings.Cut(key, " ")
		got, err := f.session.Applier().ReadDocument(ctx, kind, bucket, region)
		must(t, err)
		if got != doc {
			t.Errorf("after restore, %s = %q, want %q", key, got, doc)
		}
	}
}

func TestPlanNamesTheMissingReadPermission(t *testing.T) {
	cleanAWSEnv(t)
	fault, err := sandbox.ParseFault("GetBucketPolicy:" + cache + "=AccessDenied")
	must(t, err)
	f := &fixture{log: &requestLog{}, backups: t.TempDir()}
	f.srv = sandboxtest.Start(t, sandbox.Options{Log: f.log, Faults: []sandbox.Fault{fault}})
	for _, b := range []string{uploads, cache} {
		must(t, f.srv.S3().CreateBucket(b, region))
	}
	f.settings = model.Settings{OrgSlug: "acme", Company: "acme", Region: region,
		EndpointURL: f.srv.URL()}
	f.session = f.connect(t)
	_, err = f.session.Plan(context.Background(), f.settings, awsops.PlanOptions{})
	if err == nil || !strings.Contains(err.Error(), "your credentials lack s3:GetBucketPolicy") {
		t.Errorf("Plan error = %v, want it to name s3:GetBucketPolicy", err)
	}
}
