package ui

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"slateo-s3/awsops"
)

func TestCLIEquivalent(t *testing.T) {
	tests := []struct {
		name     string
		call     awsops.Call
		endpoint string
		want     string
	}{
		{
			name: "s3 read with owner",
			call: awsops.Call{Service: "S3", Operation: "GetBucketCors",
				Input: &s3.GetBucketCorsInput{Bucket: aws.String("acme-slateo-cache"),
					ExpectedBucketOwner: aws.String("111122223333")}},
			want: "aws s3api get-bucket-cors --bucket acme-slateo-cache " +
				"--expected-bucket-owner 111122223333 --region us-west-2",
		},
		{
			name: "version suffix and ints",
			call: awsops.Call{Service: "S3", Operation: "ListObjectsV2",
				Input: &s3.ListObjectsV2Input{Bucket: aws.String("b"), Prefix: aws.String("o 1/"),
					MaxKeys: aws.Int32(5)}},
			want: "aws s3api list-objects-v2 --bucket b --max-keys 5 --prefix 'o 1/' " +
				"--region us-west-2",
		},
		{
			name: "kms with endpoint",
			call: awsops.Call{Service: "KMS", Operation: "GetKeyPolicy",
				Input: &kms.GetKeyPolicyInput{KeyId: aws.String("alias/slateo"),
					PolicyName: aws.String("default")}},
			endpoint: "http://127.0.0.1:4566",
			want: "aws kms get-key-policy --key-id alias/slateo --policy-name default " +
				"--region us-west-2 --endpoint-url http://127.0.0.1:4566",
		},
		{
			name: "lists and bools",
			call: awsops.Call{Service: "CloudTrail", Operation: "DescribeTrails",
				Input: &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(false),
					TrailNameList: []string{"a"}}},
			want: `aws cloudtrail describe-trails --no-include-shadow-trails ` +
				`--trail-name-list '["a"]' --region us-west-2`,
		},
		{
			name: "hostile bucket name is quoted and cleaned",
			call: awsops.Call{Service: "S3", Operation: "HeadBucket",
				Input: &s3.HeadBucketInput{Bucket: aws.String("x'; rm -rf /\x1b[2J")}},
			want: `aws s3api head-bucket --bucket 'x'\''; rm -rf /[2J' --region us-west-2`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cliEquivalent(tt.call, "us-west-2", tt.endpoint)
			if got != tt.want {
				t.Errorf("cliEquivalent =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"GetBucketCors":       "get-bucket-cors",
		"ListObjectsV2":       "list-objects-v2",
		"KeyId":               "key-id",
		"GetCallerIdentity":   "get-caller-identity",
		"SSECustomerKey":      "sse-customer-key",
		"ExpectedBucketOwner": "expected-bucket-owner",
	} {
		t.Run(in, func(t *testing.T) {
			if got := kebab(in); got != want {
				t.Errorf("kebab(%q) = %q, want %q", in, got, want)
			}
		})
	}
}
