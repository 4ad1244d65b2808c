package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

var acme = model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}

// handChecks are checks written by hand, for tests of rendering that must not depend on
// what diagnostics decides.
func handChecks() []model.Check {
	up, cache := acme.UploadsBucketName(), acme.CacheBucketName()
	return []model.Check{
		{ID: "bucket-exists", Bucket: up, Status: model.Pass, Summary: "bucket exists"},
		{ID: "policy-principal", Bucket: up, Status: model.Fail,
			Summary: "no Allow statement names the org role",
			Detail: `{"Principal":{"AWS":` +
				`"arn:aws:iam::880265510198:role/slateo-prod-storage-acme2"}}`,
			Fix: "aws s3api put-bucket-policy --bucket acme-slateo-uploads " +
				"--policy file://p.json"},
		{ID: "bucket-exists", Bucket: cache, Status: model.Pass, Summary: "bucket exists"},
		{ID: "cors", Bucket: cache, Status: model.Fail,
			Summary: "GET from https://acme.slateo.ai is not allowed",
			Fix: "aws s3api put-bucket-cors --bucket acme-slateo-cache " +
				"--cors-configuration file://c.json"},
		{ID: "versioning", Bucket: cache, Status: model.Warn, Summary: "versioning is off"},
		{ID: "kms-grant", Bucket: cache, Status: model.Skip, Summary: "no SSE-KMS"},
		{ID: "cloudtrail", Status: model.Unknown, Summary: "could not read trails"},
	}
}

// withChecks delivers an inspection result carrying the given checks.
func withChecks(t testing.TB, m tea.Model, fb *fakeBackend, checks []model.Check) tea.Model {
	t.Helper()
	return drive(t, m, inspectedMsg{gen: m.(Model).gen, backend: fb, checks: checks,
		state: model.State{Settings: acme, Caller: model.Known(model.Caller{
			Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/admin"})}})
}

func fixedNow() time.Time { return testTime }

func TestScreensFitTheTerminal(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {120, 40}, {60, 16}, {200, 60}}
	for _, size := range sizes {
		for s := screen(0); s < screenCount; s++ {
			t.Run(fmt.Sprintf("%s/%dx%d", screenNames[s], size.w, size.h),
				func(t *testing.T) {
					fb := &fakeBackend{}
					m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow},
						size.w, size.h)
					m = withChecks(t, m, fb, handChecks())
					m = drive(t, m, keys(string(rune('1'+s)))...)
					assertScreen(t, m.View(), size.w, size.h)
					if s != settingsScreen {
						m = drive(t, m, keys("?")...)
						assertScreen(t, m.View(), size.w, size.h)
					}
				})
		}
	}
}

func TestChecklistShowsStatusWordsAndFilters(t *testing.T) {
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 100, 30)
	m = withChecks(t, m, fb, handChecks())
	view := m.View()
	for _, want := range []string{"✓ pass", "✗ fail", "! warn", "- skip", "? unknown",
		"policy-principal", "account", "✗ 2 fail ! 1 warn ? 1 unknown ✓ 2 pass"} {
		if !strings.Contains(view, want) {
			t.Errorf("checklist lacks %q:\n%s", want, view)
		}
	}

	m = drive(t, m, keys("/")...)
	view = m.View()
	if strings.Contains(view, "bucket exists") || strings.Contains(view, "no SSE-KMS") {
		t.Errorf("problems-only view still shows passing or skipped checks:\n%s", view)
	}
	if !strings.Contains(view, "problems only · 1/4") {
		t.Errorf("problems-only view does not say so:\n%s", view)
	}
}

func TestChecklistDetailPane(t *testing.T) {
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 100, 40)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("down")...)
	view := m.View()
	for _, want := range []string{
		"details of policy-principal on uploads bucket acme-slateo-uploads",
		"Found:", "slateo-prod-storage-acme2", "Fix (c to copy):",
		"aws s3api put-bucket-policy --bucket acme-slateo-uploads",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("detail pane lacks %q:\n%s", want, view)
		}
	}
}

