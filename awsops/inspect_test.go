package awsops

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"slateo-s3/model"
)

const (
	testAccount = "111122223333"
	testKeyID   = "1234abcd-12ab-34cd-56ef-1234567890ab"
	testKeyARN  = "arn:aws:kms:us-west-2:" + testAccount + ":key/" + testKeyID
	testTrail   = "arn:aws:cloudtrail:us-west-2:" + testAccount + ":trail/main"
	uploads     = "acme-slateo-uploads"
	cache       = "acme-slateo-cache"
	testPolicy  = `{"Version":"2012-10-17","Statement":[]}`
)

func testSettings() model.Settings {
	return model.Settings{
		OrgSlug: "acme", Company: "acme", Region: "us-west-2",
		KMSKey: "alias/slateo", OrgID: "org-1",
	}
}

var epoch = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// healthyFake answers as an account set up exactly as the guide says.
func healthyFake() *fakeAWS {
	f := newFake()
	f.outs["GetCallerIdentity"] = &sts.GetCallerIdentityOutput{
		Account: aws.String(testAccount),
		Arn:     aws.String("arn:aws:iam::" + testAccount + ":user/admin"),
		UserId:  aws.String("AIDAEXAMPLE"),
	}
	f.outs["HeadBucket"] = &s3.HeadBucketOutput{BucketRegion: aws.String("us-west-2")}
	f.outs["ListBuckets"] = &s3.ListBucketsOutput{Buckets: []types.Bucket{
		{Name: aws.String(uploads)}, {Name: aws.String(cache)},
	}}
	t := aws.Bool(true)
	f.outs["GetPublicAccessBlock"] = &s3.GetPublicAccessBlockOutput{
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: t, IgnorePublicAcls: t,
			BlockPublicPolicy: t, RestrictPublicBuckets: t,
		}}
	f.outs["GetBucketPolicy"] = &s3.GetBucketPolicyOutput{Policy: aws.String(testPolicy)}
	f.errs["GetBucketCors "+uploads] = apiError("NoSuchCORSConfiguration", "none")
	f.outs["GetBucketCors "+cache] = &s3.GetBucketCorsOutput{CORSRules: []types.CORSRule{{
		AllowedHeaders: []string{"*"}, AllowedMethods: model.CORSMethods,
		AllowedOrigins: model.CORSOrigins, ExposeHeaders: []string{"ETag"},
		MaxAgeSeconds: aws.Int32(3600),
	}}}
	f.outs["GetBucketEncryption"] = &s3.GetBucketEncryptionOutput{
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
			Rules: []types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
					SSEAlgorithm:   types.ServerSideEncryptionAwsKms,
					KMSMasterKeyID: aws.String(testKeyARN),
				},
				BucketKeyEnabled: t,
			}}}}
	f.outs["GetBucketOwnershipControls"] = &s3.GetBucketOwnershipControlsOutput{
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{
			{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced},
		}}}
	f.outs["GetBucketVersioning"] = &s3.GetBucketVersioningOutput{
		Status: types.BucketVersioningStatusEnabled}
	f.outs["GetBucketLogging"] = &s3.GetBucketLoggingOutput{LoggingEnabled: &types.LoggingEnabled{
		TargetBucket: aws.String("acme-logs"), TargetPrefix: aws.String("s3/"),
	}}
	var contents []types.Object
	for i := range 7 {
		contents = append(contents, types.Object{
			Key:          aws.String("org-1/x/" + string(rune('a'+i))),
			Size:         aws.Int64(int64(i)),
			LastModified: aws.Time(epoch.Add(time.Duration((i*3)%7) * time.Hour)),
		})
	}
	f.outs["ListObjectsV2"] = &s3.ListObjectsV2Output{Contents: contents}
	f.outs["DescribeKey"] = &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{
		KeyId: aws.String(testKeyID), Arn: aws.String(testKeyARN),
		AWSAccountId: aws.String(testAccount), KeyState: kmstypes.KeyStateEnabled,
		Enabled: true, KeyManager: kmstypes.KeyManagerTypeCustomer,
	}}
	f.outs["GetKeyPolicy"] = &kms.GetKeyPolicyOutput{Policy: aws.String(testPolicy)}
	f.outs["DescribeTrails"] = &cloudtrail.DescribeTrailsOutput{TrailList: []cttypes.Trail{{
		Name: aws.String("main"), TrailARN: aws.String(testTrail),
		HomeRegion: aws.String("us-west-2"), IsMultiRegionTrail: t,
		S3BucketName: aws.String("acme-trail"),
	}}}
	f.outs["GetTrailStatus"] = &cloudtrail.GetTrailStatusOutput{IsLogging: t}
	f.outs["GetEventSelectors"] = &cloudtrail.GetEventSelectorsOutput{
		EventSelectors: []cttypes.EventSelector{{
			ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: t,
			DataResources: []cttypes.DataResource{{
				Type:   aws.String("AWS::S3::Object"),
				Values: []string{"arn:aws:s3:::" + cache + "/"},
			}},
		}}}
	return f
}

