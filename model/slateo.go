package model

// SlateoAccountID is the AWS account that Slateo's services run in.
const SlateoAccountID = "880265510198"

// RoleNamePrefix starts the name of every per-organisation role that Slateo assumes.
const RoleNamePrefix = "slateo-prod-storage-"

// DefaultRegion is where Slateo's own infrastructure runs and the default for the buckets.
const DefaultRegion = "us-west-2"

// Statement ids of the documents the setup guide asks for. They are how the console finds its
// own statements again when it merges into a policy that holds other statements too.
const (
	SidListBucket   = "AllowSlateoListBucket"
	SidObjectAccess = "AllowSlateoObjectAccess"
	SidKMS          = "AllowSlateoKMSAccess"
)

// BucketActions are the actions the org role needs on the bucket ARN.
var BucketActions = []string{"s3:ListBucket"}

// ObjectActions are the actions the org role needs on the bucket's objects.
var ObjectActions = []string{
	"s3:GetObject",
	"s3:PutObject",
	"s3:DeleteObject",
	"s3:GetObjectTagging",
	"s3:PutObjectTagging",
}

// KMSActions are the key actions the org role needs when the buckets use SSE-KMS.
var KMSActions = []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}

// CORSOrigins are the origins the setup guide allows on the cache bucket.
var CORSOrigins = []string{"https://*.slateo.ai", "https://slateo.ai"}

// CORSMethods are the methods the setup guide allows on the cache bucket.
var CORSMethods = []string{"GET", "HEAD"}

// RoleName returns the name of the org role Slateo creates for an org slug.
func RoleName(slug string) string {
	return RoleNamePrefix + slug
}

// RoleARN returns the ARN of the org role Slateo assumes for an org slug.
func RoleARN(slug string) string {
	return "arn:aws:iam::" + SlateoAccountID + ":role/" + RoleName(slug)
}

// OrgOrigin returns the browser origin of an org's Slateo site.
func OrgOrigin(slug string) string {
	return "https://" + slug + ".slateo.ai"
}

// BucketARN returns the ARN of a bucket.
func BucketARN(bucket string) string {
	return "arn:aws:s3:::" + bucket
}

// ObjectsARN returns the ARN that covers every object of a bucket.
func ObjectsARN(bucket string) string {
	return BucketARN(bucket) + "/*"
}
