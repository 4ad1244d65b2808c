package awsops

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"slateo-s3/model"
)

// The kinds of change Plan proposes; each names the document a change replaces.
const (
	KindCreateBucket      = "create-bucket"
	KindPublicAccessBlock = "public-access-block"
	KindBucketPolicy      = "bucket-policy"
	KindCORS              = "cors"
	KindKeyPolicy         = "key-policy"
	KindVersioning        = "versioning"
	KindOwnership         = "ownership"
)

// Change is one write that converges a bucket or key on what Slateo needs. Before and After
// are whole documents (JSON; the empty string means none exists / delete it); they hold
// text from AWS, so sanitise them before printing.
type Change struct {
	// ID is Kind and Target joined by a colon; it is stable across plans.
	ID string
	// Bucket is the bucket the change is about; empty for a key policy.
	Bucket string
	// Target is the bucket name, or the key ARN for a key policy.
	Target string
	// Region is where the bucket or key lives.
	Region string
	Title  string
	Kind   string
	Before string
	After  string
	// CLI is the equivalent AWS CLI command.
	CLI string
	// Refusal, when not empty, says why the change cannot be applied.
	Refusal string
	// Notes are warnings that go with the change, such as a CORS rule that shadows Slateo's.
	Notes []string
}

// Diff returns the unified diff of the change's documents, empty when there is none.
func (c Change) Diff() string {
	return model.DiffDocuments(c.Before, c.After)
}

// PlanOptions choose the optional changes.
type PlanOptions struct {
	// Versioning adds enabling versioning on both buckets.
	Versioning bool
	// Ownership adds setting Object Ownership to BucketOwnerEnforced on both buckets.
	Ownership bool
}

// ApplyResult says what Apply did.
type ApplyResult struct {
	// BackupFile is the backup of the document as it was before the write; empty for a
	// bucket creation, which replaces nothing.
	BackupFile string
	// Unchanged is true when the document already equalled After, so nothing was written.
	Unchanged bool
}