func TestInspectHealthy(t *testing.T) {
	f := healthyFake()
	st := Inspect(context.Background(), f.api(), testSettings())

	if got := st.Caller; !got.IsPresent() || got.Value.Account != testAccount {
		t.Fatalf("caller = %+v, want account %s", got, testAccount)
	}
	if len(st.Buckets) != 2 || st.Buckets[0].Name != uploads || st.Buckets[1].Name != cache {
		t.Fatalf("buckets = %+v, want uploads then cache", st.Buckets)
	}
	for _, b := range st.Buckets {
		assertHealthyBucket(t, b)
	}
	if got := st.Buckets[0].CORS; !got.IsAbsent() || got.Reason != "NoSuchCORSConfiguration" {
		t.Errorf("uploads CORS = %+v, want not configured", got)
	}
	cors := st.Buckets[1].CORS
	if !cors.IsPresent() || len(cors.Value) != 1 || cors.Value[0].MaxAgeSeconds != 3600 ||
		!reflect.DeepEqual(cors.Value[0].AllowedOrigins, model.CORSOrigins) {
		t.Errorf("cache CORS = %+v, want the guide's rule", cors)
	}
	assertHealthyKeys(t, f, st.Keys)
	assertHealthyTrails(t, st.Trails)
	if st.ReadAt.IsZero() {
		t.Error("ReadAt is zero")
	}
}

func assertHealthyBucket(t *testing.T, b model.BucketState) {
	t.Helper()
	if !b.Presence.IsPresent() || b.Presence.Value != model.Owned {
		t.Errorf("%s presence = %+v, want owned", b.Name, b.Presence)
	}
	if !b.Region.IsPresent() || b.Region.Value != "us-west-2" {
		t.Errorf("%s region = %+v, want us-west-2", b.Name, b.Region)
	}
	if !b.PublicAccessBlock.IsPresent() || !b.PublicAccessBlock.Value.AllOn() {
		t.Errorf("%s public access block = %+v, want all on", b.Name, b.PublicAccessBlock)
	}
	if b.Policy.Value != testPolicy {
		t.Errorf("%s policy = %+v, want it verbatim", b.Name, b.Policy)
	}
	want := model.Encryption{Algorithm: "aws:kms", KMSKeyID: testKeyARN, BucketKeyEnabled: true}
	if b.Encryption.Value != want {
		t.Errorf("%s encryption = %+v, want %+v", b.Name, b.Encryption, want)
	}
	if b.Ownership.Value != "BucketOwnerEnforced" || b.Versioning.Value != "Enabled" {
		t.Errorf("%s ownership, versioning = %+v, %+v", b.Name, b.Ownership, b.Versioning)
	}
	if b.Logging.Value.TargetBucket != "acme-logs" {
		t.Errorf("%s logging = %+v, want acme-logs", b.Name, b.Logging)
	}
	prefix := "org-1/uploads/"
	if b.Purpose == model.Cache {
		prefix = "org-1/query-cache/parquet/"
	}
	objs := b.Objects[prefix]
	if !objs.IsPresent() || len(objs.Value) != newestObjects {
		t.Fatalf("%s objects under %s = %+v, want the %d newest", b.Name, prefix, objs,
			newestObjects)
	}
	for i := 1; i < len(objs.Value); i++ {
		if objs.Value[i].LastModified.After(objs.Value[i-1].LastModified) {
			t.Errorf("%s objects not newest first: %+v", b.Name, objs.Value)
		}
	}
	if !objs.Value[0].LastModified.Equal(epoch.Add(6 * time.Hour)) {
		t.Errorf("%s newest object = %+v, want the one at +6h", b.Name, objs.Value[0])
	}
}

