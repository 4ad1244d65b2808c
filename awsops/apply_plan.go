package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"slateo-s3/model"
)

// Plan reads the current documents afresh (never from a cached State) and returns the
// changes that would converge the buckets and the KMS keys on the setup guide: each merged
// into what exists, in the order they must be applied. The keys are the configured
// --kms-key and every customer-managed key the buckets' default encryption names. A change
// that cannot be made carries its Refusal. An empty plan means nothing needs to change.
//
// Changes on a bucket that does not exist yet are computed against an empty bucket; after
// creating it, plan again, since S3 gives a new bucket defaults of its own.
func (a *Applier) Plan(ctx context.Context, settings model.Settings,
	opts PlanOptions) ([]Change, error) {
	if err := settings.Err(); err != nil {
		return nil, err
	}
	buckets := a.planBuckets(ctx, settings, opts)
	var changes []Change
	var keys []keyRef
	if settings.KMSKey != "" {
		keys = append(keys, keyRef{ref: settings.KMSKey, region: settings.EffectiveRegion()})
	}
	for _, b := range buckets {
		if b.err != nil {
			return nil, b.err
		}
		changes = append(changes, b.changes...)
		if b.key.ref != "" {
			keys = append(keys, b.key)
		}
	}
	seen := map[string]bool{}
	for _, k := range keys {
		kc, err := a.planKey(ctx, settings, k, seen)
		if err != nil {
			return nil, err
		}
		changes = append(changes, kc...)
	}
	return changes, nil
}

// bucketPlan is the outcome of planning one bucket.
type bucketPlan struct {
	changes []Change
	key     keyRef
	err     error
}

// planBuckets plans the uploads and the cache bucket at the same time (their reads are
// independent) and returns their plans in that order.
func (a *Applier) planBuckets(ctx context.Context, settings model.Settings,
	opts PlanOptions) []bucketPlan {
	names := settings.BucketNames()
	plans := make([]bucketPlan, len(names))
	var wg sync.WaitGroup
	for i, bucket := range names {
		purpose := model.Uploads
		if i == 1 {
			purpose = model.Cache
		}
		wg.Go(func() {
			p := &plans[i]
			p.changes, p.key, p.err = a.planBucket(ctx, settings, bucket, purpose, opts)
		})
	}
	wg.Wait()
	return plans
}

// keyRef is a KMS key as settings or a bucket's encryption name it, and the region it is
// resolved in.
type keyRef struct {
	ref, region string
}

// planBucket plans the changes of one bucket and returns the customer KMS key its default
// encryption names, if any.
func (a *Applier) planBucket(ctx context.Context, settings model.Settings, bucket string,
	purpose model.Purpose, opts PlanOptions) ([]Change, keyRef, error) {
	region, exists, refusal, err := a.bucketRegion(ctx, bucket, settings.EffectiveRegion())
	if err != nil {
		return nil, keyRef{}, err
	}
	if refusal != "" {
		c := a.newChange(KindCreateBucket, bucket, bucket, region, "", "")
		c.Title = "use bucket " + bucket
		c.Refusal = refusal
		return []Change{c}, keyRef{}, nil
	}

	var changes []Change
	if !exists {
		changes = append(changes, a.newChange(KindCreateBucket, bucket, bucket, region, "",
			createBucketDoc(bucket, region)))
	}
	p := bucketPlanner{a: a, bucket: bucket, region: region, exists: exists}
	steps := []func(context.Context) (Change, bool, error){p.publicAccess,
		func(ctx context.Context) (Change, bool, error) { return p.policy(ctx, settings) }}
	if purpose == model.Cache {
		steps = append(steps, func(ctx context.Context) (Change, bool, error) {
			return p.cors(ctx, settings)
		})
	}
	if opts.Versioning {
		steps = append(steps, p.versioning)
	}
	if opts.Ownership {
		steps = append(steps, p.ownership)
	}
	for _, step := range steps {
		c, needed, err := step(ctx)
		if err != nil {
			return nil, keyRef{}, err
		}
		if needed {
			changes = append(changes, c)
		}
	}
	key, err := p.encryptionKey(ctx)
	return changes, key, err
}

