package scenario

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox/kmssim"
	"slateo-s3/awsops/sandbox/s3sim"
	"slateo-s3/awsops/sandbox/simcore"
	"slateo-s3/awsops/sandbox/trailsim"
)

var testNow = time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)

func newTarget(t *testing.T) Target {
	t.Helper()
	env := simcore.Env{
		Account: simcore.DefaultAccount, Now: func() time.Time { return testNow },
		Journal: &simcore.Journal{}, Changed: func() {},
		OrgRoles: append([]string{"acme"}, OrgRoles("broken")...),
	}
	tr := Target{Env: env, S3: s3sim.New(env), KMS: kmssim.New(env), Trail: trailsim.New(env)}
	tr.Trail.UseBuckets(tr.S3.BucketExists)
	return tr
}

func applied(t *testing.T, name string) Target {
	t.Helper()
	tr := newTarget(t)
	if err := Apply(name, tr); err != nil {
		t.Fatalf("Apply(%s): %v", name, err)
	}
	return tr
}

// s3Get reads a bucket sub-resource over S3's HTTP API and returns status and body.
func s3Get(t *testing.T, s *s3sim.Service, bucket, query string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/"+bucket+"?"+query, nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/"+Region+
		"/s3/aws4_request, SignedHeaders=host, Signature=00")
	r.Header.Set("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func mustGet(t *testing.T, s *s3sim.Service, bucket, query string) string {
	t.Helper()
	status, body := s3Get(t, s, bucket, query)
	if status != http.StatusOK {
		t.Fatalf("GET %s?%s: %d %s", bucket, query, status, body)
	}
	return body
}

func TestApplyUnknown(t *testing.T) {
	if err := Apply("chaos", newTarget(t)); err == nil ||
		!strings.Contains(err.Error(), `unknown scenario`) {
		t.Fatalf("Apply(chaos) = %v", err)
	}
}

func TestEmpty(t *testing.T) {
	tr := applied(t, "empty")
	keys := tr.KMS.Keys()
	if len(keys) != 1 || keys[0].Manager != kmssim.ManagerAWS || keys[0].Region != Region {
		t.Fatalf("keys %+v", keys)
	}
	if tr.S3.BucketExists(UploadsBucket) || len(tr.Trail.Trails()) != 0 ||
		tr.Env.Journal.Len() != 0 {
		t.Fatal("the empty scenario holds more than the AWS-managed key")
	}
}

func TestHealthyState(t *testing.T) {
	tr := applied(t, "healthy")
	key, err := tr.KMS.Key(Region, KeyAlias)
	if err != nil {
		t.Fatal(err)
	}
	if key.Manager != kmssim.ManagerCustomer || key.State != kmssim.StateEnabled ||
		!strings.Contains(key.Policy, `"AllowSlateoKMSAccess"`) ||
		!strings.Contains(key.Policy, OrgRoleARN) ||
		!strings.Contains(key.Policy, `"Enable IAM User Permissions"`) {
		t.Fatalf("key %+v", key)
	}
	for _, bucket := range []string{UploadsBucket, CacheBucket} {
		t.Run(bucket, func(t *testing.T) {
			policy := mustGet(t, tr.S3, bucket, "policy")
			for _, want := range []string{OrgRoleARN, `"AllowSlateoListBucket"`,
				`"AllowSlateoObjectAccess"`, `"arn:aws:s3:::` + bucket + `/*"`} {
				if !strings.Contains(policy, want) {
					t.Errorf("policy lacks %s: %s", want, policy)
				}
			}
			pab := mustGet(t, tr.S3, bucket, "publicAccessBlock")
			if strings.Count(pab, ">true<") != 4 {
				t.Errorf("public access block %s", pab)
			}
			enc := mustGet(t, tr.S3, bucket, "encryption")
			if !strings.Contains(enc, "aws:kms") || !strings.Contains(enc, key.ARN) {
				t.Errorf("encryption %s", enc)
			}
			if v := mustGet(t, tr.S3, bucket, "versioning"); !strings.Contains(v, "Enabled") {
				t.Errorf("versioning %s", v)
			}
			if l := mustGet(t, tr.S3, bucket, "logging"); !strings.Contains(l, AccessLogsBucket) {
				t.Errorf("logging %s", l)
			}
		})
	}
	if cors := mustGet(t, tr.S3, CacheBucket, "cors"); !strings.Contains(cors,
		"https://*.slateo.ai") || !strings.Contains(cors, "<AllowedMethod>HEAD</AllowedMethod>") {
		t.Fatalf("cache CORS %s", cors)
	}
	if status, _ := s3Get(t, tr.S3, UploadsBucket, "cors"); status != http.StatusNotFound {
		t.Fatalf("uploads CORS status %d", status)
	}
	assertTrail(t, tr)
	if len(tr.S3.ListKeys(UploadsBucket, OrgID+"/uploads/")) == 0 ||
		len(tr.S3.ListKeys(CacheBucket, OrgID+"/query-cache/parquet/")) == 0 {
		t.Fatal("no objects under the org id's prefixes")
	}
}

