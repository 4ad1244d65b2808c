package awsops

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// fakeCall is one call a fakeAWS answered.
type fakeCall struct {
	Op     string
	Target string
	Region string
}

// fakeAWS answers the calls of InspectAPI from canned outputs and errors, keyed by
// "Op target" (most specific) or "Op"; an error wins over an output. A call with neither
// gets the zero output. It records
// every call and the most calls it saw in flight at once.
type fakeAWS struct {
	outs  map[string]any
	errs  map[string]error
	delay time.Duration
	// meet, when set, holds every call it names until all of them have arrived.
	meet *rendezvous

	mu          sync.Mutex
	calls       []fakeCall
	inFlight    int
	maxInFlight int
}

func newFake() *fakeAWS {
	return &fakeAWS{outs: map[string]any{}, errs: map[string]error{}}
}

func (f *fakeAWS) api() InspectAPI {
	return InspectAPI{S3: fakeS3{f}, KMS: fakeKMS{f}, STS: fakeSTS{f}, CloudTrail: fakeTrail{f}}
}

// count returns how many calls of op (any target) were made.
func (f *fakeAWS) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Op == op {
			n++
		}
	}
	return n
}

// regionsOf returns the distinct regions that calls about target were sent to.
func (f *fakeAWS) regionsOf(target string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]bool{}
	for _, c := range f.calls {
		if c.Target == target {
			seen[c.Region] = true
		}
	}
	var out []string
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func (f *fakeAWS) enter(c fakeCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
}

func (f *fakeAWS) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
}

func (f *fakeAWS) lookup(op, target string) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := []string{op + " " + target, op}
	for _, key := range keys {
		if err, ok := f.errs[key]; ok {
			return nil, err
		}
	}
	for _, key := range keys {
		if out, ok := f.outs[key]; ok {
			return out, nil
		}
	}
	return nil, nil
}

// answer serves one call: records it, waits the fake's delay and returns the canned answer.
func answer[T any](ctx context.Context, f *fakeAWS, op, target, region string) (*T, error) {
	f.enter(fakeCall{Op: op, Target: target, Region: region})
	defer f.leave()

	if f.meet != nil {
		f.meet.arrive(op + " " + target)
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := f.lookup(op, target)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return new(T), nil
	}
	return out.(*T), nil
}

func s3RegionOf(opts []func(*s3.Options)) string {
	var o s3.Options
	for _, fn := range opts {
		fn(&o)
	}
	return o.Region
}

func kmsRegionOf(opts []func(*kms.Options)) string {
	var o kms.Options
	for _, fn := range opts {
		fn(&o)
	}
	return o.Region
}

type fakeS3 struct{ f *fakeAWS }

func (s fakeS3) HeadBucket(ctx context.Context, in *s3.HeadBucketInput,
	o ...func(*s3.Options)) (*s3.HeadBucketOutput, error) {
	return answer[s3.HeadBucketOutput](ctx, s.f, "HeadBucket", *in.Bucket, s3RegionOf(o))
}

func (s fakeS3) ListBuckets(ctx context.Context, in *s3.ListBucketsInput,
	o ...func(*s3.Options)) (*s3.ListBucketsOutput, error) {
	return answer[s3.ListBucketsOutput](ctx, s.f, "ListBuckets", "", s3RegionOf(o))
}

func (s fakeS3) GetBucketLocation(ctx context.Context, in *s3.GetBucketLocationInput,
	o ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	return answer[s3.GetBucketLocationOutput](ctx, s.f, "GetBucketLocation", *in.Bucket,
		s3RegionOf(o))
}

func (s fakeS3) GetPublicAccessBlock(ctx context.Context, in *s3.GetPublicAccessBlockInput,
	o ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error) {
	return answer[s3.GetPublicAccessBlockOutput](ctx, s.f, "GetPublicAccessBlock", *in.Bucket,
		s3RegionOf(o))
}

func (s fakeS3) GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput,
	o ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	return answer[s3.GetBucketPolicyOutput](ctx, s.f, "GetBucketPolicy", *in.Bucket,
		s3RegionOf(o))
}

func (s fakeS3) GetBucketCors(ctx context.Context, in *s3.GetBucketCorsInput,
	o ...func(*s3.Options)) (*s3.GetBucketCorsOutput, error) {
	return answer[s3.GetBucketCorsOutput](ctx, s.f, "GetBucketCors", *in.Bucket, s3RegionOf(o))
}

func (s fakeS3) GetBucketEncryption(ctx context.Context, in *s3.GetBucketEncryptionInput,
	o ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error) {
	return answer[s3.GetBucketEncryptionOutput](ctx, s.f, "GetBucketEncryption", *in.Bucket,
		s3RegionOf(o))
}

