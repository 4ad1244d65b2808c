package awsops

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"slateo-s3/model"
)

// S3ReadAPI is the part of the S3 client that Inspect reads buckets with. Each call takes
// per-call options, through which Inspect sends it to the bucket's own region.
type S3ReadAPI interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (
		*s3.HeadBucketOutput, error)
	ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (
		*s3.ListBucketsOutput, error)
	GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (
		*s3.GetBucketLocationOutput, error)
	GetPublicAccessBlock(context.Context, *s3.GetPublicAccessBlockInput,
		...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (
		*s3.GetBucketPolicyOutput, error)
	GetBucketCors(context.Context, *s3.GetBucketCorsInput, ...func(*s3.Options)) (
		*s3.GetBucketCorsOutput, error)
	GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput,
		...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	GetBucketOwnershipControls(context.Context, *s3.GetBucketOwnershipControlsInput,
		...func(*s3.Options)) (*s3.GetBucketOwnershipControlsOutput, error)
	GetBucketVersioning(context.Context, *s3.GetBucketVersioningInput,
		...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	GetBucketLogging(context.Context, *s3.GetBucketLoggingInput, ...func(*s3.Options)) (
		*s3.GetBucketLoggingOutput, error)
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (
		*s3.ListObjectsV2Output, error)
}

// KMSReadAPI is the part of the KMS client that Inspect reads keys with.
type KMSReadAPI interface {
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (
		*kms.DescribeKeyOutput, error)
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (
		*kms.GetKeyPolicyOutput, error)
}

// CallerAPI is the part of the STS client that tells who the credentials are.
type CallerAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (
		*sts.GetCallerIdentityOutput, error)
}

// TrailReadAPI is the part of the CloudTrail client that Inspect reads trails with.
type TrailReadAPI interface {
	DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput,
		...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error)
	GetTrailStatus(context.Context, *cloudtrail.GetTrailStatusInput,
		...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error)
	GetEventSelectors(context.Context, *cloudtrail.GetEventSelectorsInput,
		...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error)
}

// InspectAPI holds the clients Inspect reads AWS with. A Session's clients satisfy it; tests
// give fakes.
type InspectAPI struct {
	S3         S3ReadAPI
	KMS        KMSReadAPI
	STS        CallerAPI
	CloudTrail TrailReadAPI
	// Timeout bounds each single call; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxInFlight bounds how many calls run at once; 0 means DefaultMaxInFlight.
	MaxInFlight int
}

// DefaultMaxInFlight is how many AWS calls an inspection makes at once: enough for the eight
// reads of each of the two buckets to go out together, few enough not to be throttled.
const DefaultMaxInFlight = 16

// newestObjects is how many of the newest objects under an org prefix an inspection keeps.
const newestObjects = 5

// API returns the session's clients as an InspectAPI.
func (s *Session) API() InspectAPI {
	return InspectAPI{S3: s.S3, KMS: s.KMS, STS: s.STS, CloudTrail: s.CloudTrail}
}

// Inspect reads everything the checks need with the session's clients. It never fails as a
// whole: each fact holds its value or the reason it could not be read.
func (s *Session) Inspect(ctx context.Context, settings model.Settings) model.State {
	return Inspect(ctx, s.API(), settings)
}

// Inspect reads the caller, both buckets, the KMS keys and the CloudTrail trails for the
// settings, making independent calls concurrently (at most api.MaxInFlight at once, each
// under api.Timeout) and sending each bucket's calls to the bucket's own region. The raw
// values are kept as AWS returned them; sanitising them is the printer's job.
func Inspect(ctx context.Context, api InspectAPI, settings model.Settings) model.State {
	in := newInspector(api, settings)
	st := model.State{Settings: settings}
	var wg sync.WaitGroup

	wg.Go(func() { in.setCaller(in.caller(ctx)) })
	wg.Go(func() { st.Trails = in.trails(ctx) })
	if settings.KMSKey != "" {
		// Claimed before any bucket can name a key, so that a bucket naming the same key
		// waits for this read instead of repeating it.
		e, _ := in.keys.claim(settings.KMSKey, 0)
		wg.Go(func() { in.keys.fill(ctx, e, settings.KMSKey, settings.EffectiveRegion()) })
	}

	names := settings.BucketNames()
	purposes := []model.Purpose{model.Uploads, model.Cache}
	st.Buckets = make([]model.BucketState, len(names))
	for i, name := range names {
		wg.Go(func() { st.Buckets[i] = in.bucket(ctx, name, purposes[i], i+1) })
	}
	wg.Wait()

	st.Caller = in.callerFact
	st.Keys = in.keys.states()
	st.ReadAt = time.Now()
	return st
}

// inspector carries one inspection's clients, bound and shared results.
type inspector struct {
	api      InspectAPI
	settings model.Settings
	timeout  time.Duration
	slots    chan struct{}
	keys     *keyBook

	// callerReady is closed once callerFact is set; bucket and key reads that need the
	// caller's account wait on it.
	callerReady chan struct{}
	callerFact  model.Fact[model.Caller]
}

func newInspector(api InspectAPI, settings model.Settings) *inspector {
	timeout := api.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	limit := api.MaxInFlight
	if limit <= 0 {
		limit = DefaultMaxInFlight
	}
	in := &inspector{
		api:         api,
		settings:    settings,
		timeout:     timeout,
		slots:       make(chan struct{}, limit),
		callerReady: make(chan struct{}),
	}
	in.keys = newKeyBook(in)
	return in
}

// do runs one AWS call within the in-flight bound and under its own timeout.
func (in *inspector) do(ctx context.Context, call func(context.Context) error) error {
	select {
	case in.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-in.slots }()

	ctx, cancel := context.WithTimeout(ctx, in.timeout)
	defer cancel()
	return call(ctx)
}

func (in *inspector) setCaller(f model.Fact[model.Caller]) {
	in.callerFact = f
	close(in.callerReady)
}

// account waits for the caller and returns its account, or "" when it could not be read.
func (in *inspector) account(ctx context.Context) string {
	select {
	case <-in.callerReady:
	case <-ctx.Done():
		return ""
	}
	return in.callerFact.Value.Account
}

func (in *inspector) caller(ctx context.Context) model.Fact[model.Caller] {
	var out *sts.GetCallerIdentityOutput
	err := in.do(ctx, func(ctx context.Context) (err error) {
		out, err = in.api.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	})
	if err != nil {
		return FactFromError[model.Caller](err, "sts:GetCallerIdentity")
	}
	return model.Known(callerOf(out))
}

func callerOf(out *sts.GetCallerIdentityOutput) model.Caller {
	return model.Caller{
		Account: deref(out.Account),
		ARN:     deref(out.Arn),
		UserID:  deref(out.UserId),
	}
}

// Caller asks STS who the session's credentials are.
func (s *Session) Caller(ctx context.Context) (model.Caller, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()

	out, err := s.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return model.Caller{}, fmt.Errorf("reading the caller identity: %w", err)
	}
	return callerOf(out), nil
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