func assertTrail(t *testing.T, tr Target) {
	t.Helper()
	trails := tr.Trail.Trails()
	if len(trails) != 1 || !trails[0].MultiRegion || !trails[0].Logging ||
		trails[0].Bucket != TrailBucket || len(trails[0].Basic) != 1 {
		t.Fatalf("trails %+v", trails)
	}
	values := strings.Join(trails[0].Basic[0].DataResources[0].Values, " ")
	if values != "arn:aws:s3:::"+UploadsBucket+"/ arn:aws:s3:::"+CacheBucket+"/" {
		t.Fatalf("data resources %s", values)
	}
}

func TestBrokenState(t *testing.T) {
	tr := applied(t, "broken")
	uploads := mustGet(t, tr.S3, UploadsBucket, "policy")
	// The wrong slug's role starts with the right one's ARN: look for the whole quoted value.
	if !strings.Contains(uploads, WrongPrincipal) || strings.Contains(uploads, `"`+OrgRoleARN+`"`) {
		t.Fatalf("uploads policy %s", uploads)
	}
	cache := mustGet(t, tr.S3, CacheBucket, "policy")
	if strings.Contains(cache, CacheBucket+"/*") || !strings.Contains(cache, OrgRoleARN) {
		t.Fatalf("cache policy %s", cache)
	}
	if status, _ := s3Get(t, tr.S3, CacheBucket, "cors"); status != http.StatusNotFound {
		t.Fatalf("cache CORS status %d", status)
	}
	if cors := mustGet(t, tr.S3, UploadsBucket, "cors"); !strings.Contains(cors, "slateo.ai") {
		t.Fatalf("uploads CORS %s", cors)
	}
	pab := mustGet(t, tr.S3, CacheBucket, "publicAccessBlock")
	if !strings.Contains(pab, "<RestrictPublicBuckets>false</RestrictPublicBuckets>") ||
		strings.Count(pab, ">true<") != 3 {
		t.Fatalf("cache public access block %s", pab)
	}
	key, err := tr.KMS.Key(Region, KeyAlias)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(key.Policy, OrgRoleARN) || key.State != kmssim.StateEnabled {
		t.Fatalf("key %+v", key)
	}
	for _, bucket := range []string{UploadsBucket, CacheBucket} {
		if enc := mustGet(t, tr.S3, bucket, "encryption"); !strings.Contains(enc, key.ARN) {
			t.Fatalf("encryption of %s: %s", bucket, enc)
		}
	}
	if status, _ := s3Get(t, tr.S3, UploadsBucket, "logging"); status != http.StatusOK {
		t.Fatalf("logging status %d", status)
	}
	assertTrail(t, tr)
}

var logKeyPattern = regexp.MustCompile(`^AWSLogs/111122223333/CloudTrail/us-west-2/` +
	`(\d{4})/(\d{2})/(\d{2})/111122223333_CloudTrail_us-west-2_(\d{4})(\d{2})(\d{2})T\d{4}Z_` +
	`[A-Za-z0-9]{16}\.json\.gz$`)

// logRecords reads every log file of the trail bucket, checking each one's key.
func logRecords(t *testing.T, tr Target) []simcore.Record {
	t.Helper()
	keys := tr.S3.ListKeys(TrailBucket, "")
	if len(keys) == 0 {
		t.Fatal("no log files in the trail bucket")
	}
	var all []simcore.Record
	for _, key := range keys {
		m := logKeyPattern.FindStringSubmatch(key)
		if m == nil || m[1] != m[4] || m[2] != m[5] || m[3] != m[6] {
			t.Fatalf("log file key %s", key)
		}
		body, _ := tr.S3.Object(TrailBucket, key)
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s is not gzip: %v", key, err)
		}
		doc, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var file struct{ Records []simcore.Record }
		if err := json.Unmarshal(doc, &file); err != nil || len(file.Records) == 0 {
			t.Fatalf("%s holds %s: %v", key, doc, err)
		}
		all = append(all, file.Records...)
	}
	return all
}

