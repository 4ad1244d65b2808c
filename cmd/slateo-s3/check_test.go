package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// isolateAWS keeps a developer's AWS and Slateo settings out of the test: fake static
// credentials, empty config files, no instance metadata, no SLATEO_* variables, and config
// and state directories (settings, backups) of the test's own.
func isolateAWS(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_ENDPOINT_URL": "",
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "NO_COLOR": "1",
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
	} {
		t.Setenv(k, v)
	}
	for _, sf := range settingFlags {
		if strings.HasPrefix(sf.env, "SLATEO_") {
			t.Setenv(sf.env, "")
		}
	}
}

// syncBuffer is a request log the sandbox writes from its goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// checkRun is what one run of `slateo-s3 check` showed.
type checkRun struct {
	code           int
	stdout, stderr string
}

func runCheckCmd(t *testing.T, args ...string) checkRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"check"}, args...), &stdout, &stderr)
	return checkRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// checkDoc is the check --json document.
type checkDoc struct {
	Settings map[string]any `json:"settings"`
	Caller   map[string]any `json:"caller"`
	Checks   []model.Check  `json:"checks"`
	Summary  model.Summary  `json:"summary"`
}

func decodeCheck(t *testing.T, out string) checkDoc {
	t.Helper()
	var doc checkDoc
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("check --json printed no valid document: %v\n%s", err, out)
	}
	return doc
}

// statuses maps "bucket/id" (or "id" for account checks) to the status of that check.
func statuses(doc checkDoc) map[string]model.Status {
	out := map[string]model.Status{}
	for _, c := range doc.Checks {
		key := c.ID
		if c.Bucket != "" {
			key = c.Bucket + "/" + c.ID
		}
		out[key] = c.Status
	}
	return out
}

func TestCheckAgainstSandbox(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		name     string
		opts     sandbox.Options
		args     []string
		wantCode int
		// want are checks that must have these statuses.
		want map[string]model.Status
	}{
		{name: "healthy passes", opts: sandbox.Options{Scenario: "healthy"},
			wantCode: exitOK,
			want: map[string]model.Status{
				"acme-slateo-uploads/policy-principal": model.Pass,
				"acme-slateo-cache/cors":               model.Pass,
				"distinct-buckets":                     model.Pass,
			}},
		{name: "broken fails", opts: sandbox.Options{Scenario: "broken"},
			wantCode: exitFail,
			want: map[string]model.Status{
				"acme-slateo-uploads/policy-principal":  model.Fail,
				"acme-slateo-cache/policy-resources":    model.Fail,
				"acme-slateo-cache/cors":                model.Fail,
				"acme-slateo-cache/public-access-block": model.Fail,
				"acme-slateo-uploads/kms-grant":         model.Fail,
				"acme-slateo-cache/kms-grant":           model.Fail,
			}},
		{name: "unreadable policy is unknown",
			opts: sandbox.Options{Scenario: "healthy",
				Faults: []sandbox.Fault{{Operation: "GetBucketPolicy", Code: "AccessDenied"}}},
			wantCode: exitUnknown,
			want: map[string]model.Status{
				"acme-slateo-uploads/policy-principal": model.Unknown,
				"acme-slateo-cache/policy-actions":     model.Unknown,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := sandboxtest.Start(t, tt.opts)
			args := append([]string{"--json", "--org", "acme", "--company", "acme",
				"--endpoint-url", srv.URL()}, tt.args...)
			r := runCheckCmd(t, args...)
			if r.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr: %s\nstdout: %s",
					r.code, tt.wantCode, r.stderr, r.stdout)
			}
			doc := decodeCheck(t, r.stdout)
			got := statuses(doc)
			for key, want := range tt.want {
				if got[key] != want {
					t.Errorf("%s = %q, want %q", key, got[key], want)
				}
			}
			if tt.wantCode == exitUnknown && doc.Summary.Fail != 0 {
				t.Errorf("summary = %+v, want no failure", doc.Summary)
			}
		})
	}
}

func TestCheckUnknownNamesMissingPermission(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy",
		Faults: []sandbox.Fault{{Operation: "GetBucketPolicy", Code: "AccessDenied"}}})
	r := runCheckCmd(t, "--org", "acme", "--company", "acme", "--endpoint-url", srv.URL())
	if r.code != exitUnknown {
		t.Fatalf("exit code = %d, want %d\n%s%s", r.code, exitUnknown, r.stdout, r.stderr)
	}
	missing := strings.Index(r.stdout, "Missing permissions")
	action := strings.Index(r.stdout, "s3:GetBucketPolicy")
	bucket := strings.Index(r.stdout, "Bucket acme-slateo-uploads")
	if missing < 0 || action < missing || bucket < action {
		t.Errorf("want s3:GetBucketPolicy under Missing permissions before the buckets:\n%s",
			r.stdout)
	}
	if !strings.Contains(r.stdout, "? unknown") {
		t.Errorf("text lacks the unknown status word:\n%s", r.stdout)
	}
}

