package s3sim

import "strings"

// level is the kind of resource an S3 action applies to.
type level int

const (
	bucketLevel level = iota
	objectLevel
	accountLevel
)

// bucketActions are S3 actions whose resource is a bucket ARN, named as IAM names them.
var bucketActions = strings.Fields(`
CreateBucket DeleteBucket ListBucket ListBucketVersions ListBucketMultipartUploads
GetBucketLocation GetBucketPolicy PutBucketPolicy DeleteBucketPolicy GetBucketPolicyStatus
GetBucketAcl PutBucketAcl GetBucketCORS PutBucketCORS GetBucketVersioning PutBucketVersioning
GetBucketLogging PutBucketLogging GetBucketNotification PutBucketNotification
GetBucketPublicAccessBlock PutBucketPublicAccessBlock GetBucketOwnershipControls
PutBucketOwnershipControls GetBucketTagging PutBucketTagging GetBucketWebsite
PutBucketWebsite DeleteBucketWebsite GetBucketRequestPayment PutBucketRequestPayment
GetBucketObjectLockConfiguration PutBucketObjectLockConfiguration GetEncryptionConfiguration
PutEncryptionConfiguration GetLifecycleConfiguration PutLifecycleConfiguration
GetReplicationConfiguration PutReplicationConfiguration DeleteReplicationConfiguration
GetAccelerateConfiguration PutAccelerateConfiguration GetAnalyticsConfiguration
PutAnalyticsConfiguration GetInventoryConfiguration PutInventoryConfiguration
GetMetricsConfiguration PutMetricsConfiguration GetIntelligentTieringConfiguration
PutIntelligentTieringConfiguration BypassGovernanceRetention ListBucketByTags
GetBucketAbac PutBucketAbac GetBucketMetadataTableConfiguration
CreateBucketMetadataTableConfiguration DeleteBucketMetadataTableConfiguration
`)

// objectActions are S3 actions whose resource is an object ARN (bucket/key).
var objectActions = strings.Fields(`
GetObject PutObject DeleteObject GetObjectVersion DeleteObjectVersion GetObjectAcl
PutObjectAcl GetObjectVersionAcl PutObjectVersionAcl GetObjectTagging PutObjectTagging
DeleteObjectTagging GetObjectVersionTagging PutObjectVersionTagging
DeleteObjectVersionTagging GetObjectAttributes GetObjectVersionAttributes
GetObjectRetention PutObjectRetention GetObjectLegalHold PutObjectLegalHold
AbortMultipartUpload ListMultipartUploadParts RestoreObject GetObjectTorrent
GetObjectVersionTorrent GetObjectVersionForReplication ReplicateObject ReplicateDelete
ReplicateTags ObjectOwnerOverrideToBucketOwner InitiateReplication PutObjectVersionAcl
`)

// accountActions apply to no bucket or object; a bucket policy may name them only
// alongside actions that do apply.
var accountActions = strings.Fields(`
ListAllMyBuckets GetAccountPublicAccessBlock PutAccountPublicAccessBlock CreateJob
ListJobs ListAccessPoints ListStorageLensConfigurations
`)

var actionLevels = func() map[string]level {
	m := map[string]level{}
	for _, a := range bucketActions {
		m[strings.ToLower(a)] = bucketLevel
	}
	for _, a := range objectActions {
		m[strings.ToLower(a)] = objectLevel
	}
	for _, a := range accountActions {
		m[strings.ToLower(a)] = accountLevel
	}
	return m
}()

// expandAction returns the levels of every known S3 action that a policy's action string
// names (IAM compares action names case-insensitively and allows * and ? wildcards), and
// false when it names none.
func expandAction(action string) ([]level, bool) {
	a := strings.ToLower(action)
	if a == "*" {
		return []level{bucketLevel, objectLevel, accountLevel}, true
	}
	name, ok := strings.CutPrefix(a, "s3:")
	if !ok {
		return nil, false
	}
	if !strings.ContainsAny(name, "*?") {
		l, ok := actionLevels[name]
		return []level{l}, ok
	}
	var out []level
	for known, l := range actionLevels {
		if globMatch(name, known) {
			out = append(out, l)
		}
	}
	return out, len(out) > 0
}

// globMatch matches IAM-style wildcards: * is any run of characters, ? one character. It
// walks both strings once, going back only to just after the last * seen, so a pattern of
// many stars (policies are untrusted input) costs at most len(pattern)*len(s) steps.
// diagnostics/policy has its own matcher on purpose: the sandbox shares no code with the
// checker, so that a test of the checker against the sandbox does not test it with itself.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