// encryptionKey returns the KMS key the bucket's default encryption names; none for SSE-S3
// or for SSE-KMS with the AWS-managed aws/s3 key, whose policy nobody can change.
func (p bucketPlanner) encryptionKey(ctx context.Context) (keyRef, error) {
	if !p.exists {
		return keyRef{}, nil
	}
	ctx, cancel := p.a.call(ctx)
	defer cancel()
	out, err := p.a.S3.GetBucketEncryption(ctx,
		&s3.GetBucketEncryptionInput{Bucket: aws.String(p.bucket)}, InRegion(p.region))
	if apiCode(err) == "ServerSideEncryptionConfigurationNotFoundError" {
		return keyRef{}, nil
	}
	if err != nil {
		return keyRef{}, fmt.Errorf("reading default encryption of %s: %w", p.bucket, err)
	}
	if out.ServerSideEncryptionConfiguration == nil {
		return keyRef{}, nil
	}
	for _, r := range out.ServerSideEncryptionConfiguration.Rules {
		d := r.ApplyServerSideEncryptionByDefault
		if d != nil && aws.ToString(d.KMSMasterKeyID) != "" {
			return keyRef{ref: aws.ToString(d.KMSMasterKeyID), region: p.region}, nil
		}
	}
	return keyRef{}, nil
}

// bucketRegion finds where a bucket lives. A bucket that is missing lives, once created, in
// the settings' region. refusal says why the bucket cannot be used; err is returned when
// AWS could not be asked.
func (a *Applier) bucketRegion(ctx context.Context, bucket, region string) (
	string, bool, string, error) {
	ctx, cancel := a.call(ctx)
	defer cancel()
	out, err := a.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)},
		InRegion(region))
	var notFound *s3types.NotFound
	switch {
	case err == nil:
		if r := aws.ToString(out.BucketRegion); r != "" {
			region = r
		}
		return region, true, "", nil
	case errors.As(err, &notFound) || apiCode(err) == "NotFound":
		return region, false, "", nil
	case apiCode(err) == "Forbidden" || apiCode(err) == "AccessDenied":
		return region, false, "the bucket name " + bucket + " is taken by another AWS " +
			"account, or your credentials lack s3:ListBucket on it; choose other bucket " +
			"names or use credentials of the account that owns it", nil
	}
	return region, false, "", fmt.Errorf("checking whether bucket %s exists: %w", bucket, err)
}

// bucketPlanner computes the changes of one bucket. On a bucket that does not exist yet it
// reads nothing and plans against empty documents.
type bucketPlanner struct {
	a      *Applier
	bucket string
	region string
	exists bool
}

func (p bucketPlanner) read(ctx context.Context, kind string) (string, error) {
	if !p.exists {
		return "", nil
	}
	return p.a.ReadDocument(ctx, kind, p.bucket, p.region)
}

func (p bucketPlanner) change(kind, before, after string) Change {
	return p.a.newChange(kind, p.bucket, p.bucket, p.region, before, after)
}

func (p bucketPlanner) publicAccess(ctx context.Context) (Change, bool, error) {
	before, err := p.read(ctx, KindPublicAccessBlock)
	if err != nil {
		return Change{}, false, err
	}
	after := allOnPABDoc()
	return p.change(KindPublicAccessBlock, before, after), before != after, nil
}

func (p bucketPlanner) policy(ctx context.Context, s model.Settings) (Change, bool, error) {
	before, err := p.read(ctx, KindBucketPolicy)
	if err != nil {
		return Change{}, false, err
	}
	desired := model.BucketPolicy(p.bucket, s.OrgSlug).StatementsJSON()
	after, changed, err := model.MergePolicy(before, desired)
	if err != nil {
		c := p.change(KindBucketPolicy, before, before)
		c.Refusal = "the current bucket policy cannot be merged: " +
			model.CleanLine(err.Error())
		return c, true, nil
	}
	c := p.change(KindBucketPolicy, before, after)
	if len(after) > model.BucketPolicyMaxBytes {
		c.Refusal = fmt.Sprintf("the merged policy would be %d bytes; S3 allows %d: "+
			"remove statements that are no longer needed first", len(after),
			model.BucketPolicyMaxBytes)
	}
	if sid, public := publicStatement(after); public {
		c.Notes = append(c.Notes, "statement "+sid+" is public (Principal \"*\" without a "+
			"restricting condition): with BlockPublicPolicy on, S3 refuses the whole policy")
	}
	return c, changed, nil
}

func (p bucketPlanner) cors(ctx context.Context, s model.Settings) (Change, bool, error) {
	before, err := p.read(ctx, KindCORS)
	if err != nil {
		return Change{}, false, err
	}
	current, err := model.ParseCORSRulesJSON(before)
	if err != nil {
		return Change{}, false, err
	}
	desired := model.DesiredCORSRule()
	merged, changed := model.MergeCORS(current, desired)
	merged, notes := model.PromoteCORSRule(merged, desired, s.OrgSlug)
	c := p.change(KindCORS, before, model.CORSRulesJSON(merged))
	c.Notes = notes
	return c, changed || len(notes) > 0, nil
}

