package diagnostics

import (
	"fmt"

	"slateo-s3/model"
)

// Check ids, stable across versions: scripts and the console refer to them.
const (
	IDBucketExists      = "bucket-exists"
	IDBucketRegion      = "bucket-region"
	IDPublicAccessBlock = "public-access-block"
	IDPolicyPrincipal   = "policy-principal"
	IDPolicyActions     = "policy-actions"
	IDPolicyResources   = "policy-resources"
	IDPolicyDeny        = "policy-deny"
	IDCORS              = "cors"
	IDEncryption        = "encryption"
	IDKMSGrant          = "kms-grant"
	IDObjectOwnership   = "object-ownership"
	IDVersioning        = "versioning"
	IDAccessLogging     = "access-logging"
	IDSlateoObjects     = "slateo-objects"
	IDDistinctBuckets   = "distinct-buckets"
	IDCloudTrail        = "cloudtrail"
)

// BucketCheckIDs are the ids of the per-bucket checks, in checklist order.
var BucketCheckIDs = []string{
	IDBucketExists, IDBucketRegion, IDPublicAccessBlock, IDPolicyPrincipal, IDPolicyActions,
	IDPolicyResources, IDPolicyDeny, IDCORS, IDEncryption, IDKMSGrant, IDObjectOwnership,
	IDVersioning, IDAccessLogging, IDSlateoObjects,
}

// AccountCheckIDs are the ids of the account-level checks, in checklist order.
var AccountCheckIDs = []string{IDDistinctBuckets, IDCloudTrail}

func newCheck(id, bucket string, st model.Status, summary string) model.Check {
	return model.Check{ID: id, Bucket: bucket, Status: st, Summary: summary}
}

func pass(id, bucket, summary, detail string) model.Check {
	c := newCheck(id, bucket, model.Pass, summary)
	c.Detail = detail
	return c
}

func withFix(c model.Check, detail, fix string) model.Check {
	c.Detail, c.Fix = detail, fix
	return c
}

// unreadable is the unknown check for a fact that could not be read.
func unreadable[T any](id, bucket, what string, f model.Fact[T]) model.Check {
	reason := f.Reason
	if reason == "" {
		reason = "it was not read"
	}
	c := newCheck(id, bucket, model.Unknown, fmt.Sprintf("could not read %s: %s", what, reason))
	if f.MissingAction != "" {
		c.Detail = fmt.Sprintf("Your credentials lack %s, so this cannot be checked.",
			f.MissingAction)
		c.Fix = fmt.Sprintf("Allow %s to the identity that runs slateo-s3, then check again.",
			f.MissingAction)
	}
	return c
}

// worst returns the most serious status: fail, then unknown, then warn, then pass.
func worst(sts ...model.Status) model.Status {
	rank := map[model.Status]int{model.Skip: 0, model.Pass: 1, model.Warn: 2,
		model.Unknown: 3, model.Fail: 4}
	out := model.Skip
	for _, s := range sts {
		if rank[s] > rank[out] {
			out = s
		}
	}
	return out
}

// sanitize makes every text of a check safe for a terminal: they quote AWS strings.
func sanitize(c model.Check) model.Check {
	c.Bucket = model.CleanLine(c.Bucket)
	c.Summary = model.CleanLine(c.Summary)
	c.Detail = model.Clean(c.Detail, true)
	c.Fix = model.Clean(c.Fix, true)
	return c
}
