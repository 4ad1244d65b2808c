package awsops

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"slateo-s3/model"
)

// applyFakeS3 serves one bucket policy and fails writes with putErr. The embedded interface is
// nil: a call the test did not expect panics.
type applyFakeS3 struct {
	ApplyS3API
	policy string
	putErr error
	puts   int
}

func (f *applyFakeS3) GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput,
	...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	if f.policy == "" {
		return nil, &smithy.GenericAPIError{Code: "NoSuchBucketPolicy"}
	}
	return &s3.GetBucketPolicyOutput{Policy: aws.String(f.policy)}, nil
}

func (f *applyFakeS3) PutBucketPolicy(_ context.Context, in *s3.PutBucketPolicyInput,
	_ ...func(*s3.Options)) (*s3.PutBucketPolicyOutput, error) {
	f.puts++
	if f.putErr != nil {
		return nil, &smithy.OperationError{ServiceID: "S3", OperationName: "PutBucketPolicy",
			Err: f.putErr}
	}
	f.policy = aws.ToString(in.Policy)
	return &s3.PutBucketPolicyOutput{}, nil
}

func applyPolicyChange(before string) Change {
	a := &Applier{}
	after, _, _ := model.MergePolicy(before, model.BucketPolicy("b", "acme").StatementsJSON())
	return a.newChange(KindBucketPolicy, "b", "b", "us-west-2", before, after)
}

func TestApplyClassifiesWriteErrors(t *testing.T) {
	tests := []struct {
		name     string
		code     string
		wantHint string
	}{
		{name: "invalid principal", code: "MalformedPolicy", wantHint: "does not exist"},
		{name: "denied", code: "AccessDenied", wantHint: "BlockPublicPolicy"},
		{name: "unknown code", code: "InternalError", wantHint: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &applyFakeS3{putErr: &smithy.GenericAPIError{Code: tt.code, Message: "m"}}
			a := &Applier{S3: fake, Now: applyNow}
			_, err := a.Apply(context.Background(), model.Settings{OrgSlug: "acme"},
				applyPolicyChange(""), t.TempDir())
			var ae *ApplyError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an ApplyError", err)
			}
			if ae.Code != tt.code || !strings.Contains(ae.Hint, tt.wantHint) ||
				(tt.wantHint == "") != (ae.Hint == "") {
				t.Errorf("code %q hint %q; want %q with %q", ae.Code, ae.Hint, tt.code,
					tt.wantHint)
			}
		})
	}
}

func applyNow() time.Time {
	return time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)
}