func assertHealthyKeys(t *testing.T, f *fakeAWS, keys []model.KeyState) {
	t.Helper()
	if len(keys) != 2 || keys[0].Ref != "alias/slateo" || keys[1].Ref != testKeyARN {
		t.Fatalf("keys = %+v, want the configured alias then the buckets' ARN", keys)
	}
	for _, k := range keys {
		if k.Metadata.Value.ARN != testKeyARN || k.Policy.Value != testPolicy {
			t.Errorf("key %s = %+v, want described with its policy", k.Ref, k)
		}
	}
	// The buckets name the key the configured alias resolved to: it is read once.
	if n, m := f.count("DescribeKey"), f.count("GetKeyPolicy"); n != 1 || m != 1 {
		t.Errorf("DescribeKey, GetKeyPolicy calls = %d, %d, want 1, 1", n, m)
	}
	if got := f.regionsOf(testKeyARN); !reflect.DeepEqual(got, []string{"us-west-2"}) {
		t.Errorf("GetKeyPolicy regions = %v, want the key's region", got)
	}
}

func assertHealthyTrails(t *testing.T, trails model.Fact[[]model.Trail]) {
	t.Helper()
	if !trails.IsPresent() || len(trails.Value) != 1 {
		t.Fatalf("trails = %+v, want one", trails)
	}
	tr := trails.Value[0]
	if tr.ARN != testTrail || !tr.MultiRegion || tr.Bucket != "acme-trail" {
		t.Errorf("trail = %+v", tr)
	}
	if !tr.IsLogging.Value || len(tr.Selectors.Value.Basic) != 1 ||
		tr.Selectors.Value.Basic[0].DataResources[0].Type != "AWS::S3::Object" {
		t.Errorf("trail status, selectors = %+v, %+v", tr.IsLogging, tr.Selectors)
	}
}

// factView is one fact of a State reduced to what the tests compare.
type factView struct {
	availability model.Availability
	reason       string
	missing      string
}

func viewOf[T any](f model.Fact[T]) factView {
	return factView{f.Availability, f.Reason, f.MissingAction}
}

