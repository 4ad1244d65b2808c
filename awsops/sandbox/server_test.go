package sandbox_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// signed returns a request carrying a SigV4 Authorization header for service and region;
// the sandbox reads the credential scope and checks no signature.
func signed(t *testing.T, srv *sandbox.Server, method, path, service, region string,
	body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/"+
		region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=00")
	return req
}

func TestStartRefusesRemoteListen(t *testing.T) {
	tests := []struct {
		name    string
		opts    sandbox.Options
		wantErr bool
	}{
		{"all interfaces", sandbox.Options{Listen: ":0"}, true},
		{"public address", sandbox.Options{Listen: "0.0.0.0:0"}, true},
		{"loopback", sandbox.Options{Listen: "127.0.0.1:0"}, false},
		{"localhost", sandbox.Options{Listen: "localhost:0"}, false},
		{"bad account", sandbox.Options{Account: "12345"}, true},
		{"bad fault", sandbox.Options{Faults: []sandbox.Fault{{Operation: "X"}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := sandbox.Start(tt.opts)
			if err == nil {
				defer srv.Close()
				if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
					t.Errorf("URL = %s, want http://127.0.0.1:PORT", srv.URL())
				}
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("Start error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// TestRouting checks that each request reaches the service its scope names, and that
// unsigned requests get the anonymous caller's answer in each service's error shape.
func TestRouting(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	tests := []struct {
		name       string
		req        func() *http.Request
		wantStatus int
		wantBody   string
	}{
		{"s3 by scope", func() *http.Request {
			return signed(t, srv, http.MethodGet, "/", "s3", "us-west-2", "")
		}, 200, "<ListAllMyBucketsResult"},
		{"sts by scope", func() *http.Request {
			r := signed(t, srv, http.MethodPost, "/", "sts", "us-east-1",
				"Action=GetCallerIdentity&Version=2011-06-15")
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 200, "<Account>111122223333</Account>"},
		{"kms by scope", func() *http.Request {
			r := signed(t, srv, http.MethodPost, "/", "kms", "us-west-2", `{}`)
			r.Header.Set("X-Amz-Target", "TrentService.ListAliases")
			r.Header.Set("Content-Type", "application/x-amz-json-1.1")
			return r
		}, 200, `"Aliases"`},
		{"cloudtrail by scope", func() *http.Request {
			r := signed(t, srv, http.MethodPost, "/", "cloudtrail", "us-west-2", `{}`)
			r.Header.Set("X-Amz-Target",
				"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails")
			r.Header.Set("Content-Type", "application/x-amz-json-1.1")
			return r
		}, 200, `"trailList"`},
		{"unsigned s3", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, srv.URL()+"/bucket/key", nil)
			return r
		}, 403, "<Code>AccessDenied</Code>"},
		{"unsigned json", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader("{}"))
			r.Header.Set("X-Amz-Target", "TrentService.ListKeys")
			return r
		}, 400, `"__type":"MissingAuthenticationTokenException"`},
		{"unsigned query", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/",
				strings.NewReader("Action=GetCallerIdentity"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 403, "<Code>MissingAuthenticationToken</Code>"},
		{"unsigned OPTIONS is a preflight", func() *http.Request {
			r, _ := http.NewRequest(http.MethodOptions, srv.URL()+"/nobucket/k", nil)
			r.Header.Set("Origin", "https://acme.slateo.ai")
			r.Header.Set("Access-Control-Request-Method", "GET")
			return r
		}, 403, "CORSResponse: Bucket not found"},
		{"unknown service", func() *http.Request {
			return signed(t, srv, http.MethodPost, "/", "iam", "us-east-1", "")
		}, 400, "UnrecognizedClientException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, tt.req())
			if resp.status != tt.wantStatus || !strings.Contains(resp.body, tt.wantBody) {
				t.Errorf("status %d body %s; want %d with %q", resp.status, resp.body,
					tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestFaultInjection(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{Faults: []sandbox.Fault{
		{Operation: "GetBucketPolicy", Code: "AccessDenied", Bucket: "cache"},
		{Operation: "DescribeTrails", Code: "ThrottlingException"},
	}})
	for _, b := range []string{"cache", "uploads"} {
		if err := srv.S3().CreateBucket(b, "us-west-2"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantBody   string
	}{
		{"faulted bucket", signed(t, srv, "GET", "/cache?policy", "s3", "us-west-2", ""),
			403, "<Code>AccessDenied</Code>"},
		{"other bucket served", signed(t, srv, "GET", "/uploads?policy", "s3", "us-west-2",
			""), 404, "<Code>NoSuchBucketPolicy</Code>"},
		{"json service", func() *http.Request {
			r := signed(t, srv, "POST", "/", "cloudtrail", "us-west-2", "{}")
			r.Header.Set("X-Amz-Target",
				"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails")
			return r
		}(), 400, `ThrottlingException`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, tt.req)
			if resp.status != tt.wantStatus || !strings.Contains(resp.body, tt.wantBody) {
				t.Errorf("status %d body %s; want %d with %q", resp.status, resp.body,
					tt.wantStatus, tt.wantBody)
			}
		})
	}
}

// TestFaultRate checks that a partial rate fails some requests and serves the others.
func TestFaultRate(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{Faults: []sandbox.Fault{
		{Operation: "ListBuckets", Code: "SlowDown", Rate: 0.5},
	}})
	counts := map[int]int{}
	for range 200 {
		counts[do(t, signed(t, srv, "GET", "/", "s3", "us-west-2", "")).status]++
	}
	if counts[503] == 0 || counts[200] == 0 || counts[503]+counts[200] != 200 {
		t.Errorf("statuses %v; want a mix of 503 SlowDown and 200", counts)
	}
}

func TestLatency(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req := signed(t, srv, "GET", "/", "s3", "us-west-2", "").WithContext(ctx)
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("request under an hour of latency returned %v, want the caller's deadline",
			err)
	}
}

func TestLatencyDelays(t *testing.T) {
	const latency = 150 * time.Millisecond
	srv := sandboxtest.Start(t, sandbox.Options{Latency: latency})
	start := time.Now()
	resp := do(t, signed(t, srv, "GET", "/", "s3", "us-west-2", ""))
	if resp.status != 200 || time.Since(start) < latency {
		t.Errorf("status %d after %v; want 200 after at least %v", resp.status,
			time.Since(start), latency)
	}
}

func TestRequestLog(t *testing.T) {
	log := &syncWriter{w: &bytes.Buffer{}}
	fixed := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	srv := sandboxtest.Start(t, sandbox.Options{Log: log, Now: func() time.Time { return fixed }})
	do(t, signed(t, srv, "PUT", "/acme-slateo-cache", "s3", "us-east-1", ""))
	do(t, signed(t, srv, "GET", "/acme-slateo-cache?cors", "s3", "us-east-1", ""))
	do(t, signed(t, srv, "HEAD", "/acme-slateo-cache", "s3", "us-east-1", ""))

	type line struct {
		Time, Service, Operation, Bucket string
		Status                           int
	}
	want := []line{
		{"2026-12-04T15:00:00Z", "s3", "CreateBucket", "acme-slateo-cache", 200},
		{"2026-12-04T15:00:00Z", "s3", "GetBucketCors", "acme-slateo-cache", 404},
		{"2026-12-04T15:00:00Z", "s3", "HeadBucket", "acme-slateo-cache", 200},
	}
	var got []line
	sc := bufio.NewScanner(strings.NewReader(log.String()))
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		got = append(got, l)
	}
	if len(got) != len(want) {
		t.Fatalf("log lines %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first := sandboxtest.Start(t, sandbox.Options{StateFile: path, Account: "444455556666"})
	if err := first.S3().CreateBucket("acme-slateo-uploads", "us-west-2"); err != nil {
		t.Fatal(err)
	}
	if err := first.S3().PutObject("acme-slateo-uploads", "org/a.csv", []byte("a,b")); err != nil {
		t.Fatal(err)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":` +
		`"444455556666"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::acme-slateo-uploads"}]}`
	resp := do(t, signed(t, first, "PUT", "/acme-slateo-uploads?policy", "s3", "us-west-2",
		policy))
	if resp.status != http.StatusNoContent {
		t.Fatalf("PutBucketPolicy status %d body %s", resp.status, resp.body)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(matches) > 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}

	second := sandboxtest.Start(t, sandbox.Options{StateFile: path})
	if second.Account() != "444455556666" {
		t.Errorf("account after reload = %s, want 444455556666", second.Account())
	}
	if body, ok := second.S3().Object("acme-slateo-uploads", "org/a.csv"); !ok ||
		string(body) != "a,b" {
		t.Errorf("object after reload = %q, %v", body, ok)
	}
	got := do(t, signed(t, second, "GET", "/acme-slateo-uploads?policy", "s3", "us-west-2", ""))
	if !strings.Contains(got.body, `"AWS":"arn:aws:iam::444455556666:root"`) {
		t.Errorf("policy after reload = %s, want the normalised principal", got.body)
	}
	records := second.Journal().NewestFirst()
	if len(records) != 1 || records[0].EventName != "PutBucketPolicy" {
		t.Errorf("journal after reload holds %d records, want the PutBucketPolicy event",
			len(records))
	}
}

func TestStateFileCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if srv, err := sandbox.Start(sandbox.Options{StateFile: path}); err == nil {
		srv.Close()
		t.Fatal("Start accepted a corrupt state file")
	}
}

func TestEventsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	lines := `{"eventVersion":"1.11","eventTime":"2026-12-01T10:00:00Z",` +
		`"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy",` +
		`"errorCode":"MalformedPolicy","eventID":"e1","recipientAccountId":"111122223333"}` +
		"\n\n" + `{"eventTime":"2026-12-02T10:00:00Z","eventSource":"kms.amazonaws.com",` +
		`"eventName":"Decrypt","errorCode":"AccessDenied","eventID":"e2"}` + "\n"
	if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.Start(t, sandbox.Options{EventsFile: path})
	records := srv.Journal().NewestFirst()
	if len(records) != 2 || records[0].EventID != "e2" ||
		records[1].ErrorCode != "MalformedPolicy" {
		t.Fatalf("journal = %+v, want e2 then e1", records)
	}

	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := sandbox.Start(sandbox.Options{EventsFile: bad}); err == nil {
		s.Close()
		t.Fatal("Start accepted a broken events file")
	}
}

func TestScenarios(t *testing.T) {
	tests := []struct {
		name        string
		wantBuckets bool
		wantErr     bool
	}{
		{"empty", false, false},
		{"healthy", true, false},
		{"broken", true, false},
		{"chaotic", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := sandbox.Start(sandbox.Options{Scenario: tt.name})
			if tt.wantErr {
				if err == nil {
					srv.Close()
					t.Fatal("Start accepted an unknown scenario")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			resp := do(t, signed(t, srv, "GET", "/", "s3", "us-west-2", ""))
			has := strings.Contains(resp.body, "<Name>acme-slateo-cache</Name>")
			if has != tt.wantBuckets {
				t.Errorf("ListBuckets names the cache bucket: %v, want %v", has,
					tt.wantBuckets)
			}
		})
	}
}

// TestScenarioNotAppliedOverState checks that a saved state wins over the scenario.
func TestScenarioNotAppliedOverState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first := sandboxtest.Start(t, sandbox.Options{StateFile: path})
	if err := first.S3().CreateBucket("mine-only", "us-west-2"); err != nil {
		t.Fatal(err)
	}
	first.Close()
	second := sandboxtest.Start(t, sandbox.Options{StateFile: path, Scenario: "healthy"})
	if !second.S3().BucketExists("mine-only") || second.S3().BucketExists("acme-slateo-cache") {
		t.Error("the scenario replaced or merged into the saved state")
	}
}

// TestHealthyStateRoundTrip saves a whole scenario account and loads it back unchanged.
func TestHealthyStateRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first := sandboxtest.Start(t, sandbox.Options{StateFile: path, Scenario: "healthy"})
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	journal := first.Journal().Len()
	first.Close()

	second := sandboxtest.Start(t, sandbox.Options{StateFile: path})
	if second.Journal().Len() != journal {
		t.Errorf("journal after reload holds %d records, want %d", second.Journal().Len(),
			journal)
	}
	if len(second.KMS().Keys()) == 0 {
		t.Error("no KMS keys after reload")
	}
	do(t, signed(t, second, "GET", "/", "s3", "us-west-2", ""))
	again, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(saved) {
		t.Error("the state file changed after a reload and a read")
	}
}
