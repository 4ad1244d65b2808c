package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// noProgram fails the test if the console would open.
func noProgram(t *testing.T) func(context.Context, tea.Model, io.Writer) error {
	return func(context.Context, tea.Model, io.Writer) error {
		t.Error("the console opened")
		return nil
	}
}

func TestConsoleFlagErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"unknown flag", []string{"--bogus"}, exitUsage, "flag provided but not defined"},
		{"sandbox with profile", []string{"--sandbox", "--profile", "x"}, exitUsage,
			"--profile cannot be used with --sandbox"},
		{"help lists the console's flags", []string{"--help"}, exitOK, "-log-file"},
		{"help lists refresh", []string{"--help"}, exitOK, "-refresh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWS(t)
			var stdout, stderr bytes.Buffer
			code := runConsoleWith(tt.args, &stdout, &stderr, noProgram(t))
			if code != tt.wantCode || !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(),
					tt.wantCode, tt.wantStderr)
			}
		})
	}
}

// driveConsole returns a program runner that runs the console in teatest, lets script
// act on it, and hands back the last screen.
func driveConsole(t *testing.T, last *string,
	script func(tm *teatest.TestModel)) func(context.Context, tea.Model, io.Writer) error {
	return func(_ context.Context, m tea.Model, _ io.Writer) error {
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
		script(tm)
		if err := tm.Quit(); err != nil {
			return err
		}
		*last = tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).View()
		return nil
	}
}

func waitText(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(text))
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func TestConsoleSandboxNeedsNoSetUp(t *testing.T) {
	isolateAWS(t)
	logFile := filepath.Join(t.TempDir(), "calls.jsonl")
	var last string
	program := driveConsole(t, &last, func(tm *teatest.TestModel) {
		waitText(t, tm, "refreshed just now")
	})
	var stderr bytes.Buffer
	code := runConsoleWith([]string{"--sandbox", "--log-file", logFile, "--refresh", "0"},
		io.Discard, &stderr, program)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"org acme", "writes allowed · sandbox",
		"account 111122223333", "✗ fail", "policy-principal"} {
		if !strings.Contains(last, want) {
			t.Errorf("console lacks %q:\n%s", want, last)
		}
	}
	if strings.Contains(last, "auto-refresh every") {
		t.Errorf("--refresh 0 still auto-refreshes:\n%s", last)
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"operation":"GetCallerIdentity"`) {
		t.Errorf("log file lacks the calls:\n%s", data)
	}
}

func TestConsoleSavesTheForm(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy"})
	config := filepath.Join(t.TempDir(), "config.json")
	var last string
	program := driveConsole(t, &last, func(tm *teatest.TestModel) {
		waitText(t, tm, "settings incomplete")
		tm.Type("acme")
		tm.Send(tea.KeyMsg{Type: tea.KeyTab})
		tm.Type("acme")
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
		waitText(t, tm, "settings saved")
	})
	var stderr bytes.Buffer
	code := runConsoleWith([]string{"--config", config, "--endpoint-url", srv.URL()},
		io.Discard, &stderr, program)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := model.LoadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	if got.OrgSlug != "acme" || got.Company != "acme" {
		t.Errorf("saved %+v, want org and company acme", got)
	}

	// The next start reads the file: no form, straight to the checklist of the saved org.
	program = driveConsole(t, &last, func(tm *teatest.TestModel) {
		waitText(t, tm, "refreshed just now")
	})
	code = runConsoleWith([]string{"--config", config, "--endpoint-url", srv.URL()},
		io.Discard, &stderr, program)
	if code != exitOK || !strings.Contains(last, "[3 Checks]") ||
		!strings.Contains(last, "org acme") || !strings.Contains(last, "✓ pass") {
		t.Errorf("exit %d; the saved settings were not used on the next start:\n%s", code, last)
	}
}
