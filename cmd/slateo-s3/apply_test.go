package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	awspolicy "github.com/hashicorp/awspolicyequivalence"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// opLog is the sandbox's request log, written from its goroutines.
type opLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *opLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// ops returns the operations logged so far, and how many of them were writes.
func (l *opLog) ops(t *testing.T) (all []string, writes []string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(l.buf.Bytes()))
	for sc.Scan() {
		var line struct{ Operation, Bucket string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("request log line %q: %v", sc.Text(), err)
		}
		all = append(all, line.Operation)
		if regexp.MustCompile(`^(Put|Create|Delete)`).MatchString(line.Operation) {
			writes = append(writes, line.Operation+" "+line.Bucket)
		}
	}
	return all, writes
}

func (l *opLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
}

const (
	cmdUploads = "acme-slateo-uploads"
	cmdCache   = "acme-slateo-cache"
)

// foreignUploadsPolicy holds another team's statements, which apply must keep.
const foreignUploadsPolicy = `{"Version":"2012-10-17","Statement":[` +
	`{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",` +
	`"Resource":["arn:aws:s3:::acme-slateo-uploads","arn:aws:s3:::acme-slateo-uploads/*"],` +
	`"Condition":{"Bool":{"aws:SecureTransport":"false"}}},` +
	`{"Sid":"PartnerRead","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::444455556666:role/partner-reader"},` +
	`"Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-slateo-uploads/partner/*"}]}`

// seededSandbox starts a sandbox whose uploads bucket holds a foreign policy.
func seededSandbox(t *testing.T) (*sandbox.Server, *opLog) {
	t.Helper()
	isolateAWS(t)
	log := &opLog{}
	srv := sandboxtest.Start(t, sandbox.Options{Log: log})
	for _, b := range []string{cmdUploads, cmdCache} {
		if err := srv.S3().CreateBucket(b, "us-west-2"); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.S3().PutBucketPolicy(cmdUploads, foreignUploadsPolicy); err != nil {
		t.Fatal(err)
	}
	return srv, log
}

func settingArgs(srv *sandbox.Server) []string {
	return []string{"--org", "acme", "--company", "acme", "--region", "us-west-2",
		"--endpoint-url", srv.URL()}
}

type cmdRun struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, args ...string) cmdRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return cmdRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// runApplyWith runs apply with answers on standard input, as if from a terminal.
func runApplyWith(t *testing.T, answers string, terminal bool, args ...string) cmdRun {
	t.Helper()
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := applyOptions{settings: bindSettings(fs), stdin: strings.NewReader(answers),
		isTerminal: terminal}
	bindApplyFlags(fs, &o)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := o.start(&stdout, &stderr)
	return cmdRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func bucketPolicy(t *testing.T, srv *sandbox.Server, bucket string) string {
	t.Helper()
	out, stderr, code := sandboxtest.CLI(t, srv, "s3api", "get-bucket-policy", "--bucket",
		bucket, "--query", "Policy", "--output", "text")
	if code != 0 {
		t.Fatalf("get-bucket-policy %s: %s", bucket, stderr)
	}
	return strings.TrimSpace(out)
}

func TestPlanSendsNoWrite(t *testing.T) {
	srv, log := seededSandbox(t)
	r := runCmd(t, append([]string{"plan"}, settingArgs(srv)...)...)
	if r.code != exitOK {
		t.Fatalf("plan exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"aws s3api put-bucket-policy --bucket acme-slateo-uploads",
		"PartnerRead", "AllowSlateoObjectAccess", "put-bucket-cors --bucket acme-slateo-cache"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan output lacks %q:\n%s", want, r.stdout)
		}
	}
	if all, writes := log.ops(t); len(writes) != 0 || len(all) == 0 {
		t.Errorf("plan sent %d requests with writes %v; want reads only", len(all), writes)
	}
}

func TestApplyWithoutConfirmationSendsNoWrite(t *testing.T) {
	tests := []struct {
		name     string
		answers  string
		terminal bool
		args     []string
		wantCode int
		wantOut  string
	}{
		{name: "no terminal, no --yes", terminal: false, wantCode: exitUsage,
			wantOut: "pass --yes"},
		{name: "every change declined", answers: strings.Repeat("n\n", 10), terminal: true,
			wantCode: exitOK, wantOut: "0 applied, 3 declined"},
		{name: "end of input", answers: "", terminal: true, wantCode: exitOK,
			wantOut: "declined"},
		{name: "dry run", terminal: false, args: []string{"--dry-run"}, wantCode: exitOK,
			wantOut: "Dry run: 3 change(s) would be applied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, log := seededSandbox(t)
			args := append(append(settingArgs(srv), "--backup-dir", t.TempDir()), tt.args...)
			r := runApplyWith(t, tt.answers, tt.terminal, args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s%s", tt.wantOut, r.stdout, r.stderr)
			}
			if _, writes := log.ops(t); len(writes) != 0 {
				t.Errorf("writes sent without confirmation: %v", writes)
			}
		})
	}
}

