package simcore

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"time"
)

// JSONError is a client error of a JSON 1.1 service (KMS, CloudTrail): a code and its
// message, answered with HTTP 400.
type JSONError struct {
	Code    string
	Message string
}

// Error returns "code: message".
func (e *JSONError) Error() string { return e.Code + ": " + e.Message }

// JSONErrorCode returns the code of the *JSONError in err's chain, or "".
func JSONErrorCode(err error) string {
	var e *JSONError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// JSONCall is one JSON 1.1 request being served.
type JSONCall struct {
	// Request is the HTTP request; its body has been read into Body.
	Request *http.Request
	// Region is the region of the request's credential scope, us-east-1 when it has none.
	Region string
	// Body is the request body, at most 1 MiB of it.
	Body []byte
}

// Decode reads the request body into v. An empty body is an empty request; a body that is
// not JSON is a SerializationException.
func (c *JSONCall) Decode(v any) error {
	if len(bytes.TrimSpace(c.Body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.Body, v); err != nil {
		return &JSONError{Code: "SerializationException",
			Message: "Start of structure or map found where not expected."}
	}
	return nil
}

// JSONProtocol is how a JSON 1.1 service reads its requests and writes its answers; the
// fields hold what differs between KMS and CloudTrail.
type JSONProtocol struct {
	// InternalCode is the code answered, with HTTP 500, for an error that is no *JSONError.
	InternalCode string
	// ServerFaults are the injected codes WriteFault answers with HTTP 500.
	ServerFaults []string
}

// Serve answers one request: an unknown operation (known false) or a method other than POST
// gets UnknownOperationException; otherwise it reads the body, calls serve, and writes the
// result as JSON or the error as the service's error.
func (p JSONProtocol) Serve(w http.ResponseWriter, r *http.Request, known bool,
	serve func(*JSONCall) (any, error)) {
	if r.Method != http.MethodPost || !known {
		WriteJSONError(w, "UnknownOperationException", "")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		WriteJSONError(w, "SerializationException", "could not read the request body")
		return
	}
	out, err := serve(&JSONCall{Request: r, Region: scopeRegion(r), Body: body})
	if err != nil {
		p.writeError(w, err)
		return
	}
	WriteJSON(w, out)
}

// scopeRegion returns the region of a request's credential scope, or us-east-1.
func scopeRegion(r *http.Request) string {
	if scope, ok := CredentialScope(r); ok && scope.Region != "" {
		return scope.Region
	}
	return "us-east-1"
}

func (p JSONProtocol) writeError(w http.ResponseWriter, err error) {
	if e, ok := err.(*JSONError); ok {
		WriteJSONError(w, e.Code, e.Message)
		return
	}
	WriteJSONStatusError(w, http.StatusInternalServerError, p.InternalCode, err.Error())
}

// WriteFault answers with an injected error code: the server faults with HTTP 500,
// ServiceUnavailable(Exception) with 503, every other code (ThrottlingException included)
// with 400.
func (p JSONProtocol) WriteFault(w http.ResponseWriter, code string) {
	switch {
	case slices.Contains(p.ServerFaults, code):
		WriteJSONStatusError(w, http.StatusInternalServerError, code, "")
	case code == "ServiceUnavailable" || code == "ServiceUnavailableException":
		WriteJSONStatusError(w, http.StatusServiceUnavailable, code, "Service is unavailable")
	case code == "ThrottlingException":
		WriteJSONError(w, code, "Rate exceeded")
	default:
		WriteJSONError(w, code, "")
	}
}

// RenameJSONKeys decodes a JSON document and renames every object key in it, at any depth,
// with rename; CloudTrail records request parameters and response elements this way, with
// lowerCamelCase keys. An empty or invalid document gives nil.
func RenameJSONKeys(raw []byte, rename func(string) string) any {
	var v any
	if len(bytes.TrimSpace(raw)) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	return renameKeys(v, rename)
}

func renameKeys(v any, rename func(string) string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[rename(k)] = renameKeys(val, rename)
		}
		return out
	case []any:
		for i := range t {
			t[i] = renameKeys(t[i], rename)
		}
		return t
	}
	return v
}

// EpochSeconds renders a time as JSON 1.1 does: seconds since the epoch, with milliseconds.
func EpochSeconds(t time.Time) float64 {
	return float64(t.UnixMilli()) / 1000
}
