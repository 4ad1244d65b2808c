package model

// Settings are the user's answers: whose buckets, where, and for which Slateo org.
type Settings struct {
	OrgSlug string `json:"org_slug,omitempty"`
	Company string `json:"company,omitempty"`
	// UploadsBucket and CacheBucket override the names derived from Company.
	UploadsBucket string `json:"uploads_bucket,omitempty"`
	CacheBucket   string `json:"cache_bucket,omitempty"`
	Region        string `json:"region,omitempty"`
	// KMSKey is a key id, key ARN, alias name or alias ARN; empty when not using SSE-KMS.
	KMSKey string `json:"kms_key,omitempty"`
	// OrgID is Slateo's id of the organisation, the first part of every object key.
	OrgID       string `json:"org_id,omitempty"`
	Profile     string `json:"profile,omitempty"`
	EndpointURL string `json:"endpoint_url,omitempty"`
}

// UploadsBucketName returns the uploads bucket: the explicit name or {company}-slateo-uploads.
func (s Settings) UploadsBucketName() string {
	if s.UploadsBucket != "" {
		return s.UploadsBucket
	}
	if s.Company == "" {
		return ""
	}
	return s.Company + "-slateo-uploads"
}

// CacheBucketName returns the cache bucket: the explicit name or {company}-slateo-cache.
func (s Settings) CacheBucketName() string {
	if s.CacheBucket != "" {
		return s.CacheBucket
	}
	if s.Company == "" {
		return ""
	}
	return s.Company + "-slateo-cache"
}

// EffectiveRegion returns the configured region or DefaultRegion.
func (s Settings) EffectiveRegion() string {
	if s.Region == "" {
		return DefaultRegion
	}
	return s.Region
}

// RoleARN returns the ARN of the org role.
func (s Settings) RoleARN() string {
	return RoleARN(s.OrgSlug)
}

// BucketNames returns the uploads bucket and then the cache bucket.
func (s Settings) BucketNames() []string {
	return []string{s.UploadsBucketName(), s.CacheBucketName()}
}
