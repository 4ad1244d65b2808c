package awsops_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	awspolicy "github.com/hashicorp/awspolicyequivalence"

	"slateo-s3/awsops"
	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

const (
	uploads = "acme-slateo-uploads"
	cache   = "acme-slateo-cache"
	region  = "us-west-2"
)

// requestLog collects the sandbox's request log; it is written from the server's goroutines.
type requestLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *requestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// mark returns how many bytes the log holds, to read only what comes after.
func (l *requestLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Len()
}

// writesSince returns the write operations logged after mark.
func (l *requestLog) writesSince(t *testing.T, mark int) []string {
	t.Helper()
	l.mu.Lock()
	text := l.buf.String()[mark:]
	l.mu.Unlock()
	var writes []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var line struct{ Operation, Bucket string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("request log line %q: %v", sc.Text(), err)
		}
		op := line.Operation
		if strings.HasPrefix(op, "Put") || strings.HasPrefix(op, "Create") ||
			strings.HasPrefix(op, "Delete") {
			writes = append(writes, op+" "+line.Bucket)
		}
	}
	return writes
}

// fixture is a sandbox account that already holds foreign statements, CORS rules and key
// administrators, and a session pointed at it.
type fixture struct {
	srv      *sandbox.Server
	log      *requestLog
	session  *awsops.Session
	settings model.Settings
	keyARN   string
	backups  string
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "apply", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cleanAWSEnv(t)
	f := &fixture{log: &requestLog{}, backups: t.TempDir()}
	f.srv = sandboxtest.Start(t, sandbox.Options{Log: f.log})
	s3sim, kmssim := f.srv.S3(), f.srv.KMS()
	for _, b := range []string{uploads, cache} {
		if err := s3sim.CreateBucket(b, region); err != nil {
			t.Fatalf("seeding bucket %s: %v", b, err)
		}
	}
	must(t, s3sim.PutPublicAccessBlock(uploads, true, true, false, true))
	must(t, s3sim.PutBucketPolicy(uploads, readTestdata(t, "uploads-policy.json")))
	must(t, s3sim.PutBucketPolicy(cache, readTestdata(t, "cache-policy.json")))
	must(t, s3sim.PutBucketCORS(cache, readTestdata(t, "cache-cors.xml")))
	arn, err := kmssim.CreateKey(region, "acme buckets", readTestdata(t, "key-policy.json"))
	must(t, err)
	f.keyARN = arn

	f.settings = model.Settings{OrgSlug: "acme", Company: "acme", Region: region,
		KMSKey: arn, EndpointURL: f.srv.URL()}
	f.session = f.connect(t)
	return f
}

