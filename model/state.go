package model

import "time"

// Purpose says which of Slateo's two buckets a bucket is.
type Purpose string

// The two buckets Slateo uses.
const (
	Uploads Purpose = "uploads"
	Cache   Purpose = "cache"
)

// State is everything the console read from AWS in one inspection.
type State struct {
	Settings Settings `json:"settings"`
	// Caller is who the admin's own credentials are.
	Caller Fact[Caller] `json:"caller"`
	// Buckets holds the uploads bucket first and the cache bucket second.
	Buckets []BucketState `json:"buckets"`
	// Keys holds the KMS keys that matter: the configured --kms-key and every key a bucket's
	// default encryption names, each once.
	Keys []KeyState `json:"keys,omitempty"`
	// Trails are the CloudTrail trails visible in the region.
	Trails Fact[[]Trail] `json:"trails"`
	// ReadAt is when the inspection finished.
	ReadAt time.Time `json:"read_at"`
}

// Caller is the identity behind the admin's credentials (STS GetCallerIdentity).
type Caller struct {
	Account string `json:"account"`
	ARN     string `json:"arn"`
	UserID  string `json:"user_id"`
}

// Presence says whether a bucket exists and who owns it.
type Presence string

// The answers HeadBucket gives about a bucket.
const (
	// Owned means the bucket exists in the caller's account.
	Owned Presence = "owned"
	// Missing means no bucket has that name.
	Missing Presence = "missing"
	// Foreign means the name is taken by a bucket that the caller's account does not own.
	Foreign Presence = "foreign"
)

// BucketState is what was read about one bucket. Facts after Presence are only read when the
// bucket is Owned; otherwise they stay CouldNotRead with the reason.
type BucketState struct {
	Name              string                  `json:"name"`
	Purpose           Purpose                 `json:"purpose"`
	Presence          Fact[Presence]          `json:"presence"`
	Region            Fact[string]            `json:"region"`
	PublicAccessBlock Fact[PublicAccessBlock] `json:"public_access_block"`
	// Policy is the bucket policy JSON exactly as S3 returned it.
	Policy     Fact[string]     `json:"policy"`
	CORS       Fact[[]CORSRule] `json:"cors"`
	Encryption Fact[Encryption] `json:"encryption"`
	Ownership  Fact[string]     `json:"ownership"`
	Versioning Fact[string]     `json:"versioning"`
	Logging    Fact[Logging]    `json:"logging"`
	// Objects maps each of the org's prefixes ({org-id}/uploads/, {org-id}/query-cache/parquet/)
	// to its newest objects; empty when the org id is not known.
	Objects map[string]Fact[[]Object] `json:"objects,omitempty"`
}

// PublicAccessBlock is a bucket's Block Public Access configuration.
type PublicAccessBlock struct {
	BlockPublicAcls       bool `json:"block_public_acls"`
	IgnorePublicAcls      bool `json:"ignore_public_acls"`
	BlockPublicPolicy     bool `json:"block_public_policy"`
	RestrictPublicBuckets bool `json:"restrict_public_buckets"`
}

// AllOn reports whether all four flags are set, as the setup guide requires.
func (p PublicAccessBlock) AllOn() bool {
	return p.BlockPublicAcls && p.IgnorePublicAcls && p.BlockPublicPolicy && p.RestrictPublicBuckets
}

// CORSRule is one rule of a bucket's CORS configuration.
type CORSRule struct {
	ID             string   `json:"id,omitempty"`
	AllowedHeaders []string `json:"allowed_headers,omitempty"`
	AllowedMethods []string `json:"allowed_methods"`
	AllowedOrigins []string `json:"allowed_origins"`
	ExposeHeaders  []string `json:"expose_headers,omitempty"`
	MaxAgeSeconds  int32    `json:"max_age_seconds,omitempty"`
}

