package s3sim

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

type createBucketXML struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration" json:"-"`
	LocationConstraint *string  `xml:"LocationConstraint" json:"LocationConstraint,omitempty"`
}

func (s *Service) serveCreateBucket(w http.ResponseWriter, r *http.Request,
	c *call) (int, *Error) {
	var cfg createBucketXML
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if err := xml.Unmarshal(c.body, &cfg); err != nil {
			return 0, errMalformedXML()
		}
		c.params["CreateBucketConfiguration"] = cfg
	}
	if !validBucketName(c.bucket) {
		return 0, errInvalidBucketName(c.bucket)
	}
	constraint := ""
	if cfg.LocationConstraint != nil {
		constraint = *cfg.LocationConstraint
	}
	region, constraint, err := placeBucket(c.region, constraint, cfg.LocationConstraint != nil)
	if err != nil {
		return 0, err
	}
	ownership := r.Header.Get("x-amz-object-ownership")
	if ownership != "" && !ownerships[ownership] {
		return 0, errInvalidArgument("Invalid x-amz-object-ownership header: "+ownership,
			"x-amz-object-ownership", ownership)
	}
	if err := s.createBucket(c.bucket, region, constraint, ownership); err != nil {
		// S3 keeps a legacy answer: re-creating a us-east-1 bucket through us-east-1
		// succeeds.
		existing, _ := s.BucketRegion(c.bucket)
		if err.Code != "BucketAlreadyOwnedByYou" || region != "us-east-1" ||
			existing != "us-east-1" {
			return 0, err
		}
	}
	w.Header().Set("Location", "/"+c.bucket)
	if region != "us-east-1" {
		w.Header().Set("Location", "http://"+c.bucket+".s3.amazonaws.com/")
	}
	w.Header().Set("x-amz-bucket-arn", bucketARNPrefix+c.bucket)
	return http.StatusOK, nil
}

func (s *Service) serveDeleteBucket(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	s.mu.Lock()
	b, err := s.lookup(c.bucket)
	if err == nil && len(b.Objects) > 0 {
		err = newError(http.StatusConflict, "BucketNotEmpty",
			"The bucket you tried to delete is not empty", bucketElement(c.bucket))
	}
	if err == nil {
		delete(s.buckets, c.bucket)
	}
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	s.env.Changed()
	return http.StatusNoContent, nil
}

func (s *Service) servePutBucketPolicy(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	var parsed any
	if json.Unmarshal(c.body, &parsed) == nil {
		c.params["bucketPolicy"] = parsed
	}
	c.params["policy"] = []string{""}
	if err := s.putPolicy(c.bucket, string(c.body), s.env.CallerARN()); err != nil {
		return 0, err
	}
	return http.StatusNoContent, nil
}

// clearConfig returns a write handler that removes one piece of configuration; S3 answers 204
// whether or not it was there.
func clearConfig(f func(b *bucket)) writeHandler {
	return func(s *Service, _ http.ResponseWriter, _ *http.Request, c *call) (int, *Error) {
		err := s.update(c.bucket, func(b *bucket) *Error {
			f(b)
			return nil
		})
		if err != nil {
			return 0, err
		}
		return http.StatusNoContent, nil
	}
}

func (s *Service) serveDeleteBucketPolicy(w http.ResponseWriter, r *http.Request,
	c *call) (int, *Error) {
	return clearConfig(func(b *bucket) { b.Policy = "" })(s, w, r, c)
}

func (s *Service) serveDeletePublicAccessBlock(w http.ResponseWriter, r *http.Request,
	c *call) (int, *Error) {
	return clearConfig(func(b *bucket) { b.PublicAccessBlock = nil })(s, w, r, c)
}

func (s *Service) serveDeleteBucketCors(w http.ResponseWriter, r *http.Request,
	c *call) (int, *Error) {
	return clearConfig(func(b *bucket) { b.CORS = nil })(s, w, r, c)
}

func (s *Service) serveDeleteBucketEncryption(w http.ResponseWriter, r *http.Request,
	c *call) (int, *Error) {
	reset := func(b *bucket) { b.Encryption = encryption{Algorithm: "AES256"} }
	return clearConfig(reset)(s, w, r, c)
}

