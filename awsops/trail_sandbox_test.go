package awsops

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// trailSandbox starts a sandbox whose event history holds records (given as an --events
// file) and connects a session to it.
func trailSandbox(t testing.TB, records []testRecord, o sandbox.Options) (
	*sandbox.Server, *Session) {
	t.Helper()
	var lines []string
	for _, r := range records {
		lines = append(lines, r.json())
	}
	o.EventsFile = filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(o.EventsFile, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.Start(t, o)
	isolateAWS(t)
	s := trailSettings
	s.EndpointURL = srv.URL()
	session, err := Connect(context.Background(), s, ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return srv, session
}

// liveHistory is history() moved to the present, since the sandbox keeps 90 days only.
func liveHistory(now time.Time, n int) (records []testRecord, ours []string) {
	return historyAt(now, n, time.Second, "ev-%04d")
}

func sandboxQuery(now time.Time) EventQuery {
	return EventQuery{Settings: trailSettings, Start: now.Add(-6 * time.Hour),
		End: now.Add(time.Minute)}
}

func TestFindDenialsSandboxPagesAndFilters(t *testing.T) {
	now := time.Now().UTC()
	records, ours := liveHistory(now, 130)
	_, session := trailSandbox(t, records, sandbox.Options{})

	pages, err := collectSession(t, session, sandboxQuery(now))
	if err != nil {
		t.Fatal(err)
	}
	if got := idsOf(eventsOf(pages)); !slices.Equal(got, ours) {
		t.Errorf("found %d events %v, want the org role's %d", len(got), got, len(ours))
	}
	last := pages[len(pages)-1]
	if last.Pages < 3 || last.Scanned != 130 {
		t.Errorf("read %d pages and %d records, want at least 3 and 130", last.Pages,
			last.Scanned)
	}
	if !hasNote(pages, "no trail records S3 data events") {
		t.Error("no page says that data events are not recorded")
	}
}

func collectSession(t *testing.T, session *Session, q EventQuery) ([]EventPage, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return collect(t, ctx, session.EventAPI(), q)
}

func hasNote(pages []EventPage, text string) bool {
	return slices.ContainsFunc(pages, func(p EventPage) bool {
		return strings.Contains(p.Note, text)
	})
}

// Two searches of one account at once ask for twice the rate CloudTrail serves: both must
// be throttled and both must still finish with every event.
func TestFindDenialsSandboxSurvivesThrottling(t *testing.T) {
	now := time.Now().UTC()
	records, ours := liveHistory(now, 160)
	log := &sandboxtest.RequestLog{}
	_, session := trailSandbox(t, records, sandbox.Options{Log: log})

	var wg sync.WaitGroup
	results := make([][]EventPage, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { results[i], errs[i] = collectSession(t, session, sandboxQuery(now)) })
	}
	wg.Wait()

	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("search %d failed: %v", i, errs[i])
		}
		if got := idsOf(eventsOf(results[i])); !slices.Equal(got, ours) {
			t.Errorf("search %d found %d events, want %d", i, len(got), len(ours))
		}
	}
	if n := throttledLookups(t, log); n == 0 {
		t.Error("the sandbox never throttled, so the test proves nothing")
	}
}

// throttledLookups counts the LookupEvents calls the sandbox refused, from its request log.
func throttledLookups(t *testing.T, log *sandboxtest.RequestLog) int {
	t.Helper()
	n := 0
	for _, r := range log.Requests(t) {
		if r.Operation == "LookupEvents" && r.Status == 400 {
			n++
		}
	}
	return n
}

