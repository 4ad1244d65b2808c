package awsops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"slateo-s3/model"
)

func TestFactFromError(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name    string
		err     error
		want    model.Availability
		reason  string
		missing string
	}{
		{"no policy", apiError("NoSuchBucketPolicy", "The bucket policy does not exist"),
			model.NotConfigured, "NoSuchBucketPolicy", ""},
		{"no cors", apiError("NoSuchCORSConfiguration", "x"),
			model.NotConfigured, "NoSuchCORSConfiguration", ""},
		{"no public access block", apiError("NoSuchPublicAccessBlockConfiguration", "x"),
			model.NotConfigured, "NoSuchPublicAccessBlockConfiguration", ""},
		{"no encryption", apiError("ServerSideEncryptionConfigurationNotFoundError", "x"),
			model.NotConfigured, "ServerSideEncryptionConfigurationNotFoundError", ""},
		{"no ownership controls", apiError("OwnershipControlsNotFoundError", "x"),
			model.NotConfigured, "OwnershipControlsNotFoundError", ""},
		{"s3 denied", apiError("AccessDenied", "User: u is not authorized"),
			model.CouldNotRead, "access denied (AccessDenied: User: u is not authorized)",
			"s3:GetBucketPolicy"},
		{"kms denied", apiError("AccessDeniedException", "no"),
			model.CouldNotRead, "access denied (AccessDeniedException: no)", "s3:GetBucketPolicy"},
		{"bodiless 403", apiError("Forbidden", "Forbidden"),
			model.CouldNotRead, "access denied (Forbidden)", "s3:GetBucketPolicy"},
		{"throttled", apiError("SlowDown", "Please reduce your request rate."),
			model.CouldNotRead, "throttled by AWS after retries (SlowDown: Please reduce", ""},
		{"kms throttled", apiError("ThrottlingException", "Rate exceeded"),
			model.CouldNotRead, "throttled by AWS", ""},
		{"wrong region", apiError("PermanentRedirect", "use the other endpoint"),
			model.CouldNotRead, "the bucket is in another region", ""},
		{"other api error", apiError("NoSuchBucket", "The specified bucket does not exist"),
			model.CouldNotRead, "AWS error NoSuchBucket: The specified bucket does not exist", ""},
		{"timeout", fmt.Errorf("op: %w", context.DeadlineExceeded),
			model.CouldNotRead, "timed out waiting for AWS", ""},
		{"cancelled", fmt.Errorf("op: %w", context.Canceled), model.CouldNotRead, "cancelled", ""},
		{"network", fmt.Errorf("send: %w", dial),
			model.CouldNotRead, "could not reach AWS: dial tcp: connection refused", ""},
		{"no credentials", &v4.SigningError{Err: fmt.Errorf("failed to retrieve credentials: %w",
			errors.New("no EC2 IMDS role found"))},
			model.CouldNotRead, "no usable AWS credentials: no EC2 IMDS role found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FactFromError[string](tt.err, "s3:GetBucketPolicy")

			if got.Availability != tt.want || !strings.HasPrefix(got.Reason, tt.reason) ||
				got.MissingAction != tt.missing {
				t.Errorf("FactFromError = %+v, want %s, reason %q…, missing %q", got, tt.want,
					tt.reason, tt.missing)
			}
		})
	}
}

func TestClassifiers(t *testing.T) {
	tests := []struct {
		err            error
		code           string
		absent, denied bool
	}{
		{apiError("NoSuchBucketPolicy", ""), "NoSuchBucketPolicy", true, false},
		{apiError("AccessDenied", ""), "AccessDenied", false, true},
		{errors.New("dial tcp: refused"), "", false, false},
		{nil, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
			if IsAbsent(tt.err) != tt.absent || IsDenied(tt.err) != tt.denied {
				t.Errorf("IsAbsent, IsDenied = %v, %v", IsAbsent(tt.err), IsDenied(tt.err))
			}
		})
	}
}
