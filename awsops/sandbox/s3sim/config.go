package s3sim

import (
	"encoding/xml"
	"net/http"
)

// The methods here change a bucket's state; both the Go API and the HTTP handlers call them.
// Each takes s.mu itself and calls env.Changed after a change, without holding s.mu, since
// Changed may read the whole state back.

const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// createBucket makes a bucket in region with the 2023 defaults: all four public access
// flags on, BucketOwnerEnforced, SSE-S3.
func (s *Service) createBucket(name, region, constraint, ownership string) *Error {
	if !validBucketName(name) {
		return errInvalidBucketName(name)
	}
	s.mu.Lock()
	if _, ok := s.buckets[name]; ok {
		s.mu.Unlock()
		return newError(http.StatusConflict, "BucketAlreadyOwnedByYou",
			"Your previous request to create the named bucket succeeded and you already "+
				"own it.", bucketElement(name))
	}
	if ownership == "" {
		ownership = "BucketOwnerEnforced"
	}
	s.buckets[name] = &bucket{
		Name: name, Region: region, Constraint: constraint, Created: s.env.Now().UTC(),
		PublicAccessBlock: &publicAccessBlock{true, true, true, true},
		Encryption:        encryption{Algorithm: "AES256"},
		Ownership:         ownership,
		Objects:           map[string]*object{},
	}
	s.mu.Unlock()
	s.env.Changed()
	return nil
}

// update runs change on a bucket under the lock and reports the change.
func (s *Service) update(name string, change func(b *bucket) *Error) *Error {
	s.mu.Lock()
	b, err := s.lookup(name)
	if err == nil {
		err = change(b)
	}
	s.mu.Unlock()
	if err == nil {
		s.env.Changed()
	}
	return err
}

// read runs f on a bucket under the lock.
func (s *Service) read(name string, f func(b *bucket) *Error) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.lookup(name)
	if err != nil {
		return err
	}
	return f(b)
}

// putPolicy validates and stores a bucket policy; caller is the ARN named in the
// BlockPublicPolicy refusal.
func (s *Service) putPolicy(name, text, caller string) *Error {
	p, err := parsePolicy(text)
	if err != nil {
		if s.read(name, func(*bucket) *Error { return nil }) != nil {
			return errNoSuchBucket(name)
		}
		return err
	}
	return s.update(name, func(b *bucket) *Error {
		if err := s.validatePolicy(name, p); err != nil {
			return err
		}
		if b.PublicAccessBlock != nil && b.PublicAccessBlock.BlockPublicPolicy && isPublic(p) {
			return newError(http.StatusForbidden, "AccessDenied", "User: "+caller+
				" is not authorized to perform: s3:PutBucketPolicy on resource: \""+
				bucketARNPrefix+name+"\" because public policies are blocked by the "+
				"BlockPublicPolicy block public access setting.")
		}
		b.Policy = normalizePolicy(text)
		return nil
	})
}

type pabXML struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration" json:"-"`
	Xmlns                 string   `xml:"xmlns,attr,omitempty" json:"-"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

func (s *Service) putPublicAccessBlock(name string, p publicAccessBlock) *Error {
	return s.update(name, func(b *bucket) *Error {
		b.PublicAccessBlock = &p
		return nil
	})
}

type encryptionXML struct {
	XMLName xml.Name            `xml:"ServerSideEncryptionConfiguration" json:"-"`
	Xmlns   string              `xml:"xmlns,attr,omitempty" json:"-"`
	Rules   []encryptionRuleXML `xml:"Rule"`
}

type encryptionRuleXML struct {
	Default struct {
		SSEAlgorithm   string `xml:"SSEAlgorithm"`
		KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
	} `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKeyEnabled bool `xml:"BucketKeyEnabled"`
}

var sseAlgorithms = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}

func checkEncryption(e encryption) *Error {
	if !sseAlgorithms[e.Algorithm] {
		return errMalformedXML()
	}
	if e.KMSKeyID != "" && e.Algorithm == "AES256" {
		return errInvalidArgument("a KMSMasterKeyID is not applicable if the default sse "+
			"algorithm is not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault",
			"null")
	}
	return nil
}

func (s *Service) putEncryption(name string, e encryption) *Error {
	if err := checkEncryption(e); err != nil {
		return err
	}
	return s.update(name, func(b *bucket) *Error {
		b.Encryption = e
		return nil
	})
}

var versioningStates = map[string]bool{"Enabled": true, "Suspended": true}

func (s *Service) putVersioning(name, status, mfaDelete string) *Error {
	if status == "" {
		return newError(http.StatusBadRequest, "IllegalVersioningConfigurationException",
			"The Versioning element must be specified")
	}
	if !versioningStates[status] || mfaDelete != "" && mfaDelete != "Enabled" &&
		mfaDelete != "Disabled" {
		return errMalformedXML()
	}
	return s.update(name, func(b *bucket) *Error {
		b.Versioning = status
		if mfaDelete != "" {
			b.MFADelete = mfaDelete
		}
		return nil
	})
}

// putLogging turns server access logging on (target non-nil) or off for a bucket.
func (s *Service) putLogging(name string, target *logging) *Error {
	return s.update(name, func(b *bucket) *Error {
		if target == nil {
			b.Logging = nil
			return nil
		}
		t, ok := s.buckets[target.TargetBucket]
		if !ok {
			return newError(http.StatusBadRequest, "InvalidTargetBucketForLogging",
				"The target bucket for logging does not exist",
				xmlElement("TargetBucket", target.TargetBucket))
		}
		if t.Region != b.Region {
			return newError(http.StatusForbidden, "CrossLocationLoggingProhibitted",
				"Cross S3 location logging not allowed. ",
				xmlElement("TargetBucketLocation", t.Region))
		}
		b.Logging = target
		return nil
	})
}

var ownerships = map[string]bool{"BucketOwnerEnforced": true, "BucketOwnerPreferred": true,
	"ObjectWriter": true}

func (s *Service) putOwnership(name, ownership string) *Error {
	if !ownerships[ownership] {
		return errMalformedXML()
	}
	return s.update(name, func(b *bucket) *Error {
		b.Ownership = ownership
		return nil
	})
}
