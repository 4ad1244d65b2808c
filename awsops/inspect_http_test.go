package awsops

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"slateo-s3/model"
)

// isolateAWS keeps a developer's AWS set-up out of a test: fake static credentials, empty
// config files, no instance metadata.
func isolateAWS(t testing.TB) {
	t.Helper()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_ACCESS_KEY_ID":           "test",
		"AWS_SECRET_ACCESS_KEY":       "test",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_ENDPOINT_URL":            "",
		"AWS_CONFIG_FILE":             empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty,
	} {
		t.Setenv(k, v)
	}
}

// wireRequest is one request the wire fake saw.
type wireRequest struct {
	Method, Path, Query, Region, ExpectedOwner, Target string
}

// wireFake answers S3 (path-style), STS, KMS and CloudTrail over HTTP the way AWS does, for
// a small account: the cache bucket lives in eu-central-1 and answers a request signed for
// another region with a bodiless 301, the uploads bucket belongs to another account, and the
// key policy may not be read.
type wireFake struct {
	mu   sync.Mutex
	seen []wireRequest
}

var scopeRegion = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([^/]+)/`)

func (w *wireFake) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	region := ""
	if m := scopeRegion.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[1]
	}
	w.mu.Lock()
	w.seen = append(w.seen, wireRequest{r.Method, r.URL.Path, r.URL.RawQuery, region,
		r.Header.Get("X-Amz-Expected-Bucket-Owner"), r.Header.Get("X-Amz-Target")})
	w.mu.Unlock()

	switch target := r.Header.Get("X-Amz-Target"); {
	case strings.HasPrefix(target, "TrentService."):
		jsonError(rw, "AccessDeniedException", "User: admin is not authorized to perform: "+
			"kms:DescribeKey")
	case strings.Contains(target, "CloudTrail"):
		rw.Header().Set("Content-Type", "application/x-amz-json-1.1")
		fmt.Fprint(rw, `{"trailList":[]}`)
	case r.URL.Path == "/" && r.Method == http.MethodPost:
		rw.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(rw, `<GetCallerIdentityResponse `+
			`xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`+
			`<GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/admin</Arn>`+
			`<UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>`+
			`</GetCallerIdentityResult></GetCallerIdentityResponse>`)
	default:
		w.s3(rw, r, region)
	}
}

func jsonError(rw http.ResponseWriter, code, message string) {
	rw.Header().Set("Content-Type", "application/x-amz-json-1.1")
	rw.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(rw, `{"__type":%q,"message":%q}`, code, message)
}

func s3Error(rw http.ResponseWriter, status int, code, message string) {
	rw.Header().Set("Content-Type", "application/xml")
	rw.WriteHeader(status)
	fmt.Fprintf(rw, "<Error><Code>%s</Code><Message>%s</Message></Error>", code, message)
}

func (w *wireFake) s3(rw http.ResponseWriter, r *http.Request, region string) {
	bucket := strings.Trim(r.URL.Path, "/")
	switch {
	case bucket == uploads && r.Method == http.MethodHead:
		rw.Header().Set("X-Amz-Bucket-Region", "us-west-2")
		rw.WriteHeader(http.StatusForbidden)
	case bucket == "" && r.Method == http.MethodGet: // ListBuckets
		rw.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(rw, `<ListAllMyBucketsResult><Buckets><Bucket><Name>acme-slateo-cache</Name>`+
			`<BucketRegion>eu-central-1</BucketRegion></Bucket></Buckets>`+
			`</ListAllMyBucketsResult>`)
	case bucket != cache:
		rw.WriteHeader(http.StatusNotFound)
	case region != "eu-central-1":
		rw.Header().Set("X-Amz-Bucket-Region", "eu-central-1")
		if r.Method == http.MethodHead {
			rw.WriteHeader(http.StatusMovedPermanently)
			return
		}
		s3Error(rw, http.StatusMovedPermanently, "PermanentRedirect", "use eu-central-1")
	case r.Method == http.MethodHead:
		rw.Header().Set("X-Amz-Bucket-Region", "eu-central-1")
	default:
		w.cacheConfig(rw, r)
	}
}

func (w *wireFake) cacheConfig(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	xmlOK := func(body string) {
		rw.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(rw, body)
	}
	switch {
	case q.Has("policy"):
		s3Error(rw, http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	case q.Has("cors"):
		s3Error(rw, http.StatusForbidden, "AccessDenied", "Access Denied")
	case q.Has("publicAccessBlock"):
		xmlOK(`<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>` +
			`<IgnorePublicAcls>true</IgnorePublicAcls>` +
			`<BlockPublicPolicy>false</BlockPublicPolicy>` +
			`<RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`)
	case q.Has("encryption"):
		xmlOK(`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>` +
			`<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/cache</KMSMasterKeyID>` +
			`</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled>` +
			`</Rule></ServerSideEncryptionConfiguration>`)
	case q.Has("ownershipControls"):
		s3Error(rw, http.StatusNotFound, "OwnershipControlsNotFoundError",
			"The bucket ownership controls were not found")
	case q.Has("versioning"):
		xmlOK(`<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`)
	case q.Has("logging"):
		xmlOK(`<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`)
	case q.Get("list-type") == "2":
		xmlOK(`<ListBucketResult><Name>acme-slateo-cache</Name><Contents><Key>org-1/query-cache/` +
			`parquet/a.parquet</Key><LastModified>2026-12-01T10:00:00.000Z</LastModified>` +
			`<Size>42</Size></Contents></ListBucketResult>`)
	default:
		s3Error(rw, http.StatusNotImplemented, "NotImplemented", r.URL.RawQuery)
	}
}

// TestSessionInspectWire runs the real SDK clients against the wire fake: the SDK's own
// errors (bodiless 403/301/404, XML and JSON error bodies) must map to the right facts.
func TestSessionInspectWire(t *testing.T) {
	isolateAWS(t)
	w := &wireFake{}
	srv := httptest.NewServer(w)
	defer srv.Close()
	settings := testSettings()
	settings.EndpointURL = srv.URL
	s, err := Connect(context.Background(), settings, ConnectOptions{RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}

	st := s.Inspect(context.Background(), settings)

	up, c := st.Buckets[0], st.Buckets[1]
	if up.Presence.Value != model.Foreign || up.Region.Value != "us-west-2" {
		t.Errorf("uploads presence, region = %+v, %+v; want foreign in us-west-2",
			up.Presence, up.Region)
	}
	if c.Presence.Value != model.Owned || c.Region.Value != "eu-central-1" {
		t.Errorf("cache presence, region = %+v, %+v; want owned in eu-central-1",
			c.Presence, c.Region)
	}
	assertWireCache(t, c)
	assertWireRequests(t, w)
	if k := st.Keys; len(k) != 2 || k[1].Ref != "alias/cache" ||
		k[1].Metadata.MissingAction != "kms:DescribeKey" {
		t.Errorf("keys = %+v, want the configured key and alias/cache, denied", k)
	}
	if st.Caller.Value.Account != testAccount || !st.Trails.IsPresent() {
		t.Errorf("caller, trails = %+v, %+v", st.Caller, st.Trails)
	}
}

func assertWireCache(t *testing.T, c model.BucketState) {
	t.Helper()
	checks := []struct {
		name string
		got  factView
		want factView
	}{
		{"policy", viewOf(c.Policy), factView{model.NotConfigured, "NoSuchBucketPolicy", ""}},
		{"cors", viewOf(c.CORS), factView{model.CouldNotRead,
			"access denied (AccessDenied: Access Denied)", "s3:GetBucketCORS"}},
		{"ownership", viewOf(c.Ownership),
			factView{model.NotConfigured, "OwnershipControlsNotFoundError", ""}},
		{"versioning", viewOf(c.Versioning), factView{model.Present, "", ""}},
		{"logging", viewOf(c.Logging), factView{model.Present, "", ""}},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("cache %s = %+v, want %+v", ch.name, ch.got, ch.want)
		}
	}
	if p := c.PublicAccessBlock.Value; p.BlockPublicPolicy || !p.BlockPublicAcls {
		t.Errorf("public access block = %+v", c.PublicAccessBlock)
	}
	if e := c.Encryption.Value; e.KMSKeyID != "alias/cache" || !e.BucketKeyEnabled {
		t.Errorf("encryption = %+v", c.Encryption)
	}
	objs := c.Objects["org-1/query-cache/parquet/"]
	if len(objs.Value) != 1 || objs.Value[0].Size != 42 {
		t.Errorf("objects = %+v", objs)
	}
}

// assertWireRequests checks how the calls went out: HeadBucket with the caller's account as
// expected owner, and everything about the cache bucket after the redirect to its region.
func assertWireRequests(t *testing.T, w *wireFake) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	heads, cacheReads := 0, 0
	for _, r := range w.seen {
		if r.Method == http.MethodHead {
			heads++
			if r.ExpectedOwner != testAccount {
				t.Errorf("HeadBucket %s expected owner = %q", r.Path, r.ExpectedOwner)
			}
		}
		if r.Path == "/"+cache && r.Method == http.MethodGet {
			cacheReads++
			if r.Region != "eu-central-1" {
				t.Errorf("GET %s?%s signed for %q, want eu-central-1", r.Path, r.Query, r.Region)
			}
		}
	}
	// uploads once; cache once in us-west-2 (301) and once in eu-central-1.
	if heads != 3 || cacheReads != 8 {
		t.Errorf("HeadBucket calls = %d (want 3), cache reads = %d (want 8)", heads, cacheReads)
	}
}

func TestSessionCaller(t *testing.T) {
	isolateAWS(t)
	srv := httptest.NewServer(&wireFake{})
	defer srv.Close()
	s, err := Connect(context.Background(), model.Settings{EndpointURL: srv.URL},
		ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}

	c, err := s.Caller(context.Background())

	if err != nil || c.Account != testAccount || !strings.HasSuffix(c.ARN, ":user/admin") {
		t.Errorf("Caller = %+v, %v", c, err)
	}
	srv.Close()
	if _, err := s.Caller(context.Background()); err == nil ||
		!strings.Contains(err.Error(), "reading the caller identity") {
		t.Errorf("Caller with the endpoint gone: err = %v", err)
	}
}