// TestInspectFactOutcomes proves, for every fact, that AWS's "not configured" answer (where
// one exists) and a denial reach the State with the code or the missing IAM action.
func TestInspectFactOutcomes(t *testing.T) {
	cacheOf := func(st model.State) model.BucketState { return st.Buckets[1] }
	tests := []struct {
		op     string
		absent string
		action string
		fact   func(model.State) factView
	}{
		{"GetPublicAccessBlock", "NoSuchPublicAccessBlockConfiguration",
			"s3:GetBucketPublicAccessBlock",
			func(s model.State) factView { return viewOf(cacheOf(s).PublicAccessBlock) }},
		{"GetBucketPolicy", "NoSuchBucketPolicy", "s3:GetBucketPolicy",
			func(s model.State) factView { return viewOf(cacheOf(s).Policy) }},
		{"GetBucketCors", "NoSuchCORSConfiguration", "s3:GetBucketCORS",
			func(s model.State) factView { return viewOf(cacheOf(s).CORS) }},
		{"GetBucketEncryption", "ServerSideEncryptionConfigurationNotFoundError",
			"s3:GetEncryptionConfiguration",
			func(s model.State) factView { return viewOf(cacheOf(s).Encryption) }},
		{"GetBucketOwnershipControls", "OwnershipControlsNotFoundError",
			"s3:GetBucketOwnershipControls",
			func(s model.State) factView { return viewOf(cacheOf(s).Ownership) }},
		{"GetBucketVersioning", "", "s3:GetBucketVersioning",
			func(s model.State) factView { return viewOf(cacheOf(s).Versioning) }},
		{"GetBucketLogging", "", "s3:GetBucketLogging",
			func(s model.State) factView { return viewOf(cacheOf(s).Logging) }},
		{"ListObjectsV2", "", "s3:ListBucket", func(s model.State) factView {
			return viewOf(cacheOf(s).Objects["org-1/query-cache/parquet/"])
		}},
		{"GetCallerIdentity", "", "sts:GetCallerIdentity",
			func(s model.State) factView { return viewOf(s.Caller) }},
		{"DescribeKey", "", "kms:DescribeKey",
			func(s model.State) factView { return viewOf(s.Keys[0].Metadata) }},
		{"GetKeyPolicy", "", "kms:GetKeyPolicy",
			func(s model.State) factView { return viewOf(s.Keys[0].Policy) }},
		{"DescribeTrails", "", "cloudtrail:DescribeTrails",
			func(s model.State) factView { return viewOf(s.Trails) }},
		{"GetTrailStatus", "", "cloudtrail:GetTrailStatus",
			func(s model.State) factView { return viewOf(s.Trails.Value[0].IsLogging) }},
		{"GetEventSelectors", "", "cloudtrail:GetEventSelectors",
			func(s model.State) factView { return viewOf(s.Trails.Value[0].Selectors) }},
	}
	for _, tt := range tests {
		t.Run(tt.op+"/present", func(t *testing.T) {
			st := Inspect(context.Background(), healthyFake().api(), testSettings())
			if got := tt.fact(st); got.availability != model.Present {
				t.Errorf("fact = %+v, want present", got)
			}
		})
		if tt.absent != "" {
			t.Run(tt.op+"/absent", func(t *testing.T) {
				f := healthyFake()
				f.errs[tt.op+" "+cache] = apiError(tt.absent, "not there")
				got := tt.fact(Inspect(context.Background(), f.api(), testSettings()))
				want := factView{model.NotConfigured, tt.absent, ""}
				if got != want {
					t.Errorf("fact = %+v, want %+v", got, want)
				}
			})
		}
		t.Run(tt.op+"/denied", func(t *testing.T) {
			f := healthyFake()
			f.errs[tt.op] = apiError("AccessDenied", "User: admin is not authorized")
			got := tt.fact(Inspect(context.Background(), f.api(), testSettings()))
			if got.availability != model.CouldNotRead || got.missing != tt.action ||
				!strings.Contains(got.reason, "access denied") {
				t.Errorf("fact = %+v, want could not read, missing %s", got, tt.action)
			}
		})
	}
}

