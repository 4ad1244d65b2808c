// Package scenario builds the sandbox's starting accounts.
//
//   - empty: nothing but the AWS-managed keys, which KMS makes on first use.
//   - healthy: org acme, company acme, us-west-2, set up exactly as Slateo's guide says:
//     buckets acme-slateo-uploads and acme-slateo-cache with all four public-access flags,
//     the guide's bucket policies for the org role, the guide's CORS rule on the cache
//     bucket, SSE-KMS on both with the customer-managed key alias/acme-slateo whose policy
//     holds the key-admin default statement plus AllowSlateoKMSAccess, versioning on, server
//     access logs to acme-slateo-access-logs, and the multi-region trail acme-slateo-audit
//     (bucket acme-cloudtrail-logs) logging management events and S3 data events of both
//     buckets. Objects lie under org_7f3a/uploads/ and org_7f3a/query-cache/parquet/ (org id
//     org_7f3a). History: the admin's setup calls three days ago in the journal, and the
//     org role's successful object calls of the last day in the trail's log files, with the
//     key owner's copies of the KMS calls S3 made for them in the journal.
//   - broken: the same org, with the faults the runbooks describe. Acme also runs a staging
//     org in Slateo, acme-staging, and the uploads bucket's policy names that org's role:
//     the wrong slug. Slateo has created that role, so AWS accepts the policy (it refuses a
//     role that does not exist); the scenario adds acme-staging to the sandbox's org roles
//     for that reason (OrgRoles). The cache bucket's policy grants the object
//     actions on the bucket ARN only (no "/*"). The guide's CORS rule sits on the uploads
//     bucket, not the cache bucket. RestrictPublicBuckets is off on the cache bucket. Both
//     buckets use SSE-KMS with alias/acme-slateo, whose policy no longer names the org
//     role. No access logging; versioning only on uploads. History, all within the last
//     24 hours: the admin's first, correct setup; the org role's successful object calls
//     (with the KMS owner copies in the journal); the admin's later changes in the journal,
//     among them a PutBucketPolicy refused by BlockPublicPolicy; and then the org role's
//     denied GetObject and PutObject calls, as data events in the trail's log files.
//
// Trail log files are gzip JSON documents {"Records":[...]} at
// AWSLogs/<account>/CloudTrail/us-west-2/YYYY/MM/DD/<account>_CloudTrail_us-west-2_<time>_<16
// letters and digits>.json.gz in acme-cloudtrail-logs, one file per hour of activity.
package scenario

import (
	"fmt"
	"time"

	"slateo-s3/awsops/sandbox/kmssim"
	"slateo-s3/awsops/sandbox/s3sim"
	"slateo-s3/awsops/sandbox/simcore"
	"slateo-s3/awsops/sandbox/trailsim"
)

// Target is the account a scenario builds: its environment and its services.
type Target struct {
	Env   simcore.Env
	S3    *s3sim.Service
	KMS   *kmssim.Service
	Trail *trailsim.Service
}

// Names lists the scenarios Apply knows.
var Names = []string{"empty", "healthy", "broken"}

// The names and values the healthy and broken scenarios use.
const (
	OrgSlug          = "acme"
	Company          = "acme"
	Region           = "us-west-2"
	OrgID            = "org_7f3a"
	UploadsBucket    = "acme-slateo-uploads"
	CacheBucket      = "acme-slateo-cache"
	AccessLogsBucket = "acme-slateo-access-logs"
	TrailBucket      = "acme-cloudtrail-logs"
	TrailName        = "acme-slateo-audit"
	KeyAlias         = "alias/acme-slateo"
	// OrgRoleARN is the org role the guide asks the policies to name.
	OrgRoleARN = "arn:aws:iam::" + simcore.SlateoAccount + ":role/" + simcore.SlateoRolePrefix +
		OrgSlug
	// SiblingSlug is the customer's other Slateo org, whose role the broken scenario's
	// uploads policy names by mistake.
	SiblingSlug = "acme-staging"
	// WrongPrincipal is the broken scenario's principal on the uploads bucket: the role of
	// the wrong org slug.
	WrongPrincipal = "arn:aws:iam::" + simcore.SlateoAccount + ":role/" +
		simcore.SlateoRolePrefix + SiblingSlug
)

// OrgRoles returns the org slugs whose Slateo role a scenario needs to exist besides the
// sandbox's own: a policy may only name a role that exists.
func OrgRoles(name string) []string {
	if name == "broken" {
		return []string{SiblingSlug}
	}
	return nil
}

// Apply builds the named scenario into an account that holds nothing yet.
func Apply(name string, t Target) error {
	var err error
	switch name {
	case "empty":
		// The AWS-managed aws/s3 key exists from the start.
		_, err = t.KMS.Key(Region, kmssim.ManagedS3Alias)
	case "healthy":
		err = healthy(t)
	case "broken":
		err = broken(t)
	default:
		return fmt.Errorf("unknown scenario %q; want one of %v", name, Names)
	}
	if err != nil {
		return fmt.Errorf("building scenario %q: %w", name, err)
	}
	return nil
}

// now is the scenario's reference time, to the second.
func now(t Target) time.Time {
	if t.Env.Now == nil {
		return time.Now().UTC().Truncate(time.Second)
	}
	return t.Env.Now().UTC().Truncate(time.Second)
}
