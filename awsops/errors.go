package awsops

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"slateo-s3/model"
)

// absentCodes are the error codes with which AWS says that a setting is not configured.
var absentCodes = map[string]bool{
	"NoSuchBucketPolicy":                             true,
	"NoSuchCORSConfiguration":                        true,
	"NoSuchPublicAccessBlockConfiguration":           true,
	"ServerSideEncryptionConfigurationNotFoundError": true,
	"OwnershipControlsNotFoundError":                 true,
}

// deniedCodes are the error codes of a request that the caller's credentials may not make.
// Forbidden is what the SDK makes of a bodiless 403 (HeadBucket).
var deniedCodes = map[string]bool{
	"AccessDenied":          true,
	"AccessDeniedException": true,
	"Forbidden":             true,
}

// throttles tells throttling error codes apart, with the SDK's own list.
var throttles = retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}

// ErrorCode returns the AWS error code of err, or "" when AWS did not answer with one.
func ErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// IsAbsent reports whether err is AWS saying that a bucket setting is not configured
// (NoSuchBucketPolicy, NoSuchCORSConfiguration, ...).
func IsAbsent(err error) bool {
	return absentCodes[ErrorCode(err)]
}

// IsDenied reports whether err is AWS refusing the call to the caller's credentials.
func IsDenied(err error) bool {
	return deniedCodes[ErrorCode(err)]
}

// FactFromError turns the error of a read into a fact: not configured for the codes that mean
// so, otherwise could not read, with the reason and, when AWS denied the call, the IAM action
// (action) that the caller's credentials lack.
func FactFromError[T any](err error, action string) model.Fact[T] {
	if IsAbsent(err) {
		return model.Absent[T](ErrorCode(err))
	}
	if IsDenied(err) {
		return model.Unreadable[T](Reason(err), action)
	}
	return model.Unreadable[T](Reason(err), "")
}

// Reason says in one line why a call failed: denied, throttled, timed out, cancelled, no
// credentials, the network, or the AWS error code and message. The message is AWS's own
// text, untrusted: the printer sanitises it.
func Reason(err error) string {
	var apiErr smithy.APIError
	var signErr *v4.SigningError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "timed out waiting for AWS"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &apiErr):
		return apiReason(err, apiErr)
	case errors.As(err, &signErr):
		return "no usable AWS credentials: " + innermost(signErr.Err)
	}
	return "could not reach AWS: " + networkText(err)
}

func apiReason(err error, apiErr smithy.APIError) string {
	code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	detail := code
	if msg != "" && msg != code {
		detail += ": " + msg
	}
	switch {
	case deniedCodes[code]:
		return "access denied (" + detail + ")"
	case throttles.IsErrorThrottle(err) == aws.TrueTernary:
		return "throttled by AWS after retries (" + detail + ")"
	case code == "MovedPermanently" || code == "PermanentRedirect":
		return "the bucket is in another region (" + detail + ")"
	}
	return "AWS error " + detail
}

// isTimeout reports whether the network gave up waiting (a dial or read timeout).
func isTimeout(err error) bool {
	var netErr net.Error
	var respTimeout *awshttp.ResponseTimeoutError
	return errors.As(err, &respTimeout) || (errors.As(err, &netErr) && netErr.Timeout())
}

// networkText names the network failure without the SDK's layers of wrapping.
func networkText(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Error()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Error()
	}
	return err.Error()
}

// innermost returns the text of the deepest wrapped error, which is the one that says what
// actually went wrong.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return strings.TrimSpace(err.Error())
		}
		err = next
	}
}

// httpStatus returns the HTTP status code of a failed call, or 0.
func httpStatus(err error) int {
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		return respErr.HTTPStatusCode()
	}
	return 0
}

// bucketRegionHeader returns the x-amz-bucket-region header of a failed S3 call: S3 sends it
// on 301 and 403 answers to HeadBucket, so that the region of a bucket is known even when
// the bucket cannot be read.
func bucketRegionHeader(err error) string {
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) && respErr.Response != nil {
		return respErr.Response.Header.Get("X-Amz-Bucket-Region")
	}
	return ""
}