func TestUntrustedStringsAreCleaned(t *testing.T) {
	hostile := "evil\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[10;10H\u202eend"
	checks := []model.Check{{ID: "cors", Bucket: acme.CacheBucketName(), Status: model.Fail,
		Summary: hostile, Detail: hostile + "\n" + hostile, Fix: hostile}}
	fb := &fakeBackend{preflight: map[string]awsops.Preflight{
		"https://acme.slateo.ai": {Status: 403, ErrorCode: hostile, ErrorMessage: hostile}}}
	calls := &fixedCalls{calls: []awsops.Call{{Time: testTime, Service: hostile,
		Operation: hostile, Target: hostile, Result: hostile}}}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
		Log: calls}, 100, 30)
	m = drive(t, m, inspectedMsg{backend: fb, checks: checks, state: model.State{
		Caller: model.Known(model.Caller{Account: "1\x1b[31m", ARN: hostile})}})
	for s := screen(1); s < screenCount; s++ {
		m = drive(t, m, keys(string(rune('1'+s)))...)
		if s == runbookScreen {
			m = drive(t, m, keys("down", "enter")...)
		}
		view := m.View()
		if strings.ContainsAny(view, "\x1b\x07\u202e") {
			t.Errorf("%s screen lets a control sequence through: %q", screenNames[s], view)
		}
		if (s == runbookScreen || s == logScreen) && !strings.Contains(view, "evil]52") {
			t.Errorf("%s screen does not show the hostile text at all:\n%s", screenNames[s], view)
		}
	}
}

func TestCopyFixWritesOSC52(t *testing.T) {
	var clip bytes.Buffer
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
		Clipboard: &clip}, 100, 30)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("down", "c")...)

	fix := handChecks()[1].Fix
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(fix)) + "\x07"
	if clip.String() != want {
		t.Errorf("clipboard got %q, want %q", clip.String(), want)
	}
	if !strings.Contains(m.View(), "copied the fix for policy-principal (1 line)") {
		t.Errorf("no copy notice:\n%s", m.View())
	}
}

func TestCopyInsideTmuxIsWrapped(t *testing.T) {
	var clip bytes.Buffer
	cb := clipboard{out: &clip, mux: "tmux"}
	msg := cb.copyCmd("x", "hello")()
	if !strings.HasPrefix(clip.String(), "\x1bPtmux;\x1b\x1b]52;c;") {
		t.Errorf("tmux passthrough missing: %q", clip.String())
	}
	if msg != noticeMsg("copied x (1 line) to the clipboard") {
		t.Errorf("notice = %q", msg)
	}
}

func TestStepScriptWritesDocumentsBeforeCommands(t *testing.T) {
	var step2 []model.Command
	for _, c := range model.SetupCommands(acme) {
		if c.Step == 2 {
			step2 = append(step2, c)
		}
	}
	script := stepScript(step2)
	i := strings.Index(script, "cat > acme-slateo-uploads-policy.json <<'EOF'")
	j := strings.Index(script, "aws s3api put-bucket-policy --bucket acme-slateo-uploads")
	if i < 0 || j < 0 || j < i {
		t.Fatalf("script does not write the policy before using it:\n%s", script)
	}
	if !strings.Contains(script, model.RoleARN("acme")) {
		t.Errorf("script lacks the org role:\n%s", script)
	}
}

func TestSettingsFormValidatesAndSaves(t *testing.T) {
	var saved []model.Settings
	fb := &fakeBackend{}
	m := start(t, Options{Connect: fb.connector(), Now: fixedNow,
		SaveSettings: func(s model.Settings) error { saved = append(saved, s); return nil }},
		80, 24)
	if !strings.Contains(m.View(), "[1 Settings]") {
		t.Fatalf("empty settings do not open the form:\n%s", m.View())
	}

	m = drive(t, m, keys("Acme_Org", "tab")...)
	view := m.View()
	if !strings.Contains(view, "✗ ") || !strings.Contains(view, "Acme_Org") {
		t.Errorf("a bad org slug shows no rule:\n%s", view)
	}
	m = drive(t, m, keys("ctrl+s")...)
	if !strings.Contains(m.View(), "not saved") || len(saved) != 0 {
		t.Fatalf("invalid settings were saved: %v\n%s", saved, m.View())
	}

	m = drive(t, m, keys("up")...)
	m = drive(t, m, keysBackspace(8)...)
	m = drive(t, m, keys("acme", "tab", "acme", "ctrl+s")...)
	if len(saved) != 1 || saved[0].OrgSlug != "acme" || saved[0].Company != "acme" {
		t.Fatalf("saved %+v", saved)
	}
	view = m.View()
	if !strings.Contains(view, "[2 Setup]") || !strings.Contains(view, "settings saved") {
		t.Errorf("saving does not lead to the setup wizard:\n%s", view)
	}
	if fb.inspects != 1 {
		t.Errorf("saving started %d inspections, want 1", fb.inspects)
	}
}

