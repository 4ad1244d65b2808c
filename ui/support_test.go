package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// TestRedactedScreens renders every screen against the broken scenario with redaction on
// and looks for each account, access key, address, user and session name of the
// sandbox's data. The Events screen is searched and a whole denial record opened.
func TestRedactedScreens(t *testing.T) {
	secrets := sandboxtest.Secrets(t, sandboxtest.Start(t,
		sandbox.Options{Scenario: "broken"}))
	tests := []struct {
		name  string
		keys  []tea.Msg
		until string
	}{
		{"settings", keys("1"), "Org slug"},
		{"setup", keys("2"), ""},
		{"checks", keys("3"), ""},
		{"checks detail", keys("3", "enter"), ""},
		{"troubleshoot", keys("4", "down", "enter"), "run it again"},
		{"log", keys("5"), ""},
		{"events record", keys("6", "s"), "done:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := sandboxOptions(t, "broken")
			o.Redact, o.Now = true, time.Now
			tm := teatest.NewTestModel(t, New(o), teatest.WithInitialTermSize(120, 40))
			waitFor(t, tm, "refreshed")
			for _, k := range tt.keys {
				tm.Send(k)
			}
			if tt.until != "" {
				waitFor(t, tm, tt.until)
			}
			if tt.name == "events record" {
				tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			}
			view := finalView(t, tm)
			if !strings.Contains(view, "REDACTED") {
				t.Errorf("header lacks the REDACTED mark:\n%s", view)
			}
			for _, s := range secrets {
				if strings.Contains(view, s) {
					t.Errorf("screen shows %q:\n%s", s, view)
				}
			}
			assertScreen(t, view, 120, 40)
		})
	}
}

// TestRedactToggle: R masks and unmasks the screen, and a value keeps its token.
func TestRedactToggle(t *testing.T) {
	fb := &fakeBackend{state: model.State{
		Caller: model.Known(model.Caller{Account: "123456789012",
			ARN: "arn:aws:iam::123456789012:user/alice"}),
	}}
	m := start(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 100, 24)
	plain := m.View()
	if !strings.Contains(plain, "123456789012") || strings.Contains(plain, "REDACTED") {
		t.Fatalf("before R the header shows the account unmasked:\n%s", plain)
	}
	m = drive(t, m, keys("R")...)
	on := m.View()
	for _, want := range []string{"REDACTED", "account [account-1]",
		"arn:aws:iam::[account-1]:user/[user-1]", "redaction on"} {
		if !strings.Contains(on, want) {
			t.Errorf("after R the screen lacks %q:\n%s", want, on)
		}
	}
	if strings.Contains(on, "123456789012") || strings.Contains(on, "alice") {
		t.Errorf("after R the screen shows the account or the user:\n%s", on)
	}
	assertScreen(t, on, 100, 24)
	m = drive(t, m, keys("R")...)
	if off := m.View(); !strings.Contains(off, "123456789012") ||
		strings.Contains(off, "REDACTED") {
		t.Errorf("a second R does not unmask:\n%s", off)
	}
	m = drive(t, m, keys("R")...)
	if again := m.View(); !strings.Contains(again, "account [account-1]") {
		t.Errorf("the account's token changed after toggling:\n%s", again)
	}
}

// TestSaveReportKey: S saves through Options.SaveReport and shows the path, or the error.
func TestSaveReportKey(t *testing.T) {
	tests := []struct {
		name string
		save func(context.Context, model.Settings) (string, error)
		want string
	}{
		{"saved", func(_ context.Context, s model.Settings) (string, error) {
			return "/tmp/slateo-s3-report-" + s.OrgSlug + ".md", nil
		}, "report saved to /tmp/slateo-s3-report-acme.md"},
		{"failed", func(context.Context, model.Settings) (string, error) {
			return "", errors.New("disk full")
		}, "saving the report: disk full"},
		{"not available", nil, "saving a report is not available here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := &fakeBackend{}
			m := start(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
				SaveReport: tt.save}, 120, 24)
			m = drive(t, m, keys("S")...)
			if v := m.View(); !strings.Contains(v, tt.want) {
				t.Errorf("status lacks %q:\n%s", tt.want, v)
			}
		})
	}
}

// BenchmarkRedactedView compares drawing the checklist with and without masking: masking
// scans the whole 120×40 screen once per frame.
func BenchmarkRedactedView(b *testing.B) {
	checks := make([]model.Check, 200)
	for i := range checks {
		checks[i] = model.Check{ID: "policy-principal", Bucket: acme.CacheBucketName(),
			Status: model.Fail, Summary: "statement names arn:aws:iam::123456789012:user/alice",
			Detail: "from 203.0.113.9", Fix: "aws s3api put-bucket-policy --bucket x"}
	}
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "redacted"}[on], func(b *testing.B) {
			fb := &fakeBackend{}
			m := manual(b, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
				Redact: on}, 120, 40)
			m = withChecks(b, m, fb, checks)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_ = m.View()
			}
		})
	}
}

// TestRedactCutValues: a value the screen cuts at its edge is too short to be recognised;
// while masking, its visible start goes too.
func TestRedactCutValues(t *testing.T) {
	tests := []struct {
		name, arn string
		hidden    []string
	}{
		{"account", "arn:aws:iam::123456789012:root", []string{"1234"}},
		{"key", "arn:aws:iam::123456789012:user/AKIAIOSFODNN7EXAMPLE0", []string{"AKIA"}},
		{"email", "arn:aws:sts::123456789012:assumed-role/r/someone@example.com",
			[]string{"someone@"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := &fakeBackend{state: model.State{Caller: model.Known(model.Caller{
				Account: "123456789012", ARN: tt.arn})}}
			// The header's second line is "account [account-1] · caller " then the ARN,
			// cut 6 cells into the value at its end.
			w := len("account 123456789012 · caller ") + len(tt.arn) - 6
			m := start(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
				Redact: true}, w, 24)
			line := strings.Split(m.View(), "\n")[1]
			if !strings.HasSuffix(line, "…") {
				t.Fatalf("header line %q is not cut; the test proves nothing", line)
			}
			for _, h := range tt.hidden {
				if strings.Contains(line, h) {
					t.Errorf("header line %q shows the start %q of a cut value", line, h)
				}
			}
		})
	}
}
