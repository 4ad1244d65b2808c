package s3sim

import (
	"maps"
	"net/http"
	"slices"

	"slateo-s3/awsops/sandbox/simcore"
)

// writeHandler serves a bucket write: it fills c.params for CloudTrail and returns the
// success status.
type writeHandler func(s *Service, w http.ResponseWriter, r *http.Request, c *call) (int, *Error)

// readHandler serves a read and writes its own success answer.
type readHandler func(s *Service, w http.ResponseWriter, r *http.Request, c *call) *Error

var writeHandlers = map[string]writeHandler{
	"CreateBucket":                  (*Service).serveCreateBucket,
	"DeleteBucket":                  (*Service).serveDeleteBucket,
	"PutBucketPolicy":               (*Service).servePutBucketPolicy,
	"DeleteBucketPolicy":            (*Service).serveDeleteBucketPolicy,
	"PutPublicAccessBlock":          (*Service).servePutPublicAccessBlock,
	"DeletePublicAccessBlock":       (*Service).serveDeletePublicAccessBlock,
	"PutBucketCors":                 (*Service).servePutBucketCors,
	"DeleteBucketCors":              (*Service).serveDeleteBucketCors,
	"PutBucketEncryption":           (*Service).servePutBucketEncryption,
	"DeleteBucketEncryption":        (*Service).serveDeleteBucketEncryption,
	"PutBucketOwnershipControls":    (*Service).servePutOwnershipControls,
	"DeleteBucketOwnershipControls": (*Service).serveDeleteOwnershipControls,
	"PutBucketVersioning":           (*Service).servePutBucketVersioning,
	"PutBucketLogging":              (*Service).servePutBucketLogging,
}

var readHandlers = map[string]readHandler{
	"ListBuckets":                (*Service).serveListBuckets,
	"HeadBucket":                 (*Service).serveHeadBucket,
	"GetBucketLocation":          (*Service).serveGetBucketLocation,
	"GetBucketPolicy":            (*Service).serveGetBucketPolicy,
	"GetBucketPolicyStatus":      (*Service).serveGetBucketPolicyStatus,
	"GetPublicAccessBlock":       (*Service).serveGetPublicAccessBlock,
	"GetBucketCors":              (*Service).serveGetBucketCors,
	"GetBucketEncryption":        (*Service).serveGetBucketEncryption,
	"GetBucketOwnershipControls": (*Service).serveGetOwnershipControls,
	"GetBucketVersioning":        (*Service).serveGetBucketVersioning,
	"GetBucketLogging":           (*Service).serveGetBucketLogging,
	"ListObjectsV2":              (*Service).serveListObjects,
	"ListObjects":                (*Service).serveListObjects,
	"PutObject":                  (*Service).servePutObject,
	"GetObject":                  (*Service).serveGetObject,
	"HeadObject":                 (*Service).serveGetObject,
	"DeleteObject":               (*Service).serveDeleteObject,
	"DeleteObjects":              (*Service).serveDeleteObjects,
	"CreateMultipartUpload":      (*Service).serveCreateMultipartUpload,
	"UploadPart":                 (*Service).serveUploadPart,
	"CompleteMultipartUpload":    (*Service).serveCompleteMultipartUpload,
	"AbortMultipartUpload":       (*Service).serveAbortMultipartUpload,
}

// preflightOperation is the name Operation gives a CORS preflight (OPTIONS) request, which
// ServeHTTP answers itself, before dispatch.
const preflightOperation = "PreflightRequest"

// Operations lists, sorted, the operations S3 answers: those of its dispatch tables and the
// CORS preflight. An operation Operation names but no table serves answers NotImplemented
// and is not listed.
func (s *Service) Operations() []string {
	ops := append(slices.Collect(maps.Keys(writeHandlers)), preflightOperation)
	ops = slices.AppendSeq(ops, maps.Keys(readHandlers))
	slices.Sort(ops)
	return ops
}

func (s *Service) dispatch(w http.ResponseWriter, r *http.Request, c *call) {
	if h, ok := writeHandlers[c.op]; ok {
		s.serveWrite(w, r, c, h)
		return
	}
	h, ok := readHandlers[c.op]
	if !ok {
		newError(http.StatusNotImplemented, "NotImplemented",
			"A header you provided implies functionality that is not implemented").write(w, r)
		return
	}
	if err := h(s, w, r, c); err != nil {
		err.write(w, r)
	}
}

// serveWrite runs a bucket write and records it in CloudTrail, failed or not, as S3 logs
// every management call.
func (s *Service) serveWrite(w http.ResponseWriter, r *http.Request, c *call, h writeHandler) {
	c.params = map[string]any{}
	status, err := h(s, w, r, c)
	s.recordWrite(r, c, err)
	if err != nil {
		err.write(w, r)
		return
	}
	writeEmpty(w, status)
}

// recordWrite adds the CloudTrail management event of a bucket write, with the error it
// failed with, if any. Reads and object calls (data events) are not recorded.
func (s *Service) recordWrite(r *http.Request, c *call, err *Error) {
	if _, ok := writeHandlers[c.op]; !ok {
		return
	}
	params := map[string]any{"bucketName": c.bucket, "Host": r.Host}
	for k, v := range c.params {
		params[k] = v
	}
	rec := simcore.Write{
		Source:     "s3.amazonaws.com",
		Name:       eventName(c.op),
		Region:     s.eventRegion(c),
		Parameters: params,
		Resources: []simcore.Resource{{AccountID: s.env.Account, Type: "AWS::S3::Bucket",
			ARN: bucketARNPrefix + c.bucket}},
	}
	if err != nil {
		rec.ErrorCode, rec.ErrorMessage = err.Code, err.Message
	}
	s.env.RecordWrite(r, rec)
}

// eventName gives the CloudTrail eventName of an operation where it differs from the API
// name.
func eventName(op string) string {
	switch op {
	case "PutPublicAccessBlock":
		return "PutBucketPublicAccessBlock"
	case "DeletePublicAccessBlock":
		return "DeleteBucketPublicAccessBlock"
	}
	return op
}

func (s *Service) eventRegion(c *call) string {
	if region, ok := s.BucketRegion(c.bucket); ok {
		return region
	}
	return c.region
}
