package trailsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

var testStart = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// clock is a test clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	s       *Service
	srv     *httptest.Server
	journal *simcore.Journal
	clock   *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{journal: &simcore.Journal{}, clock: &clock{now: testStart}}
	f.s = New(simcore.Env{
		Account: simcore.DefaultAccount, Now: f.clock.Now, Journal: f.journal,
		Changed: func() {}, OrgRoles: []string{"acme"},
	})
	f.srv = httptest.NewServer(f.s)
	t.Cleanup(f.srv.Close)
	return f
}

type answer struct {
	status int
	body   map[string]any
}

func (f *fixture) call(t *testing.T, region, op string, in any) answer {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/"+region+
		"/cloudtrail/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: decoding answer: %v", op, err)
	}
	return answer{resp.StatusCode, out}
}

// lookup calls LookupEvents a second after the previous call, so the throttle stays out of
// the way of tests about something else.
func (f *fixture) lookup(t *testing.T, region string, in map[string]any) answer {
	t.Helper()
	f.clock.advance(time.Second)
	return f.call(t, region, "LookupEvents", in)
}

func mustOK(t *testing.T, a answer) map[string]any {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, body %v", a.status, a.body)
	}
	return a.body
}

func wantError(t *testing.T, a answer, code, message string) {
	t.Helper()
	if a.status != http.StatusBadRequest || a.body["__type"] != code {
		t.Fatalf("got %d %v, want 400 %s", a.status, a.body, code)
	}
	if message != "" && a.body["message"] != message {
		t.Fatalf("message %q, want %q", a.body["message"], message)
	}
}

