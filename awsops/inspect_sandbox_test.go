package awsops_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"slateo-s3/awsops"
	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/awsops/sandbox/scenario"
	"slateo-s3/model"
)

// cleanAWSEnv keeps a developer's AWS set-up out of a test: fake static credentials, empty
// config files, no instance metadata.
func cleanAWSEnv(t testing.TB) {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ACCESS_KEY_ID": "test",
		"AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
	} {
		t.Setenv(k, v)
	}
}

// acmeSettings are the settings of the sandbox's acme account.
func acmeSettings(srv *sandbox.Server) model.Settings {
	return model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2",
		OrgID: "org-acme", EndpointURL: srv.URL()}
}

// sandboxSession starts a sandbox with o and connects to it without retries, so that an
// injected fault shows as it is.
func sandboxSession(t testing.TB, o sandbox.Options) (*awsops.Session, model.Settings) {
	t.Helper()
	cleanAWSEnv(t)
	srv := sandboxtest.Start(t, o)
	settings := acmeSettings(srv)
	s, err := awsops.Connect(context.Background(), settings,
		awsops.ConnectOptions{RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s, settings
}

// createBucket makes a bucket in region as the setup guide does.
func createBucket(t testing.TB, s *awsops.Session, name, region string) {
	t.Helper()
	_, err := s.S3.CreateBucket(context.Background(), &s3.CreateBucketInput{
		Bucket: aws.String(name),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint(region),
		},
	}, awsops.InRegion(region))
	if err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
}

func putGuideCORS(t testing.TB, s *awsops.Session, bucket, region string) {
	t.Helper()
	_, err := s.S3.PutBucketCors(context.Background(), &s3.PutBucketCorsInput{
		Bucket: aws.String(bucket),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{
			AllowedHeaders: []string{"*"}, AllowedMethods: model.CORSMethods,
			AllowedOrigins: model.CORSOrigins, ExposeHeaders: []string{"ETag"},
			MaxAgeSeconds: aws.Int32(3600),
		}}},
	}, awsops.InRegion(region))
	if err != nil {
		t.Fatalf("putting CORS on %s: %v", bucket, err)
	}
}

func TestInspectSandboxEmptyAccount(t *testing.T) {
	s, settings := sandboxSession(t, sandbox.Options{})

	st := s.Inspect(context.Background(), settings)

	if !st.Caller.IsPresent() || st.Caller.Value.Account != "111122223333" {
		t.Errorf("caller = %+v, want account 111122223333", st.Caller)
	}
	for _, b := range st.Buckets {
		if b.Presence.Value != model.Missing || !b.Policy.IsUnreadable() {
			t.Errorf("%s presence, policy = %+v, %+v; want missing, not read", b.Name,
				b.Presence, b.Policy)
		}
	}
	if !st.Trails.IsPresent() || len(st.Trails.Value) != 0 || len(st.Keys) != 0 {
		t.Errorf("trails, keys = %+v, %+v; want none", st.Trails, st.Keys)
	}
}

// TestInspectSandboxBuckets builds an account call by call, with the cache bucket in another
// region than the configured one, and inspects it.
func TestInspectSandboxBuckets(t *testing.T) {
	s, settings := sandboxSession(t, sandbox.Options{})
	createBucket(t, s, "acme-slateo-uploads", "us-west-2")
	createBucket(t, s, "acme-slateo-cache", "eu-central-1")
	putGuideCORS(t, s, "acme-slateo-cache", "eu-central-1")
	key, err := s.KMS.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	keyARN := aws.ToString(key.KeyMetadata.Arn)
	putKMSEncryption(t, s, "acme-slateo-uploads", keyARN)

	st := s.Inspect(context.Background(), settings)

	up, cache := st.Buckets[0], st.Buckets[1]
	if up.Presence.Value != model.Owned || up.Region.Value != "us-west-2" {
		t.Errorf("uploads presence, region = %+v, %+v", up.Presence, up.Region)
	}
	if cache.Presence.Value != model.Owned || cache.Region.Value != "eu-central-1" {
		t.Errorf("cache presence, region = %+v, %+v", cache.Presence, cache.Region)
	}
	if !cache.CORS.IsPresent() || len(cache.CORS.Value) != 1 || !up.CORS.IsAbsent() {
		t.Errorf("cors = %+v (cache), %+v (uploads)", cache.CORS, up.CORS)
	}
	if !cache.Policy.IsAbsent() || cache.Policy.Reason != "NoSuchBucketPolicy" {
		t.Errorf("cache policy = %+v, want not configured", cache.Policy)
	}
	if !cache.PublicAccessBlock.Value.AllOn() || cache.Ownership.Value != "BucketOwnerEnforced" {
		t.Errorf("new bucket defaults: block = %+v, ownership = %+v",
			cache.PublicAccessBlock, cache.Ownership)
	}
	if cache.Encryption.Value.Algorithm != "AES256" || up.Encryption.Value.KMSKeyID != keyARN {
		t.Errorf("encryption = %+v (cache), %+v (uploads)", cache.Encryption, up.Encryption)
	}
	if !cache.Versioning.IsPresent() || cache.Versioning.Value != "" ||
		cache.Logging.Value.TargetBucket != "" {
		t.Errorf("versioning, logging = %+v, %+v; want never enabled, off",
			cache.Versioning, cache.Logging)
	}
	if k := st.Keys; len(k) != 1 || k[0].Metadata.Value.Manager != "CUSTOMER" ||
		!strings.Contains(k[0].Policy.Value, "kms:*") {
		t.Errorf("keys = %+v, want the uploads key with its default policy", k)
	}
}

