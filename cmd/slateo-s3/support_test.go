package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
	"slateo-s3/ui/textout"
)

// TestRedactHidesSandboxSecrets runs every command that prints what AWS holds against the
// broken scenario, whose journal and trail log files name accounts, access keys, IP
// addresses, users and sessions, and looks for each of them in what the user sees.
func TestRedactHidesSandboxSecrets(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})
	secrets := sandboxtest.Secrets(t, srv)
	for _, want := range []string{srv.Account(), "203.0.113.24", "slateo-storage",
		"sandbox-admin", "AKIASANDBOXADMIN0001"} {
		if !contains(secrets, want) {
			t.Fatalf("the sandbox's secrets %v lack %s: the test would prove nothing", secrets,
				want)
		}
	}
	base := []string{"--org", "acme", "--company", "acme", "--endpoint-url", srv.URL()}
	tests := []struct {
		name string
		args []string
	}{
		{"check text", []string{"check", "--redact"}},
		{"check json", []string{"check", "--redact", "--json"}},
		{"events text", []string{"events", "--redact"}},
		{"events json", []string{"events", "--redact", "--json"}},
		{"report text", []string{"report"}},
		{"report json", []string{"report", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(append(tt.args, base...), &stdout, &stderr)
			if code != exitOK && code != exitFail {
				t.Fatalf("exit %d; stderr: %s", code, &stderr)
			}
			out := stdout.String() + stderr.String()
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("output shows %q:\n%s", s, excerpt(out, s))
				}
			}
			if !strings.Contains(out, "[account-1]") {
				t.Errorf("output holds no masked account; it reads:\n%s", out)
			}
		})
	}
}

// TestRedactIsConsistent: one value masks to one token throughout a document, and the
// org slug, the bucket names and Slateo's account stay readable.
func TestRedactIsConsistent(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})
	var stdout, stderr bytes.Buffer
	code := run([]string{"report", "--json", "--org", "acme", "--company", "acme",
		"--endpoint-url", srv.URL()}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, &stderr)
	}
	var r struct {
		Caller struct{ Account, ARN string }
		Events struct {
			Events []struct {
				Principal string `json:"principal"`
				SourceIP  string `json:"source_ip"`
			}
		}
		Documents struct {
			Keys []struct {
				Metadata struct{ Value struct{ Account, ARN string } }
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	token := regexp.MustCompile(`^\[account-\d+\]$`)
	if !token.MatchString(r.Caller.Account) {
		t.Fatalf("caller account %q is not masked", r.Caller.Account)
	}
	if !strings.Contains(r.Caller.ARN, "::"+r.Caller.Account+":user/[user-") {
		t.Errorf("caller ARN %q does not carry account token %s and a masked user",
			r.Caller.ARN, r.Caller.Account)
	}
	if len(r.Documents.Keys) == 0 || len(r.Events.Events) == 0 {
		t.Fatalf("report has %d keys and %d events; the broken scenario has both",
			len(r.Documents.Keys), len(r.Events.Events))
	}
	for _, k := range r.Documents.Keys {
		if k.Metadata.Value.Account != r.Caller.Account ||
			!strings.Contains(k.Metadata.Value.ARN, ":"+r.Caller.Account+":key/") {
			t.Errorf("key %+v: account masked unlike the caller's %s", k.Metadata.Value,
				r.Caller.Account)
		}
	}
	// The org role's denials all come from one session and one address.
	role := "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/"
	var principal, ip string
	for _, e := range r.Events.Events {
		if !strings.HasPrefix(e.Principal, role) {
			continue
		}
		if principal == "" {
			principal, ip = e.Principal, e.SourceIP
		}
		if e.Principal != principal || !strings.HasPrefix(e.Principal, role+"[session-") {
			t.Errorf("event by %q, want one masked session (%q)", e.Principal, principal)
		}
		if e.SourceIP != ip || !strings.HasPrefix(e.SourceIP, "[ip-") {
			t.Errorf("event from %q, want one masked address (%q)", e.SourceIP, ip)
		}
	}
	if principal == "" {
		t.Errorf("no denial of the org role in %+v", r.Events.Events)
	}
}

func TestReportToFile(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy"})
	path := filepath.Join(t.TempDir(), "ticket.md")
	var stdout, stderr bytes.Buffer
	code := run([]string{"report", "-o", path, "--org", "acme", "--company", "acme",
		"--endpoint-url", srv.URL()}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, &stderr)
	}
	if got := stdout.String(); got != "Report written to "+path+"\n" {
		t.Errorf("stdout = %q, want where the report went", got)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "slateo-s3 report, version dev") ||
		strings.Contains(string(data), srv.Account()) {
		t.Errorf("file does not hold a redacted report of version dev:\n%.300s", data)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("report file mode %v (%v), want 0600", fi.Mode(), err)
	}
}

func TestIAMPolicyCommand(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		name      string
		args      []string
		code      int
		want      []string
		wantNot   []string
		wantError string
	}{
		{name: "read only", args: []string{"--org", "acme", "--company", "acme"},
			want:    []string{`"s3:GetBucketPolicy"`, `"arn:aws:s3:::acme-slateo-uploads"`},
			wantNot: []string{"s3:PutBucketPolicy", "kms:PutKeyPolicy"}},
		{name: "apply", args: []string{"--org", "acme", "--company", "acme", "--apply"},
			want: []string{"s3:PutBucketPolicy", "kms:PutKeyPolicy", "s3:CreateBucket"}},
		{name: "no org needed", args: []string{"--company", "acme"},
			want: []string{`"arn:aws:s3:::acme-slateo-cache"`}},
		{name: "no buckets", code: exitUsage, wantError: "--company"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"iam-policy"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, &stderr)
			}
			if !strings.Contains(stderr.String(), tt.wantError) {
				t.Errorf("stderr %q lacks %q", &stderr, tt.wantError)
			}
			if tt.code != exitOK {
				return
			}
			if !json.Valid(stdout.Bytes()) {
				t.Fatalf("not a JSON policy: %s", &stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("policy lacks %s", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(stdout.String(), w) {
					t.Errorf("read-only policy holds %s", w)
				}
			}
		})
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// excerpt shows the text around the first occurrence of s.
func excerpt(text, s string) string {
	i := strings.Index(text, s)
	lo, hi := max(0, i-120), min(len(text), i+len(s)+120)
	return text[lo:hi]
}

// checklistLine is what must match between a customer's checklist and its reproduction.
type checklistLine struct{ ID, Bucket, Status, Summary string }

func checklistOf(t *testing.T, url string, extra ...string) []checklistLine {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"check", "--json", "--org", "acme", "--company", "acme",
		"--endpoint-url", url}, extra...)
	code := run(args, &stdout, &stderr)
	if code == exitUsage {
		t.Fatalf("check: exit %d; stderr: %s", code, &stderr)
	}
	var out struct{ Checks []checklistLine }
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("check --json: %v", err)
	}
	return out.Checks
}