func TestInspectPresence(t *testing.T) {
	forbidden := httpError(http.StatusForbidden, "eu-west-1",
		&smithy.GenericAPIError{Code: "Forbidden", Message: "Forbidden"})
	tests := []struct {
		name       string
		errs       map[string]error
		outs       map[string]any
		presence   model.Availability
		value      model.Presence
		reason     string
		region     string
		readsCache bool
	}{
		{name: "owned", presence: model.Present, value: model.Owned, region: "us-west-2",
			readsCache: true},
		{name: "missing", errs: map[string]error{"HeadBucket " + cache: httpError(
			http.StatusNotFound, "", &types.NotFound{})},
			presence: model.Present, value: model.Missing},
		{name: "foreign", errs: map[string]error{"HeadBucket " + cache: forbidden},
			outs:     map[string]any{"ListBuckets": &s3.ListBucketsOutput{}},
			presence: model.Present, value: model.Foreign, reason: "another account",
			region: "eu-west-1"},
		{name: "own bucket, HeadBucket denied",
			errs: map[string]error{"HeadBucket " + cache: forbidden},
			outs: map[string]any{"ListBuckets": &s3.ListBucketsOutput{Buckets: []types.Bucket{
				{Name: aws.String(cache), BucketRegion: aws.String("eu-west-1")}}}},
			presence: model.Present, value: model.Owned, reason: "ListBuckets shows",
			region: "eu-west-1", readsCache: true},
		{name: "foreign or denied", errs: map[string]error{"HeadBucket " + cache: forbidden,
			"ListBuckets": apiError("AccessDenied", "no")},
			presence: model.CouldNotRead, reason: "another account, or your credentials",
			region: "eu-west-1"},
		{name: "caller unknown, listed", errs: map[string]error{
			"GetCallerIdentity": apiError("ExpiredToken", "expired")},
			presence: model.Present, value: model.Owned, region: "us-west-2", readsCache: true},
		{name: "caller unknown, not listed", errs: map[string]error{
			"GetCallerIdentity": apiError("ExpiredToken", "expired")},
			outs:     map[string]any{"ListBuckets": &s3.ListBucketsOutput{}},
			presence: model.Present, value: model.Foreign, reason: "does not list it",
			region: "us-west-2"},
		{name: "caller unknown, owner unchecked", errs: map[string]error{
			"GetCallerIdentity": apiError("ExpiredToken", "expired"),
			"ListBuckets":       apiError("AccessDenied", "no")},
			presence: model.Present, value: model.Owned, reason: "could not be checked",
			region: "us-west-2", readsCache: true},
		{name: "caller unknown, refused, not listed", errs: map[string]error{
			"GetCallerIdentity":   apiError("ExpiredToken", "expired"),
			"HeadBucket " + cache: forbidden},
			outs:     map[string]any{"ListBuckets": &s3.ListBucketsOutput{}},
			presence: model.Present, value: model.Foreign, reason: "does not list it among",
			region: "eu-west-1"},
		{name: "throttled", errs: map[string]error{"HeadBucket " + cache: apiError(
			"SlowDown", "Please reduce your request rate.")},
			presence: model.CouldNotRead, reason: "throttled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := healthyFake()
			for k, v := range tt.errs {
				f.errs[k] = v
			}
			for k, v := range tt.outs {
				f.outs[k] = v
			}
			b := Inspect(context.Background(), f.api(), testSettings()).Buckets[1]

			if b.Presence.Availability != tt.presence || b.Presence.Value != tt.value ||
				!strings.Contains(b.Presence.Reason, tt.reason) {
				t.Errorf("presence = %+v, want %s %s (%q)", b.Presence, tt.presence, tt.value,
					tt.reason)
			}
			if b.Region.Value != tt.region {
				t.Errorf("region = %+v, want %q", b.Region, tt.region)
			}
			if read := b.Policy.IsPresent(); read != tt.readsCache {
				t.Errorf("policy read = %v (%+v), want %v", read, b.Policy, tt.readsCache)
			}
		})
	}
}

// TestInspectOtherRegion proves that a bucket outside the configured region is still read:
// HeadBucket's redirect names the region and every later call goes there.
func TestInspectOtherRegion(t *testing.T) {
	f := healthyFake()
	f.errs["HeadBucket "+cache] = httpError(http.StatusMovedPermanently, "eu-central-1",
		&smithy.GenericAPIError{Code: "MovedPermanently"})
	settings := testSettings()
	settings.OrgID = ""
	api := f.api()
	api.S3 = redirectingS3{fakeS3{f}, cache, "eu-central-1"}

	b := Inspect(context.Background(), api, settings).Buckets[1]

	if b.Region.Value != "eu-central-1" || !b.Policy.IsPresent() {
		t.Fatalf("region, policy = %+v, %+v; want eu-central-1 and read", b.Region, b.Policy)
	}
	if got := f.regionsOf(cache); !reflect.DeepEqual(got, []string{"eu-central-1", "us-west-2"}) {
		t.Errorf("regions of calls about the cache bucket = %v", got)
	}
	for _, op := range []string{"GetBucketPolicy", "GetBucketCors", "GetBucketLogging"} {
		for _, c := range f.calls {
			if c.Op == op && c.Target == cache && c.Region != "eu-central-1" {
				t.Errorf("%s went to %q, want eu-central-1", op, c.Region)
			}
		}
	}
}