func keysBackspace(n int) []tea.Msg {
	out := make([]tea.Msg, n)
	for i := range out {
		out[i] = tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return out
}

func TestAutoRefreshAndPause(t *testing.T) {
	now := testTime
	clock := func() time.Time { return now }
	fb := &fakeBackend{}
	m := start(t, Options{Settings: acme, Connect: fb.connector(), Now: clock,
		Refresh: 30 * time.Second}, 80, 24)
	if fb.inspects != 1 {
		t.Fatalf("start made %d inspections, want 1", fb.inspects)
	}

	now = now.Add(10 * time.Second)
	m = drive(t, m, clockMsg(now))
	if fb.inspects != 1 || !strings.Contains(m.View(), "refreshed 10s ago") {
		t.Errorf("inspections %d before due; view:\n%s", fb.inspects, m.View())
	}
	now = now.Add(25 * time.Second)
	m = drive(t, m, clockMsg(now))
	if fb.inspects != 2 {
		t.Errorf("inspections = %d after the interval, want 2", fb.inspects)
	}

	m = drive(t, m, keys("p")...)
	now = now.Add(time.Minute)
	m = drive(t, m, clockMsg(now))
	if fb.inspects != 2 || !strings.Contains(m.View(), "auto-refresh paused") {
		t.Errorf("paused console refreshed (%d) or does not say so:\n%s", fb.inspects, m.View())
	}
	m = drive(t, m, keys("r")...)
	if fb.inspects != 3 {
		t.Errorf("r did not refresh: %d", fb.inspects)
	}
}

func TestStaleInspectionIsDropped(t *testing.T) {
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 80, 24)
	mm := m.(Model)
	mm.gen = 5
	got := drive(t, mm, inspectedMsg{gen: 4, backend: fb, checks: handChecks()})
	if got.(Model).c.hasState {
		t.Error("a result for older settings replaced the state")
	}
}

func TestQuitCancelsRunningInspection(t *testing.T) {
	fb := &fakeBackend{block: true}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 80, 24)
	next, cmd := m.(Model).startRefresh()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		runCmd(cmd)
	}()
	next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	wg.Wait() // returns only because quitting cancelled the inspection's context
}

func TestConnectErrorIsShown(t *testing.T) {
	connect := func(context.Context, model.Settings) (Backend, error) {
		return nil, context.DeadlineExceeded
	}
	m := start(t, Options{Settings: acme, Connect: connect, Now: fixedNow}, 80, 24)
	view := m.View()
	if !strings.Contains(view, "connecting to AWS: context deadline exceeded") {
		t.Errorf("connect error not shown:\n%s", view)
	}
}

func TestCommandLogListsCallsAndCopiesCLI(t *testing.T) {
	var clip bytes.Buffer
	calls := &fixedCalls{calls: []awsops.Call{
		{Time: testTime, Service: "STS", Operation: "GetCallerIdentity", Result: "OK",
			Duration: 12 * time.Millisecond},
		{Time: testTime.Add(time.Second), Service: "S3", Operation: "GetBucketPolicy",
			Target: "acme-slateo-cache", Result: "NoSuchBucketPolicy",
			Duration: 3 * time.Millisecond},
	}}
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
		Log: calls, Clipboard: &clip}, 100, 24)
	m = drive(t, m, keys("5")...)
	view := m.View()
	for _, want := range []string{"2 AWS calls, newest first",
		"15:00:01  S3 GetBucketPolicy", "✗ NoSuchBucketPolicy", "✓ OK",
		"aws s3api get-bucket-policy --region us-west-2"} {
		if !strings.Contains(view, want) {
			t.Errorf("log lacks %q:\n%s", want, view)
		}
	}
	m = drive(t, m, keys("down", "c")...)
	want := base64.StdEncoding.EncodeToString(
		[]byte("aws sts get-caller-identity --region us-west-2"))
	if !strings.Contains(clip.String(), want) {
		t.Errorf("copied %q, want the STS command", clip.String())
	}
}

type fixedCalls struct{ calls []awsops.Call }

func (f *fixedCalls) Calls() []awsops.Call { return f.calls }

func TestWrapBreaksOnlyAtSpaces(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"flags stay whole", "aws s3api create-bucket --create-bucket-configuration x", 30,
			"aws s3api create-bucket\n--create-bucket-configuration\nx"},
		{"indent kept", "    \"Action\": \"s3:ListBucket\"", 20,
			"    \"Action\":\n    \"s3:ListBucket\""},
		{"long word cut", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghij\nklmnopqrst\nuvwxyz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wrap(tt.in, tt.width); got != tt.want {
				t.Errorf("wrap =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestKeysArrivingTogetherAreSplit(t *testing.T) {
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 80, 24)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("2")...)
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nn")})
	if !strings.Contains(m.View(), "Step 3 of 5") {
		t.Errorf("two n keys in one read did not move two steps:\n%s", m.View())
	}
}