func TestApplyYesKeepsForeignAndSecondApplyWritesNothing(t *testing.T) {
	srv, log := seededSandbox(t)
	backups := t.TempDir()
	args := append(settingArgs(srv), "--backup-dir", backups)
	r := runApplyWith(t, "", false, append(args, "--yes")...)
	if r.code != exitOK {
		t.Fatalf("apply exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "3 applied") || !strings.Contains(r.stdout, backups) {
		t.Errorf("apply output does not report the writes and backups:\n%s", r.stdout)
	}
	after := bucketPolicy(t, srv, cmdUploads)
	for _, sid := range []string{"DenyInsecureTransport", "PartnerRead"} {
		assertStatementKept(t, foreignUploadsPolicy, after, sid)
	}

	log.reset()
	r = runApplyWith(t, "", false, append(args, "--yes")...)
	if r.code != exitOK || !strings.Contains(r.stdout, "Nothing to change") {
		t.Errorf("second apply exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, writes := log.ops(t); len(writes) != 0 {
		t.Errorf("second apply sent writes: %v", writes)
	}

	file := backupOf(t, backups, "bucket-policy", cmdUploads)
	// The backup names its bucket and region: restore needs only the endpoint.
	r = runCmd(t, "restore", file, "--yes", "--backup-dir", t.TempDir(), "--endpoint-url",
		srv.URL())
	if r.code != exitOK {
		t.Fatalf("restore exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := bucketPolicy(t, srv, cmdUploads); got != foreignUploadsPolicy {
		t.Errorf("after restore the policy is\n%s\nwant\n%s", got, foreignUploadsPolicy)
	}
}

// assertStatementKept checks that the statement with sid means the same in after as in
// before.
func assertStatementKept(t *testing.T, before, after, sid string) {
	t.Helper()
	one := func(doc string) string {
		var p struct{ Statement []json.RawMessage }
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			t.Fatalf("policy %s: %v", doc, err)
		}
		for _, st := range p.Statement {
			var s struct{ Sid string }
			_ = json.Unmarshal(st, &s)
			if s.Sid == sid {
				return `{"Version":"2012-10-17","Statement":[` + string(st) + `]}`
			}
		}
		return ""
	}
	a, b := one(before), one(after)
	if b == "" {
		t.Fatalf("statement %s lost:\n%s", sid, after)
	}
	eq, err := awspolicy.PoliciesAreEquivalent(a, b)
	if err != nil || !eq {
		t.Errorf("statement %s changed: %s -> %s (%v)", sid, a, b, err)
	}
}

func backupOf(t *testing.T, dir, kind, target string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*-"+kind+"-"+target+".json"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("backups of %s %s in %s: %v %v", kind, target, dir, matches, err)
	}
	return matches[0]
}

func TestRestoreUsage(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no file", args: []string{"restore", "--yes"}, want: "name the backup file"},
		{name: "not a backup", args: []string{"restore", "/nonexistent/backup.json", "--yes",
			"--org", "acme", "--company", "acme"}, want: "reading backup"},
		{name: "two files", args: []string{"restore", "a.json", "--yes", "b.json"},
			want: "unexpected argument"},
		{name: "bad region", args: []string{"restore", "a.json", "--yes", "--region", "mars"},
			want: `--region "mars"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, exitUsage,
					tt.want)
			}
		})
	}
}

func TestApplyTimeoutFlagBoundsTheRun(t *testing.T) {
	srv, _ := seededSandbox(t)
	r := runApplyWith(t, "", false, append(settingArgs(srv), "--yes", "--timeout", "1ns",
		"--backup-dir", t.TempDir())...)
	if r.code != exitFail || !strings.Contains(r.stderr, "slateo-s3 apply:") {
		t.Errorf("exit %d, stderr %q; want a failure naming the command", r.code, r.stderr)
	}
}

func TestApplyFixesBrokenScenario(t *testing.T) {
	isolateAWS(t)
	log := &opLog{}
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken", Log: log})
	args := append(settingArgs(srv), "--backup-dir", t.TempDir())
	r := runApplyWith(t, "", false, append(args, "--yes")...)
	if r.code != exitOK {
		t.Fatalf("apply exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}

	t.Log(r.stdout)
	r = runCmd(t, append([]string{"check", "--json"}, settingArgs(srv)...)...)
	t.Log(r.stdout)
	var report struct {
		Checks []struct{ ID, Bucket, Status, Summary string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("check --json: %v\n%s%s", err, r.stdout, r.stderr)
	}
	for _, c := range report.Checks {
		if c.Status == "fail" {
			t.Errorf("after apply, check %s %s fails: %s", c.ID, c.Bucket, c.Summary)
		}
	}
	if len(report.Checks) == 0 {
		t.Error("check printed no checks")
	}

	log.reset()
	r = runApplyWith(t, "", false, append(args, "--yes")...)
	if _, writes := log.ops(t); r.code != exitOK || len(writes) != 0 {
		t.Errorf("second apply: exit %d, writes %v\n%s", r.code, writes, r.stdout)
	}
}

func TestPlanRefusesABucketOfAnotherAccount(t *testing.T) {
	isolateAWS(t)
	fault, err := sandbox.ParseFault("HeadBucket:" + cmdCache + "=AccessDenied")
	if err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.Start(t, sandbox.Options{Faults: []sandbox.Fault{fault}})
	r := runCmd(t, append([]string{"plan"}, settingArgs(srv)...)...)
	if r.code != exitFail {
		t.Errorf("plan exit %d, want %d\n%s%s", r.code, exitFail, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "REFUSED: the bucket name acme-slateo-cache is taken") {
		t.Errorf("plan output does not explain the refusal:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "create-bucket --bucket acme-slateo-uploads") {
		t.Errorf("plan output lacks the uploads bucket's creation:\n%s", r.stdout)
	}
}

// meddlingReader answers y, but first changes the policy behind the admin's back, as a
// colleague might while the diff is on screen.
type meddlingReader struct {
	meddle func()
	done   bool
}

func (r *meddlingReader) Read(p []byte) (int, error) {
	if r.done {
		return 0, io.EOF
	}
	r.done = true
	r.meddle()
	return copy(p, "y\n"), nil
}

func TestApplyStopsWhenThePolicyChangesDuringConfirmation(t *testing.T) {
	srv, log := seededSandbox(t)
	edited := strings.Replace(foreignUploadsPolicy, "PartnerRead", "PartnerReadV2", 1)
	stdin := &meddlingReader{meddle: func() {
		if err := srv.S3().PutBucketPolicy(cmdUploads, edited); err != nil {
			t.Error(err)
		}
	}}
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	o := applyOptions{settings: bindSettings(fs), stdin: stdin, isTerminal: true}
	bindApplyFlags(fs, &o)
	if err := fs.Parse(append(settingArgs(srv), "--backup-dir", t.TempDir())); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := o.start(&stdout, &stderr)
	if code != exitFail || !strings.Contains(stderr.String(), "changed since the plan") {
		t.Errorf("exit %d, stderr %q; want a stop because the policy changed", code,
			stderr.String())
	}
	if _, writes := log.ops(t); len(writes) != 0 {
		t.Errorf("writes after the policy changed: %v", writes)
	}
	if got := bucketPolicy(t, srv, cmdUploads); got != edited {
		t.Errorf("the colleague's policy was overwritten:\n%s", got)
	}
}
