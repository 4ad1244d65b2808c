package awsops

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"slateo-s3/model"
)

var (
	trailNow      = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	trailSettings = model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}
)

const (
	orgSessionARN = "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/query-9"
	adminUserARN  = "arn:aws:iam::111122223333:user/alice"
	trailKeyARN   = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// testRecord builds a CloudTrail record as AWS writes it.
type testRecord struct {
	id, source, name, principal, bucket, key, code, message string
	at                                                      time.Time
	data                                                    bool
	resources                                               []string
}

func (r testRecord) json() string {
	identity := map[string]any{"type": "IAMUser", "arn": r.principal,
		"accountId": "111122223333"}
	if strings.Contains(r.principal, "assumed-role") {
		identity["type"] = "AssumedRole"
		identity["accountId"] = "880265510198"
	}
	params := map[string]any{}
	if r.bucket != "" {
		params["bucketName"] = r.bucket
	}
	if r.key != "" {
		params["key"] = r.key
	}
	var resources []map[string]string
	for _, arn := range r.resources {
		resources = append(resources, map[string]string{"type": "AWS::KMS::Key", "ARN": arn})
	}
	category := "Management"
	if r.data {
		category = "Data"
	}
	doc := map[string]any{
		"eventVersion": "1.11", "userIdentity": identity,
		"eventTime":   r.at.UTC().Format(time.RFC3339),
		"eventSource": r.source, "eventName": r.name, "awsRegion": "us-west-2",
		"sourceIPAddress": "203.0.113.9", "userAgent": "test",
		"requestParameters": params, "responseElements": nil,
		"requestID": "R" + r.id, "eventID": r.id, "readOnly": true,
		"eventType": "AwsApiCall", "managementEvent": !r.data,
		"recipientAccountId": "111122223333", "eventCategory": category,
	}
	if r.code != "" {
		doc["errorCode"], doc["errorMessage"] = r.code, r.message
	}
	if resources != nil {
		doc["resources"] = resources
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// fakeClock advances only when the code under test waits, so pacing costs no real time.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept += d
	now := c.now
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- now
	return ch
}

// fakeLookup serves event history from records, newest first, 50 a page, filtered by the
// one lookup attribute as CloudTrail does, and fails the calls listed in throttle.
type fakeLookup struct {
	mu       sync.Mutex
	clock    *fakeClock
	records  []testRecord
	throttle map[int]bool
	// broken lists the calls whose connection breaks while the answer is read.
	broken map[int]bool
	calls  []lookupCall
}

type lookupCall struct {
	at        time.Time
	attr      string
	throttled bool
	sdkRetry  bool
}

func (f *fakeLookup) LookupEvents(_ context.Context, in *cloudtrail.LookupEventsInput,
	opts ...func(*cloudtrail.Options)) (*cloudtrail.LookupEventsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var o cloudtrail.Options
	for _, fn := range opts {
		fn(&o)
	}
	_, nop := o.Retryer.(aws.NopRetryer)
	attr := in.LookupAttributes[0]
	call := lookupCall{at: f.clock.Now(), attr: string(attr.AttributeKey) + "=" +
		aws.ToString(attr.AttributeValue), sdkRetry: !nop}
	if f.throttle[len(f.calls)] {
		call.throttled = true
		f.calls = append(f.calls, call)
		return nil, &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	}
	f.calls = append(f.calls, call)
	if f.broken[len(f.calls)-1] {
		return nil, fmt.Errorf("deserialization failed: %w", &net.OpError{Op: "read",
			Net: "tcp", Err: errors.New("use of closed network connection")})
	}

	var match []cttypes.Event
	for _, r := range f.records {
		if r.data || r.at.Before(*in.StartTime) || r.at.After(*in.EndTime) ||
			!attrMatches(r, attr) {
			continue
		}
		match = append(match, cttypes.Event{EventId: aws.String(r.id),
			EventName: aws.String(r.name), EventSource: aws.String(r.source),
			EventTime: aws.Time(r.at), CloudTrailEvent: aws.String(r.json())})
	}
	from, _ := strconv.Atoi(aws.ToString(in.NextToken))
	to := min(from+int(aws.ToInt32(in.MaxResults)), len(match))
	out := &cloudtrail.LookupEventsOutput{Events: match[from:to]}
	if to < len(match) {
		out.NextToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

func attrMatches(r testRecord, a cttypes.LookupAttribute) bool {
	v := aws.ToString(a.AttributeValue)
	switch a.AttributeKey {
	case cttypes.LookupAttributeKeyEventSource:
		return r.source == v
	case cttypes.LookupAttributeKeyResourceName:
		return slices.Contains(r.resources, v) || r.bucket == v
	}
	return false
}

// fakeLogs is a trail bucket holding gzip log files.
type fakeLogs struct {
	files map[string][]byte
	reads []string
}

func (f *fakeLogs) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input,
	_ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	out := &s3.ListObjectsV2Output{}
	var keys []string
	for k := range f.files {
		if strings.HasPrefix(k, aws.ToString(in.Prefix)) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	seen := map[string]bool{}
	for _, k := range keys {
		rest := strings.TrimPrefix(k, aws.ToString(in.Prefix))
		if d := aws.ToString(in.Delimiter); d != "" && strings.Contains(rest, d) {
			folder := aws.ToString(in.Prefix) + rest[:strings.Index(rest, d)+len(d)]
			if !seen[folder] {
				seen[folder] = true
				out.CommonPrefixes = append(out.CommonPrefixes,
					s3types.CommonPrefix{Prefix: aws.String(folder)})
			}
			continue
		}
		out.Contents = append(out.Contents, s3types.Object{Key: aws.String(k)})
	}
	return out, nil
}

func (f *fakeLogs) GetObject(_ context.Context, in *s3.GetObjectInput,
	_ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	body, ok := f.files[aws.ToString(in.Key)]
	if !ok {
		return nil, &smithy.GenericAPIError{Code: "NoSuchKey", Message: "no such key"}
	}
	f.reads = append(f.reads, aws.ToString(in.Key))
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(body))}, nil
}

func gzipLog(t testing.TB, records ...testRecord) []byte {
	t.Helper()
	var parts []string
	for _, r := range records {
		parts = append(parts, r.json())
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, `{"Records":[`+strings.Join(parts, ",")+`]}`); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// collect runs FindDenials and gathers every page it sends.
func collect(t *testing.T, ctx context.Context, api EventAPI, q EventQuery) (
	[]EventPage, error) {
	t.Helper()
	pages := make(chan EventPage)
	done := make(chan error, 1)
	go func() { done <- FindDenials(ctx, api, q, pages); close(pages) }()
	var got []EventPage
	for p := range pages {
		got = append(got, p)
	}
	return got, <-done
}

// dayQuery is a search of the day before trailNow through trails (none: a non-nil empty
// list, so no trail was left unlisted).
func dayQuery(trails ...model.Trail) EventQuery {
	return EventQuery{Settings: trailSettings, Start: trailNow.Add(-24 * time.Hour),
		End: trailNow, Trails: append([]model.Trail{}, trails...)}
}

// searchHistory runs dayQuery against lookup's event history, on lookup's clock.
func searchHistory(t *testing.T, lookup *fakeLookup) ([]EventPage, error) {
	t.Helper()
	api := EventAPI{Lookup: lookup, Clock: lookup.clock}
	return collect(t, context.Background(), api, dayQuery())
}

func eventsOf(pages []EventPage) []model.Event {
	var out []model.Event
	for _, p := range pages {
		out = append(out, p.Events...)
	}
	return out
}

func idsOf(events []model.Event) []string {
	var ids []string
	for _, e := range events {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}

// history is 130 S3 records a minute apart before trailNow (see historyAt).
func history() (records []testRecord, ours []string) {
	return historyAt(trailNow, 130, time.Minute, "ev-%03d")
}

// historyAt is n S3 records step apart before now, named by idFormat: every fourth is the
// org role denied on the cache bucket, every fourth another user denied on an unrelated
// bucket, the rest succeed. ours are the org role's denials, in the order the ids sort.
func historyAt(now time.Time, n int, step time.Duration, idFormat string) (
	records []testRecord, ours []string) {
	for i := range n {
		r := testRecord{id: fmt.Sprintf(idFormat, i), source: "s3.amazonaws.com",
			name: "GetBucketPolicy", principal: adminUserARN, bucket: "acme-slateo-cache",
			at: now.Add(-time.Duration(i+1) * step)}
		switch i % 4 {
		case 0:
			r.principal, r.name, r.code = orgSessionARN, "ListObjects", "AccessDenied"
			r.message = "Access Denied"
			ours = append(ours, r.id)
		case 1:
			r.bucket, r.code, r.message = "billing-reports", "AccessDenied", "Access Denied"
		}
		records = append(records, r)
	}
	return records, ours
}

func TestFindDenialsReadsEveryPageAndKeepsOnlyOurs(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	records, ours := history()
	lookup := &fakeLookup{clock: clock, records: records}

	pages, err := searchHistory(t, lookup)
	if err != nil {
		t.Fatal(err)
	}

	lookups := 0
	for _, p := range pages {
		if p.Source == SourceLookup {
			lookups++
		}
	}
	if lookups != 3 {
		t.Errorf("read %d pages of event history, want 3 (130 records, 50 a page)", lookups)
	}
	last := pages[len(pages)-1]
	if last.Pages != 3 || last.Scanned != 130 {
		t.Errorf("last page counts %d pages and %d records, want 3 and 130",
			last.Pages, last.Scanned)
	}
	if got := idsOf(eventsOf(pages)); !slices.Equal(got, ours) {
		t.Errorf("found %v, want the org role's denials %v", got, ours)
	}
	for _, e := range eventsOf(pages) {
		if e.Principal != orgSessionARN || e.Resource != "arn:aws:s3:::acme-slateo-cache" ||
			e.ErrorCode != "AccessDenied" || e.Record == "" || e.Check != "" {
			t.Errorf("event not filled in as read: %+v", e)
		}
	}
}

func TestFindDenialsCoveredMovesBackInTime(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	records, _ := history()
	records = append(records, testRecord{id: "kms-1", source: "kms.amazonaws.com",
		name: "Decrypt", principal: adminUserARN, code: "AccessDenied",
		at: trailNow.Add(-90 * time.Minute), resources: []string{trailKeyARN}})
	api := EventAPI{Lookup: &fakeLookup{clock: clock, records: records}, Clock: clock}
	q := dayQuery()
	q.Settings.KMSKey = trailKeyARN

	pages, err := collect(t, context.Background(), api, q)
	if err != nil {
		t.Fatal(err)
	}
	prev := trailNow
	for _, p := range pages {
		if p.Source != SourceLookup {
			continue
		}
		if p.Covered.After(prev) {
			t.Errorf("covered went forward from %s to %s", prev, p.Covered)
		}
		prev = p.Covered
	}
	if !prev.Equal(q.Start) {
		t.Errorf("a finished search covers back to %s, want the window's start %s", prev,
			q.Start)
	}
	if !slices.Contains(idsOf(eventsOf(pages)), "kms-1") {
		t.Error("the key's denial (found by its ARN) is missing")
	}
}

func TestFindDenialsPacesLookups(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	records, _ := history()
	lookup := &fakeLookup{clock: clock, records: append(records, records...)}

	if _, err := searchHistory(t, lookup); err != nil {
		t.Fatal(err)
	}
	if len(lookup.calls) < 5 {
		t.Fatalf("made %d calls, want at least 5", len(lookup.calls))
	}
	for i := 1; i < len(lookup.calls); i++ {
		gap := lookup.calls[i].at.Sub(lookup.calls[i-1].at)
		if gap < 500*time.Millisecond {
			t.Errorf("call %d came %s after the previous one, want at least 500ms", i, gap)
		}
	}
	if lookup.calls[0].sdkRetry {
		t.Error("the SDK's retryer is left on for LookupEvents, so it would hide throttling")
	}
}

func TestFindDenialsRetriesThrottling(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	records, ours := history()
	lookup := &fakeLookup{clock: clock, records: records,
		throttle: map[int]bool{1: true, 2: true, 3: true}}

	pages, err := searchHistory(t, lookup)
	if err != nil {
		t.Fatalf("throttling failed the search: %v", err)
	}
	if got := idsOf(eventsOf(pages)); !slices.Equal(got, ours) {
		t.Errorf("after throttling found %d events, want %d", len(got), len(ours))
	}
	gaps := []time.Duration{}
	for i := 2; i <= 4; i++ {
		gaps = append(gaps, lookup.calls[i].at.Sub(lookup.calls[i-1].at))
	}
	if !(gaps[0] < gaps[1] && gaps[1] < gaps[2]) {
		t.Errorf("retries after throttling came %v apart, want a growing backoff", gaps)
	}
}

func TestFindDenialsRetriesBrokenConnections(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	records, ours := history()
	lookup := &fakeLookup{clock: clock, records: records, broken: map[int]bool{0: true, 2: true}}

	pages, err := searchHistory(t, lookup)
	if err != nil {
		t.Fatalf("a broken connection failed the search: %v", err)
	}
	if got := idsOf(eventsOf(pages)); !slices.Equal(got, ours) {
		t.Errorf("found %d events, want %d", len(got), len(ours))
	}
	if len(lookup.calls) != 5 {
		t.Errorf("made %d calls, want 5 (3 pages, 2 of them retried)", len(lookup.calls))
	}
}

func TestFindDenialsGivesUpOnOtherErrors(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	api := EventAPI{Lookup: failingLookup{}, Clock: clock}
	q := EventQuery{Settings: trailSettings, Start: trailNow.Add(-time.Hour), End: trailNow,
		Trails: []model.Trail{}}
	_, err := collect(t, context.Background(), api, q)
	if ErrorCode(err) != "AccessDeniedException" {
		t.Fatalf("err = %v, want the AccessDeniedException wrapped", err)
	}
	if !strings.Contains(err.Error(), "looking up CloudTrail events by EventSource") {
		t.Errorf("error %q does not name the operation and its subject", err)
	}
}

type failingLookup struct{}

func (failingLookup) LookupEvents(context.Context, *cloudtrail.LookupEventsInput,
	...func(*cloudtrail.Options)) (*cloudtrail.LookupEventsOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "no"}
}

func TestFindDenialsStopsWhenCancelled(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	records, _ := history()
	api := EventAPI{Lookup: &fakeLookup{clock: clock, records: records}, Clock: clock}
	q := dayQuery()
	ctx, cancel := context.WithCancel(context.Background())
	pages := make(chan EventPage)
	done := make(chan error, 1)
	go func() { done <- FindDenials(ctx, api, q, pages) }()

	<-pages
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("FindDenials kept running after its context was cancelled")
	}
}

func TestFindDenialsRefusesAnEmptyWindow(t *testing.T) {
	api := EventAPI{Lookup: failingLookup{}, Clock: &fakeClock{now: trailNow}}
	q := EventQuery{Settings: trailSettings, Start: trailNow, End: trailNow.Add(-time.Hour)}
	if _, err := collect(t, context.Background(), api, q); err == nil {
		t.Fatal("a window that ends before it starts was searched")
	}
}

func dataTrail() model.Trail {
	return model.Trail{Name: "audit", ARN: "arn:aws:cloudtrail:us-west-2:111122223333:trail/audit",
		Bucket: "acme-trail-logs", KeyPrefix: "org",
		IsLogging: model.Known(true),
		Selectors: model.Known(model.EventSelectors{Basic: []model.BasicSelector{{
			ReadWriteType: "All", IncludeManagementEvents: true,
			DataResources: []model.DataResource{{Type: "AWS::S3::Object",
				Values: []string{"arn:aws:s3:::acme-slateo-uploads/",
					"arn:aws:s3:::acme-slateo-cache/"}}},
		}}})}
}

func TestFindDenialsReadsDataEventsFromTrailLogs(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	denied := testRecord{id: "data-1", source: "s3.amazonaws.com", name: "GetObject",
		principal: orgSessionARN, bucket: "acme-slateo-cache", key: "org-1/query-cache/a",
		code: "AccessDenied", message: "Access Denied", data: true,
		at: trailNow.Add(-2 * time.Hour)}
	other := denied
	other.id, other.bucket, other.principal = "data-2", "billing-reports", adminUserARN
	fine := denied
	fine.id, fine.code, fine.message = "data-3", "", ""
	old := denied
	old.id, old.at = "data-4", trailNow.Add(-50*time.Hour)
	dir := "org/AWSLogs/111122223333/CloudTrail/us-west-2/2026/12/04/"
	logs := &fakeLogs{files: map[string][]byte{
		dir + "111122223333_CloudTrail_us-west-2_20261204T1005Z_abc.json.gz": gzipLog(t,
			denied, other, fine, old),
		dir + "111122223333_CloudTrail_us-west-2_20261201T1005Z_old.json.gz": gzipLog(t, old),
		dir + "111122223333_CloudTrail_us-west-2_20261204T1105Z_bad.json.gz": []byte("junk"),
	}}
	api := EventAPI{Lookup: &fakeLookup{clock: clock}, Logs: logs, Clock: clock}
	q := dayQuery(dataTrail())

	pages, err := collect(t, context.Background(), api, q)
	if err != nil {
		t.Fatal(err)
	}
	got := eventsOf(pages)
	if ids := idsOf(got); !slices.Equal(ids, []string{"data-1"}) {
		t.Fatalf("found %v, want only the org role's data-event denial data-1", ids)
	}
	e := got[0]
	if !e.Data || e.Resource != "arn:aws:s3:::acme-slateo-cache/org-1/query-cache/a" {
		t.Errorf("data event = %+v", e)
	}
	if slices.ContainsFunc(logs.reads, func(k string) bool { return strings.Contains(k, "old") }) {
		t.Error("read a file delivered before the window started")
	}
	var notes []string
	for _, p := range pages {
		if p.Note != "" {
			notes = append(notes, p.Note)
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "bad.json.gz") {
		t.Errorf("notes = %q, want one about the unreadable file", notes)
	}
}

func TestFindDenialsSaysWhenNoTrailRecordsDataEvents(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	management := dataTrail()
	management.Selectors = model.Known(model.EventSelectors{Basic: []model.BasicSelector{{
		ReadWriteType: "All", IncludeManagementEvents: true}}})
	tests := []struct {
		name   string
		trails []model.Trail
		says   []string
	}{
		{name: "no trail", trails: []model.Trail{},
			says: []string{"create-trail", "put-event-selectors", "acme-slateo-cache/"}},
		{name: "management events only", trails: []model.Trail{management},
			says: []string{"trail audit", "--trail-name arn:aws:cloudtrail:us-west-2:" +
				"111122223333:trail/audit", `"Management"`, "arn:aws:s3:::acme-slateo-uploads/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := EventAPI{Lookup: &fakeLookup{clock: clock}, Logs: &fakeLogs{}, Clock: clock}
			q := EventQuery{Settings: trailSettings, Start: trailNow.Add(-time.Hour),
				End: trailNow, Trails: tt.trails}
			pages, err := collect(t, context.Background(), api, q)
			if err != nil {
				t.Fatal(err)
			}
			var note string
			for _, p := range pages {
				if p.Source == SourceTrailLogs {
					note += p.Note
				}
			}
			for _, want := range append(tt.says, "no trail records S3 data events") {
				if !strings.Contains(note, want) {
					t.Errorf("note %q does not say %q", note, want)
				}
			}
		})
	}
}

func TestMatcherRelevant(t *testing.T) {
	s := trailSettings
	s.KMSKey = trailKeyARN
	m := newMatcher(s, []string{trailKeyARN})
	base := testRecord{id: "x", source: "s3.amazonaws.com", name: "GetBucketPolicy",
		principal: adminUserARN, code: "AccessDenied", at: trailNow}
	tests := []struct {
		name   string
		change func(*testRecord)
		want   bool
	}{
		{name: "our bucket", change: func(r *testRecord) { r.bucket = "acme-slateo-cache" },
			want: true},
		{name: "our bucket in other case",
			change: func(r *testRecord) { r.bucket = "Acme-Slateo-Uploads" }, want: true},
		{name: "other bucket", change: func(r *testRecord) { r.bucket = "billing" }},
		{name: "succeeded", change: func(r *testRecord) {
			r.bucket, r.code = "acme-slateo-cache", ""
		}},
		{name: "other error", change: func(r *testRecord) {
			r.bucket, r.code = "acme-slateo-cache", "NoSuchBucketPolicy"
		}},
		{name: "org role anywhere", change: func(r *testRecord) {
			r.principal, r.bucket = orgSessionARN, "somewhere-else"
		}, want: true},
		{name: "our key", change: func(r *testRecord) {
			r.source, r.resources = "kms.amazonaws.com", []string{trailKeyARN}
		}, want: true},
		{name: "key named in message", change: func(r *testRecord) {
			r.source, r.message = "kms.amazonaws.com", "not authorized on resource: "+trailKeyARN
		}, want: true},
		{name: "bucket named in the message", change: func(r *testRecord) {
			r.message = `not authorized on resource: "arn:aws:s3:::acme-slateo-cache"`
		}, want: true},
		{name: "longer bucket named in the message", change: func(r *testRecord) {
			r.message = `not authorized on resource: "arn:aws:s3:::acme-slateo-cache-old/k"`
		}},
		{name: "ec2 unauthorized on our bucket", change: func(r *testRecord) {
			r.bucket, r.code = "acme-slateo-cache", "Client.UnauthorizedOperation"
		}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.change(&r)
			rec, err := parseRecord([]byte(r.json()))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.relevant(rec); got != tt.want {
				t.Errorf("relevant = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEachRecordRefusesOtherDocuments(t *testing.T) {
	tests := []struct {
		name, doc string
		n         int
		ok        bool
	}{
		{name: "records", doc: `{"Records":[{"a":1},{"b":2}]}`, n: 2, ok: true},
		{name: "other fields first", doc: `{"x":{"y":[1]},"Records":[{}]}`, n: 1, ok: true},
		{name: "no records", doc: `{"x":1}`},
		{name: "array", doc: `[1,2]`},
		{name: "records not a list", doc: `{"Records":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := eachRecord(strings.NewReader(tt.doc), func(json.RawMessage) {})
			if (err == nil) != tt.ok || n != tt.n {
				t.Errorf("eachRecord = %d, %v; want %d records, ok %v", n, err, tt.n, tt.ok)
			}
		})
	}
}

func TestFindDenialsReadsOrganizationTrailLogs(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	denied := testRecord{id: "org-1", source: "s3.amazonaws.com", name: "GetObject",
		principal: orgSessionARN, bucket: "acme-slateo-cache", key: "org-1/a",
		code: "AccessDenied", message: "Access Denied", data: true,
		at: trailNow.Add(-time.Hour)}
	other := denied
	other.id = "org-2"
	logs := &fakeLogs{files: map[string][]byte{
		"org/AWSLogs/o-abc123/111122223333/CloudTrail/us-west-2/2026/12/04/" +
			"111122223333_CloudTrail_us-west-2_20261204T1105Z_x.json.gz": gzipLog(t, denied),
		"org/AWSLogs/o-abc123/444455556666/CloudTrail/us-west-2/2026/12/04/" +
			"444455556666_CloudTrail_us-west-2_20261204T1105Z_y.json.gz": gzipLog(t, other),
	}}
	trail := dataTrail()
	trail.ARN = "arn:aws:cloudtrail:us-west-2:999988887777:trail/org-audit"
	api := EventAPI{Lookup: &fakeLookup{clock: clock}, Logs: logs, Clock: clock}
	q := dayQuery(trail)
	q.Account = "111122223333"

	pages, err := collect(t, context.Background(), api, q)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(eventsOf(pages)); !slices.Equal(ids, []string{"org-1"}) {
		t.Errorf("found %v, want org-1 from the caller's folder of the organization trail", ids)
	}
}

// regionalLogs is a trail bucket in another region: calls sent elsewhere are redirected.
type regionalLogs struct {
	fakeLogs
	region string
}

func (f *regionalLogs) GetBucketLocation(context.Context, *s3.GetBucketLocationInput,
	...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	return &s3.GetBucketLocationOutput{
		LocationConstraint: s3types.BucketLocationConstraint(f.region)}, nil
}

func (f *regionalLogs) check(opts []func(*s3.Options)) error {
	o := s3.Options{Region: "us-west-2"}
	for _, fn := range opts {
		fn(&o)
	}
	if o.Region != f.region {
		return &smithy.GenericAPIError{Code: "PermanentRedirect", Message: "use " + f.region}
	}
	return nil
}

func (f *regionalLogs) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input,
	opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	if err := f.check(opts); err != nil {
		return nil, err
	}
	return f.fakeLogs.ListObjectsV2(ctx, in)
}

func (f *regionalLogs) GetObject(ctx context.Context, in *s3.GetObjectInput,
	opts ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if err := f.check(opts); err != nil {
		return nil, err
	}
	return f.fakeLogs.GetObject(ctx, in)
}

func TestFindDenialsReadsTrailBucketInItsRegion(t *testing.T) {
	clock := &fakeClock{now: trailNow}
	denied := testRecord{id: "eu-1", source: "s3.amazonaws.com", name: "GetObject",
		principal: orgSessionARN, bucket: "acme-slateo-cache", key: "org-1/a",
		code: "AccessDenied", message: "Access Denied", data: true,
		at: trailNow.Add(-time.Hour)}
	logs := &regionalLogs{region: "eu-central-1", fakeLogs: fakeLogs{files: map[string][]byte{
		"org/AWSLogs/111122223333/CloudTrail/us-west-2/2026/12/04/" +
			"111122223333_CloudTrail_us-west-2_20261204T1105Z_x.json.gz": gzipLog(t, denied),
	}}}
	api := EventAPI{Lookup: &fakeLookup{clock: clock}, Logs: logs, Clock: clock}
	q := dayQuery(dataTrail())

	pages, err := collect(t, context.Background(), api, q)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(eventsOf(pages)); !slices.Equal(ids, []string{"eu-1"}) {
		t.Errorf("found %v, want eu-1 from the trail bucket in eu-central-1", ids)
	}
}

// blockingLogs never answers until its context ends.
type blockingLogs struct{ fakeLogs }

func (blockingLogs) ListObjectsV2(ctx context.Context, _ *s3.ListObjectsV2Input,
	_ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestFindDenialsStopsReadingLogsWhenHistoryFails(t *testing.T) {
	api := EventAPI{Lookup: failingLookup{}, Logs: &blockingLogs{},
		Clock: &fakeClock{now: trailNow}, Timeout: time.Hour}
	q := EventQuery{Settings: trailSettings, Start: trailNow.Add(-time.Hour), End: trailNow,
		Trails: []model.Trail{dataTrail()}}
	done := make(chan error, 1)
	go func() {
		_, err := collect(t, context.Background(), api, q)
		done <- err
	}()
	select {
	case err := <-done:
		if ErrorCode(err) != "AccessDeniedException" {
			t.Errorf("err = %v, want event history's AccessDeniedException", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the search kept reading log files after event history failed")
	}
}