func TestNoColor(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetColorProfile(termenv.TrueColor)
	colour := regexp.MustCompile(`\x1b\[[0-9;]*3[0-9];`)
	for _, noColor := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoColor=%v", noColor), func(t *testing.T) {
			fb := &fakeBackend{}
			m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
				NoColor: noColor}, 100, 30)
			m = withChecks(t, m, fb, handChecks())
			view := m.View()
			for _, k := range []string{"1", "esc", "2", "4", "5"} {
				m = drive(t, m, keys(k)...)
				view += m.View()
			}
			if got := colour.MatchString(view); got == noColor {
				t.Errorf("colour codes present = %v with NoColor %v:\n%q", got, noColor, view)
			}
			plain := ansi.Strip(view)
			for _, want := range []string{"✓ pass", "✗ fail", "! warn", "? unknown",
				"- skip"} {
				if !strings.Contains(plain, want) {
					t.Errorf("status %q lacks its glyph and word", want)
				}
			}
		})
	}
}

func TestEnterOnACheckOpensItsSetupStep(t *testing.T) {
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 100, 30)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("down", "down", "down", "enter")...)
	if view := m.View(); !strings.Contains(view, "Step 3 of 5 · CORS on the cache bucket") {
		t.Errorf("enter on the cors check does not open step 3:\n%s", view)
	}
	m = drive(t, m, keys("3", "/", "down", "down", "down", "down", "enter")...)
	if view := m.View(); !strings.Contains(view, "no setup step covers cloudtrail") {
		t.Errorf("enter on cloudtrail gives no hint:\n%s", view)
	}
}

func TestCopySupportSummary(t *testing.T) {
	var clip bytes.Buffer
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
		Clipboard: &clip}, 100, 30)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("4", "c")...)
	want := "Slateo org: acme\nUploads bucket: acme-slateo-uploads\n" +
		"Cache bucket: acme-slateo-cache\nRegion: us-west-2\nAWS account: 111122223333\n" +
		"✗ fail policy-principal (uploads): no Allow statement names the org role\n" +
		"✗ fail cors (cache): GET from https://acme.slateo.ai is not allowed\n" +
		"! warn versioning (cache): versioning is off\n" +
		"? unknown cloudtrail (account): could not read trails\n"
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(want)) + "\x07"
	if clip.String() != seq {
		got, _ := base64.StdEncoding.DecodeString(strings.TrimSuffix(
			strings.TrimPrefix(clip.String(), "\x1b]52;c;"), "\x07"))
		t.Errorf("copied\n%s\nwant\n%s", got, want)
	}
}

func TestSettingsRulesWrapUnderTheField(t *testing.T) {
	fb := &fakeBackend{}
	m := start(t, Options{Connect: fb.connector(), Now: fixedNow}, 80, 24)
	m = drive(t, m, keys("acme", "tab", "tab")...)
	view := m.View()
	assertScreen(t, view, 80, 24)
	if !strings.Contains(view, "✗ a company name is required unless both --uploads-bucket") ||
		!strings.Contains(view, "are given") {
		t.Errorf("the company rule is not shown whole under the field:\n%s", view)
	}
}

func TestFailedConnectIsRetried(t *testing.T) {
	now := testTime
	attempts := 0
	fb := &fakeBackend{}
	connect := func(context.Context, model.Settings) (Backend, error) {
		attempts++
		if attempts == 1 {
			return nil, errors.New("no credentials")
		}
		return fb, nil
	}
	m := start(t, Options{Settings: acme, Connect: connect, Now: func() time.Time { return now },
		Refresh: 30 * time.Second}, 80, 24)
	if !strings.Contains(m.View(), "connecting to AWS: no credentials") {
		t.Fatalf("the error is not shown:\n%s", m.View())
	}
	now = now.Add(31 * time.Second)
	m = drive(t, m, clockMsg(now))
	if attempts != 2 || fb.inspects != 1 || !strings.Contains(m.View(), "refreshed just now") {
		t.Errorf("attempts %d, inspections %d after the interval:\n%s", attempts, fb.inspects,
			m.View())
	}
}

func TestEscLeavesTheLog(t *testing.T) {
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 80, 24)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("2", "5", "esc")...)
	if !strings.Contains(m.View(), "[2 Setup]") {
		t.Errorf("esc on the log does not go back to the setup screen:\n%s", m.View())
	}
}
