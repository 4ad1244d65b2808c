package s3sim

import (
	"encoding/xml"
	"net/http"
	"sort"
	"time"
)

const isoMillis = "2006-01-02T15:04:05.000Z"

type listBucketsXML struct {
	XMLName xml.Name `xml:"ListAllMyBucketsResult"`
	Xmlns   string   `xml:"xmlns,attr"`
	Owner   struct {
		ID string `xml:"ID"`
	} `xml:"Owner"`
	Buckets []listedBucket `xml:"Buckets>Bucket"`
}

type listedBucket struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

// canonicalID is the account's canonical user id, as S3 shows owners.
func (s *Service) canonicalID() string {
	return "sandbox" + s.env.Account + "0000000000000000000000000000000000000000000000"
}

func (s *Service) serveListBuckets(w http.ResponseWriter, _ *http.Request, _ *call) *Error {
	out := listBucketsXML{Xmlns: s3Namespace}
	out.Owner.ID = s.canonicalID()
	s.mu.Lock()
	for _, b := range s.buckets {
		out.Buckets = append(out.Buckets, listedBucket{Name: b.Name,
			CreationDate: b.Created.Format(isoMillis), BucketRegion: b.Region})
	}
	s.mu.Unlock()
	sort.Slice(out.Buckets, func(i, j int) bool {
		return out.Buckets[i].Name < out.Buckets[j].Name
	})
	writeXML(w, out)
	return nil
}

func (s *Service) serveHeadBucket(w http.ResponseWriter, _ *http.Request, c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		w.Header().Set("x-amz-bucket-region", b.Region)
		w.Header().Set("x-amz-access-point-alias", "false")
		w.Header().Set("x-amz-bucket-arn", bucketARNPrefix+b.Name)
		w.Header().Set("Content-Type", "application/xml")
		writeEmpty(w, http.StatusOK)
		return nil
	})
}

type locationXML struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	Xmlns   string   `xml:"xmlns,attr"`
	Value   string   `xml:",chardata"`
}

func (s *Service) serveGetBucketLocation(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		writeXML(w, locationXML{Xmlns: s3Namespace, Value: b.Constraint})
		return nil
	})
}

func errNoSuchBucketPolicy(name string) *Error {
	return newError(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist",
		bucketElement(name))
}

func (s *Service) serveGetBucketPolicy(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		if b.Policy == "" {
			return errNoSuchBucketPolicy(b.Name)
		}
		setRequestID(w)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(b.Policy))
		return nil
	})
}

type policyStatusXML struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	Xmlns    string   `xml:"xmlns,attr"`
	IsPublic bool     `xml:"IsPublic"`
}

func (s *Service) serveGetBucketPolicyStatus(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		if b.Policy == "" {
			return errNoSuchBucketPolicy(b.Name)
		}
		p, err := parsePolicy(b.Policy)
		writeXML(w, policyStatusXML{Xmlns: s3Namespace, IsPublic: err == nil && isPublic(p)})
		return nil
	})
}

func (s *Service) serveGetPublicAccessBlock(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		p := b.PublicAccessBlock
		if p == nil {
			return newError(http.StatusNotFound, "NoSuchPublicAccessBlockConfiguration",
				"The public access block configuration was not found", bucketElement(b.Name))
		}
		writeXML(w, pabXML{Xmlns: s3Namespace, BlockPublicAcls: p.BlockPublicAcls,
			IgnorePublicAcls: p.IgnorePublicAcls, BlockPublicPolicy: p.BlockPublicPolicy,
			RestrictPublicBuckets: p.RestrictPublicBuckets})
		return nil
	})
}

func (s *Service) serveGetBucketCors(w http.ResponseWriter, _ *http.Request, c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		if len(b.CORS) == 0 {
			return newError(http.StatusNotFound, "NoSuchCORSConfiguration",
				"The CORS configuration does not exist", bucketElement(b.Name))
		}
		writeXML(w, corsConfiguration{Xmlns: s3Namespace, Rules: b.CORS})
		return nil
	})
}

func (s *Service) serveGetBucketEncryption(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		var out encryptionXML
		out.Xmlns = s3Namespace
		out.Rules = make([]encryptionRuleXML, 1)
		out.Rules[0].Default.SSEAlgorithm = b.Encryption.Algorithm
		out.Rules[0].Default.KMSMasterKeyID = b.Encryption.KMSKeyID
		out.Rules[0].BucketKeyEnabled = b.Encryption.BucketKey
		writeXML(w, out)
		return nil
	})
}

func (s *Service) serveGetOwnershipControls(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		if b.Ownership == "" {
			return newError(http.StatusNotFound, "OwnershipControlsNotFoundError",
				"The bucket ownership controls were not found", bucketElement(b.Name))
		}
		out := ownershipXML{Xmlns: s3Namespace}
		out.Rules = make([]ownershipRuleXML, 1)
		out.Rules[0].ObjectOwnership = b.Ownership
		writeXML(w, out)
		return nil
	})
}

func (s *Service) serveGetBucketVersioning(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		writeXML(w, versioningXML{Xmlns: s3Namespace, Status: b.Versioning,
			MFADelete: b.MFADelete})
		return nil
	})
}

func (s *Service) serveGetBucketLogging(w http.ResponseWriter, _ *http.Request,
	c *call) *Error {
	return s.read(c.bucket, func(b *bucket) *Error {
		out := loggingXML{Xmlns: s3Namespace}
		if b.Logging != nil {
			out.LoggingEnabled = &loggingEnabledXML{TargetBucket: b.Logging.TargetBucket,
				TargetPrefix: b.Logging.TargetPrefix}
		}
		writeXML(w, out)
		return nil
	})
}

func httpDate(t time.Time) string {
	return t.UTC().Format(http.TimeFormat)
}
