package awsops

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"slateo-s3/model"
)

// bucket reads one bucket: whether it exists and is the caller's, its region, and then, for
// an owned bucket, every setting the checks need, all at once in the bucket's region. rank
// orders the key the bucket names among the inspection's keys.
func (in *inspector) bucket(
	ctx context.Context, name string, p model.Purpose, rank int,
) model.BucketState {
	b := model.BucketState{Name: name, Purpose: p}
	if name == "" {
		b.Presence = model.Unreadable[model.Presence]("no bucket name: set the company or "+
			"the bucket name", "")
		b.Region = model.Unreadable[string]("no bucket name", "")
		in.skipSettings(&b, "no bucket name")
		return b
	}

	b.Presence, b.Region = in.presence(ctx, name)
	if !b.Presence.IsPresent() || b.Presence.Value != model.Owned {
		in.skipSettings(&b, notOwnedReason(b.Presence))
		return b
	}
	region := in.settings.EffectiveRegion()
	if b.Region.IsPresent() {
		region = b.Region.Value
	}
	in.readSettings(ctx, &b, region, rank)
	return b
}

// notOwnedReason says why the settings of a bucket were not read.
func notOwnedReason(presence model.Fact[model.Presence]) string {
	switch {
	case presence.IsUnreadable():
		return "not read: whether the bucket exists is unknown"
	case presence.Value == model.Missing:
		return "not read: the bucket does not exist"
	}
	return "not read: the bucket belongs to another account"
}

// skipSettings marks every setting of a bucket as not read, with the reason.
func (in *inspector) skipSettings(b *model.BucketState, reason string) {
	b.PublicAccessBlock = model.Unreadable[model.PublicAccessBlock](reason, "")
	b.Policy = model.Unreadable[string](reason, "")
	b.CORS = model.Unreadable[[]model.CORSRule](reason, "")
	b.Encryption = model.Unreadable[model.Encryption](reason, "")
	b.Ownership = model.Unreadable[string](reason, "")
	b.Versioning = model.Unreadable[string](reason, "")
	b.Logging = model.Unreadable[model.Logging](reason, "")
	if prefix := in.orgPrefix(b.Purpose); prefix != "" {
		b.Objects = map[string]model.Fact[[]model.Object]{
			prefix: model.Unreadable[[]model.Object](reason, ""),
		}
	}
}

// orgPrefix returns the prefix under which Slateo writes the org's objects in a bucket of
// this purpose, or "" when the org id is not known.
func (in *inspector) orgPrefix(p model.Purpose) string {
	if in.settings.OrgID == "" {
		return ""
	}
	if p == model.Cache {
		return in.settings.OrgID + "/query-cache/parquet/"
	}
	return in.settings.OrgID + "/uploads/"
}

// readSettings reads all settings of an owned bucket concurrently. A bucket that names a KMS
// key in its default encryption has that key resolved as soon as the encryption is known.
func (in *inspector) readSettings(
	ctx context.Context, b *model.BucketState, region string, rank int,
) {
	name := b.Name
	var wg sync.WaitGroup
	wg.Go(func() { b.PublicAccessBlock = in.publicAccessBlock(ctx, name, region) })
	wg.Go(func() { b.Policy = in.policy(ctx, name, region) })
	wg.Go(func() { b.CORS = in.cors(ctx, name, region) })
	wg.Go(func() { b.Ownership = in.ownership(ctx, name, region) })
	wg.Go(func() { b.Versioning = in.versioning(ctx, name, region) })
	wg.Go(func() { b.Logging = in.logging(ctx, name, region) })
	wg.Go(func() {
		b.Encryption = in.encryption(ctx, name, region)
		if e := b.Encryption.Value; b.Encryption.IsPresent() && e.UsesKMS() && e.KMSKeyID != "" {
			in.keys.resolve(ctx, e.KMSKeyID, region, rank)
		}
	})
	prefix := in.orgPrefix(b.Purpose)
	var objects model.Fact[[]model.Object]
	if prefix != "" {
		wg.Go(func() { objects = in.objects(ctx, name, region, prefix) })
	}
	wg.Wait()

	if prefix != "" {
		b.Objects = map[string]model.Fact[[]model.Object]{prefix: objects}
	}
}

// presence asks HeadBucket, with the caller's account as expected owner, whether the bucket
// exists and is the caller's, and learns its region on the way. A 403 is ambiguous (another
// account's bucket, or the caller lacks s3:ListBucket); ListBuckets tells the two apart.
func (in *inspector) presence(ctx context.Context, name string) (
	model.Fact[model.Presence], model.Fact[string]) {
	account := in.account(ctx)
	out, err := in.headBucket(ctx, name, account)
	var notFound *types.NotFound
	switch {
	case err == nil && account == "":
		return in.unverifiedOwner(ctx, name), in.regionOf(ctx, name, deref(out.BucketRegion))
	case err == nil:
		return model.Known(model.Owned), in.regionOf(ctx, name, deref(out.BucketRegion))
	case errors.As(err, &notFound) || httpStatus(err) == http.StatusNotFound:
		missing := model.Unreadable[string]("the bucket does not exist", "")
		return model.Known(model.Missing), missing
	case httpStatus(err) == http.StatusForbidden || IsDenied(err):
		return in.forbidden(ctx, name, account, bucketRegionHeader(err))
	}
	reason := "checking bucket " + name + ": " + Reason(err)
	return model.Unreadable[model.Presence](reason, ""), model.Unreadable[string](reason, "")
}

