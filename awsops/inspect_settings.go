package awsops

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"slateo-s3/model"
)

// read makes one call within the inspection's bound and turns its answer into a fact: the
// converted output, or the error mapped by FactFromError with the IAM action the call needs.
func read[Out, T any](ctx context.Context, in *inspector, action string,
	call func(context.Context) (*Out, error), convert func(*Out) T) model.Fact[T] {
	var out *Out
	err := in.do(ctx, func(ctx context.Context) (err error) {
		out, err = call(ctx)
		return err
	})
	if err != nil {
		return FactFromError[T](err, action)
	}
	return model.Known(convert(out))
}

func (in *inspector) publicAccessBlock(
	ctx context.Context, bucket, region string,
) model.Fact[model.PublicAccessBlock] {
	return read(ctx, in, "s3:GetBucketPublicAccessBlock",
		func(ctx context.Context) (*s3.GetPublicAccessBlockOutput, error) {
			return in.api.S3.GetPublicAccessBlock(ctx,
				&s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)}, InRegion(region))
		},
		func(out *s3.GetPublicAccessBlockOutput) model.PublicAccessBlock {
			c := out.PublicAccessBlockConfiguration
			if c == nil {
				return model.PublicAccessBlock{}
			}
			return model.PublicAccessBlock{
				BlockPublicAcls:       aws.ToBool(c.BlockPublicAcls),
				IgnorePublicAcls:      aws.ToBool(c.IgnorePublicAcls),
				BlockPublicPolicy:     aws.ToBool(c.BlockPublicPolicy),
				RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets),
			}
		})
}

func (in *inspector) policy(ctx context.Context, bucket, region string) model.Fact[string] {
	return read(ctx, in, "s3:GetBucketPolicy",
		func(ctx context.Context) (*s3.GetBucketPolicyOutput, error) {
			return in.api.S3.GetBucketPolicy(ctx,
				&s3.GetBucketPolicyInput{Bucket: aws.String(bucket)}, InRegion(region))
		},
		func(out *s3.GetBucketPolicyOutput) string { return aws.ToString(out.Policy) })
}

func (in *inspector) cors(
	ctx context.Context, bucket, region string,
) model.Fact[[]model.CORSRule] {
	return read(ctx, in, "s3:GetBucketCORS",
		func(ctx context.Context) (*s3.GetBucketCorsOutput, error) {
			return in.api.S3.GetBucketCors(ctx,
				&s3.GetBucketCorsInput{Bucket: aws.String(bucket)}, InRegion(region))
		},
		func(out *s3.GetBucketCorsOutput) []model.CORSRule { return corsRules(out.CORSRules) })
}

// corsRules converts the SDK's CORS rules to ours (never nil), for inspect and for apply.
func corsRules(rules []types.CORSRule) []model.CORSRule {
	out := make([]model.CORSRule, 0, len(rules))
	for _, r := range rules {
		out = append(out, model.CORSRule{
			ID:             aws.ToString(r.ID),
			AllowedHeaders: r.AllowedHeaders,
			AllowedMethods: r.AllowedMethods,
			AllowedOrigins: r.AllowedOrigins,
			ExposeHeaders:  r.ExposeHeaders,
			MaxAgeSeconds:  aws.ToInt32(r.MaxAgeSeconds),
		})
	}
	return out
}

func (in *inspector) encryption(
	ctx context.Context, bucket, region string,
) model.Fact[model.Encryption] {
	return read(ctx, in, "s3:GetEncryptionConfiguration",
		func(ctx context.Context) (*s3.GetBucketEncryptionOutput, error) {
			return in.api.S3.GetBucketEncryption(ctx,
				&s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)}, InRegion(region))
		},
		func(out *s3.GetBucketEncryptionOutput) model.Encryption {
			c := out.ServerSideEncryptionConfiguration
			if c == nil || len(c.Rules) == 0 {
				return model.Encryption{}
			}
			return encryptionOf(c.Rules[0])
		})
}

func encryptionOf(rule types.ServerSideEncryptionRule) model.Encryption {
	e := model.Encryption{BucketKeyEnabled: aws.ToBool(rule.BucketKeyEnabled)}
	if d := rule.ApplyServerSideEncryptionByDefault; d != nil {
		e.Algorithm = string(d.SSEAlgorithm)
		e.KMSKeyID = aws.ToString(d.KMSMasterKeyID)
	}
	return e
}

func (in *inspector) ownership(ctx context.Context, bucket, region string) model.Fact[string] {
	return read(ctx, in, "s3:GetBucketOwnershipControls",
		func(ctx context.Context) (*s3.GetBucketOwnershipControlsOutput, error) {
			return in.api.S3.GetBucketOwnershipControls(ctx,
				&s3.GetBucketOwnershipControlsInput{Bucket: aws.String(bucket)},
				InRegion(region))
		},
		func(out *s3.GetBucketOwnershipControlsOutput) string {
			c := out.OwnershipControls
			if c == nil || len(c.Rules) == 0 {
				return ""
			}
			return string(c.Rules[0].ObjectOwnership)
		})
}

// versioning reads the versioning status; empty means versioning was never enabled.
func (in *inspector) versioning(ctx context.Context, bucket, region string) model.Fact[string] {
	return read(ctx, in, "s3:GetBucketVersioning",
		func(ctx context.Context) (*s3.GetBucketVersioningOutput, error) {
			return in.api.S3.GetBucketVersioning(ctx,
				&s3.GetBucketVersioningInput{Bucket: aws.String(bucket)}, InRegion(region))
		},
		func(out *s3.GetBucketVersioningOutput) string { return string(out.Status) })
}

// logging reads server access logging; an empty target bucket means logging is off.
func (in *inspector) logging(
	ctx context.Context, bucket, region string,
) model.Fact[model.Logging] {
	return read(ctx, in, "s3:GetBucketLogging",
		func(ctx context.Context) (*s3.GetBucketLoggingOutput, error) {
			return in.api.S3.GetBucketLogging(ctx,
				&s3.GetBucketLoggingInput{Bucket: aws.String(bucket)}, InRegion(region))
		},
		func(out *s3.GetBucketLoggingOutput) model.Logging {
			if out.LoggingEnabled == nil {
				return model.Logging{}
			}
			return model.Logging{
				TargetBucket: aws.ToString(out.LoggingEnabled.TargetBucket),
				TargetPrefix: aws.ToString(out.LoggingEnabled.TargetPrefix),
			}
		})
}

// objects lists the first page (up to 1000 keys) under prefix and keeps the newest.
func (in *inspector) objects(
	ctx context.Context, bucket, region, prefix string,
) model.Fact[[]model.Object] {
	return read(ctx, in, "s3:ListBucket",
		func(ctx context.Context) (*s3.ListObjectsV2Output, error) {
			return in.api.S3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
				Bucket: aws.String(bucket),
				Prefix: aws.String(prefix),
			}, InRegion(region))
		},
		func(out *s3.ListObjectsV2Output) []model.Object { return newest(out.Contents) })
}

// newest returns the newestObjects most recently modified objects, newest first.
func newest(contents []types.Object) []model.Object {
	objs := make([]model.Object, 0, len(contents))
	for _, o := range contents {
		objs = append(objs, model.Object{
			Key:          aws.ToString(o.Key),
			Size:         aws.ToInt64(o.Size),
			LastModified: aws.ToTime(o.LastModified),
		})
	}
	sort.SliceStable(objs, func(i, j int) bool {
		return objs[i].LastModified.After(objs[j].LastModified)
	})
	if len(objs) > newestObjects {
		objs = objs[:newestObjects]
	}
	return objs
}
