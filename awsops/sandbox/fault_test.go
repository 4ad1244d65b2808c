package sandbox

import (
	"strconv"
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

// FuzzParseFault checks that every accepted --fail value is a valid fault that prints back
// to an equal one.
func FuzzParseFault(f *testing.F) {
	f.Add("GetBucketPolicy=AccessDenied")
	f.Add("GetBucketCors:acme-slateo-cache=InternalError@0.25")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFault(s)
		if err != nil {
			return
		}
		if got.validate() != nil || got.rate() <= 0 || got.rate() > 1 {
			t.Fatalf("ParseFault(%q) accepted %+v", s, got)
		}
		text := got.Operation
		if got.Bucket != "" {
			text += ":" + got.Bucket
		}
		text += "=" + got.Code
		if got.Rate != 0 {
			text += "@" + strconv.FormatFloat(got.Rate, 'g', -1, 64)
		}
		again, err := ParseFault(text)
		if err != nil || again != got {
			t.Fatalf("ParseFault(%q) = %+v, %v; want %+v", text, again, err, got)
		}
	})
}
