package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"slateo-s3/model"
)

// noneCodes are the error codes with which S3 says that a document does not exist.
var noneCodes = map[string]bool{
	"NoSuchBucketPolicy":                   true,
	"NoSuchCORSConfiguration":              true,
	"NoSuchPublicAccessBlockConfiguration": true,
	"OwnershipControlsNotFoundError":       true,
}

// apiCode returns the AWS error code of err, or "" when AWS did not answer with one.
func apiCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func apiMessage(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	return ""
}

// pabDocument is a public access block in the shape of the AWS CLI's JSON.
type pabDocument struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

type versioningDocument struct {
	Status string
}

type ownershipDocument struct {
	Rules []ownershipRule
}

type ownershipRule struct {
	ObjectOwnership string
}

type createDocument struct {
	Bucket                    string
	CreateBucketConfiguration *createConfig `json:",omitempty"`
}

type createConfig struct {
	LocationConstraint string
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("rendering %T: %v", v, err))
	}
	return string(b)
}

// createBucketDoc describes the CreateBucket call for a bucket in region: every region but
// us-east-1 must be named as the LocationConstraint, and us-east-1 must not be.
func createBucketDoc(bucket, region string) string {
	doc := createDocument{Bucket: bucket}
	if region != "us-east-1" {
		doc.CreateBucketConfiguration = &createConfig{LocationConstraint: region}
	}
	return jsonText(doc)
}

func allOnPABDoc() string {
	return jsonText(pabDocument{true, true, true, true})
}

func versioningDoc(status string) string {
	if status == "" {
		return ""
	}
	return jsonText(versioningDocument{Status: status})
}

func ownershipDoc(value string) string {
	if value == "" {
		return ""
	}
	return jsonText(ownershipDocument{Rules: []ownershipRule{{ObjectOwnership: value}}})
}

func kmsRegion(region string) func(*kms.Options) {
	return func(o *kms.Options) {
		if region != "" {
			o.Region = region
		}
	}
}

// ReadDocument reads the current document of kind (KindBucketPolicy, KindCORS, ...) on
// target, a bucket or key ARN in region, in the form Change.Before holds it; "" means none
// exists.
func (a *Applier) ReadDocument(ctx context.Context, kind, target, region string) (
	string, error) {
	ctx, cancel := a.call(ctx)
	defer cancel()
	doc, err := a.readRaw(ctx, kind, target, region)
	if err != nil && noneCodes[apiCode(err)] {
		return "", nil
	}
	if err != nil && applyDeniedCodes[apiCode(err)] {
		return "", fmt.Errorf("reading %s of %s: your credentials lack %s: %w", kind, target,
			applyReadActions[kind], err)
	}
	if err != nil {
		return "", fmt.Errorf("reading %s of %s: %w", kind, target, err)
	}
	return doc, nil
}

// applyDeniedCodes are the codes with which AWS refuses a call to the caller's credentials.
var applyDeniedCodes = map[string]bool{"AccessDenied": true, "AccessDeniedException": true,
	"Forbidden": true}

// applyReadActions name the IAM action each kind of document is read with.
var applyReadActions = map[string]string{
	KindCreateBucket:      "s3:ListBucket",
	KindPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
	KindBucketPolicy:      "s3:GetBucketPolicy",
	KindCORS:              "s3:GetBucketCORS",
	KindKeyPolicy:         "kms:GetKeyPolicy",
	KindVersioning:        "s3:GetBucketVersioning",
	KindOwnership:         "s3:GetBucketOwnershipControls",
}

func (a *Applier) readRaw(ctx context.Context, kind, target, region string) (string, error) {
	b := aws.String(target)
	in := InRegion(region)
	switch kind {
	case KindCreateBucket:
		return a.readBucket(ctx, target, region)
	case KindPublicAccessBlock:
		out, err := a.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b}, in)
		if err != nil {
			return "", err
		}
		return pabJSON(out.PublicAccessBlockConfiguration), nil
	case KindBucketPolicy:
		out, err := a.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b}, in)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.Policy), nil
	case KindCORS:
		out, err := a.S3.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b}, in)
		if err != nil {
			return "", err
		}
		return model.CORSRulesJSON(corsRules(out.CORSRules)), nil
	}
	return a.readOther(ctx, kind, target, region)
}

func (a *Applier) readOther(ctx context.Context, kind, target, region string) (string, error) {
	b := aws.String(target)
	in := InRegion(region)
	switch kind {
	case KindKeyPolicy:
		out, err := a.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: b,
			PolicyName: aws.String("default")}, kmsRegion(region))
		if err != nil {
			return "", err
		}
		return aws.ToString(out.Policy), nil
	case KindVersioning:
		out, err := a.S3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}, in)
		if err != nil {
			return "", err
		}
		return versioningDoc(string(out.Status)), nil
	case KindOwnership:
		out, err := a.S3.GetBucketOwnershipControls(ctx,
			&s3.GetBucketOwnershipControlsInput{Bucket: b}, in)
		if err != nil {
			return "", err
		}
		return ownershipDoc(ownershipOf(out.OwnershipControls)), nil
	}
	return "", fmt.Errorf("unknown kind of change %q", kind)
}

// readBucket returns the creation document of an existing bucket, or "" when it is missing.
func (a *Applier) readBucket(ctx context.Context, bucket, region string) (string, error) {
	out, err := a.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)},
		InRegion(region))
	var notFound *s3types.NotFound
	if errors.As(err, &notFound) || apiCode(err) == "NotFound" {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if r := aws.ToString(out.BucketRegion); r != "" {
		region = r
	}
	return createBucketDoc(bucket, region), nil
}

func pabJSON(c *s3types.PublicAccessBlockConfiguration) string {
	if c == nil {
		return ""
	}
	return jsonText(pabDocument{
		BlockPublicAcls:       aws.ToBool(c.BlockPublicAcls),
		IgnorePublicAcls:      aws.ToBool(c.IgnorePublicAcls),
		BlockPublicPolicy:     aws.ToBool(c.BlockPublicPolicy),
		RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets),
	})
}

func ownershipOf(c *s3types.OwnershipControls) string {
	if c == nil || len(c.Rules) == 0 {
		return ""
	}
	return string(c.Rules[0].ObjectOwnership)
}

func rulesToSDK(in []model.CORSRule) []s3types.CORSRule {
	out := make([]s3types.CORSRule, len(in))
	for i, r := range in {
		out[i] = s3types.CORSRule{
			AllowedHeaders: r.AllowedHeaders,
			AllowedMethods: r.AllowedMethods,
			AllowedOrigins: r.AllowedOrigins,
			ExposeHeaders:  r.ExposeHeaders,
		}
		if r.ID != "" {
			out[i].ID = aws.String(r.ID)
		}
		if r.MaxAgeSeconds != 0 {
			out[i].MaxAgeSeconds = aws.Int32(r.MaxAgeSeconds)
		}
	}
	return out
}
