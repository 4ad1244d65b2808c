package awsops

import (
	"encoding/json"
	"sort"

	"slateo-s3/model"
)

// operationActions maps each API operation the console calls to the IAM action it needs.
// GetCallerIdentity needs none. Several S3 operations are authorised by an action of another
// name: HeadBucket and ListObjectsV2 by s3:ListBucket, the encryption calls by
// s3:*EncryptionConfiguration, DeleteBucketCors by s3:PutBucketCORS.
var operationActions = map[string]string{
	"sts:GetCallerIdentity": "",

	"s3:HeadBucket":                 "s3:ListBucket",
	"s3:ListObjectsV2":              "s3:ListBucket",
	"s3:GetBucketLocation":          "s3:GetBucketLocation",
	"s3:GetPublicAccessBlock":       "s3:GetBucketPublicAccessBlock",
	"s3:GetBucketPolicy":            "s3:GetBucketPolicy",
	"s3:GetBucketPolicyStatus":      "s3:GetBucketPolicyStatus",
	"s3:GetBucketCors":              "s3:GetBucketCORS",
	"s3:GetBucketEncryption":        "s3:GetEncryptionConfiguration",
	"s3:GetBucketOwnershipControls": "s3:GetBucketOwnershipControls",
	"s3:GetBucketVersioning":        "s3:GetBucketVersioning",
	"s3:GetBucketLogging":           "s3:GetBucketLogging",
	"s3:GetObject":                  "s3:GetObject",

	"kms:DescribeKey":  "kms:DescribeKey",
	"kms:GetKeyPolicy": "kms:GetKeyPolicy",
	"kms:ListAliases":  "kms:ListAliases",

	"cloudtrail:DescribeTrails":    "cloudtrail:DescribeTrails",
	"cloudtrail:GetTrailStatus":    "cloudtrail:GetTrailStatus",
	"cloudtrail:GetEventSelectors": "cloudtrail:GetEventSelectors",
	"cloudtrail:LookupEvents":      "cloudtrail:LookupEvents",

	"s3:CreateBucket":               "s3:CreateBucket",
	"s3:PutPublicAccessBlock":       "s3:PutBucketPublicAccessBlock",
	"s3:DeletePublicAccessBlock":    "s3:PutBucketPublicAccessBlock",
	"s3:PutBucketPolicy":            "s3:PutBucketPolicy",
	"s3:DeleteBucketPolicy":         "s3:DeleteBucketPolicy",
	"s3:PutBucketCors":              "s3:PutBucketCORS",
	"s3:DeleteBucketCors":           "s3:PutBucketCORS",
	"s3:PutBucketVersioning":        "s3:PutBucketVersioning",
	"s3:PutBucketOwnershipControls": "s3:PutBucketOwnershipControls",
	"kms:PutKeyPolicy":              "kms:PutKeyPolicy",
}

// ActionFor returns the IAM action that authorises an API operation of a service ("s3",
// "kms", "sts", "cloudtrail"); the action is empty for calls that need no permission. ok is
// false for an operation the console never calls.
func ActionFor(service, operation string) (action string, ok bool) {
	action, ok = operationActions[service+":"+operation]
	return action, ok
}

// readActions are what check, plan, events and report need.
var readActions = struct{ bucket, trailObjects, account, key []string }{
	bucket: []string{
		"s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock",
		"s3:GetBucketPolicy", "s3:GetBucketPolicyStatus", "s3:GetBucketCORS",
		"s3:GetEncryptionConfiguration", "s3:GetBucketOwnershipControls",
		"s3:GetBucketVersioning", "s3:GetBucketLogging",
	},
	// Trail log files live in a bucket the console learns of only at run time, read in
	// that bucket's own region.
	trailObjects: []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject"},
	account: []string{
		"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
		"cloudtrail:GetEventSelectors", "cloudtrail:LookupEvents", "kms:ListAliases",
	},
	key: []string{"kms:DescribeKey", "kms:GetKeyPolicy"},
}

// writeActions are the extra actions apply and restore need.
var writeActions = struct{ bucket, key []string }{
	bucket: []string{
		"s3:CreateBucket", "s3:PutBucketPublicAccessBlock", "s3:PutBucketPolicy",
		"s3:DeleteBucketPolicy", "s3:PutBucketCORS", "s3:PutBucketVersioning",
		"s3:PutBucketOwnershipControls",
	},
	key: []string{"kms:PutKeyPolicy"},
}

type iamStatement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource []string `json:"Resource"`
}

type iamPolicy struct {
	Version   string         `json:"Version"`
	Statement []iamStatement `json:"Statement"`
}

// IAMPolicy returns the least-privilege IAM policy the admin's own credentials need to run
// the console's read-only commands for these settings, and with write true also apply and
// restore. Objects are read only from trail buckets, under AWSLogs/.
func IAMPolicy(s model.Settings, write bool) string {
	var buckets []string
	for _, b := range s.BucketNames() {
		if b != "" {
			buckets = append(buckets, model.BucketARN(b))
		}
	}
	keys := []string{"arn:aws:kms:" + s.EffectiveRegion() + ":*:key/*"}
	p := iamPolicy{Version: "2012-10-17", Statement: []iamStatement{
		{Sid: "SlateoS3ReadBuckets", Effect: "Allow", Action: readActions.bucket, Resource: buckets},
		{Sid: "SlateoS3ReadTrailLogs", Effect: "Allow", Action: readActions.trailObjects,
			Resource: []string{"arn:aws:s3:::*", "arn:aws:s3:::*/AWSLogs/*"}},
		{Sid: "SlateoS3ReadAccount", Effect: "Allow", Action: readActions.account,
			Resource: []string{"*"}},
		{Sid: "SlateoS3ReadKey", Effect: "Allow", Action: readActions.key, Resource: keys},
	}}
	if write {
		p.Statement = append(p.Statement,
			iamStatement{Sid: "SlateoS3WriteBuckets", Effect: "Allow",
				Action: writeActions.bucket, Resource: buckets},
			iamStatement{Sid: "SlateoS3WriteKeyPolicy", Effect: "Allow",
				Action: writeActions.key, Resource: keys})
	}
	for i := range p.Statement {
		sort.Strings(p.Statement[i].Action)
	}
	out, _ := json.MarshalIndent(p, "", "  ")
	return string(out)
}
