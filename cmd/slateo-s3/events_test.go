package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func runEventsCmd(t *testing.T, args ...string) checkRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"events"}, args...), &stdout, &stderr)
	return checkRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

type eventsDoc struct {
	Window struct {
		Start, End time.Time
	}
	Pages, Scanned int
	Events         []struct {
		Time      time.Time
		Name      string
		Principal string
		Resource  string
		Check     string
		Diagnosis string
	}
}

// The broken scenario's history holds Slateo's data-event denials on both buckets (a wrong
// principal on uploads, a missing /* on cache) and the admin's public policy that Block
// Public Access refused: each must point at the check that fails for it.
func TestEventsBrokenScenario(t *testing.T) {
	isolateAWS(t)
	r := runEventsCmd(t, "--sandbox", "--scenario", "broken", "--since", "48h", "--json")
	if r.code != exitOK {
		t.Fatalf("exit code = %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	var doc eventsDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if got := doc.Window.End.Sub(doc.Window.Start); got != 48*time.Hour {
		t.Errorf("window spans %s, want 48h", got)
	}
	checks := map[string]int{}
	for i, e := range doc.Events {
		if i > 0 && e.Time.After(doc.Events[i-1].Time) {
			t.Errorf("event %d is newer than the one before it", i)
		}
		switch {
		case strings.Contains(e.Resource, "acme-slateo-uploads/"):
			checks["uploads "+e.Check]++
		case strings.Contains(e.Resource, "acme-slateo-cache/"):
			checks["cache "+e.Check]++
		default:
			checks[e.Name+" "+e.Check]++
		}
	}
	for _, want := range []string{"uploads policy-principal", "cache policy-resources",
		"PutBucketPolicy public-access-block"} {
		if checks[want] == 0 {
			t.Errorf("no event diagnosed as %q; got %v", want, checks)
		}
	}
	if len(checks) != 3 {
		t.Errorf("events point at %v, want only the three faults", checks)
	}
}

func TestEventsTextNamesTheWindow(t *testing.T) {
	isolateAWS(t)
	r := runEventsCmd(t, "--sandbox", "--scenario", "healthy", "--since", "2h",
		"--until", "2026-01-02T15:04:05Z")
	if r.code != exitOK {
		t.Fatalf("exit code = %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"from 2026-01-02T13:04:05Z to 2026-01-02T15:04:05Z",
		"0 denials", "kms-grant"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestEventsInvalidInput(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		name string
		args []string
		says string
	}{
		{name: "until not a time", args: []string{"--until", "yesterday"}, says: "RFC 3339"},
		{name: "negative since", args: []string{"--since", "-2h"}, says: "positive"},
		{name: "since beyond 90 days", args: []string{"--since", "1000000h"},
			says: "at most 2160h0m0s (90 days)"},
		{name: "zero timeout", args: []string{"--timeout", "0"}, says: "more than zero"},
		{name: "extra argument", args: []string{"now"}, says: "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--sandbox", "--org", "acme", "--company", "acme"},
				tt.args...)
			r := runEventsCmd(t, args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d saying %q", r.code, r.stderr, exitUsage,
					tt.says)
			}
		})
	}
}
