package sandbox

import (
	"strings"
	"testing"
)

func TestParseFault(t *testing.T) {
	tests := []struct {
		in      string
		want    Fault
		wantErr string
	}{
		{in: "GetBucketPolicy=AccessDenied",
			want: Fault{Operation: "GetBucketPolicy", Code: "AccessDenied"}},
		{in: "LookupEvents=ThrottlingException@0.5",
			want: Fault{Operation: "LookupEvents", Code: "ThrottlingException", Rate: 0.5}},
		{in: "GetBucketCors:acme-slateo-cache=InternalError@1",
			want: Fault{Operation: "GetBucketCors", Code: "InternalError", Rate: 1,
				Bucket: "acme-slateo-cache"}},
		{in: "GetBucketPolicy", wantErr: "want OP=CODE[@rate]"},
		{in: "=AccessDenied", wantErr: "operation"},
		{in: "GetBucketPolicy=", wantErr: "error code"},
		{in: "GetBucketPolicy=AccessDenied@0", wantErr: "rate"},
		{in: "GetBucketPolicy=AccessDenied@1.5", wantErr: "rate"},
		{in: "GetBucketPolicy=AccessDenied@half", wantErr: "rate"},
		{in: "Get Bucket=AccessDenied", wantErr: "operation"},
		{in: "GetBucketPolicy:a/b=AccessDenied", wantErr: "bucket"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFault(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseFault(%q) error = %v, want one naming %q", tt.in, err,
						tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseFault(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFaultMatches(t *testing.T) {
	f := Fault{Operation: "GetBucketCors", Code: "AccessDenied", Bucket: "cache"}
	tests := []struct {
		op, bucket string
		want       bool
	}{
		{"GetBucketCors", "cache", true},
		{"getbucketcors", "cache", true},
		{"GetBucketCors", "uploads", false},
		{"GetBucketPolicy", "cache", false},
	}
	for _, tt := range tests {
		t.Run(tt.op+"/"+tt.bucket, func(t *testing.T) {
			if got := f.matches(tt.op, tt.bucket); got != tt.want {
				t.Errorf("matches = %v, want %v", got, tt.want)
			}
		})
	}
}
