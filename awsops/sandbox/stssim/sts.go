// Package stssim is the sandbox's AWS STS. It answers GetCallerIdentity over the query
// protocol with the identity every sandbox request is served as: the account's IAM user
// sandbox-admin.
package stssim

import (
	"encoding/json"
	"encoding/xml"
	"net/http"

	"slateo-s3/awsops/sandbox/simcore"
)

const namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// getCallerIdentity is the one action the service answers.
const getCallerIdentity = "GetCallerIdentity"

// Service is the simulated STS. It holds no state and is safe for concurrent use.
type Service struct {
	env simcore.Env
}

// New returns the simulated STS of an account.
func New(env simcore.Env) *Service {
	return &Service{env: env}
}

// Service is one of the sandbox's services.
var _ simcore.Service = (*Service)(nil)

// Operation names the STS action of a request, from its query string or form body.
func (s *Service) Operation(r *http.Request) (string, string) {
	if err := r.ParseForm(); err != nil {
		return "", ""
	}
	return r.Form.Get("Action"), ""
}

// Operations lists the STS actions the service answers: GetCallerIdentity only.
func (s *Service) Operations() []string {
	return []string{getCallerIdentity}
}

type identityResponse struct {
	XMLName xml.Name `xml:"GetCallerIdentityResponse"`
	XMLNS   string   `xml:"xmlns,attr"`
	Arn     string   `xml:"GetCallerIdentityResult>Arn"`
	UserID  string   `xml:"GetCallerIdentityResult>UserId"`
	Account string   `xml:"GetCallerIdentityResult>Account"`
	Request string   `xml:"ResponseMetadata>RequestId"`
}

// ServeHTTP answers one STS request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, _ := s.Operation(r)
	if action != getCallerIdentity {
		writeError(w, http.StatusBadRequest, "InvalidAction",
			"Could not find operation "+action+" for version "+r.Form.Get("Version"))
		return
	}
	id := simcore.RequestID()
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", id)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(identityResponse{
		XMLNS:   namespace,
		Arn:     s.env.CallerARN(),
		UserID:  simcore.CallerUserID,
		Account: s.env.Account,
		Request: id,
	})
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	XMLNS   string   `xml:"xmlns,attr"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
	Request string   `xml:"RequestId"`
}

// writeError writes a query-protocol error body.
func writeError(w http.ResponseWriter, status int, code, message string) {
	id := simcore.RequestID()
	kind := "Sender"
	if status >= 500 {
		kind = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", id)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(errorResponse{
		XMLNS: namespace, Type: kind, Code: code, Message: message, Request: id,
	})
}

// WriteFault answers with an injected error code in STS's query error shape: 500 for
// InternalFailure and ServiceUnavailable, 400 for throttling and everything else.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, code string) {
	switch code {
	case "InternalFailure":
		writeError(w, http.StatusInternalServerError, code, "")
	case "ServiceUnavailable":
		writeError(w, http.StatusServiceUnavailable, code, "Service is unavailable")
	case "Throttling", "ThrottlingException":
		writeError(w, http.StatusBadRequest, code, "Rate exceeded")
	case "AccessDenied":
		writeError(w, http.StatusForbidden, code, "Access denied")
	default:
		writeError(w, http.StatusBadRequest, code, "")
	}
}

// MarshalState returns an empty document: STS keeps no state.
func (s *Service) MarshalState() (json.RawMessage, error) {
	return json.RawMessage("{}"), nil
}

// LoadState accepts any document: STS keeps no state.
func (s *Service) LoadState(json.RawMessage) error {
	return nil
}