func TestBrokenLogFiles(t *testing.T) {
	tr := applied(t, "broken")
	records := logRecords(t, tr)
	denied := map[string]bool{}
	for _, r := range records {
		if r.EventCategory != "Data" || r.ManagementEvent || r.EventSource != "s3.amazonaws.com" {
			t.Fatalf("log record is not an S3 data event: %+v", r)
		}
		if age := testNow.Sub(r.Time()); age < 0 || age > 24*time.Hour {
			t.Fatalf("record %s is %v old", r.EventID, age)
		}
		id := r.UserIdentity
		if id.Type != "AssumedRole" || id.AccountID != simcore.SlateoAccount ||
			id.SessionContext == nil || id.SessionContext.SessionIssuer.ARN != OrgRoleARN ||
			r.RecipientAccountID != simcore.DefaultAccount {
			t.Fatalf("identity %+v", id)
		}
		if r.ErrorCode == "" {
			continue
		}
		if r.ErrorCode != "AccessDenied" || r.ErrorMessage != "Access Denied" {
			t.Fatalf("denial %s: %s", r.ErrorCode, r.ErrorMessage)
		}
		bucket := strings.TrimPrefix(r.Resources[1].ARN, "arn:aws:s3:::")
		denied[r.EventName+" "+bucket] = true
	}
	for _, want := range []string{"GetObject " + UploadsBucket, "PutObject " + UploadsBucket,
		"GetObject " + CacheBucket, "PutObject " + CacheBucket} {
		if !denied[want] {
			t.Errorf("no denied %s in the log files", want)
		}
	}
}

func TestBrokenJournal(t *testing.T) {
	tr := applied(t, "broken")
	var refused, kmsOK int
	for _, r := range tr.Env.Journal.NewestFirst() {
		if !r.ManagementEvent || r.EventCategory != "Management" {
			t.Fatalf("journal holds a non-management event %+v", r)
		}
		if age := testNow.Sub(r.Time()); age < 0 || age > 24*time.Hour {
			t.Fatalf("%s is %v old", r.EventName, age)
		}
		fromRole := r.UserIdentity.AccountID == simcore.SlateoAccount
		switch {
		case r.EventSource == "kms.amazonaws.com" && fromRole:
			if r.ErrorCode != "" || r.SharedEventID == "" ||
				r.RecipientAccountID != simcore.DefaultAccount {
				t.Fatalf("org role KMS record %+v", r)
			}
			kmsOK++
		case r.EventName == "PutBucketPolicy" && r.ErrorCode != "":
			if r.ErrorCode != "AccessDenied" ||
				!strings.Contains(r.ErrorMessage, "blocked by the BlockPublicPolicy") {
				t.Fatalf("refused policy %s: %s", r.ErrorCode, r.ErrorMessage)
			}
			refused++
		case fromRole:
			t.Fatalf("unexpected org role record %+v", r)
		}
	}
	if refused != 1 || kmsOK == 0 {
		t.Fatalf("%d refused policies, %d org role KMS calls", refused, kmsOK)
	}
}

// TestHistoryMatchesState checks that the key and the trail carry the times their history
// tells: the key created by the CreateKey event, the trail logging before its first record.
func TestHistoryMatchesState(t *testing.T) {
	for _, name := range []string{"healthy", "broken"} {
		t.Run(name, func(t *testing.T) {
			tr := applied(t, name)
			key, err := tr.KMS.Key(Region, KeyAlias)
			if err != nil {
				t.Fatal(err)
			}
			var created, started time.Time
			for _, r := range tr.Env.Journal.NewestFirst() {
				switch r.EventName {
				case "CreateKey":
					created = r.Time()
				case "StartLogging":
					started = r.Time()
				}
			}
			if !key.Created.Equal(created) {
				t.Errorf("key created %v, CreateKey event at %v", key.Created, created)
			}
			trail := tr.Trail.Trails()[0]
			if !trail.StartedLogging.Equal(started) {
				t.Errorf("trail logging since %v, StartLogging event at %v",
					trail.StartedLogging, started)
			}
			for _, r := range logRecords(t, tr) {
				if r.Time().Before(started) {
					t.Fatalf("log record at %v before logging started at %v", r.Time(), started)
				}
			}
		})
	}
}

func TestHealthyHistory(t *testing.T) {
	tr := applied(t, "healthy")
	for _, r := range logRecords(t, tr) {
		if r.ErrorCode != "" {
			t.Fatalf("healthy log record with error %s", r.ErrorCode)
		}
	}
	names := map[string]int{}
	for _, r := range tr.Env.Journal.NewestFirst() {
		if r.ErrorCode != "" {
			t.Fatalf("healthy journal record with error %+v", r)
		}
		names[r.EventName]++
	}
	for _, want := range []string{"CreateBucket", "PutBucketPolicy", "PutKeyPolicy",
		"CreateTrail", "StartLogging", "Decrypt", "GenerateDataKey"} {
		if names[want] == 0 {
			t.Errorf("journal lacks %s: %v", want, names)
		}
	}
}

func TestLogFileKey(t *testing.T) {
	got := LogFileKey("111122223333", "us-west-2", time.Date(2026, 12, 4, 9, 5, 0, 0, time.UTC),
		"ABCDEFGHijklmn12")
	want := "AWSLogs/111122223333/CloudTrail/us-west-2/2026/12/04/" +
		"111122223333_CloudTrail_us-west-2_20261204T0905Z_ABCDEFGHijklmn12.json.gz"
	if got != want {
		t.Fatalf("got %s", got)
	}
}