func (s *Service) serveDeleteOwnershipControls(w http.ResponseWriter, r *http.Request,
	c *call) (int, *Error) {
	return clearConfig(func(b *bucket) { b.Ownership = "" })(s, w, r, c)
}

// decodeInto parses an XML request body into v and remembers it for CloudTrail under name.
func decodeInto(c *call, name string, v any) *Error {
	if err := xml.Unmarshal(c.body, v); err != nil {
		return errMalformedXML()
	}
	c.params[name] = v
	return nil
}

func (s *Service) servePutPublicAccessBlock(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	var p pabXML
	if err := decodeInto(c, "PublicAccessBlockConfiguration", &p); err != nil {
		return 0, err
	}
	err := s.putPublicAccessBlock(c.bucket, publicAccessBlock{p.BlockPublicAcls,
		p.IgnorePublicAcls, p.BlockPublicPolicy, p.RestrictPublicBuckets})
	return http.StatusOK, err
}

func (s *Service) servePutBucketCors(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	rules, err := parseCORS(c.body)
	if err != nil {
		return 0, err
	}
	c.params["CORSConfiguration"] = map[string]any{"CORSRule": rules}
	return http.StatusOK, s.update(c.bucket, func(b *bucket) *Error {
		b.CORS = rules
		return nil
	})
}

func (s *Service) servePutBucketEncryption(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	var e encryptionXML
	if err := decodeInto(c, "ServerSideEncryptionConfiguration", &e); err != nil {
		return 0, err
	}
	if len(e.Rules) != 1 {
		return 0, errMalformedXML()
	}
	rule := e.Rules[0]
	return http.StatusOK, s.putEncryption(c.bucket, encryption{
		Algorithm: rule.Default.SSEAlgorithm, KMSKeyID: rule.Default.KMSMasterKeyID,
		BucketKey: rule.BucketKeyEnabled,
	})
}

type ownershipXML struct {
	XMLName xml.Name           `xml:"OwnershipControls" json:"-"`
	Xmlns   string             `xml:"xmlns,attr,omitempty" json:"-"`
	Rules   []ownershipRuleXML `xml:"Rule"`
}

type ownershipRuleXML struct {
	ObjectOwnership string `xml:"ObjectOwnership"`
}

func (s *Service) servePutOwnershipControls(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	var o ownershipXML
	if err := decodeInto(c, "OwnershipControls", &o); err != nil {
		return 0, err
	}
	if len(o.Rules) != 1 {
		return 0, errMalformedXML()
	}
	return http.StatusOK, s.putOwnership(c.bucket, o.Rules[0].ObjectOwnership)
}

type versioningXML struct {
	XMLName   xml.Name `xml:"VersioningConfiguration" json:"-"`
	Xmlns     string   `xml:"xmlns,attr,omitempty" json:"-"`
	Status    string   `xml:"Status,omitempty"`
	MFADelete string   `xml:"MfaDelete,omitempty"`
}

func (s *Service) servePutBucketVersioning(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	var v versioningXML
	if err := decodeInto(c, "VersioningConfiguration", &v); err != nil {
		return 0, err
	}
	return http.StatusOK, s.putVersioning(c.bucket, v.Status, v.MFADelete)
}

type loggingXML struct {
	XMLName        xml.Name           `xml:"BucketLoggingStatus" json:"-"`
	Xmlns          string             `xml:"xmlns,attr,omitempty" json:"-"`
	LoggingEnabled *loggingEnabledXML `xml:"LoggingEnabled,omitempty"`
}

type loggingEnabledXML struct {
	TargetBucket string `xml:"TargetBucket"`
	TargetPrefix string `xml:"TargetPrefix"`
}

func (s *Service) servePutBucketLogging(_ http.ResponseWriter, _ *http.Request,
	c *call) (int, *Error) {
	var l loggingXML
	if err := decodeInto(c, "BucketLoggingStatus", &l); err != nil {
		return 0, err
	}
	if l.LoggingEnabled == nil {
		return http.StatusOK, s.putLogging(c.bucket, nil)
	}
	if l.LoggingEnabled.TargetBucket == "" {
		return 0, errMalformedXML()
	}
	return http.StatusOK, s.putLogging(c.bucket, &logging{
		TargetBucket: l.LoggingEnabled.TargetBucket,
		TargetPrefix: l.LoggingEnabled.TargetPrefix,
	})
}
