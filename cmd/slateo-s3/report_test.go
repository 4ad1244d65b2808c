package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

func TestReportAgainstSandbox(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})
	tests := []struct {
		name      string
		args      []string
		wantAcct  bool // the caller's account id appears as read
		wantKeys  []string
		wantLines []string
	}{
		{name: "json redacted", args: []string{"--json"},
			wantKeys: []string{"version", "settings", "caller", "checks", "summary", "events",
				"documents"}},
		{name: "json not redacted", args: []string{"--json", "--no-redact"}, wantAcct: true},
		{name: "text", wantLines: []string{"slateo-s3 report, version",
			"Summary:", "CloudTrail denials from", "Documents read from AWS",
			"Bucket acme-slateo-uploads (uploads)", "acme-slateo-cache"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"report", "--org", "acme", "--company", "acme",
				"--endpoint-url", srv.URL()}, tt.args...)
			if code := run(args, &stdout, &stderr); code != exitOK {
				t.Fatalf("exit code %d, want 0; stderr: %s", code, &stderr)
			}
			out := stdout.String()
			if got := strings.Contains(out, srv.Account()); got != tt.wantAcct {
				t.Errorf("account %s shown = %v, want %v", srv.Account(), got, tt.wantAcct)
			}
			if !tt.wantAcct && !strings.Contains(out, "[account-1]") {
				t.Errorf("no masked account in the report")
			}
			for _, l := range tt.wantLines {
				if !strings.Contains(out, l) {
					t.Errorf("report lacks %q", l)
				}
			}
			if tt.wantKeys == nil {
				return
			}
			var top map[string]json.RawMessage
			if err := json.Unmarshal(stdout.Bytes(), &top); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			for _, k := range tt.wantKeys {
				if _, ok := top[k]; !ok {
					t.Errorf("report lacks %q", k)
				}
			}
			var events struct{ Events []map[string]any }
			if err := json.Unmarshal(top["events"], &events); err != nil ||
				len(events.Events) == 0 {
				t.Errorf("report holds no events from the broken scenario: %v", err)
			}
		})
	}
}

func TestReportInvalidInput(t *testing.T) {
	isolateAWS(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"report", "--sandbox", "--since", "-1h"}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--since must be positive") {
		t.Errorf("exit %d, stderr %q; want 2 and the --since rule", code, &stderr)
	}
}