// TestReproduceFromReport makes a report of a sandbox account, rebuilds a sandbox from it,
// and checks that the rebuilt account gives the same checklist: masked report or not, a
// key named by alias, and reads the admin was refused (which stay unknown).
func TestReproduceFromReport(t *testing.T) {
	isolateAWS(t)
	denied := []sandbox.Fault{
		{Operation: "GetBucketPolicy", Bucket: "acme-slateo-cache", Code: "AccessDenied"},
		{Operation: "GetKeyPolicy", Code: "AccessDeniedException"},
	}
	tests := []struct {
		name     string
		scenario string
		faults   []sandbox.Fault
		redacted bool
		args     []string
		// wantStatus is one check's status in both checklists, so that the case proves
		// what it is about.
		wantStatus checklistLine
	}{
		{name: "broken redacted", scenario: "broken", redacted: true,
			wantStatus: checklistLine{ID: "cors", Bucket: "acme-slateo-cache", Status: "fail"}},
		{name: "broken not redacted", scenario: "broken",
			wantStatus: checklistLine{ID: "kms-grant", Bucket: "acme-slateo-cache",
				Status: "fail"}},
		{name: "healthy with key alias", scenario: "healthy", redacted: true,
			args: []string{"--kms-key", "alias/acme-slateo", "--org-id", "org_7f3a"},
			wantStatus: checklistLine{ID: "kms-grant", Bucket: "acme-slateo-cache",
				Status: "pass"}},
		{name: "reads denied", scenario: "broken", faults: denied, redacted: true,
			wantStatus: checklistLine{ID: "policy-principal", Bucket: "acme-slateo-cache",
				Status: "unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := sandboxtest.Start(t, sandbox.Options{Scenario: tt.scenario,
				Faults: tt.faults})
			want := checklistOf(t, srv.URL(), tt.args...)
			args := append([]string{"report", "--json", "--org", "acme", "--company", "acme",
				"--endpoint-url", srv.URL()}, tt.args...)
			if !tt.redacted {
				args = append(args, "--no-redact")
			}
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != exitOK {
				t.Fatalf("report: exit %d; stderr: %s", code, &stderr)
			}
			if got := strings.Contains(stdout.String(), srv.Account()); got == tt.redacted {
				t.Fatalf("report shows the account: %v, want %v", got, !tt.redacted)
			}
			path := filepath.Join(t.TempDir(), "report.json")
			if err := os.WriteFile(path, stdout.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			rebuilt := sandboxtest.Start(t, sandbox.Options{FromReport: path})
			got := checklistOf(t, rebuilt.URL(), tt.args...)
			if len(got) != len(want) {
				t.Fatalf("rebuilt checklist has %d checks, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("check %d:\n got %+v\nwant %+v", i, got[i], want[i])
				}
			}
			if !hasStatus(want, tt.wantStatus) {
				t.Errorf("the checklist lacks %+v; the case proves nothing", tt.wantStatus)
			}
		})
	}
}

