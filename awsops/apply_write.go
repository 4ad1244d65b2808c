package awsops

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"slateo-s3/model"
)

// writeDocument makes doc the document of kind on target; doc "" deletes it (for
// versioning, which cannot be removed once enabled, it suspends it).
func (a *Applier) writeDocument(ctx context.Context, kind, target, region, doc string) error {
	ctx, cancel := a.call(ctx)
	defer cancel()
	switch kind {
	case KindCreateBucket:
		return a.createBucket(ctx, target, region, doc)
	case KindPublicAccessBlock:
		return a.writePAB(ctx, target, region, doc)
	case KindBucketPolicy:
		return a.writePolicy(ctx, target, region, doc)
	case KindCORS:
		return a.writeCORS(ctx, target, region, doc)
	case KindKeyPolicy:
		_, err := a.KMS.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(target),
			PolicyName: aws.String("default"), Policy: aws.String(doc)}, kmsRegion(region))
		return err
	case KindVersioning:
		return a.writeVersioning(ctx, target, region, doc)
	case KindOwnership:
		return a.writeOwnership(ctx, target, region, doc)
	}
	return fmt.Errorf("unknown kind of change %q", kind)
}

func (a *Applier) createBucket(ctx context.Context, bucket, region, doc string) error {
	if doc == "" {
		return fmt.Errorf("deleting bucket %s: the console never deletes a bucket", bucket)
	}
	var d createDocument
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return fmt.Errorf("reading the creation document of %s: %w", bucket, err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if d.CreateBucketConfiguration != nil {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{
			LocationConstraint: s3types.BucketLocationConstraint(
				d.CreateBucketConfiguration.LocationConstraint),
		}
	}
	_, err := a.S3.CreateBucket(ctx, in, InRegion(region))
	return err
}

func (a *Applier) writePAB(ctx context.Context, bucket, region, doc string) error {
	b := aws.String(bucket)
	if doc == "" {
		_, err := a.S3.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: b},
			InRegion(region))
		return err
	}
	var d pabDocument
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return fmt.Errorf("reading the public access block document of %s: %w", bucket, err)
	}
	_, err := a.S3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls:       aws.Bool(d.BlockPublicAcls),
			IgnorePublicAcls:      aws.Bool(d.IgnorePublicAcls),
			BlockPublicPolicy:     aws.Bool(d.BlockPublicPolicy),
			RestrictPublicBuckets: aws.Bool(d.RestrictPublicBuckets),
		}}, InRegion(region))
	return err
}

func (a *Applier) writePolicy(ctx context.Context, bucket, region, doc string) error {
	b := aws.String(bucket)
	if doc == "" {
		_, err := a.S3.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b},
			InRegion(region))
		return err
	}
	_, err := a.S3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b,
		Policy: aws.String(doc)}, InRegion(region))
	return err
}

func (a *Applier) writeCORS(ctx context.Context, bucket, region, doc string) error {
	b := aws.String(bucket)
	rules, err := model.ParseCORSRulesJSON(doc)
	if err != nil {
		return err
	}
	if len(rules) == 0 {
		_, err := a.S3.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b},
			InRegion(region))
		return err
	}
	_, err = a.S3.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b,
		CORSConfiguration: &s3types.CORSConfiguration{CORSRules: rulesToSDK(rules)}},
		InRegion(region))
	return err
}

func (a *Applier) writeVersioning(ctx context.Context, bucket, region, doc string) error {
	status := s3types.BucketVersioningStatusSuspended
	if doc != "" {
		var d versioningDocument
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return fmt.Errorf("reading the versioning document of %s: %w", bucket, err)
		}
		status = s3types.BucketVersioningStatus(d.Status)
	}
	_, err := a.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket:                  aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: status},
	}, InRegion(region))
	return err
}

func (a *Applier) writeOwnership(ctx context.Context, bucket, region, doc string) error {
	b := aws.String(bucket)
	if doc == "" {
		_, err := a.S3.DeleteBucketOwnershipControls(ctx,
			&s3.DeleteBucketOwnershipControlsInput{Bucket: b}, InRegion(region))
		return err
	}
	var d ownershipDocument
	if err := json.Unmarshal([]byte(doc), &d); err != nil || len(d.Rules) != 1 {
		return fmt.Errorf("reading the ownership document of %s: want one rule", bucket)
	}
	_, err := a.S3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket: b,
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{
			{ObjectOwnership: s3types.ObjectOwnership(d.Rules[0].ObjectOwnership)},
		}},
	}, InRegion(region))
	return err
}