func TestInspectSandboxFault(t *testing.T) {
	s, settings := sandboxSession(t, sandbox.Options{Faults: []sandbox.Fault{
		{Operation: "GetBucketPolicy", Code: "AccessDenied"},
	}})
	createBucket(t, s, "acme-slateo-cache", "us-west-2")

	st := s.Inspect(context.Background(), settings)

	p := st.Buckets[1].Policy
	if !p.IsUnreadable() || p.MissingAction != "s3:GetBucketPolicy" ||
		!strings.Contains(p.Reason, "AccessDenied") {
		t.Errorf("policy = %+v, want could not read, missing s3:GetBucketPolicy", p)
	}
}

func TestPreflightSandbox(t *testing.T) {
	s, _ := sandboxSession(t, sandbox.Options{})
	createBucket(t, s, "acme-slateo-cache", "us-west-2")
	ctx := context.Background()

	before, err := s.PreflightCORS(ctx, "acme-slateo-cache", "", "https://acme.slateo.ai", "GET")
	if err != nil || before.Allowed("https://acme.slateo.ai") || before.Status != 403 ||
		before.ErrorCode != "AccessForbidden" {
		t.Errorf("without CORS: %+v, %v; want 403 AccessForbidden", before, err)
	}
	putGuideCORS(t, s, "acme-slateo-cache", "us-west-2")
	for _, origin := range []string{"https://acme.slateo.ai", "https://slateo.ai"} {
		got, err := s.PreflightCORS(ctx, "acme-slateo-cache", "us-west-2", origin, "HEAD")
		if err != nil || !got.Allowed(origin) || !strings.Contains(got.AllowMethods, "HEAD") {
			t.Errorf("with the guide's CORS, %s: %+v, %v; want allowed", origin, got, err)
		}
	}
	refused, err := s.PreflightCORS(ctx, "acme-slateo-cache", "", "https://evil.example", "GET")
	if err != nil || refused.Allowed("https://evil.example") {
		t.Errorf("foreign origin: %+v, %v; want refused", refused, err)
	}
}

// BenchmarkInspectLatency inspects the sandbox's healthy account (two buckets with SSE-KMS
// under a customer-managed key) with 100 ms of latency on every answer, and reports the time
// an inspection takes in round trips: elapsed time divided by the latency. Goal: ≤ 5.
// "configured-key" names the key in the settings (by alias), as the scenario's user does;
// "bucket-key-only" leaves it to the buckets' encryption, the longest chain of calls.
func BenchmarkInspectLatency(b *testing.B) {
	for _, tt := range []struct{ name, kmsKey string }{
		{"configured-key", scenario.KeyAlias},
		{"bucket-key-only", ""},
	} {
		b.Run(tt.name, func(b *testing.B) {
			const latency = 100 * time.Millisecond
			s, settings := scenarioSession(b,
				sandbox.Options{Latency: latency, Scenario: "healthy"})
			settings.KMSKey = tt.kmsKey
			ctx := context.Background()

			var elapsed time.Duration
			runs := 0
			for b.Loop() {
				start := time.Now()
				st := s.Inspect(ctx, settings)
				elapsed += time.Since(start)
				runs++
				assertKMSBuckets(b, st)
			}
			b.ReportMetric(float64(elapsed)/float64(runs)/float64(latency), "round-trips/op")
		})
	}
}

func putKMSEncryption(t testing.TB, s *awsops.Session, bucket, keyARN string) {
	t.Helper()
	_, err := s.S3.PutBucketEncryption(context.Background(), &s3.PutBucketEncryptionInput{
		Bucket: aws.String(bucket),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
			Rules: []types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
					SSEAlgorithm:   types.ServerSideEncryptionAwsKms,
					KMSMasterKeyID: aws.String(keyARN),
				}}}},
	})
	if err != nil {
		t.Fatalf("putting encryption on %s: %v", bucket, err)
	}
}

// assertKMSBuckets fails unless both buckets were read and use SSE-KMS with a described key.
func assertKMSBuckets(t testing.TB, st model.State) {
	t.Helper()
	for _, bs := range st.Buckets {
		if bs.Presence.Value != model.Owned || !bs.Encryption.Value.UsesKMS() {
			t.Fatalf("%s presence, encryption = %+v, %+v", bs.Name, bs.Presence, bs.Encryption)
		}
	}
	if len(st.Keys) == 0 || !st.Keys[len(st.Keys)-1].Policy.IsPresent() {
		t.Fatalf("keys = %+v, want the buckets' key with its policy", st.Keys)
	}
}