func TestApplyBacksUpBeforeWriting(t *testing.T) {
	current := `{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Deny",` +
		`"Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::b"}]}`
	fake := &applyFakeS3{policy: current}
	a := &Applier{S3: fake, Now: applyNow}
	dir := filepath.Join(t.TempDir(), "new")
	c := applyPolicyChange(current)
	res, err := a.Apply(context.Background(), model.Settings{OrgSlug: "acme"}, c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := "20261204T153000.000Z-bucket-policy-b.json"; filepath.Base(res.BackupFile) != want {
		t.Errorf("backup file %s, want %s", res.BackupFile, want)
	}
	b, err := ReadBackup(res.BackupFile)
	if err != nil || b.Document != current || b.NoneExisted || b.Region != "us-west-2" {
		t.Errorf("backup = %+v, %v", b, err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("backup dir mode %v, %v; want 0700", info.Mode().Perm(), err)
	}
	if fake.policy != c.After {
		t.Errorf("policy written = %s, want %s", fake.policy, c.After)
	}

	res, err = a.Apply(context.Background(), model.Settings{OrgSlug: "acme"}, c, dir)
	if err != nil || !res.Unchanged || fake.puts != 1 {
		t.Errorf("second Apply: %+v %v, %d puts; want unchanged and no write", res, err,
			fake.puts)
	}
}

func TestApplyCLICommands(t *testing.T) {
	a := &Applier{Endpoint: "http://127.0.0.1:4566"}
	tests := []struct {
		name string
		c    Change
		want string
	}{
		{name: "create us-east-1",
			c: Change{Kind: KindCreateBucket, Target: "b", Region: "us-east-1", After: "{}"},
			want: "aws s3api create-bucket --bucket b --region us-east-1 " +
				"--endpoint-url http://127.0.0.1:4566"},
		{name: "create elsewhere",
			c: Change{Kind: KindCreateBucket, Target: "b", Region: "eu-west-1", After: "{}"},
			want: "aws s3api create-bucket --bucket b --create-bucket-configuration " +
				"LocationConstraint=eu-west-1 --region eu-west-1"},
		{name: "policy quoted",
			c: Change{Kind: KindBucketPolicy, Target: "b", Region: "us-west-2",
				After: "{\n \"Sid\": \"it's\"\n}"},
			want: `--policy '{"Sid":"it'\''s"}'`},
		{name: "policy deleted",
			c:    Change{Kind: KindBucketPolicy, Target: "b", Region: "us-west-2"},
			want: "aws s3api delete-bucket-policy --bucket b --region us-west-2"},
		{name: "key policy",
			c: Change{Kind: KindKeyPolicy, Target: "arn:aws:kms:us-west-2:1:key/k",
				Region: "us-west-2", After: "{}"},
			want: "aws kms put-key-policy --key-id arn:aws:kms:us-west-2:1:key/k " +
				"--policy-name default --policy '{}'"},
		{name: "versioning back to none",
			c:    Change{Kind: KindVersioning, Target: "b", Region: "us-west-2"},
			want: `--versioning-configuration '{"Status":"Suspended"}'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.cliCommand(tt.c); !strings.Contains(got, tt.want) {
				t.Errorf("cliCommand = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestApplySameDocument(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{a: `{"a":1}`, b: "{\n  \"a\": 1\n}\n", want: true},
		{a: `{"a":1}`, b: `{"a":2}`},
		{a: "", b: "  ", want: true},
		{a: "", b: `{}`},
		{a: "not json", b: "not json", want: true},
	}
	for _, tt := range tests {
		if got := sameDocument(tt.a, tt.b); got != tt.want {
			t.Errorf("sameDocument(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDefaultBackupDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if got, _ := DefaultBackupDir(); got != "/state/slateo-s3/backups" {
		t.Errorf("with XDG_STATE_HOME: %s", got)
	}
	t.Setenv("XDG_STATE_HOME", "relative")
	t.Setenv("HOME", "/home/u")
	if got, _ := DefaultBackupDir(); got != "/home/u/.local/state/slateo-s3/backups" {
		t.Errorf("without an absolute XDG_STATE_HOME: %s", got)
	}
}

func TestReadBackupRejects(t *testing.T) {
	tests := map[string]string{
		"not json":      "nope",
		"unknown kind":  `{"kind":"bucket","target":"b","none_existed":true}`,
		"creation":      `{"kind":"create-bucket","target":"b","none_existed":true}`,
		"no target":     `{"kind":"cors","none_existed":true}`,
		"contradiction": `{"kind":"cors","target":"b","none_existed":true,"document":"{}"}`,
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.json")
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadBackup(path); err == nil {
				t.Error("ReadBackup accepted it")
			}
		})
	}
}

func TestChangesForCheck(t *testing.T) {
	plan := []Change{
		{ID: "bucket-policy:u", Kind: KindBucketPolicy, Bucket: "u"},
		{ID: "bucket-policy:c", Kind: KindBucketPolicy, Bucket: "c"},
		{ID: "cors:c", Kind: KindCORS, Bucket: "c"},
		{ID: "key-policy:k", Kind: KindKeyPolicy},
	}
	tests := []struct {
		check, bucket string
		want          string
	}{
		{check: "policy-actions", bucket: "c", want: "bucket-policy:c"},
		{check: "cors", bucket: "c", want: "cors:c"},
		{check: "kms-grant", bucket: "u", want: "key-policy:k"},
		{check: "encryption", bucket: "u", want: ""},
		{check: "cors", bucket: "u", want: ""},
	}
	for _, tt := range tests {
		var ids []string
		for _, c := range ChangesForCheck(plan, tt.check, tt.bucket) {
			ids = append(ids, c.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("ChangesForCheck(%s, %s) = %q, want %q", tt.check, tt.bucket, got, tt.want)
		}
	}
	if !PlanOptionsForCheck("versioning").Versioning || PlanOptionsForCheck("cors").Ownership {
		t.Error("PlanOptionsForCheck asks for the wrong optional changes")
	}
}