func hasStatus(checks []checklistLine, want checklistLine) bool {
	for _, c := range checks {
		if c.ID == want.ID && c.Bucket == want.Bucket && c.Status == want.Status {
			return true
		}
	}
	return false
}

func TestSandboxFromReportInvalid(t *testing.T) {
	dir := t.TempDir()
	notReport := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notReport, []byte(`{"checks": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"--from-report", filepath.Join(dir, "none.json")},
			"--from-report"},
		{"not a report", []string{"--from-report", notReport}, "names no bucket"},
		{"with a scenario", []string{"--from-report", notReport, "--scenario", "healthy"},
			"cannot be used together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"sandbox", "--listen", "127.0.0.1:0"}, tt.args...),
				&stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, &stderr, tt.want)
			}
		})
	}
}

// TestConsoleRedactAndSaveReport opens the console on the broken sandbox with --redact,
// saves the report with S, and finds neither the sandbox's secrets on the screen nor in
// the saved file.
func TestConsoleRedactAndSaveReport(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	var last string
	program := driveConsole(t, &last, func(tm *teatest.TestModel) {
		waitText(t, tm, "refreshed just now")
		tm.Type("S")
		waitText(t, tm, "report saved to")
	})
	var stderr bytes.Buffer
	code := runConsoleWith([]string{"--sandbox", "--redact", "--refresh", "0",
		"--report-dir", dir}, io.Discard, &stderr, program)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	if !strings.Contains(last, "REDACTED") || !strings.Contains(last, "account [account-1]") {
		t.Errorf("console is not masked:\n%s", last)
	}
	files, err := filepath.Glob(filepath.Join(dir, "slateo-s3-report-*.md"))
	if err != nil || len(files) != 1 {
		t.Fatalf("report files %v (%v), want one", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.Contains(last, "report saved to "+dir+"/slateo-s3-report-") {
		t.Errorf("the screen does not say where the report went:\n%s", last)
	}
	for _, want := range []string{"Documents read from AWS", "CloudTrail denials",
		"policy-principal"} {
		if !strings.Contains(text, want) {
			t.Errorf("saved report lacks %q", want)
		}
	}
	for _, s := range []string{"111122223333", "203.0.113.24", "sandbox-admin",
		"AKIASANDBOXADMIN0001", "127.0.0.1"} {
		if strings.Contains(text, s) || strings.Contains(last, s) {
			t.Errorf("report or screen shows %q", s)
		}
	}
}

// eventLine is what must match between a customer's denials and their reproduction.
type eventLine struct {
	Time      string `json:"time"`
	Name      string `json:"name"`
	Principal string `json:"principal"`
	Resource  string `json:"resource"`
	ErrorCode string `json:"error_code"`
	SourceIP  string `json:"source_ip"`
	Check     string `json:"check"`
}

func eventsOf(t *testing.T, url, until string) []eventLine {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run([]string{"events", "--json", "--redact", "--until", until, "--org", "acme",
		"--company", "acme", "--endpoint-url", url}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("events: exit %d; stderr: %s", code, &stderr)
	}
	var out struct{ Events []eventLine }
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("events --json: %v", err)
	}
	return out.Events
}

// TestReproduceEventsFromReport rebuilds the broken account from its masked report and
// finds the same denials, data events from the trail's log files and management events
// from the event history, in the report's window.
func TestReproduceEventsFromReport(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "--json", "--org", "acme", "--company", "acme",
		"--endpoint-url", srv.URL()}, &stdout, &stderr); code != exitOK {
		t.Fatalf("report: exit %d; stderr: %s", code, &stderr)
	}
	var rep struct {
		Events struct{ Window struct{ End string } }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, stdout.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	want := eventsOf(t, srv.URL(), rep.Events.Window.End)
	rebuilt := sandboxtest.Start(t, sandbox.Options{FromReport: path})
	got := eventsOf(t, rebuilt.URL(), rep.Events.Window.End)
	var data, management bool
	for _, e := range want {
		data = data || e.Name == "GetObject"
		management = management || e.Name == "PutBucketPolicy"
	}
	if !data || !management {
		t.Fatalf("the broken scenario's denials %+v lack a data or a management event", want)
	}
	if len(got) != len(want) {
		t.Fatalf("rebuilt account has %d denials, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("denial %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestSandboxCommandFromReport runs `slateo-s3 sandbox --from-report` on a report of the
// healthy account and runs the check command it prints against it: all pass again.
func TestSandboxCommandFromReport(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "healthy"})
	path := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "--json", "--org", "acme", "--company", "acme",
		"--endpoint-url", srv.URL(), "-o", path}, &stdout, &stderr); code != exitOK {
		t.Fatalf("report: exit %d; stderr: %s", code, &stderr)
	}
	o, code, ok := parseSandboxFlags([]string{"--listen", "127.0.0.1:0", "--from-report",
		path}, io.Discard)
	if !ok {
		t.Fatalf("parsing flags failed with code %d", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() { done <- o.run(ctx, &out, io.Discard) }()
	defer func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("sandbox exited %d", code)
		}
	}()
	url := waitForURL(t, &out)
	var checkLine string
	for deadline := time.Now().Add(10 * time.Second); checkLine == "" &&
		time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		_, checkLine, _ = strings.Cut(out.String(), "The report's checklist: slateo-s3 ")
		checkLine, _, _ = strings.Cut(checkLine, "\n")
	}
	if !strings.Contains(out.String(), "The report's denials:  slateo-s3 events --until ") {
		t.Errorf("the banner does not say how to see the report's denials:\n%s", &out)
	}
	r := runCheckCmd(t, append(strings.Fields(checkLine)[1:], "--endpoint-url", url)...)
	if r.code != exitOK {
		t.Errorf("%s against the rebuilt healthy account exited %d:\n%s%s", checkLine, r.code,
			r.stdout, r.stderr)
	}
}

// TestRedactColouredOutput: on a terminal check prints in colour; masking still hides the
// accounts, addresses and users of styled text, and the colours stay.
func TestRedactColouredOutput(t *testing.T) {
	s := model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2",
		EndpointURL: "http://203.0.113.7:4566"}
	report := textout.CheckReport{Settings: s,
		Caller: model.Known(model.Caller{Account: "123456789012",
			ARN: "arn:aws:iam::123456789012:user/alice"}),
		Checks: []model.Check{{ID: "policy-principal", Bucket: "acme-slateo-uploads",
			Status: model.Fail, Summary: "principal arn:aws:iam::444455556666:root",
			Detail: "123456789012"}}}
	var stdout bytes.Buffer
	out := newRedactedOutput(&stdout, newRedactor(s))
	if err := textout.CheckText(out, report, true); err != nil {
		t.Fatal(err)
	}
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	got := stdout.String()
	if !strings.Contains(got, "\x1b[") {
		t.Fatalf("no colour in the output; the test proves nothing:\n%q", got)
	}
	for _, s := range []string{"123456789012", "444455556666", "203.0.113.7", "alice"} {
		if strings.Contains(got, s) {
			t.Errorf("coloured output shows %q:\n%q", s, got)
		}
	}
}

// TestEmbeddedSandboxFromReport: `check --sandbox --from-report FILE` rebuilds the
// customer's account in process, takes the report's settings, and gives its checklist.
func TestEmbeddedSandboxFromReport(t *testing.T) {
	isolateAWS(t)
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})
	want := checklistOf(t, srv.URL())
	path := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "--json", "-o", path, "--org", "acme", "--company",
		"acme", "--endpoint-url", srv.URL()}, &stdout, &stderr); code != exitOK {
		t.Fatalf("report: exit %d; stderr: %s", code, &stderr)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"rebuilt", []string{"--sandbox", "--from-report", path}, exitFail, ""},
		{"needs --sandbox", []string{"--from-report", path}, exitUsage,
			"--from-report needs --sandbox"},
		{"not with --scenario", []string{"--sandbox", "--scenario", "healthy",
			"--from-report", path}, exitUsage, "cannot be used together"},
		{"missing file", []string{"--sandbox", "--from-report", path + ".none"}, exitUsage,
			"--from-report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"check", "--json"}, tt.args...), &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, &stderr, tt.code, tt.want)
			}
			if tt.code != exitFail {
				return
			}
			var out struct{ Checks []checklistLine }
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Checks) != len(want) {
				t.Fatalf("%d checks, want %d", len(out.Checks), len(want))
			}
			for i := range want {
				if out.Checks[i] != want[i] {
					t.Errorf("check %d:\n got %+v\nwant %+v", i, out.Checks[i], want[i])
				}
			}
		})
	}
}