// Encryption is a bucket's default encryption rule.
type Encryption struct {
	// Algorithm is AES256, aws:kms or aws:kms:dsse.
	Algorithm string `json:"algorithm"`
	// KMSKeyID is the key id, key ARN, alias name or alias ARN exactly as configured; empty
	// with aws:kms means the AWS-managed aws/s3 key.
	KMSKeyID         string `json:"kms_key_id,omitempty"`
	BucketKeyEnabled bool   `json:"bucket_key_enabled"`
}

// UsesKMS reports whether the bucket encrypts new objects with a KMS key.
func (e Encryption) UsesKMS() bool {
	return e.Algorithm == "aws:kms" || e.Algorithm == "aws:kms:dsse"
}

// Logging is a bucket's server access logging setting; an empty TargetBucket means off.
type Logging struct {
	TargetBucket string `json:"target_bucket,omitempty"`
	TargetPrefix string `json:"target_prefix,omitempty"`
}

// Object is one object found under an org prefix.
type Object struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	LastModified time.Time `json:"last_modified"`
}

// KeyState is what was read about one KMS key.
type KeyState struct {
	// Ref is the key as the settings or a bucket's encryption named it (id, ARN or alias).
	Ref      string            `json:"ref"`
	Metadata Fact[KeyMetadata] `json:"metadata"`
	// Policy is the key policy JSON exactly as KMS returned it.
	Policy Fact[string] `json:"policy"`
}

// KeyMetadata is the part of KMS DescribeKey the checks use.
type KeyMetadata struct {
	KeyID   string `json:"key_id"`
	ARN     string `json:"arn"`
	Account string `json:"account"`
	Region  string `json:"region"`
	// State is KMS's KeyState: Enabled, Disabled, PendingDeletion, ...
	State   string `json:"state"`
	Enabled bool   `json:"enabled"`
	// Manager is AWS for AWS-managed keys (aws/s3) and CUSTOMER otherwise.
	Manager      string     `json:"manager"`
	DeletionDate *time.Time `json:"deletion_date,omitempty"`
}

// Trail is one CloudTrail trail and what it records.
type Trail struct {
	Name        string `json:"name"`
	ARN         string `json:"arn"`
	HomeRegion  string `json:"home_region"`
	MultiRegion bool   `json:"multi_region"`
	// Bucket and KeyPrefix say where the trail delivers its log files.
	Bucket    string               `json:"bucket"`
	KeyPrefix string               `json:"key_prefix,omitempty"`
	IsLogging Fact[bool]           `json:"is_logging"`
	Selectors Fact[EventSelectors] `json:"selectors"`
}

// EventSelectors are a trail's basic or advanced event selectors; a trail has one kind only.
type EventSelectors struct {
	Basic    []BasicSelector    `json:"basic,omitempty"`
	Advanced []AdvancedSelector `json:"advanced,omitempty"`
}

// BasicSelector is one classic CloudTrail event selector.
type BasicSelector struct {
	ReadWriteType           string         `json:"read_write_type"`
	IncludeManagementEvents bool           `json:"include_management_events"`
	DataResources           []DataResource `json:"data_resources,omitempty"`
}

// DataResource names the data events a basic selector records, such as
// AWS::S3::Object with values "arn:aws:s3:::bucket/".
type DataResource struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// AdvancedSelector is one advanced CloudTrail event selector.
type AdvancedSelector struct {
	Name           string          `json:"name,omitempty"`
	FieldSelectors []FieldSelector `json:"field_selectors"`
}

// FieldSelector is one condition of an advanced selector.
type FieldSelector struct {
	Field         string   `json:"field"`
	Equals        []string `json:"equals,omitempty"`
	StartsWith    []string `json:"starts_with,omitempty"`
	EndsWith      []string `json:"ends_with,omitempty"`
	NotEquals     []string `json:"not_equals,omitempty"`
	NotStartsWith []string `json:"not_starts_with,omitempty"`
	NotEndsWith   []string `json:"not_ends_with,omitempty"`
}
