package simcore

import (
	"encoding/json"
	"net/http"
)

// Service is one simulated AWS service behind the sandbox's listener. The sandbox routes a
// request to a service by the service name in its SigV4 credential scope.
type Service interface {
	http.Handler
	// Operation names the API operation a request calls (GetBucketPolicy, DescribeKey, ...)
	// and, for S3, the bucket it concerns. The sandbox uses it for --fail and --log before
	// ServeHTTP runs; it may read the request's form but must leave the body readable.
	Operation(r *http.Request) (operation, bucket string)
	// Operations lists, sorted, every operation name the service answers, as Operation
	// names them; the sandbox refuses a --fail for an operation no service lists.
	Operations() []string
	// WriteFault answers a request with an injected error code, shaped as this service
	// shapes its errors (status, body), for --fail.
	WriteFault(w http.ResponseWriter, r *http.Request, code string)
	// MarshalState returns the service's whole state as JSON, for --state.
	MarshalState() (json.RawMessage, error)
	// LoadState replaces the service's state with one that MarshalState returned.
	LoadState(json.RawMessage) error
}
