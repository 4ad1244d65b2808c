package awsops_test

import (
	"context"
	"strings"
	"testing"

	"slateo-s3/awsops"
	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/awsops/sandbox/scenario"
	"slateo-s3/model"
)

// scenarioSession starts a sandbox with o (a healthy or broken scenario) and returns a
// session and the settings of its org.
func scenarioSession(t testing.TB, o sandbox.Options) (*awsops.Session, model.Settings) {
	t.Helper()
	cleanAWSEnv(t)
	srv := sandboxtest.Start(t, o)
	settings := model.Settings{OrgSlug: scenario.OrgSlug, Company: scenario.Company,
		Region: scenario.Region, OrgID: scenario.OrgID, KMSKey: scenario.KeyAlias,
		EndpointURL: srv.URL()}
	s, err := awsops.Connect(context.Background(), settings,
		awsops.ConnectOptions{RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s, settings
}

func TestInspectScenarioHealthy(t *testing.T) {
	s, settings := scenarioSession(t, sandbox.Options{Scenario: "healthy"})

	st := s.Inspect(context.Background(), settings)

	if st.Caller.Value.Account != "111122223333" {
		t.Errorf("caller = %+v", st.Caller)
	}
	for _, b := range st.Buckets {
		assertScenarioBucket(t, b)
		if !strings.Contains(b.Policy.Value, scenario.OrgRoleARN) ||
			!strings.Contains(b.Policy.Value, model.ObjectsARN(b.Name)) {
			t.Errorf("%s policy = %+v, want the guide's statements", b.Name, b.Policy)
		}
		if b.Versioning.Value != "Enabled" ||
			b.Logging.Value.TargetBucket != scenario.AccessLogsBucket {
			t.Errorf("%s versioning, logging = %+v, %+v", b.Name, b.Versioning, b.Logging)
		}
		if !b.PublicAccessBlock.Value.AllOn() {
			t.Errorf("%s public access block = %+v, want all on", b.Name, b.PublicAccessBlock)
		}
	}
	uploads, cache := st.Buckets[0], st.Buckets[1]
	if !uploads.CORS.IsAbsent() || len(cache.CORS.Value) != 1 ||
		strings.Join(cache.CORS.Value[0].AllowedOrigins, " ") !=
			"https://*.slateo.ai https://slateo.ai" {
		t.Errorf("CORS = %+v (uploads), %+v (cache)", uploads.CORS, cache.CORS)
	}
	assertScenarioKey(t, st, true)
	assertScenarioTrail(t, st)
}

// assertScenarioBucket checks what both scenarios share: an owned bucket in us-west-2 with
// SSE-KMS, and objects under the org's prefix.
func assertScenarioBucket(t *testing.T, b model.BucketState) {
	t.Helper()
	if b.Presence.Value != model.Owned || b.Region.Value != scenario.Region {
		t.Errorf("%s presence, region = %+v, %+v", b.Name, b.Presence, b.Region)
	}
	if !b.Encryption.Value.UsesKMS() || b.Ownership.Value != "BucketOwnerEnforced" {
		t.Errorf("%s encryption, ownership = %+v, %+v", b.Name, b.Encryption, b.Ownership)
	}
	prefix := scenario.OrgID + "/uploads/"
	if b.Purpose == model.Cache {
		prefix = scenario.OrgID + "/query-cache/parquet/"
	}
	objs := b.Objects[prefix]
	if !objs.IsPresent() || len(objs.Value) == 0 || !strings.HasPrefix(objs.Value[0].Key, prefix) {
		t.Errorf("%s objects under %s = %+v, want some", b.Name, prefix, objs)
	}
}

func assertScenarioKey(t *testing.T, st model.State, grantsRole bool) {
	t.Helper()
	if len(st.Keys) == 0 || st.Keys[0].Ref != scenario.KeyAlias {
		t.Fatalf("keys = %+v, want %s first", st.Keys, scenario.KeyAlias)
	}
	k := st.Keys[0]
	if m := k.Metadata.Value; m.Manager != "CUSTOMER" || !m.Enabled || m.Region != "us-west-2" {
		t.Errorf("key metadata = %+v", k.Metadata)
	}
	names := strings.Contains(k.Policy.Value, scenario.OrgRoleARN)
	if !k.Policy.IsPresent() || names != grantsRole {
		t.Errorf("key policy = %+v, want naming the org role: %v", k.Policy, grantsRole)
	}
	for _, b := range st.Buckets {
		for _, other := range st.Keys[1:] {
			if other.Ref == b.Encryption.Value.KMSKeyID &&
				other.Metadata.Value.ARN != k.Metadata.Value.ARN {
				t.Errorf("bucket %s names another key: %+v", b.Name, other)
			}
		}
	}
}

func assertScenarioTrail(t *testing.T, st model.State) {
	t.Helper()
	if !st.Trails.IsPresent() || len(st.Trails.Value) != 1 {
		t.Fatalf("trails = %+v, want one", st.Trails)
	}
	tr := st.Trails.Value[0]
	sel := tr.Selectors.Value
	if tr.Name != scenario.TrailName || !tr.IsLogging.Value || tr.Bucket != scenario.TrailBucket ||
		len(sel.Basic)+len(sel.Advanced) == 0 {
		t.Errorf("trail = %+v", tr)
	}
}

func TestInspectScenarioBroken(t *testing.T) {
	s, settings := scenarioSession(t, sandbox.Options{Scenario: "broken"})

	st := s.Inspect(context.Background(), settings)

	for _, b := range st.Buckets {
		assertScenarioBucket(t, b)
		if b.Logging.Value.TargetBucket != "" {
			t.Errorf("%s logging = %+v, want off", b.Name, b.Logging)
		}
	}
	uploads, cache := st.Buckets[0], st.Buckets[1]
	if !strings.Contains(uploads.Policy.Value, scenario.WrongPrincipal) {
		t.Errorf("uploads policy = %+v, want the mistyped principal", uploads.Policy)
	}
	if strings.Contains(cache.Policy.Value, model.ObjectsARN(cache.Name)) {
		t.Errorf("cache policy = %+v, want no object ARN", cache.Policy)
	}
	if !cache.CORS.IsAbsent() || !uploads.CORS.IsPresent() {
		t.Errorf("CORS = %+v (uploads), %+v (cache); want it on the wrong bucket",
			uploads.CORS, cache.CORS)
	}
	if p := cache.PublicAccessBlock.Value; p.RestrictPublicBuckets || !p.BlockPublicPolicy {
		t.Errorf("cache public access block = %+v, want RestrictPublicBuckets off", p)
	}
	if uploads.Versioning.Value != "Enabled" || cache.Versioning.Value == "Enabled" {
		t.Errorf("versioning = %+v, %+v", uploads.Versioning, cache.Versioning)
	}
	assertScenarioKey(t, st, false)
}

// TestInspectScenarioFaults injects one failing operation at a time into the healthy
// account and checks that the fact it reads says why, with the IAM action when denied, and
// that the other facts are still read.
func TestInspectScenarioFaults(t *testing.T) {
	cache := func(st model.State) model.BucketState { return st.Buckets[1] }
	tests := []struct {
		fail    string
		fact    func(model.State) (model.Availability, string, string)
		reason  string
		missing string
	}{
		{"GetBucketPolicy=AccessDenied", func(st model.State) (model.Availability, string,
			string) {
			f := cache(st).Policy
			return f.Availability, f.Reason, f.MissingAction
		}, "access denied (AccessDenied", "s3:GetBucketPolicy"},
		{"GetBucketCors=SlowDown", func(st model.State) (model.Availability, string, string) {
			f := cache(st).CORS
			return f.Availability, f.Reason, f.MissingAction
		}, "throttled by AWS", ""},
		{"DescribeKey=AccessDeniedException", func(st model.State) (model.Availability,
			string, string) {
			f := st.Keys[0].Metadata
			return f.Availability, f.Reason, f.MissingAction
		}, "access denied (AccessDeniedException", "kms:DescribeKey"},
		{"GetKeyPolicy=AccessDeniedException", func(st model.State) (model.Availability,
			string, string) {
			f := st.Keys[0].Policy
			return f.Availability, f.Reason, f.MissingAction
		}, "access denied (AccessDeniedException", "kms:GetKeyPolicy"},
		{"DescribeTrails=AccessDeniedException", func(st model.State) (model.Availability,
			string, string) {
			return st.Trails.Availability, st.Trails.Reason, st.Trails.MissingAction
		}, "access denied (AccessDeniedException", "cloudtrail:DescribeTrails"},
		{"GetEventSelectors=AccessDeniedException", func(st model.State) (model.Availability,
			string, string) {
			f := st.Trails.Value[0].Selectors
			return f.Availability, f.Reason, f.MissingAction
		}, "access denied (AccessDeniedException", "cloudtrail:GetEventSelectors"},
	}
	for _, tt := range tests {
		t.Run(tt.fail, func(t *testing.T) {
			fault, err := sandbox.ParseFault(tt.fail)
			if err != nil {
				t.Fatal(err)
			}
			s, settings := scenarioSession(t, sandbox.Options{Scenario: "healthy",
				Faults: []sandbox.Fault{fault}})

			st := s.Inspect(context.Background(), settings)

			got, reason, missing := tt.fact(st)
			if got != model.CouldNotRead || !strings.HasPrefix(reason, tt.reason) ||
				missing != tt.missing {
				t.Errorf("fact = %s %q missing %q; want could not read, %q…, missing %q",
					got, reason, missing, tt.reason, tt.missing)
			}
			if v := cache(st).Versioning; v.Value != "Enabled" {
				t.Errorf("versioning = %+v, want still read", v)
			}
		})
	}
}

// TestInspectScenarioHeadBucketDenied denies HeadBucket: the bucket is still known as the
// caller's own (ListBuckets lists it) and its settings are read.
func TestInspectScenarioHeadBucketDenied(t *testing.T) {
	fault, err := sandbox.ParseFault("HeadBucket=AccessDenied")
	if err != nil {
		t.Fatal(err)
	}
	s, settings := scenarioSession(t, sandbox.Options{Scenario: "healthy",
		Faults: []sandbox.Fault{fault}})

	st := s.Inspect(context.Background(), settings)

	for _, b := range st.Buckets {
		p := b.Presence
		if p.Value != model.Owned || p.MissingAction != "s3:ListBucket" ||
			!strings.Contains(p.Reason, "ListBuckets shows the bucket") {
			t.Errorf("%s presence = %+v, want owned, HeadBucket denied", b.Name, p)
		}
		if b.Region.Value != scenario.Region || !b.Policy.IsPresent() {
			t.Errorf("%s region, policy = %+v, %+v; want read", b.Name, b.Region, b.Policy)
		}
	}
}

func TestPreflightScenario(t *testing.T) {
	const origin = "https://acme.slateo.ai"
	for _, tt := range []struct {
		scenario string
		allowed  bool
	}{
		{"healthy", true},
		{"broken", false},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			s, settings := scenarioSession(t, sandbox.Options{Scenario: tt.scenario})

			for _, method := range model.CORSMethods {
				got, err := s.PreflightCORS(context.Background(), settings.CacheBucketName(),
					settings.Region, origin, method)

				if err != nil || got.Allowed(origin) != tt.allowed {
					t.Errorf("%s preflight = %+v, %v; want allowed %v", method, got, err,
						tt.allowed)
				}
				if !tt.allowed && got.ErrorCode != "AccessForbidden" {
					t.Errorf("%s refusal = %+v, want AccessForbidden", method, got)
				}
			}
		})
	}
}
