package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// TestReadOnlyCommandsSendNoWrite runs every command that only reads, and a console session
// that opens an apply dialog and declines it, against the broken account, which has much to
// fix, and reads the sandbox's request log: not one write may reach AWS.
func TestReadOnlyCommandsSendNoWrite(t *testing.T) {
	isolateAWS(t)
	log := &sandboxtest.RequestLog{}
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken", Log: log})
	base := []string{"--org", "acme", "--company", "acme", "--endpoint-url", srv.URL()}

	for _, command := range [][]string{
		{"check"}, {"check", "--json"}, {"plan"}, {"events", "--since", "48h"},
		{"report", "--json"}, {"apply", "--dry-run"},
	} {
		r := runCmd(t, append(command, base...)...)
		if r.code == exitUsage {
			t.Fatalf("%v exited %d:\n%s", command, r.code, r.stderr)
		}
	}

	var last string
	program := driveConsole(t, &last, func(tm *teatest.TestModel) {
		waitText(t, tm, "refreshed just now")
		tm.Type("2")
		waitText(t, tm, "Step 1 of 5")
		tm.Type("n")
		waitText(t, tm, "Step 2 of 5")
		tm.Type("a")
		waitText(t, tm, "y: apply · n: cancel")
		tm.Type("n")
		waitText(t, tm, "Step 2 of 5")
	})
	args := append([]string{"--allow-writes", "--refresh", "0", "--config",
		filepath.Join(t.TempDir(), "config.json")}, base...)
	if code := runConsoleWith(args, io.Discard, io.Discard, program); code != exitOK {
		t.Fatalf("console exited %d", code)
	}

	if len(log.Requests(t)) == 0 {
		t.Fatal("the request log is empty: the test would prove nothing")
	}
	if writes := log.Writes(t); len(writes) != 0 {
		t.Errorf("read-only use sent %d writes: %+v", len(writes), writes)
	}
}
