package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"slateo-s3/awsops"
	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// sandboxOptions starts a sandbox with the scenario and returns console options that
// reach it with fake static credentials and no trace of the developer's AWS set-up.
func sandboxOptions(t *testing.T, scenario string) Options {
	t.Helper()
	return sandboxWith(t, sandbox.Options{Scenario: scenario})
}

// sandboxWith is sandboxOptions with every sandbox option.
func sandboxWith(t *testing.T, so sandbox.Options) Options {
	t.Helper()
	o, _ := sandboxServer(t, so)
	return o
}

// sandboxServer is sandboxWith that also returns the sandbox.
func sandboxServer(t *testing.T, so sandbox.Options) (Options, *sandbox.Server) {
	t.Helper()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_PROFILE", "")

	srv := sandboxtest.Start(t, so)
	s := acme
	s.EndpointURL = srv.URL()
	log := &awsops.CallLog{}
	connect := func(ctx context.Context, s model.Settings) (Backend, error) {
		session, err := awsops.Connect(ctx, s, awsops.ConnectOptions{Log: log,
			Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
		if err != nil {
			return nil, err
		}
		return session, nil
	}
	return Options{Settings: s, Connect: connect, Log: log, Now: fixedNow, Sandbox: true,
		Refresh: time.Hour}, srv
}

// leftovers keeps, per program, the output drawn after the last text waitFor found, so
// that two texts drawn in one frame are both found.
var leftovers = map[*teatest.TestModel][]byte{}

// waitFor waits until the program has drawn text.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	prev := leftovers[tm]
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		all := append(append([]byte(nil), prev...), b...)
		i := bytes.Index(all, []byte(text))
		if i < 0 {
			return false
		}
		leftovers[tm] = all[i+len(text):]
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// finalView stops the program and returns its last screen.
func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).View()
}

