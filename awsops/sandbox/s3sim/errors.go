package s3sim

import (
	"fmt"
	"net/http"

	"slateo-s3/awsops/sandbox/simcore"
)

// Error is an S3 error answer: its HTTP status, code, message and the extra elements S3
// puts in the error body (BucketName, LocationConstraint, ...). The Go API returns it so
// callers can read the code with errors.As.
type Error struct {
	Status  int
	Code    string
	Message string
	Extra   []simcore.XMLElement
}

// Error formats the error as "Code: Message".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) write(w http.ResponseWriter, r *http.Request) {
	simcore.WriteS3Error(w, r, e.Status, e.Code, e.Message, e.Extra...)
}

func newError(status int, code, message string, extra ...simcore.XMLElement) *Error {
	return &Error{Status: status, Code: code, Message: message, Extra: extra}
}

func bucketElement(bucket string) simcore.XMLElement {
	return simcore.XMLElement{Name: "BucketName", Value: bucket}
}

func errNoSuchBucket(bucket string) *Error {
	return newError(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist",
		bucketElement(bucket))
}

func errMalformedXML() *Error {
	return newError(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our "+
			"published schema")
}

func errMalformedPolicy(message string) *Error {
	return newError(http.StatusBadRequest, "MalformedPolicy", message)
}

func errInvalidRequest(message string) *Error {
	return newError(http.StatusBadRequest, "InvalidRequest", message)
}

func errInvalidArgument(message, name, value string) *Error {
	return newError(http.StatusBadRequest, "InvalidArgument", message,
		simcore.XMLElement{Name: "ArgumentName", Value: name},
		simcore.XMLElement{Name: "ArgumentValue", Value: value})
}

func errNoSuchKey(key string) *Error {
	return newError(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.",
		simcore.XMLElement{Name: "Key", Value: key})
}

// faultStatus gives the HTTP status S3 uses for an error code that --fail injects.
func faultStatus(code string) int {
	switch code {
	case "AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch",
		"AccountProblem", "RequestTimeTooSkewed", "ExpiredToken":
		return http.StatusForbidden
	case "NoSuchBucket", "NoSuchKey", "NoSuchBucketPolicy", "NoSuchCORSConfiguration",
		"NoSuchPublicAccessBlockConfiguration", "OwnershipControlsNotFoundError",
		"ServerSideEncryptionConfigurationNotFoundError", "NotFound", "NoSuchUpload":
		return http.StatusNotFound
	case "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "OperationAborted",
		"BucketNotEmpty":
		return http.StatusConflict
	case "MethodNotAllowed":
		return http.StatusMethodNotAllowed
	case "InternalError":
		return http.StatusInternalServerError
	case "ServiceUnavailable", "SlowDown":
		return http.StatusServiceUnavailable
	case "PermanentRedirect":
		return http.StatusMovedPermanently
	}
	return http.StatusBadRequest
}

// faultMessage gives the message S3 sends with an injected error code.
func faultMessage(code string) string {
	switch code {
	case "AccessDenied":
		return "Access Denied"
	case "SlowDown":
		return "Please reduce your request rate."
	case "InternalError":
		return "We encountered an internal error. Please try again."
	case "ServiceUnavailable":
		return "Please reduce your request rate."
	}
	return "The sandbox was told to fail this operation with " + code
}

func xmlElement(name, value string) simcore.XMLElement {
	return simcore.XMLElement{Name: name, Value: value}
}