func (p bucketPlanner) versioning(ctx context.Context) (Change, bool, error) {
	before, err := p.read(ctx, KindVersioning)
	if err != nil {
		return Change{}, false, err
	}
	after := versioningDoc(string(s3types.BucketVersioningStatusEnabled))
	return p.change(KindVersioning, before, after), before != after, nil
}

func (p bucketPlanner) ownership(ctx context.Context) (Change, bool, error) {
	before, err := p.read(ctx, KindOwnership)
	if err != nil {
		return Change{}, false, err
	}
	after := ownershipDoc(string(s3types.ObjectOwnershipBucketOwnerEnforced))
	// A new bucket already enforces bucket ownership.
	if !p.exists {
		return Change{}, false, nil
	}
	return p.change(KindOwnership, before, after), before != after, nil
}

// planKey plans the merge of Slateo's statement into one key's policy, once per key ARN
// (seen holds the keys already planned).
func (a *Applier) planKey(ctx context.Context, s model.Settings, k keyRef,
	seen map[string]bool) ([]Change, error) {
	meta, err := a.describeKey(ctx, k)
	if err != nil {
		c := a.newChange(KindKeyPolicy, "", k.ref, k.region, "", "")
		c.Refusal = "cannot describe the KMS key: " + model.CleanLine(err.Error())
		return []Change{c}, nil
	}
	keyARN := aws.ToString(meta.Arn)
	if seen[keyARN] {
		return nil, nil
	}
	seen[keyARN] = true
	region := model.KMSKeyRegion(keyARN)
	if meta.KeyManager == kmstypes.KeyManagerTypeAws {
		c := a.newChange(KindKeyPolicy, "", keyARN, region, "", "")
		c.Refusal = "the key is AWS-managed: nobody can change its policy, and Slateo's " +
			"role in another account can never use it; encrypt the buckets with a " +
			"customer-managed key instead"
		return []Change{c}, nil
	}

	before, err := a.ReadDocument(ctx, KindKeyPolicy, keyARN, region)
	if err != nil {
		c := a.newChange(KindKeyPolicy, "", keyARN, region, "", "")
		c.Refusal = "cannot read the key policy (a key of another account can only be " +
			"changed by its owner): " + model.CleanLine(err.Error())
		return []Change{c}, nil
	}
	stmt := json.RawMessage(model.KMSStatement(s.OrgSlug).JSON())
	after, changed, err := model.MergePolicy(before, []json.RawMessage{stmt})
	c := a.newChange(KindKeyPolicy, "", keyARN, region, before, after)
	switch {
	case err != nil:
		c.After = before
		c.Refusal = "the current key policy cannot be merged: " + model.CleanLine(err.Error())
		return []Change{c}, nil
	case len(after) > model.KeyPolicyMaxBytes:
		c.Refusal = fmt.Sprintf("the merged key policy would be %d bytes; KMS allows %d",
			len(after), model.KeyPolicyMaxBytes)
	case !changed:
		return nil, nil
	}
	return []Change{c}, nil
}

func (a *Applier) describeKey(ctx context.Context, k keyRef) (*kmstypes.KeyMetadata, error) {
	ctx, cancel := a.call(ctx)
	defer cancel()
	region := model.KMSKeyRegion(k.ref)
	if region == "" {
		region = k.region
	}
	out, err := a.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(k.ref)},
		kmsRegion(region))
	if err != nil {
		return nil, fmt.Errorf("describing KMS key %s: %w", k.ref, err)
	}
	if out.KeyMetadata == nil {
		return nil, fmt.Errorf("describing KMS key %s: no key metadata in the answer", k.ref)
	}
	return out.KeyMetadata, nil
}

// publicStatement finds an Allow statement open to everyone without a condition, which
// BlockPublicPolicy refuses.
func publicStatement(policy string) (string, bool) {
	stmts, err := model.PolicyStatements(policy)
	if err != nil {
		return "", false
	}
	for _, raw := range stmts {
		var st struct {
			Sid       string
			Effect    string
			Principal any
			Condition map[string]any
		}
		if json.Unmarshal(raw, &st) != nil || st.Effect != "Allow" || len(st.Condition) > 0 {
			continue
		}
		if isEveryone(st.Principal) {
			if st.Sid == "" {
				st.Sid = "(without Sid)"
			}
			return model.CleanLine(st.Sid), true
		}
	}
	return "", false
}

func isEveryone(principal any) bool {
	switch p := principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		return isEveryone(p["AWS"])
	case []any:
		for _, e := range p {
			if isEveryone(e) {
				return true
			}
		}
	}
	return false
}