// seed adds records of various kinds an hour apart, newest last.
func seed(j *simcore.Journal) {
	at := func(h int) string {
		return testStart.Add(time.Duration(-h) * time.Hour).Format(time.RFC3339)
	}
	admin := simcore.UserIdentity{Type: "IAMUser", UserName: "sandbox-admin",
		ARN: "arn:aws:iam::111122223333:user/sandbox-admin", AccessKeyID: "AKIAADMIN"}
	role := simcore.UserIdentity{Type: "AssumedRole", AccessKeyID: "ASIAROLE",
		ARN: "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/slateo-session"}
	bucket := []simcore.Resource{{Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::acme-slateo-uploads"}}
	key := []simcore.Resource{{Type: "AWS::KMS::Key",
		ARN: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}
	j.Add(
		simcore.Record{EventID: "e1", EventTime: at(5), EventName: "PutBucketPolicy",
			EventSource: "s3.amazonaws.com", AWSRegion: "us-west-2", UserIdentity: admin,
			Resources: bucket, ManagementEvent: true, EventCategory: "Management"},
		simcore.Record{EventID: "e2", EventTime: at(4), EventName: "Decrypt", ReadOnly: true,
			EventSource: "kms.amazonaws.com", AWSRegion: "us-west-2", UserIdentity: role,
			Resources: key, ManagementEvent: true, EventCategory: "Management"},
		simcore.Record{EventID: "data", EventTime: at(3), EventName: "GetObject", ReadOnly: true,
			EventSource: "s3.amazonaws.com", AWSRegion: "us-west-2", UserIdentity: role,
			ManagementEvent: false, EventCategory: "Data"},
		simcore.Record{EventID: "east", EventTime: at(2), EventName: "CreateBucket",
			EventSource: "s3.amazonaws.com", AWSRegion: "us-east-1", UserIdentity: admin,
			ManagementEvent: true, EventCategory: "Management"},
		simcore.Record{EventID: "e3", EventTime: at(1), EventName: "PutBucketCors",
			EventSource: "s3.amazonaws.com", AWSRegion: "us-west-2", UserIdentity: admin,
			Resources: bucket, ManagementEvent: true, EventCategory: "Management"},
	)
}

func eventIDs(out map[string]any) string {
	var ids []string
	for _, e := range out["Events"].([]any) {
		ids = append(ids, e.(map[string]any)["EventId"].(string))
	}
	return strings.Join(ids, " ")
}

func attr(key, value string) map[string]any {
	return map[string]any{"LookupAttributes": []map[string]string{
		{"AttributeKey": key, "AttributeValue": value}}}
}

func TestLookupEventsFilters(t *testing.T) {
	f := newFixture(t)
	seed(f.journal)
	tests := []struct {
		name, region string
		in           map[string]any
		want         string
	}{
		{"management events of the region, newest first", "us-west-2", nil, "e3 e2 e1"},
		{"other region", "us-east-1", nil, "east"},
		{"event name", "us-west-2", attr("EventName", "Decrypt"), "e2"},
		{"event name is case-sensitive", "us-west-2", attr("EventName", "decrypt"), ""},
		{"event id", "us-west-2", attr("EventId", "e1"), "e1"},
		{"data event by id stays hidden", "us-west-2", attr("EventId", "data"), ""},
		{"read only", "us-west-2", attr("ReadOnly", "true"), "e2"},
		{"user name of an IAM user", "us-west-2", attr("Username", "sandbox-admin"), "e3 e1"},
		{"user name of a role session", "us-west-2", attr("Username", "slateo-session"), "e2"},
		{"resource type", "us-west-2", attr("ResourceType", "AWS::KMS::Key"), "e2"},
		{"bucket by name", "us-west-2", attr("ResourceName", "acme-slateo-uploads"), "e3 e1"},
		{"bucket by ARN is not its name", "us-west-2",
			attr("ResourceName", "arn:aws:s3:::acme-slateo-uploads"), ""},
		{"key by ARN", "us-west-2", attr("ResourceName",
			"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"), "e2"},
		{"event source", "us-west-2", attr("EventSource", "kms.amazonaws.com"), "e2"},
		{"access key", "us-west-2", attr("AccessKeyId", "AKIAADMIN"), "e3 e1"},
		{"time window", "us-west-2", map[string]any{
			"StartTime": testStart.Add(-4*time.Hour - time.Minute).Unix(),
			"EndTime":   testStart.Add(-90 * time.Minute).Unix()}, "e2"},
		{"insights only", "us-west-2", map[string]any{"EventCategory": "insight"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustOK(t, f.lookup(t, tt.region, tt.in))
			if got := eventIDs(out); got != tt.want {
				t.Fatalf("events %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLookupEventsShape(t *testing.T) {
	f := newFixture(t)
	seed(f.journal)
	out := mustOK(t, f.lookup(t, "us-west-2", attr("EventName", "Decrypt")))
	e := out["Events"].([]any)[0].(map[string]any)
	want := map[string]any{
		"EventId": "e2", "EventName": "Decrypt", "ReadOnly": "true", "AccessKeyId": "ASIAROLE",
		"EventTime":   float64(testStart.Add(-4 * time.Hour).Unix()),
		"EventSource": "kms.amazonaws.com", "Username": "slateo-session",
	}
	for k, v := range want {
		if e[k] != v {
			t.Errorf("%s = %v, want %v", k, e[k], v)
		}
	}
	res := e["Resources"].([]any)[0].(map[string]any)
	if res["ResourceType"] != "AWS::KMS::Key" || !strings.HasPrefix(res["ResourceName"].(string),
		"arn:aws:kms:") {
		t.Errorf("resources %v", e["Resources"])
	}
	var doc simcore.Record
	if err := json.Unmarshal([]byte(e["CloudTrailEvent"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.EventID != "e2" || doc.UserIdentity.Type != "AssumedRole" {
		t.Errorf("CloudTrailEvent %+v", doc)
	}
}

func TestLookupEventsErrors(t *testing.T) {
	f := newFixture(t)
	two := map[string]any{"LookupAttributes": []map[string]string{
		{"AttributeKey": "EventName", "AttributeValue": "a"},
		{"AttributeKey": "EventSource", "AttributeValue": "b"}}}
	tests := []struct {
		name string
		in   map[string]any
		code string
	}{
		{"two attributes", two, "InvalidLookupAttributesException"},
		{"unknown attribute", attr("Region", "x"), "InvalidLookupAttributesException"},
		{"start after end", map[string]any{"StartTime": testStart.Unix(),
			"EndTime": testStart.Add(-time.Hour).Unix()}, "InvalidTimeRangeException"},
		{"max results 0", map[string]any{"MaxResults": 0}, "InvalidMaxResultsException"},
		{"max results 51", map[string]any{"MaxResults": 51}, "InvalidMaxResultsException"},
		{"bad token", map[string]any{"NextToken": "xyz"}, "InvalidNextTokenException"},
		{"bad category", map[string]any{"EventCategory": "data"}, "InvalidEventCategoryException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.lookup(t, "us-west-2", tt.in), tt.code, "")
		})
	}
}

func seedMany(j *simcore.Journal, n int) {
	for i := range n {
		j.Add(simcore.Record{
			EventID: fmt.Sprintf("ev-%03d", i), EventName: "PutBucketTagging",
			EventTime:   testStart.Add(-time.Duration(i+1) * time.Minute).Format(time.RFC3339),
			EventSource: "s3.amazonaws.com", AWSRegion: "us-west-2",
			ManagementEvent: true, EventCategory: "Management",
		})
	}
}

func TestLookupEventsPaging(t *testing.T) {
	f := newFixture(t)
	seedMany(f.journal, 120)
	in := map[string]any{"EventCategory": ""}
	var pages []int
	seen := map[string]bool{}
	for range 10 {
		out := mustOK(t, f.lookup(t, "us-west-2", in))
		pages = append(pages, len(out["Events"].([]any)))
		for _, id := range strings.Fields(eventIDs(out)) {
			seen[id] = true
		}
		next, _ := out["NextToken"].(string)
		if next == "" {
			break
		}
		in = map[string]any{"NextToken": next}
	}
	if fmt.Sprint(pages) != "[50 50 20]" || len(seen) != 120 {
		t.Fatalf("pages %v, %d distinct events", pages, len(seen))
	}

	first := mustOK(t, f.lookup(t, "us-west-2", map[string]any{"MaxResults": 10}))
	token := first["NextToken"].(string)
	changed := attr("EventName", "PutBucketTagging")
	changed["NextToken"] = token
	wantError(t, f.lookup(t, "us-west-2", changed), "InvalidNextTokenException", "")
	same := mustOK(t, f.lookup(t, "us-west-2", map[string]any{"MaxResults": 10, "NextToken": token}))
	if got := strings.Fields(eventIDs(same))[0]; got != "ev-010" {
		t.Fatalf("second page starts at %s", got)
	}
}

func TestLookupEventsThrottle(t *testing.T) {
	f := newFixture(t)
	for i, want := range []int{200, 200, 400, 400} {
		a := f.call(t, "us-west-2", "LookupEvents", nil)
		if a.status != want {
			t.Fatalf("call %d: status %d, want %d", i, a.status, want)
		}
		if want == 400 {
			wantError(t, a, "ThrottlingException", "Rate exceeded")
		}
	}
	mustOK(t, f.call(t, "eu-west-1", "LookupEvents", nil))
	f.clock.advance(500 * time.Millisecond)
	mustOK(t, f.call(t, "us-west-2", "LookupEvents", nil))
	wantError(t, f.call(t, "us-west-2", "LookupEvents", nil), "ThrottlingException", "")
}

func BenchmarkLookupEvents(b *testing.B) {
	j := &simcore.Journal{}
	seedMany(j, 5000)
	now := testStart
	s := New(simcore.Env{Account: simcore.DefaultAccount, Journal: j,
		Now: func() time.Time { now = now.Add(time.Second); return now }})
	body := []byte(`{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"x"}]}`)
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", targetPrefix+"LookupEvents")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Body.String())
		}
	}
}

func TestRecordedWriteParameters(t *testing.T) {
	f := newFixture(t)
	mustOK(t, f.call(t, "us-west-2", "CreateTrail", map[string]any{
		"Name": "acme-audit", "S3BucketName": "logs", "": "odd"}))
	recs := f.journal.NewestFirst()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	var params map[string]any
	if err := json.Unmarshal(recs[0].RequestParameters, &params); err != nil {
		t.Fatal(err)
	}
	if params["name"] != "acme-audit" || params["s3BucketName"] != "logs" {
		t.Fatalf("requestParameters %v", params)
	}
	var resp map[string]any
	if err := json.Unmarshal(recs[0].ResponseElements, &resp); err != nil {
		t.Fatal(err)
	}
	if resp["trailARN"] != trailARNWest {
		t.Fatalf("responseElements %v", resp)
	}
}

func TestWriteFault(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		code   string
		status int
	}{
		{"InternalFailure", 500},
		{"ServiceUnavailable", 503},
		{"ThrottlingException", 400},
		{"TrailNotFoundException", 400},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			w := httptest.NewRecorder()
			f.s.WriteFault(w, httptest.NewRequest(http.MethodPost, "/", nil), tt.code)
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || body["__type"] != tt.code {
				t.Fatalf("got %d %v", w.Code, body)
			}
		})
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("X-Amz-Target", targetPrefix+"LookupEvents")
	if op, _ := f.s.Operation(r); op != "LookupEvents" {
		t.Fatalf("Operation = %q", op)
	}
}
