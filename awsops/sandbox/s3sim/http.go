package s3sim

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"strings"

	"slateo-s3/awsops/sandbox/simcore"
)

// maxBody bounds what the sandbox reads of one request body.
const maxBody = 64 << 20

// call is one HTTP request as the handlers see it.
type call struct {
	op     string
	bucket string
	key    string
	region string // the region the request was signed for
	body   []byte
	// params become the CloudTrail record's requestParameters, after bucketName and Host.
	params map[string]any
}

// subresources lists the query parameters that select a bucket operation, per method.
var subresources = map[string][][2]string{
	http.MethodPut: {
		{"policy", "PutBucketPolicy"}, {"cors", "PutBucketCors"},
		{"publicAccessBlock", "PutPublicAccessBlock"}, {"encryption", "PutBucketEncryption"},
		{"ownershipControls", "PutBucketOwnershipControls"},
		{"versioning", "PutBucketVersioning"}, {"logging", "PutBucketLogging"},
		{"tagging", "PutBucketTagging"}, {"acl", "PutBucketAcl"},
		{"lifecycle", "PutBucketLifecycleConfiguration"},
	},
	http.MethodGet: {
		{"location", "GetBucketLocation"}, {"policyStatus", "GetBucketPolicyStatus"},
		{"policy", "GetBucketPolicy"}, {"cors", "GetBucketCors"},
		{"publicAccessBlock", "GetPublicAccessBlock"}, {"encryption", "GetBucketEncryption"},
		{"ownershipControls", "GetBucketOwnershipControls"},
		{"versioning", "GetBucketVersioning"}, {"logging", "GetBucketLogging"},
		{"tagging", "GetBucketTagging"}, {"acl", "GetBucketAcl"},
		{"lifecycle", "GetBucketLifecycleConfiguration"}, {"uploads", "ListMultipartUploads"},
		{"versions", "ListObjectVersions"},
	},
	http.MethodDelete: {
		{"policy", "DeleteBucketPolicy"}, {"cors", "DeleteBucketCors"},
		{"publicAccessBlock", "DeletePublicAccessBlock"},
		{"encryption", "DeleteBucketEncryption"},
		{"ownershipControls", "DeleteBucketOwnershipControls"},
		{"tagging", "DeleteBucketTagging"}, {"lifecycle", "DeleteBucketLifecycle"},
	},
	http.MethodPost: {{"delete", "DeleteObjects"}},
}

// splitPath reads the bucket and key of a path-style request.
func splitPath(r *http.Request) (bucket, key string) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ = strings.Cut(p, "/")
	return bucket, key
}

// Operation names the S3 operation a request calls and its bucket.
func (s *Service) Operation(r *http.Request) (string, string) {
	bucket, key := splitPath(r)
	if r.Method == http.MethodOptions {
		return preflightOperation, bucket
	}
	if bucket == "" {
		if r.Method == http.MethodGet {
			return "ListBuckets", ""
		}
		return "Unknown", ""
	}
	if key != "" {
		return objectOperation(r), bucket
	}
	q := r.URL.Query()
	for _, sub := range subresources[r.Method] {
		if q.Has(sub[0]) {
			return sub[1], bucket
		}
	}
	return plainBucketOperation(r), bucket
}

func plainBucketOperation(r *http.Request) string {
	switch r.Method {
	case http.MethodPut:
		return "CreateBucket"
	case http.MethodDelete:
		return "DeleteBucket"
	case http.MethodHead:
		return "HeadBucket"
	case http.MethodGet:
		if r.URL.Query().Get("list-type") == "2" {
			return "ListObjectsV2"
		}
		return "ListObjects"
	}
	return "Unknown"
}

func objectOperation(r *http.Request) string {
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && q.Has("uploads"):
		return "CreateMultipartUpload"
	case q.Has("uploadId"):
		return map[string]string{http.MethodPut: "UploadPart",
			http.MethodPost: "CompleteMultipartUpload", http.MethodGet: "ListParts",
			http.MethodDelete: "AbortMultipartUpload"}[r.Method]
	case q.Has("tagging"):
		return map[string]string{http.MethodGet: "GetObjectTagging",
			http.MethodPut: "PutObjectTagging", http.MethodDelete: "DeleteObjectTagging"}[r.Method]
	case q.Has("acl"):
		return "ObjectAcl"
	}
	switch r.Method {
	case http.MethodPut:
		if r.Header.Get("x-amz-copy-source") != "" {
			return "CopyObject"
		}
		return "PutObject"
	case http.MethodGet:
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodDelete:
		return "DeleteObject"
	}
	return "Unknown"
}

// WriteFault answers with an injected S3 error code; a bucket write that fails this way is
// recorded in CloudTrail with the error, as S3 records a refused write.
func (s *Service) WriteFault(w http.ResponseWriter, r *http.Request, code string) {
	err := newError(faultStatus(code), code, faultMessage(code))
	s.recordWrite(r, s.newCall(r), err)
	err.write(w, r)
}