// redirectingS3 answers HeadBucket for one bucket with a redirect unless it is asked in the
// bucket's region.
type redirectingS3 struct {
	fakeS3
	bucket, region string
}

func (r redirectingS3) HeadBucket(ctx context.Context, in *s3.HeadBucketInput,
	o ...func(*s3.Options)) (*s3.HeadBucketOutput, error) {
	if *in.Bucket == r.bucket && s3RegionOf(o) == r.region {
		r.f.enter(fakeCall{Op: "HeadBucket", Target: r.bucket, Region: r.region})
		r.f.leave()
		return &s3.HeadBucketOutput{BucketRegion: aws.String(r.region)}, nil
	}
	return r.fakeS3.HeadBucket(ctx, in, o...)
}

func TestInspectExpectedOwner(t *testing.T) {
	f := healthyFake()
	api := f.api()
	var owners []string
	api.S3 = ownerRecordingS3{fakeS3{f}, &owners}
	Inspect(context.Background(), api, testSettings())

	if want := []string{testAccount, testAccount}; !reflect.DeepEqual(owners, want) {
		t.Errorf("HeadBucket expected owners = %v, want %v", owners, want)
	}
}

type ownerRecordingS3 struct {
	fakeS3
	owners *[]string
}

func (r ownerRecordingS3) HeadBucket(ctx context.Context, in *s3.HeadBucketInput,
	o ...func(*s3.Options)) (*s3.HeadBucketOutput, error) {
	r.f.mu.Lock()
	*r.owners = append(*r.owners, aws.ToString(in.ExpectedBucketOwner))
	r.f.mu.Unlock()
	return r.fakeS3.HeadBucket(ctx, in, o...)
}