func TestFindDenialsSandboxReadsTrailLogFiles(t *testing.T) {
	now := time.Now().UTC()
	srv, session := trailSandbox(t, nil, sandbox.Options{})
	ctx := context.Background()
	createDataTrail(t, ctx, session, "acme-trail-logs", "audit")

	denied := testRecord{id: "data-1", source: "s3.amazonaws.com", name: "PutObject",
		principal: orgSessionARN, bucket: "acme-slateo-uploads", key: "org-1/uploads/a.csv",
		code: "AccessDenied", message: "Access Denied", data: true,
		at: now.Add(-10 * time.Minute)}
	other := denied
	other.id, other.bucket, other.principal = "data-2", "billing-reports", adminUserARN
	day := now.Format("2006/01/02")
	key := fmt.Sprintf("audit/AWSLogs/%s/CloudTrail/us-west-2/%s/%s_CloudTrail_us-west-2_%s_"+
		"x1.json.gz", srv.Account(), day, srv.Account(), now.Format("20060102T1504Z"))
	_, err := session.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acme-trail-logs"),
		Key: aws.String(key), Body: bytes.NewReader(gzipLog(t, denied, other))})
	if err != nil {
		t.Fatal(err)
	}

	pages, err := collectSession(t, session, sandboxQuery(now))
	if err != nil {
		t.Fatal(err)
	}
	got := eventsOf(pages)
	if ids := idsOf(got); !slices.Equal(ids, []string{"data-1"}) {
		t.Fatalf("found %v, want the data-event denial data-1", ids)
	}
	if !got[0].Data || got[0].Name != "PutObject" {
		t.Errorf("event = %+v", got[0])
	}
	if hasNote(pages, "no trail records") {
		t.Error("says no trail records data events, though one does")
	}
}

// createDataTrail makes a logging trail that records both buckets' S3 data events into a
// new log bucket, with the prefix name.
func createDataTrail(t *testing.T, ctx context.Context, session *Session, bucket,
	prefix string) {
	t.Helper()
	_, err := session.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{
			LocationConstraint: s3types.BucketLocationConstraintUsWest2}})
	if err != nil {
		t.Fatal(err)
	}
	ct := session.CloudTrail
	if _, err := ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("audit"),
		S3BucketName: aws.String(bucket), S3KeyPrefix: aws.String(prefix)}); err != nil {
		t.Fatal(err)
	}
	_, err = ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{
		TrailName: aws.String("audit"),
		EventSelectors: []cttypes.EventSelector{{
			ReadWriteType:           cttypes.ReadWriteTypeAll,
			IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"),
				Values: []string{"arn:aws:s3:::acme-slateo-uploads/",
					"arn:aws:s3:::acme-slateo-cache/"}}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ct.StartLogging(ctx,
		&cloudtrail.StartLoggingInput{Name: aws.String("audit")}); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkFindDenials reads 1,000 matching events (20 pages) from the sandbox, which
// serves LookupEvents at CloudTrail's 2 requests a second; the ceiling is 100 events a
// second (50 a page), and events/s reports how close the search comes to it.
func BenchmarkFindDenials(b *testing.B) {
	now := time.Now().UTC()
	var records []testRecord
	for i := range 1000 {
		records = append(records, testRecord{id: fmt.Sprintf("b-%04d", i),
			source: "s3.amazonaws.com", name: "ListObjects", principal: orgSessionARN,
			bucket: "acme-slateo-cache", code: "AccessDenied", message: "Access Denied",
			at: now.Add(-time.Duration(i+1) * time.Second)})
	}
	_, session := trailSandbox(b, records, sandbox.Options{})
	q := sandboxQuery(now)
	q.Trails = []model.Trail{}
	api := session.EventAPI()
	api.Logs = nil

	found := 0
	b.ResetTimer()
	for b.Loop() {
		pages := make(chan EventPage, 64)
		done := make(chan error, 1)
		go func() { done <- FindDenials(context.Background(), api, q, pages); close(pages) }()
		for p := range pages {
			found += len(p.Events)
		}
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	perSecond := float64(found) / b.Elapsed().Seconds()
	b.ReportMetric(perSecond, "events/s")
	b.ReportMetric(100*perSecond/(50*LookupRateLimit), "%-of-ceiling")
}