// ApplyS3API is the part of the S3 client that Plan and Apply read and write buckets with.
type ApplyS3API interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (
		*s3.HeadBucketOutput, error)
	CreateBucket(context.Context, *s3.CreateBucketInput, ...func(*s3.Options)) (
		*s3.CreateBucketOutput, error)
	GetPublicAccessBlock(context.Context, *s3.GetPublicAccessBlockInput,
		...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	PutPublicAccessBlock(context.Context, *s3.PutPublicAccessBlockInput,
		...func(*s3.Options)) (*s3.PutPublicAccessBlockOutput, error)
	DeletePublicAccessBlock(context.Context, *s3.DeletePublicAccessBlockInput,
		...func(*s3.Options)) (*s3.DeletePublicAccessBlockOutput, error)
	GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (
		*s3.GetBucketPolicyOutput, error)
	PutBucketPolicy(context.Context, *s3.PutBucketPolicyInput, ...func(*s3.Options)) (
		*s3.PutBucketPolicyOutput, error)
	DeleteBucketPolicy(context.Context, *s3.DeleteBucketPolicyInput, ...func(*s3.Options)) (
		*s3.DeleteBucketPolicyOutput, error)
	GetBucketCors(context.Context, *s3.GetBucketCorsInput, ...func(*s3.Options)) (
		*s3.GetBucketCorsOutput, error)
	PutBucketCors(context.Context, *s3.PutBucketCorsInput, ...func(*s3.Options)) (
		*s3.PutBucketCorsOutput, error)
	DeleteBucketCors(context.Context, *s3.DeleteBucketCorsInput, ...func(*s3.Options)) (
		*s3.DeleteBucketCorsOutput, error)
	GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput,
		...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	GetBucketVersioning(context.Context, *s3.GetBucketVersioningInput,
		...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	PutBucketVersioning(context.Context, *s3.PutBucketVersioningInput,
		...func(*s3.Options)) (*s3.PutBucketVersioningOutput, error)
	GetBucketOwnershipControls(context.Context, *s3.GetBucketOwnershipControlsInput,
		...func(*s3.Options)) (*s3.GetBucketOwnershipControlsOutput, error)
	PutBucketOwnershipControls(context.Context, *s3.PutBucketOwnershipControlsInput,
		...func(*s3.Options)) (*s3.PutBucketOwnershipControlsOutput, error)
	DeleteBucketOwnershipControls(context.Context, *s3.DeleteBucketOwnershipControlsInput,
		...func(*s3.Options)) (*s3.DeleteBucketOwnershipControlsOutput, error)
}

// ApplyKMSAPI is the part of the KMS client that Plan and Apply read and write key policies
// with.
type ApplyKMSAPI interface {
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (
		*kms.DescribeKeyOutput, error)
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (
		*kms.GetKeyPolicyOutput, error)
	PutKeyPolicy(context.Context, *kms.PutKeyPolicyInput, ...func(*kms.Options)) (
		*kms.PutKeyPolicyOutput, error)
}

// Applier plans and applies changes with the clients it holds. A Session's clients satisfy
// its interfaces; tests give fakes.
type Applier struct {
	S3  ApplyS3API
	KMS ApplyKMSAPI
	// Region is the default region, for buckets that do not exist yet.
	Region string
	// Endpoint is the custom endpoint URL the CLI commands name; empty for AWS itself.
	Endpoint string
	// Timeout bounds each single call; 0 means DefaultTimeout.
	Timeout time.Duration
	// Now is the clock backups are stamped with; nil means time.Now.
	Now func() time.Time
}

// Applier returns an Applier that uses the session's clients.
func (s *Session) Applier() *Applier {
	return &Applier{S3: s.S3, KMS: s.KMS, Region: s.Region, Endpoint: s.Endpoint}
}

// Plan reads the current documents afresh and returns the changes that would converge the
// buckets and key on the setup guide, merged into what exists.
func (s *Session) Plan(ctx context.Context, settings model.Settings,
	opts PlanOptions) ([]Change, error) {
	return s.Applier().Plan(ctx, settings, opts)
}

// Apply writes one planned change after checking that its document is still as planned and
// backing it up into backupDir.
func (s *Session) Apply(ctx context.Context, settings model.Settings, change Change,
	backupDir string) (ApplyResult, error) {
	return s.Applier().Apply(ctx, settings, change, backupDir)
}

// PlanRestore reads a backup file and returns the change that puts its document back.
func (s *Session) PlanRestore(ctx context.Context, backupFile string) (Change, error) {
	return s.Applier().PlanRestore(ctx, backupFile)
}

func (a *Applier) call(ctx context.Context) (context.Context, context.CancelFunc) {
	timeout := a.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	return context.WithTimeout(ctx, timeout)
}

func (a *Applier) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// newChange fills in the fields every change has.
func (a *Applier) newChange(kind, bucket, target, region, before, after string) Change {
	c := Change{
		ID:     kind + ":" + target,
		Bucket: bucket,
		Target: target,
		Region: region,
		Kind:   kind,
		Before: before,
		After:  after,
	}
	c.Title = changeTitle(kind, target)
	c.CLI = a.cliCommand(c)
	return c
}

func changeTitle(kind, target string) string {
	switch kind {
	case KindCreateBucket:
		return "create bucket " + target
	case KindPublicAccessBlock:
		return "block all public access on " + target
	case KindBucketPolicy:
		return "merge Slateo's statements into the bucket policy of " + target
	case KindCORS:
		return "merge Slateo's CORS rule into " + target
	case KindKeyPolicy:
		return "merge Slateo's statement into the key policy of " + target
	case KindVersioning:
		return "enable versioning on " + target
	case KindOwnership:
		return "set Object Ownership to BucketOwnerEnforced on " + target
	}
	return fmt.Sprintf("change %s of %s", kind, target)
}

// checkKinds maps each check id that apply can fix to the kinds of change that fix it.
var checkKinds = map[string][]string{
	"bucket-exists":       {KindCreateBucket},
	"public-access-block": {KindPublicAccessBlock},
	"policy-principal":    {KindBucketPolicy},
	"policy-actions":      {KindBucketPolicy},
	"policy-resources":    {KindBucketPolicy},
	"cors":                {KindCORS},
	"kms-grant":           {KindKeyPolicy},
	"versioning":          {KindVersioning},
	"object-ownership":    {KindOwnership},
}

// ChangesForCheck picks from a plan the changes that fix one check of a bucket (bucket empty
// for account-level checks); a key policy change fixes kms-grant of every bucket. The
// console's "apply this step" action plans, calls this, shows each change's Diff and applies
// it after confirmation. It returns nil when apply cannot fix the check.
func ChangesForCheck(changes []Change, checkID, bucket string) []Change {
	var out []Change
	for _, kind := range checkKinds[checkID] {
		for _, c := range changes {
			if c.Kind == kind && (c.Bucket == bucket || c.Kind == KindKeyPolicy) {
				out = append(out, c)
			}
		}
	}
	return out
}

// PlanOptionsForCheck returns the plan options under which Plan proposes the fix of a
// check: the optional changes are planned only when asked for.
func PlanOptionsForCheck(checkID string) PlanOptions {
	return PlanOptions{Versioning: checkID == "versioning",
		Ownership: checkID == "object-ownership"}
}