func TestInspectKeys(t *testing.T) {
	awsManagedARN := "arn:aws:kms:us-west-2:" + testAccount + ":key/aws-key"
	awsManaged := &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{
		KeyId: aws.String("aws-key"), AWSAccountId: aws.String(testAccount),
		Arn:        aws.String(awsManagedARN),
		KeyManager: kmstypes.KeyManagerTypeAws, KeyState: kmstypes.KeyStateEnabled, Enabled: true,
	}}
	foreignARN := "arn:aws:kms:eu-west-1:444455556666:key/other"
	foreign := &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{
		KeyId: aws.String("other"), AWSAccountId: aws.String("444455556666"),
		Arn: aws.String(foreignARN), KeyManager: kmstypes.KeyManagerTypeCustomer,
		KeyState: kmstypes.KeyStatePendingDeletion, DeletionDate: aws.Time(epoch),
	}}
	tests := []struct {
		name       string
		ref        string
		out        any
		err        error
		meta       model.Availability
		policy     string
		calls      int
		keyRegion  string
		metaReason string
		// policyTarget is the key GetKeyPolicy is counted for; default testKeyARN.
		policyTarget string
	}{
		{name: "customer key read with its policy", ref: "alias/slateo",
			meta: model.Present, policy: testPolicy, calls: 1},
		{name: "customer key by id", ref: testKeyID, meta: model.Present, policy: testPolicy,
			calls: 1, policyTarget: testKeyID},
		{name: "aws-managed key by ARN", ref: awsManagedARN, out: awsManaged,
			meta: model.Present, policy: "AWS manages", calls: 1, policyTarget: awsManagedARN},
		{name: "aws-managed key policy not read", ref: "alias/aws/s3", out: awsManaged,
			meta: model.Present, policy: "AWS manages", calls: 0},
		{name: "other account's key policy not read", ref: foreignARN, out: foreign,
			meta: model.Present, policy: "444455556666", calls: 0, keyRegion: "eu-west-1"},
		{name: "missing key", ref: "alias/nope",
			err: apiError("NotFoundException",
				"Alias arn:aws:kms:us-west-2:1:alias/nope is not found."),
			meta: model.CouldNotRead, metaReason: "the key does not exist",
			policy: "could not be described", calls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := healthyFake()
			settings := testSettings()
			settings.KMSKey = tt.ref
			f.outs["GetBucketEncryption"] = &s3.GetBucketEncryptionOutput{}
			if tt.out != nil {
				f.outs["DescribeKey "+tt.ref] = tt.out
			}
			if tt.err != nil {
				f.errs["DescribeKey "+tt.ref] = tt.err
			}
			st := Inspect(context.Background(), f.api(), settings)

			k := st.Keys[0]
			if k.Ref != tt.ref || k.Metadata.Availability != tt.meta ||
				!strings.Contains(k.Metadata.Reason, tt.metaReason) {
				t.Errorf("key = %+v, want ref %s, metadata %s", k, tt.ref, tt.meta)
			}
			if !strings.Contains(k.Policy.Value+k.Policy.Reason, tt.policy) {
				t.Errorf("policy = %+v, want %q", k.Policy, tt.policy)
			}
			if got := f.regionsOf(tt.ref); tt.keyRegion != "" &&
				!reflect.DeepEqual(got, []string{tt.keyRegion}) {
				t.Errorf("DescribeKey regions = %v, want %s", got, tt.keyRegion)
			}
			target := tt.policyTarget
			if target == "" {
				target = testKeyARN
			}
			if n := countTarget(f, "GetKeyPolicy", target); n != tt.calls {
				t.Errorf("GetKeyPolicy of %s calls = %d, want %d", target, n, tt.calls)
			}
		})
	}
}

func countTarget(f *fakeAWS, op, target string) int {
	n := 0
	for _, c := range f.calls {
		if c.Op == op && c.Target == target {
			n++
		}
	}
	return n
}

func TestInspectBound(t *testing.T) {
	for _, limit := range []int{1, 3, 16} {
		t.Run("", func(t *testing.T) {
			f := healthyFake()
			f.delay = time.Millisecond
			api := f.api()
			api.MaxInFlight = limit
			st := Inspect(context.Background(), api, testSettings())

			if f.maxInFlight > limit {
				t.Errorf("%d calls in flight at once, bound is %d", f.maxInFlight, limit)
			}
			assertHealthyBucket(t, st.Buckets[1])
		})
	}
}

func TestInspectCancelled(t *testing.T) {
	f := healthyFake()
	f.delay = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan model.State)
	go func() { done <- Inspect(ctx, f.api(), testSettings()) }()
	cancel()
	st := <-done

	if !st.Caller.IsUnreadable() || !strings.Contains(st.Caller.Reason, "cancelled") {
		t.Errorf("caller = %+v, want could not read: cancelled", st.Caller)
	}
	if b := st.Buckets[0]; !b.Presence.IsUnreadable() || !b.Policy.IsUnreadable() {
		t.Errorf("uploads = %+v, want nothing read", b)
	}
}

func TestInspectTimeout(t *testing.T) {
	f := healthyFake()
	f.delay = time.Hour
	api := f.api()
	api.Timeout = time.Millisecond
	st := Inspect(context.Background(), api, testSettings())

	if got := st.Trails; !got.IsUnreadable() || got.Reason != "timed out waiting for AWS" {
		t.Errorf("trails = %+v, want timed out", got)
	}
}