// newCall reads what the handlers need from a request, before its body.
func (s *Service) newCall(r *http.Request) *call {
	op, bucketName := s.Operation(r)
	_, key := splitPath(r)
	scope, _ := simcore.CredentialScope(r)
	c := &call{op: op, bucket: bucketName, key: key, region: scope.Region}
	if c.region == "" {
		c.region = "us-east-1"
	}
	return c
}

// ServeHTTP answers one path-style S3 request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := s.newCall(r)
	if r.Method == http.MethodOptions {
		s.servePreflight(w, r, c)
		return
	}
	body, err := readBody(r)
	if err != nil {
		err.write(w, r)
		return
	}
	c.body = body
	if err := s.checkRequest(w, r, c); err != nil {
		if c.op != "CreateBucket" {
			s.recordWrite(r, c, err)
		}
		err.write(w, r)
		return
	}
	s.addCORSHeaders(w, r, c)
	s.dispatch(w, r, c)
}

// readBody reads a request body, decoding aws-chunked content and checking the checksums
// the client sent.
func readBody(r *http.Request) ([]byte, *Error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, newError(http.StatusBadRequest, "IncompleteBody",
			"You did not provide the number of bytes specified by the Content-Length "+
				"HTTP header.")
	}
	if len(data) > maxBody {
		return nil, newError(http.StatusBadRequest, "EntityTooLarge",
			"Your proposed upload exceeds the maximum allowed size")
	}
	trailers := http.Header{}
	if isAWSChunked(r) {
		decoded, tr, derr := decodeAWSChunked(data)
		if derr != nil {
			return nil, derr
		}
		data, trailers = decoded, tr
	}
	if err := verifyChecksums(r.Header, trailers, data); err != nil {
		return nil, err
	}
	return data, nil
}

// checkRequest applies what S3 checks before an operation: that the bucket is in the region
// the request was signed for, and the expected bucket owner.
func (s *Service) checkRequest(w http.ResponseWriter, r *http.Request, c *call) *Error {
	if err := s.checkOwner(r); err != nil {
		return err
	}
	if c.bucket == "" || c.op == "CreateBucket" || c.op == "GetBucketLocation" {
		return nil
	}
	region, ok := s.BucketRegion(c.bucket)
	if !ok || region == c.region {
		return nil
	}
	w.Header().Set("x-amz-bucket-region", region)
	if c.region == "us-east-1" {
		return newError(http.StatusBadRequest, "AuthorizationHeaderMalformed",
			"The authorization header is malformed; the region '"+c.region+
				"' is wrong; expecting '"+region+"'", xmlElement("Region", region))
	}
	return newError(http.StatusMovedPermanently, "PermanentRedirect",
		"The bucket you are attempting to access must be addressed using the specified "+
			"endpoint. Please send all future requests to this endpoint.",
		xmlElement("Endpoint", "s3."+region+".amazonaws.com"),
		xmlElement("Bucket", c.bucket))
}

func (s *Service) checkOwner(r *http.Request) *Error {
	owner := r.Header.Get("x-amz-expected-bucket-owner")
	if owner == "" {
		return nil
	}
	if len(owner) != 12 || strings.Trim(owner, "0123456789") != "" {
		return newError(http.StatusBadRequest, "InvalidBucketOwnerAWSAccountID",
			"The value of the expected bucket owner parameter must be an AWS Account ID... ["+
				owner+"]")
	}
	if owner != s.env.Account {
		return newError(http.StatusForbidden, "AccessDenied", "Access Denied")
	}
	return nil
}

// addCORSHeaders adds the CORS headers of the bucket's first matching rule to an actual
// request that carries an Origin; without a match the request is served without them.
func (s *Service) addCORSHeaders(w http.ResponseWriter, r *http.Request, c *call) {
	origin := r.Header.Get("Origin")
	if origin == "" || c.bucket == "" {
		return
	}
	s.mu.Lock()
	var rules []corsRule
	if b, ok := s.buckets[c.bucket]; ok {
		rules = b.CORS
	}
	s.mu.Unlock()
	m, ok := matchCORS(rules, origin, r.Method, r.Header.Get("Access-Control-Request-Headers"))
	if ok {
		setCORSHeaders(w.Header(), m, origin)
	}
}

func (s *Service) servePreflight(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	b := s.buckets[c.bucket]
	h, err := preflight(b, r, c.key != "")
	s.mu.Unlock()
	if err != nil {
		err.write(w, r)
		return
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	setRequestID(w)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

func setRequestID(w http.ResponseWriter) {
	id := simcore.RequestID()
	w.Header().Set("x-amz-request-id", id)
	w.Header().Set("x-amz-id-2", id+"/sandbox")
}

// writeXML writes an S3 success body: the XML declaration and v, whose root carries the S3
// namespace.
func writeXML(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		// Only a programming error in a response type gets here; answer as S3 does when
		// it fails.
		simcore.WriteS3Error(w, &http.Request{Method: http.MethodGet},
			http.StatusInternalServerError, "InternalError",
			"We encountered an internal error. Please try again.")
		return
	}
	setRequestID(w)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// writeEmpty answers a successful call that has no body.
func writeEmpty(w http.ResponseWriter, status int) {
	setRequestID(w)
	if status != http.StatusNoContent {
		w.Header().Set("Content-Length", "0")
	}
	w.WriteHeader(status)
}
