package scenario

import (
	"strings"

	"slateo-s3/awsops/sandbox/simcore"
)

// guidePolicy is the bucket policy Slateo's guide asks for.
func guidePolicy(bucket, principal string) string {
	return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowSlateoListBucket",
      "Effect": "Allow",
      "Principal": {"AWS": "` + principal + `"},
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::` + bucket + `"
    },
    {
      "Sid": "AllowSlateoObjectAccess",
      "Effect": "Allow",
      "Principal": {"AWS": "` + principal + `"},
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                 "s3:GetObjectTagging", "s3:PutObjectTagging"],
      "Resource": "arn:aws:s3:::` + bucket + `/*"
    }
  ]
}`
}

// bucketOnlyPolicy grants the org role every action the guide names, on the bucket ARN
// alone: S3 accepts it because s3:ListBucket applies there, but no object call is allowed.
func bucketOnlyPolicy(bucket string) string {
	return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowSlateo",
      "Effect": "Allow",
      "Principal": {"AWS": "` + OrgRoleARN + `"},
      "Action": ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                 "s3:GetObjectTagging", "s3:PutObjectTagging"],
      "Resource": "arn:aws:s3:::` + bucket + `"
    }
  ]
}`
}

// publicPolicy is what the broken scenario's admin first tried on the uploads bucket, which
// BlockPublicPolicy refuses.
func publicPolicy(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
		`"Action":"s3:*","Resource":["arn:aws:s3:::` + bucket + `","arn:aws:s3:::` + bucket +
		`/*"]}]}`
}

// trailBucketPolicy lets CloudTrail check the trail bucket and write the account's logs.
func trailBucketPolicy(account string) string {
	trailARN := "arn:aws:cloudtrail:" + Region + ":" + account + ":trail/" + TrailName
	return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AWSCloudTrailAclCheck",
      "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "s3:GetBucketAcl",
      "Resource": "arn:aws:s3:::` + TrailBucket + `",
      "Condition": {"StringEquals": {"aws:SourceArn": "` + trailARN + `"}}
    },
    {
      "Sid": "AWSCloudTrailWrite",
      "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::` + TrailBucket + `/AWSLogs/` + account + `/*",
      "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                     "aws:SourceArn": "` + trailARN + `"}}
    }
  ]
}`
}

// guideCORS is the cache bucket's CORS rule from the guide.
const guideCORS = `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedHeader>*</AllowedHeader>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedOrigin>https://*.slateo.ai</AllowedOrigin>
    <AllowedOrigin>https://slateo.ai</AllowedOrigin>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`

// keyPolicy is a customer-managed key's policy: the key-admin default statement, plus the
// guide's AllowSlateoKMSAccess when withSlateo.
func keyPolicy(account string, withSlateo bool) string {
	statements := []string{`{
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  }`}
	if withSlateo {
		statements = append(statements, `{
    "Sid" : "AllowSlateoKMSAccess",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "`+OrgRoleARN+`"
    },
    "Action" : [ "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey" ],
    "Resource" : "*"
  }`)
	}
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ ` + strings.Join(statements, ", ") + ` ]
}`
}

// s3Resource is a bucket as a CloudTrail record's resource.
func s3Resource(account, bucket string) []simcore.Resource {
	return []simcore.Resource{{AccountID: account, Type: "AWS::S3::Bucket",
		ARN: "arn:aws:s3:::" + bucket}}
}