func TestCheckInvalidInputSendsNothing(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad bucket name", []string{"--org", "acme", "--uploads-bucket", "Acme_Uploads",
			"--cache-bucket", "acme-cache"}, `--uploads-bucket "Acme_Uploads"`},
		{"missing org", []string{"--company", "acme"}, "--org: the org slug is required"},
		{"same bucket twice", []string{"--org", "acme", "--uploads-bucket", "acme-b",
			"--cache-bucket", "acme-b"}, "--cache-bucket"},
		{"unknown flag", []string{"--org", "acme", "--bogus"}, "flag provided but not defined"},
		{"stray argument", []string{"--org", "acme", "--company", "acme", "extra"},
			`unexpected argument "extra"`},
		{"zero timeout", []string{"--org", "acme", "--company", "acme", "--timeout=0"},
			"flag -timeout: must be more than zero"},
		{"negative timeout", []string{"--org", "acme", "--company", "acme", "--timeout=-1s"},
			"flag -timeout: must be more than zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log syncBuffer
			srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy", Log: &log})
			r := runCheckCmd(t, append(tt.args, "--endpoint-url", srv.URL())...)
			if r.code != exitUsage {
				t.Errorf("exit code = %d, want %d", r.code, exitUsage)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr = %q, want it to say %q", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if lines := log.lines(); len(lines) != 0 {
				t.Errorf("the sandbox got %d requests, want none: %v", len(lines), lines)
			}
		})
	}
}

func TestCheckJSONContract(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})
	r := runCheckCmd(t, "--json", "--org", "acme", "--company", "acme",
		"--endpoint-url", srv.URL())

	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &top); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, r.stdout)
	}
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"caller", "checks", "settings", "summary"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}

	doc := decodeCheck(t, r.stdout)
	if doc.Caller["account"] != srv.Account() {
		t.Errorf("caller = %v, want account %s", doc.Caller, srv.Account())
	}
	if doc.Settings["cache_bucket"] != "acme-slateo-cache" {
		t.Errorf("settings = %v", doc.Settings)
	}
	if got := model.Summarize(doc.Checks); got != doc.Summary {
		t.Errorf("summary = %+v, but the checks count %+v", doc.Summary, got)
	}
	ids := map[string]bool{}
	for _, c := range doc.Checks {
		ids[c.ID] = true
		if c.Status == model.Fail && c.Fix == "" {
			t.Errorf("failing check %s/%s has no fix", c.Bucket, c.ID)
		}
	}
	for _, id := range []string{"bucket-exists", "bucket-region", "public-access-block",
		"policy-principal", "policy-actions", "policy-resources", "policy-deny", "cors",
		"encryption", "kms-grant", "object-ownership", "versioning", "access-logging",
		"distinct-buckets", "cloudtrail"} {
		if !ids[id] {
			t.Errorf("check %s missing from the output", id)
		}
	}
}

func TestCheckInProcessSandbox(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		scenario string
		want     int
	}{
		{"healthy", exitOK},
		{"broken", exitFail},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			r := runCheckCmd(t, "--sandbox", "--scenario", tt.scenario)
			if r.code != tt.want {
				t.Errorf("exit code = %d, want %d\n%s%s", r.code, tt.want, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, "Bucket acme-slateo-cache (cache)") {
				t.Errorf("text output lacks the cache bucket:\n%s", r.stdout)
			}
		})
	}
}

func TestCheckHelp(t *testing.T) {
	r := runCheckCmd(t, "--help")
	if r.code != exitOK {
		t.Errorf("exit code = %d, want 0", r.code)
	}
	for _, flag := range []string{"-json", "-org", "-uploads-bucket", "-sandbox", "-kms-key"} {
		if !strings.Contains(r.stderr, flag) {
			t.Errorf("help lacks %s:\n%s", flag, r.stderr)
		}
	}
}

func TestCheckExitCode(t *testing.T) {
	tests := []struct {
		name string
		sum  model.Summary
		want int
	}{
		{"all pass", model.Summary{Pass: 3, Warn: 2, Skip: 1}, exitOK},
		{"a failure", model.Summary{Pass: 3, Fail: 1}, exitFail},
		{"failure beats unknown", model.Summary{Fail: 1, Unknown: 2}, exitFail},
		{"unknown only", model.Summary{Pass: 3, Unknown: 1}, exitUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkExitCode(tt.sum); got != tt.want {
				t.Errorf("checkExitCode(%+v) = %d, want %d", tt.sum, got, tt.want)
			}
		})
	}
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestCheckLogFile(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "empty"})
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	r := runCheckCmd(t, "--org", "acme", "--company", "acme", "--endpoint-url", srv.URL(),
		"--log-file", path)
	if r.code != exitFail || !strings.Contains(r.stdout, "✗ fail     bucket-exists") {
		t.Errorf("exit code %d, want 1 with bucket-exists failing:\n%s%s",
			r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var heads int
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var call struct{ Operation, Target, Result string }
		if err := json.Unmarshal([]byte(line), &call); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if call.Operation == "HeadBucket" && call.Result == "NotFound" {
			heads++
		}
	}
	if heads != 2 {
		t.Errorf("log holds %d HeadBucket NotFound calls, want 2:\n%s", heads, data)
	}
}

// TestCheckSandboxIgnoresEnvironment proves that --sandbox talks only to its own sandbox: a
// developer's AWS_PROFILE and service endpoint variables must not redirect or break it.
func TestCheckSandboxIgnoresEnvironment(t *testing.T) {
	isolateAWS(t)
	var hits atomic.Int64
	decoy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer decoy.Close()
	t.Setenv("AWS_PROFILE", "no-such-profile")
	for _, v := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS",
		"AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL_CLOUDTRAIL"} {
		t.Setenv(v, decoy.URL)
	}

	r := runCheckCmd(t, "--sandbox", "--scenario", "healthy")
	if r.code != exitOK {
		t.Errorf("exit code = %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests went to the endpoint in the environment, want none", n)
	}
}
