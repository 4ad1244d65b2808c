package s3sim

import (
	"sort"
	"strings"
)

// The Go API below is what scenarios use to build an account. Each call validates exactly
// as the matching HTTP operation does and returns its *Error, but records no CloudTrail
// event.

// CreateBucket creates a bucket in region, as CreateBucket signed for that region with a
// matching LocationConstraint would, with the 2023 defaults.
func (s *Service) CreateBucket(name, region string) error {
	constraint := region
	if region == "" || region == "us-east-1" {
		region, constraint = "us-east-1", ""
	}
	if _, ok := locationConstraints[region]; !ok && region != "us-east-1" {
		return placeErr(region)
	}
	return asError(s.createBucket(name, region, constraint, ""))
}

func placeErr(region string) error {
	_, _, err := placeBucket("us-east-1", region, true)
	return asError(err)
}

// PutBucketPolicy validates and stores a bucket policy, as PutBucketPolicy does.
func (s *Service) PutBucketPolicy(bucket, policyJSON string) error {
	return asError(s.putPolicy(bucket, policyJSON, s.env.CallerARN()))
}

// PutPublicAccessBlock sets the bucket's four Block Public Access flags.
func (s *Service) PutPublicAccessBlock(bucket string, blockPublicAcls, ignorePublicAcls,
	blockPublicPolicy, restrictPublicBuckets bool) error {
	return asError(s.putPublicAccessBlock(bucket, publicAccessBlock{
		BlockPublicAcls: blockPublicAcls, IgnorePublicAcls: ignorePublicAcls,
		BlockPublicPolicy: blockPublicPolicy, RestrictPublicBuckets: restrictPublicBuckets,
	}))
}

// PutBucketCORS replaces the bucket's CORS rules with those of a <CORSConfiguration>
// document.
func (s *Service) PutBucketCORS(bucket, corsXML string) error {
	rules, err := parseCORS([]byte(corsXML))
	if err != nil {
		return asError(err)
	}
	return asError(s.update(bucket, func(b *bucketState) *Error {
		b.CORS = rules
		return nil
	}))
}

// DeleteBucketCORS removes the bucket's CORS rules.
func (s *Service) DeleteBucketCORS(bucket string) error {
	return asError(s.update(bucket, func(b *bucketState) *Error {
		b.CORS = nil
		return nil
	}))
}

// PutBucketEncryption sets default encryption: algorithm AES256, aws:kms or aws:kms:dsse,
// and for the KMS ones an optional key id, ARN or alias.
func (s *Service) PutBucketEncryption(bucket, algorithm, kmsKeyID string) error {
	return asError(s.putEncryption(bucket, encryption{Algorithm: algorithm, KMSKeyID: kmsKeyID}))
}

// PutBucketVersioning sets versioning to Enabled or Suspended.
func (s *Service) PutBucketVersioning(bucket, status string) error {
	return asError(s.putVersioning(bucket, status, ""))
}

// PutBucketLogging turns on server access logging into targetBucket under targetPrefix; an
// empty targetBucket turns logging off.
func (s *Service) PutBucketLogging(bucket, targetBucket, targetPrefix string) error {
	if targetBucket == "" {
		return asError(s.putLogging(bucket, nil))
	}
	return asError(s.putLogging(bucket, &logging{TargetBucket: targetBucket,
		TargetPrefix: targetPrefix}))
}

// PutBucketOwnershipControls sets Object Ownership (BucketOwnerEnforced,
// BucketOwnerPreferred or ObjectWriter); an empty value removes the controls, as
// DeleteBucketOwnershipControls does.
func (s *Service) PutBucketOwnershipControls(bucket, ownership string) error {
	if ownership == "" {
		return asError(s.update(bucket, func(b *bucketState) *Error {
			b.Ownership = ""
			return nil
		}))
	}
	return asError(s.putOwnership(bucket, ownership))
}

// DeletePublicAccessBlock removes the bucket's Block Public Access configuration.
func (s *Service) DeletePublicAccessBlock(bucket string) error {
	return asError(s.update(bucket, func(b *bucketState) *Error {
		b.PublicAccessBlock = nil
		return nil
	}))
}

// PutObject stores an object.
func (s *Service) PutObject(bucket, key string, body []byte) error {
	return asError(s.putObject(bucket, key, newObject(body, "", s.env.Now())))
}

// Object returns an object's body and whether it exists.
func (s *Service) Object(bucket, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[bucket]
	if !ok {
		return nil, false
	}
	o, ok := b.Objects[key]
	if !ok {
		return nil, false
	}
	return append([]byte(nil), o.Body...), true
}

// ListKeys returns the keys of a bucket that start with prefix, in S3's (byte) order; nil
// when the bucket does not exist.
func (s *Service) ListKeys(bucket, prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[bucket]
	if !ok {
		return nil
	}
	var keys []string
	for _, k := range b.sortedKeys() {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	return keys
}

// asError keeps a nil *Error from becoming a non-nil error interface.
func asError(e *Error) error {
	if e == nil {
		return nil
	}
	return e
}

// Buckets returns the names of every bucket, sorted.
func (s *Service) Buckets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.buckets))
	for name := range s.buckets {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// BucketPolicy returns a bucket's policy as GetBucketPolicy would, and whether it has one.
func (s *Service) BucketPolicy(bucket string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[bucket]
	if !ok || b.Policy == "" {
		return "", false
	}
	return b.Policy, true
}
