package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// Fault makes an operation fail with an error code, as --fail asks.
type Fault struct {
	// Operation is the API operation name, such as GetBucketPolicy or DescribeKey.
	Operation string
	// Code is the error code to answer with, such as AccessDenied or ThrottlingException.
	Code string
	// Rate is the share of matching requests that fail, 0 < Rate <= 1; 0 means 1.
	Rate float64
	// Bucket, when set, limits the fault to requests for that bucket.
	Bucket string
}

// ParseFault reads a --fail value: "OP=CODE", "OP=CODE@RATE", "OP:BUCKET=CODE" or
// "OP:BUCKET=CODE@RATE", where RATE is a number in (0, 1].
func ParseFault(s string) (Fault, error) {
	target, outcome, ok := strings.Cut(s, "=")
	if !ok {
		return Fault{}, fmt.Errorf("parsing fault %q: want OP=CODE[@rate]", s)
	}
	var f Fault
	f.Operation, f.Bucket, _ = strings.Cut(strings.TrimSpace(target), ":")
	f.Code = strings.TrimSpace(outcome)
	if code, rate, found := strings.Cut(f.Code, "@"); found {
		r, err := strconv.ParseFloat(rate, 64)
		if err != nil || !(r > 0 && r <= 1) {
			return Fault{}, fmt.Errorf("parsing fault %q: rate %q is not a number in (0, 1]",
				s, rate)
		}
		f.Code, f.Rate = code, r
	}
	if err := f.validate(); err != nil {
		return Fault{}, fmt.Errorf("parsing fault %q: %w", s, err)
	}
	return f, nil
}

func (f Fault) validate() error {
	if !isName(f.Operation) {
		return fmt.Errorf("operation %q is not an API operation name", f.Operation)
	}
	if !isName(f.Code) {
		return fmt.Errorf("error code %q is not an error code name", f.Code)
	}
	if strings.Contains(f.Bucket, "/") || strings.ContainsAny(f.Bucket, " \t") {
		return fmt.Errorf("bucket %q is not a bucket name", f.Bucket)
	}
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("rate %v is not in (0, 1]", f.Rate)
	}
	return nil
}

// isName reports whether s looks like an operation or error code name: letters and digits,
// starting with a letter.
func isName(s string) bool {
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// matches reports whether the fault applies to a request for operation and bucket.
func (f Fault) matches(operation, bucket string) bool {
	return strings.EqualFold(f.Operation, operation) && (f.Bucket == "" || f.Bucket == bucket)
}

func (f Fault) rate() float64 {
	if f.Rate == 0 {
		return 1
	}
	return f.Rate
}