var (
	sandboxPort = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	keyUUID     = regexp.MustCompile(
		`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// normalize replaces what changes from run to run: the sandbox's port and key ids.
func normalize(view string) []byte {
	view = sandboxPort.ReplaceAllString(view, "127.0.0.1:PORT")
	return []byte(keyUUID.ReplaceAllString(view, "KEY-ID"))
}

// TestScreensGolden renders every screen against the sandbox's broken account at 80×24
// and 120×40. Refresh the goldens with: go test ./ui -run TestScreensGolden -update
func TestScreensGolden(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {120, 40}}
	for _, size := range sizes {
		for s := screen(0); s < screenCount; s++ {
			name := fmt.Sprintf("%s_%dx%d", strings.ToLower(screenNames[s]), size.w, size.h)
			t.Run(name, func(t *testing.T) {
				o := sandboxOptions(t, "broken")
				if s == logScreen {
					// Inspection calls run concurrently, so their order varies; the log
					// screen's golden uses calls in a fixed order.
					o.Log = goldenCalls()
				}
				tm := teatest.NewTestModel(t, New(o),
					teatest.WithInitialTermSize(size.w, size.h))
				waitFor(t, tm, "refreshed just now")
				tm.Type(string(rune('1' + s)))
				if s == runbookScreen {
					tm.Send(tea.KeyMsg{Type: tea.KeyDown})
					tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
					waitFor(t, tm, "run it again")
				}
				golden.RequireEqual(t, normalize(finalView(t, tm)))
			})
		}
	}
}

// TestChecklistWideGolden renders the checklist with the detail pane beside the list, as
// it is on the wide screens support shares.
func TestChecklistWideGolden(t *testing.T) {
	o := sandboxOptions(t, "broken")
	tm := teatest.NewTestModel(t, New(o), teatest.WithInitialTermSize(160, 40))
	waitFor(t, tm, "refreshed just now")
	tm.Type("jjj")
	waitFor(t, tm, "4/30")
	golden.RequireEqual(t, normalize(finalView(t, tm)))
}

func goldenCalls() *fixedCalls {
	return &fixedCalls{calls: []awsops.Call{
		{Time: testTime, Service: "STS", Operation: "GetCallerIdentity", Result: "OK",
			Duration: 2 * time.Millisecond},
		{Time: testTime, Service: "S3", Operation: "HeadBucket", Target: "acme-slateo-cache",
			Result: "OK", Duration: 3 * time.Millisecond,
			Input: &s3.HeadBucketInput{Bucket: aws.String("acme-slateo-cache")}},
		{Time: testTime.Add(time.Second), Service: "S3", Operation: "GetBucketCors",
			Target: "acme-slateo-cache", Result: "NoSuchCORSConfiguration",
			Duration: 1 * time.Millisecond, Input: &s3.GetBucketCorsInput{
				Bucket:              aws.String("acme-slateo-cache"),
				ExpectedBucketOwner: aws.String("111122223333")}},
	}}
}

// TestFirstRunFlow drives the console as a first-time admin would: fill in the form, walk
// the five setup steps, look at the problems on the checklist, then run the browser
// download runbook, which sends real CORS preflights to the sandbox.
func TestFirstRunFlow(t *testing.T) {
	o := sandboxOptions(t, "broken")
	endpoint := o.Settings.EndpointURL
	o.Settings = model.Settings{EndpointURL: endpoint}
	var saved model.Settings
	o.SaveSettings = func(s model.Settings) error { saved = s; return nil }
	tm := teatest.NewTestModel(t, New(o), teatest.WithInitialTermSize(100, 30))

	waitFor(t, tm, "settings incomplete")
	tm.Type("acme")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type("acme")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitFor(t, tm, "Step 1 of 5")
	waitFor(t, tm, "already done")

	for step := 2; step <= 5; step++ {
		tm.Type("n")
		waitFor(t, tm, fmt.Sprintf("Step %d of 5", step))
	}
	waitFor(t, tm, "S3 Upload Bucket: acme-slateo-uploads")
	tm.Type("n")
	waitFor(t, tm, "[3 Checks]")
	tm.Type("/")
	waitFor(t, tm, "problems only")
	tm.Type("4")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "run it again")

	view := finalView(t, tm)
	if saved.OrgSlug != "acme" || saved.Company != "acme" || saved.EndpointURL != endpoint {
		t.Errorf("saved settings %+v", saved)
	}
	for _, want := range []string{
		"› Browser download failures",
		"preflight GET from https://acme.slateo.ai →",
		"hard refresh (Cmd+Shift+R /",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("runbook screen lacks %q:\n%s", want, view)
		}
	}
}

// TestApplyStepWithConfirmation applies the CORS step on the broken account from the
// wizard: the dialog shows the diff, nothing is written before y, and after it the step
// reads as done.
func TestApplyStepWithConfirmation(t *testing.T) {
	o := sandboxOptions(t, "broken")
	o.WritesAllowed = true
	o.BackupDir = t.TempDir()
	m := start(t, o, 120, 40)
	m = drive(t, m, keys("2", "n", "n")...)
	if view := m.View(); !strings.Contains(view, "cache   acme-slateo-cache         ✗ fail") {
		t.Fatalf("the broken account's CORS step is not failing:\n%s", view)
	}

	m = drive(t, m, keys("a")...)
	view := m.View()
	for _, want := range []string{"Apply step 3: CORS on the cache bucket",
		"-(none)", `"https://slateo.ai"`, "y: apply · n: cancel"} {
		if !strings.Contains(view, want) {
			t.Errorf("confirm dialog lacks %q:\n%s", want, view)
		}
	}
	backups, _ := os.ReadDir(o.BackupDir)
	if len(backups) != 0 {
		t.Fatalf("something was written before confirming: %v", backups)
	}

	m = drive(t, m, keys("y")...)
	if view := m.View(); !strings.Contains(view, "✓ written merge Slateo's CORS rule") ||
		!strings.Contains(view, "backup: ") {
		t.Errorf("no outcome after applying:\n%s", view)
	}
	m = drive(t, m, keys("esc")...)
	if view := m.View(); !strings.Contains(view, "cache   acme-slateo-cache         ✓ pass") {
		t.Errorf("the CORS step is not done after applying:\n%s", view)
	}
	if backups, _ := os.ReadDir(o.BackupDir); len(backups) != 1 {
		t.Errorf("want one backup, got %v", backups)
	}
}

func TestApplyIsRefusedReadOnly(t *testing.T) {
	o := sandboxOptions(t, "broken")
	m := start(t, o, 100, 30)
	m = drive(t, m, keys("2", "n", "n", "a")...)
	view := m.View()
	if !strings.Contains(view, "read-only: restart with --allow-writes") ||
		strings.Contains(view, "Apply step") {
		t.Errorf("a read-only console offered to apply:\n%s", view)
	}
}

func TestMissingPermissionsAreNamed(t *testing.T) {
	o := sandboxWith(t, sandbox.Options{Scenario: "healthy",
		Faults: []sandbox.Fault{{Operation: "GetBucketPolicy", Code: "AccessDenied"}}})
	m := start(t, o, 100, 30)
	view := m.View()
	for _, want := range []string{"? your credentials lack s3:GetBucketPolicy",
		"? unknown  uploads  policy-principal"} {
		if !strings.Contains(view, want) {
			t.Errorf("checklist lacks %q:\n%s", want, view)
		}
	}
}

// TestCopiedStepsRunWithTheAWSCLI copies steps 1 to 3 from the wizard as the admin would,
// runs them with the real AWS CLI v2 against an empty sandbox account, and then finds each
// step marked done on both buckets.
func TestCopiedStepsRunWithTheAWSCLI(t *testing.T) {
	cli := sandboxtest.AWSCLI(t)
	var clip bytes.Buffer
	o, srv := sandboxServer(t, sandbox.Options{Scenario: "empty"})
	o.Clipboard = &clip
	m := start(t, o, 120, 40)

	var script strings.Builder
	// The installed CLI predates AWS_ENDPOINT_URL, so the endpoint goes in as a flag.
	script.WriteString("set -euo pipefail\naws() { " + cli + ` --endpoint-url "$SANDBOX" "$@"; }` +
		"\n")
	for i, k := range []string{"2", "n", "n"} {
		clip.Reset()
		m = drive(t, m, keys(k, "c")...)
		script.WriteString(decodeOSC52(t, clip.String()))
		if i == 0 && !strings.Contains(script.String(), "create-bucket") {
			t.Fatalf("step 1 copied no create-bucket:\n%s", script.String())
		}
	}

	cmd := exec.Command("bash", "-c", script.String())
	cmd.Dir = t.TempDir()
	cmd.Env = append(sandboxtest.Env(t, srv), "SANDBOX="+srv.URL())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the copied steps failed: %v\n%s\nscript:\n%s", err, out, script.String())
	}

	m = drive(t, m, keys("r", "b", "b")...)
	for step := 1; step <= 3; step++ {
		view := m.View()
		if strings.Contains(view, "not yet") || !strings.Contains(view, "already done") {
			t.Errorf("step %d is not done after running its commands:\n%s", step, view)
		}
		m = drive(t, m, keys("n")...)
	}
}

// decodeOSC52 returns the text an OSC 52 clipboard sequence carries.
func decodeOSC52(t *testing.T, seq string) string {
	t.Helper()
	payload := strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]52;c;"), "\x07")
	text, err := base64.StdEncoding.DecodeString(payload)
	if err != nil || payload == seq {
		t.Fatalf("not an OSC 52 sequence: %q", seq)
	}
	return string(text)
}

// TestLoggedCallsRunAsCLICommands runs the AWS CLI equivalent of every call an inspection
// made against the sandbox: the CLI must accept each one, and the sandbox must answer it
// (an AWS error such as NoSuchCORSConfiguration is fine; a usage error is not).
func TestLoggedCallsRunAsCLICommands(t *testing.T) {
	cli := sandboxtest.AWSCLI(t)
	o, srv := sandboxServer(t, sandbox.Options{Scenario: "broken"})
	o.Settings.OrgID = "org_1"
	start(t, o, 100, 30)

	seen := map[string]bool{}
	for _, c := range o.Log.Calls() {
		line := cliEquivalent(c, o.Settings.EffectiveRegion(), srv.URL())
		op := serviceOf(c) + " " + c.Operation
		if seen[op] {
			continue
		}
		seen[op] = true
		t.Run(op, func(t *testing.T) {
			cmd := exec.Command("bash", "-c", strings.Replace(line, "aws", cli, 1))
			cmd.Dir = t.TempDir()
			cmd.Env = sandboxtest.Env(t, srv)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 254) {
				t.Errorf("%s: %v\n%s", line, err, out)
			}
		})
	}
	if len(seen) < 8 {
		t.Errorf("only %d kinds of call were logged: %v", len(seen), seen)
	}
}
