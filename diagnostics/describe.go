package diagnostics

var descriptions = map[string]string{
	IDBucketExists: "The bucket exists and belongs to your AWS account. Bucket names are " +
		"global and case-sensitive; a name owned by another account would hand your data to it.",
	IDBucketRegion: "The bucket is in the region you configured, which is the AWS Region " +
		"Slateo is told to use. Any region works; us-west-2 is closest to Slateo.",
	IDPublicAccessBlock: "All four Block Public Access flags (BlockPublicAcls, " +
		"IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) are on, as the setup " +
		"guide requires. Slateo's access comes from the bucket policy, never from public access.",
	IDPolicyPrincipal: "An Allow statement of the bucket policy names exactly the org role " +
		"arn:aws:iam::880265510198:role/slateo-prod-storage-{org-slug}. A grant to Slateo's " +
		"whole account is a warning: it lets any Slateo role in, not just your org's.",
	IDPolicyActions: "The bucket policy allows the org role s3:ListBucket and the five " +
		"object actions (Get, Put, Delete, GetObjectTagging, PutObjectTagging), conditions " +
		"evaluated for Slateo calling over TLS from its own account.",
	IDPolicyResources: "The policy's resources cover both the bucket itself " +
		"(arn:aws:s3:::BUCKET, for listing) and its objects (arn:aws:s3:::BUCKET/*).",
	IDPolicyDeny: "No Deny statement blocks the org role: not a NotPrincipal that forgets " +
		"the role session, not an organization or VPC restriction Slateo cannot meet. A " +
		"deny-insecure-transport statement is fine.",
	IDCORS: "On the cache bucket, CORS lets browsers on https://{org-slug}.slateo.ai and " +
		"https://slateo.ai GET and HEAD query results, matched as S3 matches (first rule " +
		"wins). The uploads bucket needs no CORS.",
	IDEncryption: "Default encryption is SSE-S3 or SSE-KMS with a customer-managed key. The " +
		"AWS-managed aws/s3 key can never be used by another account, so it fails.",
	IDKMSGrant: "With SSE-KMS, the key policy allows the org role kms:Decrypt, kms:Encrypt " +
		"and kms:GenerateDataKey; the key is in the bucket's region, enabled and not pending " +
		"deletion.",
	IDObjectOwnership: "Object Ownership is BucketOwnerEnforced: ACLs are off and your " +
		"account owns every object Slateo writes.",
	IDVersioning: "Versioning is enabled, which protects against accidental deletion " +
		"(recommended, optional).",
	IDAccessLogging: "Server access logging is on, to a separate bucket (recommended).",
	IDSlateoObjects: "Slateo has written objects under the org's prefix: " +
		"{org-id}/uploads/ in the uploads bucket, {org-id}/query-cache/parquet/ in the cache " +
		"bucket. This proves the integration end to end.",
	IDDistinctBuckets: "Uploads and cache are two different buckets, as Slateo requires " +
		"(isolation, different lifecycle policies).",
	IDCloudTrail: "A trail is logging in the buckets' region and records S3 data events for " +
		"both buckets, so a denied GetObject or PutObject by Slateo can be looked up.",
}

// Describe says in one or two sentences what a check verifies; empty for an unknown id.
func Describe(id string) string {
	return descriptions[id]
}