func TestInspectNoNames(t *testing.T) {
	f := healthyFake()
	st := Inspect(context.Background(), f.api(), model.Settings{OrgSlug: "acme"})

	if len(st.Buckets) != 2 || !st.Buckets[0].Presence.IsUnreadable() ||
		!strings.Contains(st.Buckets[0].Presence.Reason, "no bucket name") {
		t.Errorf("buckets = %+v, want two without names", st.Buckets)
	}
	if n := f.count("HeadBucket"); n != 0 {
		t.Errorf("HeadBucket calls = %d, want none", n)
	}
	if len(st.Keys) != 0 || st.Buckets[0].Objects != nil {
		t.Errorf("keys, objects = %+v, %+v; want none", st.Keys, st.Buckets[0].Objects)
	}
}

// TestInspectRegionFallback covers a HeadBucket answer without x-amz-bucket-region (an
// S3-compatible endpoint, or an old proxy): GetBucketLocation names the region instead.
func TestInspectRegionFallback(t *testing.T) {
	tests := []struct {
		name       string
		constraint types.BucketLocationConstraint
		err        error
		want       factView
		value      string
	}{
		{"us-east-1 is empty", "", nil, factView{model.Present, "", ""}, "us-east-1"},
		{"legacy EU", "EU", nil, factView{model.Present, "", ""}, "eu-west-1"},
		{"region", "ap-southeast-2", nil, factView{model.Present, "", ""}, "ap-southeast-2"},
		{"denied", "", apiError("AccessDenied", "Access Denied"), factView{model.CouldNotRead,
			"access denied (AccessDenied: Access Denied)", "s3:GetBucketLocation"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := healthyFake()
			f.outs["HeadBucket"] = &s3.HeadBucketOutput{}
			f.outs["GetBucketLocation"] = &s3.GetBucketLocationOutput{
				LocationConstraint: tt.constraint}
			if tt.err != nil {
				f.errs["GetBucketLocation"] = tt.err
			}

			b := Inspect(context.Background(), f.api(), testSettings()).Buckets[0]

			if got := viewOf(b.Region); got != tt.want || b.Region.Value != tt.value {
				t.Errorf("region = %+v, want %+v %q", b.Region, tt.want, tt.value)
			}
			if !b.Policy.IsPresent() {
				t.Errorf("policy = %+v, want read even without the region", b.Policy)
			}
		})
	}
}

func TestAdvancedSelectors(t *testing.T) {
	in := []cttypes.AdvancedEventSelector{{
		Name: aws.String("S3 data events"),
		FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("eventCategory"), Equals: []string{"Data"}},
			{Field: aws.String("resources.ARN"), StartsWith: []string{"arn:aws:s3:::b/"},
				NotEndsWith: []string{".tmp"}},
		},
	}}
	want := []model.AdvancedSelector{{Name: "S3 data events",
		FieldSelectors: []model.FieldSelector{
			{Field: "eventCategory", Equals: []string{"Data"}},
			{Field: "resources.ARN", StartsWith: []string{"arn:aws:s3:::b/"},
				NotEndsWith: []string{".tmp"}},
		}}}

	if got := advancedSelectors(in); !reflect.DeepEqual(got, want) {
		t.Errorf("advancedSelectors = %+v, want %+v", got, want)
	}
}

// TestInspectConcurrent proves that the independent calls go out together: every read of
// both buckets is held until all sixteen are in flight.
func TestInspectConcurrent(t *testing.T) {
	var calls []string
	for _, b := range []string{uploads, cache} {
		for _, op := range []string{"GetPublicAccessBlock", "GetBucketPolicy", "GetBucketCors",
			"GetBucketEncryption", "GetBucketOwnershipControls", "GetBucketVersioning",
			"GetBucketLogging", "ListObjectsV2"} {
			calls = append(calls, op+" "+b)
		}
	}
	f := healthyFake()
	f.meet = newRendezvous(calls...)

	st := Inspect(context.Background(), f.api(), testSettings())

	if f.meet.failed {
		t.Fatalf("the 16 bucket reads were not all in flight at once (max %d)", f.maxInFlight)
	}
	assertHealthyBucket(t, st.Buckets[0])
	assertHealthyBucket(t, st.Buckets[1])
}