func (f *fixture) connect(t *testing.T) *awsops.Session {
	t.Helper()
	s, err := awsops.Connect(context.Background(), f.settings, awsops.ConnectOptions{
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	must(t, err)
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// documents reads every document the plan touches, by change ID.
func (f *fixture) documents(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	docs := map[string]string{}
	for _, id := range []string{awsops.KindBucketPolicy + ":" + uploads,
		awsops.KindBucketPolicy + ":" + cache, awsops.KindCORS + ":" + cache,
		awsops.KindPublicAccessBlock + ":" + uploads, awsops.KindKeyPolicy + ":" + f.keyARN} {
		kind, target, _ := strings.Cut(id, ":")
		doc, err := f.session.Applier().ReadDocument(ctx, kind, target, region)
		must(t, err)
		docs[id] = doc
	}
	return docs
}

// applyAll applies every change of a fresh plan, planning again after each write, and
// returns the backup files by change ID.
func (f *fixture) applyAll(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	backups := map[string]string{}
	for range 20 {
		changes, err := f.session.Plan(ctx, f.settings, awsops.PlanOptions{})
		must(t, err)
		if len(changes) == 0 {
			return backups
		}
		c := changes[0]
		if c.Refusal != "" {
			t.Fatalf("change %s refused: %s", c.ID, c.Refusal)
		}
		res, err := f.session.Apply(ctx, f.settings, c, f.backups)
		if err != nil {
			t.Fatalf("applying %s: %v", c.ID, err)
		}
		backups[c.ID] = res.BackupFile
	}
	t.Fatal("apply did not converge in 20 steps")
	return nil
}

func TestApplyKeepsForeignElements(t *testing.T) {
	f := newFixture(t)
	before := f.documents(t)

	mark := f.log.mark()
	changes, err := f.session.Plan(context.Background(), f.settings, awsops.PlanOptions{})
	must(t, err)
	if w := f.log.writesSince(t, mark); len(w) != 0 {
		t.Fatalf("plan sent writes: %v", w)
	}
	wantIDs := []string{"public-access-block:" + uploads, "bucket-policy:" + uploads,
		"bucket-policy:" + cache, "cors:" + cache, "key-policy:" + f.keyARN}
	if got := changeIDs(changes); strings.Join(got, " ") != strings.Join(wantIDs, " ") {
		t.Fatalf("planned %v, want %v", got, wantIDs)
	}

	backups := f.applyAll(t)
	after := f.documents(t)
	for _, id := range []string{"bucket-policy:" + uploads, "bucket-policy:" + cache,
		"key-policy:" + f.keyARN} {
		assertForeignKept(t, id, before[id], after[id])
	}
	assertForeignCORSKept(t, before["cors:"+cache], after["cors:"+cache])
	for id, file := range backups {
		b, err := awsops.ReadBackup(file)
		must(t, err)
		if b.Document != before[id] {
			t.Errorf("backup of %s = %q, want the prior document %q", id, b.Document, before[id])
		}
		assertPrivate(t, file)
	}

	mark = f.log.mark()
	again, err := f.session.Plan(context.Background(), f.settings, awsops.PlanOptions{})
	must(t, err)
	if len(again) != 0 || len(f.log.writesSince(t, mark)) != 0 {
		t.Errorf("second plan: %v changes, writes %v; want none", changeIDs(again),
			f.log.writesSince(t, mark))
	}
}

func changeIDs(changes []awsops.Change) []string {
	ids := make([]string, len(changes))
	for i, c := range changes {
		ids[i] = c.ID
	}
	return ids
}

// assertForeignKept checks that every statement of before whose Sid is not Slateo's is in
// after with the same meaning, and that Slateo's statements were added.
func assertForeignKept(t *testing.T, id, before, after string) {
	t.Helper()
	old, err := model.PolicyStatements(before)
	must(t, err)
	now, err := model.PolicyStatements(after)
	must(t, err)
	for _, st := range old {
		if isSlateoSid(st) {
			continue
		}
		found := false
		for _, n := range now {
			eq, err := awspolicy.PoliciesAreEquivalent(wrap(st), wrap(n))
			must(t, err)
			found = found || eq
		}
		if !found {
			t.Errorf("%s: foreign statement lost: %s", id, st)
		}
	}
	if len(now) <= len(old) {
		t.Errorf("%s: no statement was added: %s", id, after)
	}
}

func isSlateoSid(st json.RawMessage) bool {
	var s struct{ Sid string }
	_ = json.Unmarshal(st, &s)
	return s.Sid == model.SidListBucket || s.Sid == model.SidObjectAccess || s.Sid == model.SidKMS
}

func wrap(st json.RawMessage) string {
	return `{"Version":"2012-10-17","Statement":[` + string(st) + `]}`
}

func assertForeignCORSKept(t *testing.T, before, after string) {
	t.Helper()
	old, err := model.ParseCORSRulesJSON(before)
	must(t, err)
	now, err := model.ParseCORSRulesJSON(after)
	must(t, err)
	for _, r := range old {
		found := false
		for _, n := range now {
			found = found || model.CORSRulesEqual(r, n)
		}
		if !found {
			t.Errorf("foreign CORS rule lost: %+v", r)
		}
	}
	slateo := false
	for _, n := range now {
		slateo = slateo || model.CORSRulesEqual(n, model.DesiredCORSRule())
	}
	if !slateo {
		t.Errorf("Slateo's CORS rule missing: %+v", now)
	}
	if notes := model.CORSShadowing(now, model.DesiredCORSRule(), "acme"); len(notes) > 0 {
		t.Errorf("Slateo's rule is still shadowed: %v", notes)
	}
}

func assertPrivate(t *testing.T, file string) {
	t.Helper()
	info, err := os.Stat(file)
	must(t, err)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("backup %s has mode %v, want 0600", file, info.Mode().Perm())
	}
}

func TestRestoreReturnsPriorState(t *testing.T) {
	f := newFixture(t)
	before := f.documents(t)
	backups := f.applyAll(t)
	ctx := context.Background()
	for id, file := range backups {
		c, err := f.session.PlanRestore(ctx, file)
		must(t, err)
		if c.Diff() == "" {
			t.Errorf("restore of %s shows no diff", id)
		}
		res, err := f.session.Apply(ctx, f.settings, c, f.backups)
		if err != nil {
			t.Fatalf("restoring %s: %v", id, err)
		}
		if res.BackupFile == "" {
			t.Errorf("restore of %s wrote no backup of the document it replaced", id)
		}
	}
	after := f.documents(t)
	for id, want := range before {
		if after[id] != want {
			t.Errorf("after restore %s = %q\nwant %q", id, after[id], want)
		}
	}
}

func TestApplyStopsWhenChangedSincePlan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	changes, err := f.session.Plan(ctx, f.settings, awsops.PlanOptions{})
	must(t, err)
	c := findChange(t, changes, "bucket-policy:"+cache)

	// Someone else edits the policy between the plan and the write.
	edited := strings.Replace(readTestdata(t, "cache-policy.json"), "PartnerList",
		"PartnerListRenamed", 1)
	must(t, f.srv.S3().PutBucketPolicy(cache, edited))

	mark := f.log.mark()
	_, err = f.session.Apply(ctx, f.settings, c, f.backups)
	if !errors.Is(err, awsops.ErrChangedSincePlan) {
		t.Fatalf("Apply error = %v, want ErrChangedSincePlan", err)
	}
	if w := f.log.writesSince(t, mark); len(w) != 0 {
		t.Errorf("writes after a changed document: %v", w)
	}
	entries, err := os.ReadDir(f.backups)
	must(t, err)
	if len(entries) != 0 {
		t.Errorf("backups written for a change that was not made: %v", entries)
	}
}

func findChange(t *testing.T, changes []awsops.Change, id string) awsops.Change {
	t.Helper()
	for _, c := range changes {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no change %s in %v", id, changeIDs(changes))
	return awsops.Change{}
}