// headBucket calls HeadBucket in the configured region and, when S3 answers that the bucket
// lives in another region, once more there.
func (in *inspector) headBucket(ctx context.Context, name, account string) (
	*s3.HeadBucketOutput, error) {
	input := &s3.HeadBucketInput{Bucket: aws.String(name)}
	if account != "" {
		input.ExpectedBucketOwner = aws.String(account)
	}
	head := func(region string) (out *s3.HeadBucketOutput, err error) {
		err = in.do(ctx, func(ctx context.Context) error {
			out, err = in.api.S3.HeadBucket(ctx, input, InRegion(region))
			return err
		})
		return out, err
	}

	configured := in.settings.EffectiveRegion()
	out, err := head(configured)
	status := httpStatus(err)
	redirected := status == http.StatusMovedPermanently || status == http.StatusBadRequest
	if r := bucketRegionHeader(err); redirected && r != "" && r != configured {
		return head(r)
	}
	return out, err
}

// regionOf returns the region HeadBucket named or, when it named none, GetBucketLocation's.
func (in *inspector) regionOf(ctx context.Context, name, fromHead string) model.Fact[string] {
	if fromHead != "" {
		return model.Known(fromHead)
	}
	var out *s3.GetBucketLocationOutput
	err := in.do(ctx, func(ctx context.Context) (err error) {
		out, err = in.api.S3.GetBucketLocation(ctx,
			&s3.GetBucketLocationInput{Bucket: aws.String(name)})
		return err
	})
	if err != nil {
		return FactFromError[string](err, "s3:GetBucketLocation")
	}
	return model.Known(regionOfConstraint(string(out.LocationConstraint)))
}

// regionOfConstraint turns a location constraint into a region: empty is us-east-1 and the
// legacy EU is eu-west-1.
func regionOfConstraint(c string) string {
	switch c {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return c
}

// forbidden tells a bucket of another account from one of the caller's own that the caller
// may not HeadBucket: ListBuckets lists only the caller's buckets. It works whether or not
// the caller's account is known.
func (in *inspector) forbidden(ctx context.Context, name, account, region string) (
	model.Fact[model.Presence], model.Fact[string]) {
	regionFact := model.Unreadable[string]("HeadBucket was refused and named no region", "")
	if region != "" {
		regionFact = model.Known(region)
	}
	listed, listedRegion, err := in.listsBucket(ctx, name)
	switch {
	case err != nil:
		reason := "HeadBucket was refused (403): the bucket belongs to another account, or " +
			"your credentials lack s3:ListBucket; ListBuckets, which would tell them apart, " +
			"failed too (" + Reason(err) + ")"
		return model.Unreadable[model.Presence](reason, "s3:ListBucket"), regionFact
	case listed:
		if listedRegion != "" {
			regionFact = model.Known(listedRegion)
		}
		owned := model.Known(model.Owned)
		owned.Reason = "HeadBucket was refused (403), but ListBuckets shows the bucket " +
			"among your account's buckets"
		owned.MissingAction = "s3:ListBucket"
		return owned, regionFact
	}
	foreign := model.Known(model.Foreign)
	foreign.Reason = "the name is taken by a bucket of another account: HeadBucket was " +
		"refused and ListBuckets does not list it among your account's buckets"
	if account != "" {
		foreign.Reason = "the name is taken by a bucket of another account: HeadBucket with " +
			"account " + account + " as expected owner was refused and ListBuckets does " +
			"not list it"
	}
	return foreign, regionFact
}

// unverifiedOwner tells whose a bucket is when HeadBucket succeeded without an expected
// owner, because the caller's account is unknown: a bucket of another account that lets the
// caller list it answers the same. ListBuckets lists only the caller's own buckets.
func (in *inspector) unverifiedOwner(ctx context.Context, name string) model.Fact[model.Presence] {
	listed, _, err := in.listsBucket(ctx, name)
	switch {
	case err != nil:
		owned := model.Known(model.Owned)
		owned.Reason = "assumed yours: the caller's account is unknown and ListBuckets " +
			"failed (" + Reason(err) + "), so the owner could not be checked"
		return owned
	case listed:
		return model.Known(model.Owned)
	}
	foreign := model.Known(model.Foreign)
	foreign.Reason = "the bucket answers HeadBucket, but ListBuckets does not list it among " +
		"your account's buckets"
	return foreign
}

// listsBucket reports whether ListBuckets lists the bucket, and the region it names.
func (in *inspector) listsBucket(ctx context.Context, name string) (bool, string, error) {
	input := &s3.ListBucketsInput{Prefix: aws.String(name), MaxBuckets: aws.Int32(1000)}
	var out *s3.ListBucketsOutput
	err := in.do(ctx, func(ctx context.Context) (err error) {
		out, err = in.api.S3.ListBuckets(ctx, input)
		return err
	})
	if err != nil {
		return false, "", err
	}
	for _, b := range out.Buckets {
		if deref(b.Name) == name {
			return true, deref(b.BucketRegion), nil
		}
	}
	return false, "", nil
}
