package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox/simcore"
)

// testServices returns the services a sandbox routes to, keyed by SigV4 service name.
func testServices(t *testing.T) map[string]simcore.Service {
	t.Helper()
	s := &Server{env: simcore.Env{Account: defaultAccount, Journal: &simcore.Journal{},
		Changed: func() {}}}
	s.makeServices()
	return s.services
}

func TestStartRefusesUnknownFaultOperation(t *testing.T) {
	tests := []struct {
		name string
		fail string
		// wantErr is the whole message after Start's prefix; "" means Start succeeds.
		wantErr string
	}{
		{name: "unknown op", fail: "NoSuchOp=AccessDenied",
			wantErr: `--fail NoSuchOp=AccessDenied: no sandbox operation is named ` +
				`"NoSuchOp"; operation names are case-sensitive API names such as ` +
				`GetBucketPolicy or DescribeKey`},
		{name: "wrong case", fail: "getbucketpolicy=AccessDenied",
			wantErr: `--fail getbucketpolicy=AccessDenied: no sandbox operation is named ` +
				`"getbucketpolicy"; did you mean GetBucketPolicy?`},
		{name: "wrong case sts", fail: "GETCALLERIDENTITY=ExpiredToken",
			wantErr: `--fail GETCALLERIDENTITY=ExpiredToken: no sandbox operation is ` +
				`named "GETCALLERIDENTITY"; did you mean GetCallerIdentity?`},
		{name: "near miss", fail: "GetBucketPolcy:acme-slateo-cache=AccessDenied@0.5",
			wantErr: `--fail GetBucketPolcy:acme-slateo-cache=AccessDenied@0.5: no ` +
				`sandbox operation is named "GetBucketPolcy"; did you mean GetBucketPolicy?`},
		{name: "near miss plural", fail: "DescribeKeys=AccessDeniedException",
			wantErr: `--fail DescribeKeys=AccessDeniedException: no sandbox operation is ` +
				`named "DescribeKeys"; did you mean DescribeKey?`},
		{name: "near miss and case", fail: "lookupevent=ThrottlingException",
			wantErr: `--fail lookupevent=ThrottlingException: no sandbox operation is ` +
				`named "lookupevent"; did you mean LookupEvents?`},
		{name: "valid op with bucket", fail: "GetBucketCors:acme-slateo-cache=InternalError@1"},
		{name: "valid kms op", fail: "DescribeKey=AccessDeniedException"},
		{name: "valid sts op", fail: "GetCallerIdentity=ExpiredToken"},
		{name: "valid cloudtrail op", fail: "LookupEvents=ThrottlingException@0.5"},
		{name: "valid preflight", fail: "PreflightRequest:acme-slateo-uploads=AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFault(tt.fail)
			if err != nil {
				t.Fatalf("ParseFault(%q) = %v; it checks syntax only and should accept it",
					tt.fail, err)
			}
			state := filepath.Join(t.TempDir(), "state.json")
			srv, err := Start(Options{Faults: []Fault{f}, StateFile: state})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Start(--fail %s) = %v, want it to start", tt.fail, err)
				}
				_ = srv.Close()
				return
			}
			if err == nil {
				_ = srv.Close()
				t.Fatalf("Start(--fail %s) started, want %q", tt.fail, tt.wantErr)
			}
			want := "starting sandbox: invalid sandbox input: " + tt.wantErr
			if err.Error() != want || !errors.Is(err, ErrInvalidInput) {
				t.Errorf("Start error\n got %q\nwant %q (wrapping ErrInvalidInput)",
					err, want)
			}
			if _, statErr := os.Stat(state); !os.IsNotExist(statErr) {
				t.Errorf("refused start wrote the state file %s (stat: %v)", state, statErr)
			}
		})
	}
}

func TestClosestOperation(t *testing.T) {
	known := knownOperations(testServices(t))
	tests := []struct{ name, want string }{
		{"headbucket", "HeadBucket"},
		{"ListObjectV2", "ListObjectsV2"},
		{"GetKeyPolicies", "GetKeyPolicy"},
		{"PutBucketCORS", "PutBucketCors"},
		{"NoSuchOp", ""},
		{"Get", ""},
		{"AccessDenied", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := closestOperation(tt.name, known); got != tt.want {
				t.Errorf("closestOperation(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestServicesListTheirOperations checks that each service lists, sorted and once each, the
// operations it answers, among them every operation the console itself calls, so that a
// --fail for any of them is accepted.
func TestServicesListTheirOperations(t *testing.T) {
	console := map[string][]string{
		"s3": {"HeadBucket", "GetBucketPolicy", "GetBucketCors", "GetPublicAccessBlock",
			"GetBucketEncryption", "GetBucketOwnershipControls", "GetBucketVersioning",
			"GetBucketLogging", "ListObjectsV2", "GetObject", "ListBuckets",
			"PutBucketPolicy", "PutBucketCors", "PutPublicAccessBlock", "CreateBucket"},
		"kms": {"DescribeKey", "GetKeyPolicy", "PutKeyPolicy"},
		"sts": {"GetCallerIdentity"},
		"cloudtrail": {"DescribeTrails", "GetTrailStatus", "GetEventSelectors",
			"LookupEvents"},
	}
	services := testServices(t)
	if len(services) != len(console) {
		t.Fatalf("sandbox has %d services, test knows %d", len(services), len(console))
	}
	for name, want := range console {
		t.Run(name, func(t *testing.T) {
			svc, ok := services[name]
			if !ok {
				t.Fatalf("no service %q", name)
			}
			ops := svc.Operations()
			if !slices.IsSorted(ops) || len(slices.Compact(slices.Clone(ops))) != len(ops) {
				t.Errorf("Operations() = %v, want sorted names, each once", ops)
			}
			for _, op := range want {
				if !slices.Contains(ops, op) {
					t.Errorf("Operations() lacks %s: %s", op, strings.Join(ops, ", "))
				}
			}
		})
	}
}