func (s fakeS3) GetBucketOwnershipControls(ctx context.Context,
	in *s3.GetBucketOwnershipControlsInput,
	o ...func(*s3.Options)) (*s3.GetBucketOwnershipControlsOutput, error) {
	return answer[s3.GetBucketOwnershipControlsOutput](ctx, s.f, "GetBucketOwnershipControls",
		*in.Bucket, s3RegionOf(o))
}

func (s fakeS3) GetBucketVersioning(ctx context.Context, in *s3.GetBucketVersioningInput,
	o ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error) {
	return answer[s3.GetBucketVersioningOutput](ctx, s.f, "GetBucketVersioning", *in.Bucket,
		s3RegionOf(o))
}

func (s fakeS3) GetBucketLogging(ctx context.Context, in *s3.GetBucketLoggingInput,
	o ...func(*s3.Options)) (*s3.GetBucketLoggingOutput, error) {
	return answer[s3.GetBucketLoggingOutput](ctx, s.f, "GetBucketLogging", *in.Bucket,
		s3RegionOf(o))
}

func (s fakeS3) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input,
	o ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	return answer[s3.ListObjectsV2Output](ctx, s.f, "ListObjectsV2", *in.Bucket, s3RegionOf(o))
}

type fakeKMS struct{ f *fakeAWS }

func (k fakeKMS) DescribeKey(ctx context.Context, in *kms.DescribeKeyInput,
	o ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	return answer[kms.DescribeKeyOutput](ctx, k.f, "DescribeKey", *in.KeyId, kmsRegionOf(o))
}

func (k fakeKMS) GetKeyPolicy(ctx context.Context, in *kms.GetKeyPolicyInput,
	o ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error) {
	return answer[kms.GetKeyPolicyOutput](ctx, k.f, "GetKeyPolicy", *in.KeyId, kmsRegionOf(o))
}

type fakeSTS struct{ f *fakeAWS }

func (s fakeSTS) GetCallerIdentity(ctx context.Context, _ *sts.GetCallerIdentityInput,
	_ ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return answer[sts.GetCallerIdentityOutput](ctx, s.f, "GetCallerIdentity", "", "")
}

type fakeTrail struct{ f *fakeAWS }

func (t fakeTrail) DescribeTrails(ctx context.Context, _ *cloudtrail.DescribeTrailsInput,
	_ ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error) {
	return answer[cloudtrail.DescribeTrailsOutput](ctx, t.f, "DescribeTrails", "", "")
}

func (t fakeTrail) GetTrailStatus(ctx context.Context, in *cloudtrail.GetTrailStatusInput,
	_ ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error) {
	return answer[cloudtrail.GetTrailStatusOutput](ctx, t.f, "GetTrailStatus", *in.Name, "")
}

func (t fakeTrail) GetEventSelectors(ctx context.Context, in *cloudtrail.GetEventSelectorsInput,
	_ ...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error) {
	return answer[cloudtrail.GetEventSelectorsOutput](ctx, t.f, "GetEventSelectors",
		*in.TrailName, "")
}

// apiError is an error as the SDK returns it for an answer with an error code.
func apiError(code, message string) error {
	return &smithy.OperationError{
		ServiceID:     "S3",
		OperationName: "Op",
		Err:           &smithy.GenericAPIError{Code: code, Message: message},
	}
}

// httpError is an error as the SDK returns it for an answer with a status and headers, as
// HeadBucket gets: the status, the x-amz-bucket-region header and the wrapped API error.
func httpError(status int, region string, err error) error {
	header := http.Header{}
	if region != "" {
		header.Set("X-Amz-Bucket-Region", region)
	}
	return &smithy.OperationError{
		ServiceID:     "S3",
		OperationName: "HeadBucket",
		Err: &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{
				StatusCode: status,
				Header:     header,
			}},
			Err: err,
		}},
	}
}

// rendezvous holds the calls it names until all of them are in flight at once, which can
// only happen when they are made concurrently. A call that waits longer than patience is
// released and the rendezvous records that it failed.
type rendezvous struct {
	mu       sync.Mutex
	waiting  map[string]bool
	all      chan struct{}
	patience time.Duration
	failed   bool
}

func newRendezvous(calls ...string) *rendezvous {
	r := &rendezvous{waiting: map[string]bool{}, all: make(chan struct{}),
		patience: 10 * time.Second}
	for _, c := range calls {
		r.waiting[c] = true
	}
	return r
}

func (r *rendezvous) arrive(call string) {
	r.mu.Lock()
	if !r.waiting[call] {
		r.mu.Unlock()
		return
	}
	delete(r.waiting, call)
	if len(r.waiting) == 0 {
		close(r.all)
	}
	r.mu.Unlock()

	select {
	case <-r.all:
	case <-time.After(r.patience):
		r.mu.Lock()
		r.failed = true
		r.mu.Unlock()
	}
}
