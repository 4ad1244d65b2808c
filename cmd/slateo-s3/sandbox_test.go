package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSandboxCommandServesUntilStopped(t *testing.T) {
	isolateAWS(t)
	logPath := filepath.Join(t.TempDir(), "requests.jsonl")
	o, code, ok := parseSandboxFlags([]string{"--listen", "127.0.0.1:0", "--scenario",
		"healthy", "--log", logPath}, io.Discard)
	if !ok {
		t.Fatalf("parsing flags failed with code %d", code)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan int, 1)
	go func() { done <- o.run(ctx, &out, io.Discard) }()

	url := waitForURL(t, &out)
	for _, want := range []string{"export AWS_ENDPOINT_URL=" + url,
		"export AWS_ACCESS_KEY_ID=test", "export AWS_SECRET_ACCESS_KEY=test",
		"export AWS_REGION=us-west-2"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}

	r := runCheckCmd(t, "--org", "acme", "--company", "acme", "--endpoint-url", url)
	if r.code != exitOK {
		t.Errorf("check against the healthy sandbox exited %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	logged, err := os.ReadFile(logPath)
	if err != nil || !strings.Contains(string(logged), `"GetBucketPolicy"`) {
		t.Errorf("request log = %q, %v; want the check's calls", logged, err)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("sandbox exited %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox did not stop after its context ended")
	}
	if !strings.Contains(out.String(), "Sandbox stopped.") {
		t.Errorf("output lacks the stop message:\n%s", out.String())
	}
}

var urlLine = regexp.MustCompile(`Sandbox listening on (http://127\.0\.0\.1:\d+)`)

// waitForURL polls the command's output for the banner; the sandbox starts in milliseconds,
// the generous limit only guards against a hang.
func waitForURL(t *testing.T, out *syncBuffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no banner in the sandbox output:\n%s", out.String())
	return ""
}

func TestSandboxFlags(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantOK     bool
		listenSet  bool
		faults     int
		orgRoles   string
		wantStderr string
	}{
		{name: "defaults", wantOK: true, orgRoles: "acme"},
		{name: "explicit listen", args: []string{"--listen", "0.0.0.0:4566"}, wantOK: true,
			listenSet: true, orgRoles: "acme"},
		{name: "faults and roles", args: []string{"--fail", "GetBucketPolicy=AccessDenied",
			"--fail", "HeadBucket:acme-slateo-cache=SlowDown@0.5", "--org-roles", "acme, globex"},
			wantOK: true, faults: 2, orgRoles: "acme,globex"},
		{name: "bad fault", args: []string{"--fail", "nonsense"},
			wantStderr: "invalid value \"nonsense\" for flag -fail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			o, code, ok := parseSandboxFlags(tt.args, &stderr)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v (code %d), want %v; stderr %s", ok, code, tt.wantOK, &stderr)
			}
			if !ok {
				if code != exitUsage || !strings.Contains(stderr.String(), tt.wantStderr) {
					t.Errorf("code %d, stderr %q; want 2 and %q", code, &stderr, tt.wantStderr)
				}
				return
			}
			opts, closeLog, err := o.options()
			if err != nil {
				t.Fatal(err)
			}
			closeLog()
			if opts.AllowRemote != tt.listenSet || len(opts.Faults) != tt.faults ||
				strings.Join(opts.OrgRoles, ",") != tt.orgRoles {
				t.Errorf("options = %+v", opts)
			}
		})
	}
}

func TestSandboxInvalidInput(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.json")
	if err := os.WriteFile(corrupt, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown scenario", []string{"--scenario", "sunny"}, `--scenario "sunny"`},
		{"corrupt state file", []string{"--state", corrupt}, "corrupt.json"},
		{"malformed events file", []string{"--events", corrupt}, "corrupt.json"},
		{"short account id", []string{"--account", "12"}, "an account id is 12 digits"},
		{"unparsable listen address", []string{"--listen", "nonsense"}, "nonsense"},
		{"negative latency", []string{"--latency", "-1s"}, "--latency cannot be negative"},
		{"log in a missing directory", []string{"--log", "/nonexistent/dir/log"},
			"opening request log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			code := run(append([]string{"sandbox", "--listen", "127.0.0.1:0"}, tt.args...),
				io.Discard, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, &stderr, tt.want)
			}
		})
	}
}

func TestSandboxRefusesRemoteListenByDefault(t *testing.T) {
	o := sandboxOptions{listen: "0.0.0.0:0", scenario: "empty"}
	var stderr strings.Builder
	if code := o.run(context.Background(), io.Discard, &stderr); code == exitOK {
		t.Errorf("a non-loopback address without an explicit --listen was served")
	}
}

func TestWarnIfReachable(t *testing.T) {
	tests := []struct {
		ip   string
		warn bool
	}{
		{"127.0.0.1", false},
		{"::1", false},
		{"0.0.0.0", true},
		{"::", true},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			var w strings.Builder
			warnIfReachable(&w, &net.TCPAddr{IP: net.ParseIP(tt.ip), Port: 4566})
			if got := strings.Contains(w.String(), "reachable from other hosts"); got != tt.warn {
				t.Errorf("warning printed = %v, want %v: %q", got, tt.warn, w.String())
			}
		})
	}
}
