package sandbox_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// TestCLICopy copies a file up and down with `aws s3 cp`.
func TestCLICopy(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	srv := sandboxtest.Start(t, sandbox.Options{})
	sandboxtest.MustCLI(t, srv, "s3api", "create-bucket", "--bucket", uploads,
		"--create-bucket-configuration", "LocationConstraint=us-west-2")
	content := bytes.Repeat([]byte("slateo,query,result\n"), 5000)
	src := writeFile(t, "upload.csv", string(content))
	key := "org-1/uploads/first file+v2.csv"

	sandboxtest.MustCLI(t, srv, "s3", "cp", src, "s3://"+uploads+"/"+key)
	stored, ok := srv.S3().Object(uploads, key)
	if !ok || !bytes.Equal(stored, content) {
		t.Fatalf("stored object: found %v, %d bytes; want %d bytes", ok, len(stored),
			len(content))
	}
	dst := filepath.Join(t.TempDir(), "download.csv")
	sandboxtest.MustCLI(t, srv, "s3", "cp", "s3://"+uploads+"/"+key, dst)
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("downloaded %d bytes (%v), want %d", len(got), err, len(content))
	}
	listing := sandboxtest.MustCLI(t, srv, "s3", "ls", "s3://"+uploads+"/org-1/uploads/")
	if !strings.Contains(listing, "first file+v2.csv") {
		t.Errorf("s3 ls = %q, want the uploaded key", listing)
	}
}

// TestCLIListPaging lists more than 1000 keys with a prefix; the CLI follows the
// continuation tokens and decodes the url-encoded keys.
func TestCLIListPaging(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	log := &syncWriter{w: &bytes.Buffer{}}
	srv := sandboxtest.Start(t, sandbox.Options{Log: log})
	s3 := srv.S3()
	if err := s3.CreateBucket(cache, "us-west-2"); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for i := range 1205 {
		key := fmt.Sprintf("org-1/query-cache/parquet/result %04d+x.parquet", i)
		want[key] = true
		if err := s3.PutObject(cache, key, []byte("p")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s3.PutObject(cache, "org-2/other.parquet", []byte("p")); err != nil {
		t.Fatal(err)
	}
	out := sandboxtest.MustCLI(t, srv, "s3api", "list-objects-v2", "--bucket", cache,
		"--prefix", "org-1/query-cache/")
	var got struct{ Contents []struct{ Key string } }
	decode(t, out, &got)
	if len(got.Contents) != len(want) {
		t.Fatalf("listed %d keys, want %d", len(got.Contents), len(want))
	}
	for _, c := range got.Contents {
		if !want[c.Key] {
			t.Fatalf("listed unexpected key %q", c.Key)
		}
	}
	if n := strings.Count(log.String(), `"operation":"ListObjectsV2"`); n != 2 {
		t.Errorf("ListObjectsV2 calls = %d, want 2 pages", n)
	}
}

// TestCLIListDelimiter lists common prefixes with a delimiter and a small page size.
func TestCLIListDelimiter(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	srv := sandboxtest.Start(t, sandbox.Options{})
	s3 := srv.S3()
	if err := s3.CreateBucket(cache, "us-west-2"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a/1", "a/2", "b/1", "c", "d/x/y"} {
		if err := s3.PutObject(cache, k, nil); err != nil {
			t.Fatal(err)
		}
	}
	out := sandboxtest.MustCLI(t, srv, "s3api", "list-objects-v2", "--bucket", cache,
		"--delimiter", "/", "--page-size", "1")
	var got struct {
		Contents       []struct{ Key string }
		CommonPrefixes []struct{ Prefix string }
	}
	decode(t, out, &got)
	var prefixes []string
	for _, p := range got.CommonPrefixes {
		prefixes = append(prefixes, p.Prefix)
	}
	if strings.Join(prefixes, ",") != "a/,b/,d/" || len(got.Contents) != 1 ||
		got.Contents[0].Key != "c" {
		t.Errorf("prefixes %v contents %+v; want a/,b/,d/ and c", prefixes, got.Contents)
	}
}

// TestPreflight sends the browser's CORS preflight for the cache bucket.
func TestPreflight(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	s3 := srv.S3()
	if err := s3.CreateBucket(cache, "us-west-2"); err != nil {
		t.Fatal(err)
	}
	if err := s3.PutBucketCORS(cache, guideCORSXML); err != nil {
		t.Fatal(err)
	}
	t.Run("org origin", func(t *testing.T) {
		resp := preflight(t, srv, "https://acme.slateo.ai", "GET")
		want := map[string]string{
			"Access-Control-Allow-Origin":      "https://acme.slateo.ai",
			"Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods":     "GET, HEAD",
			"Access-Control-Expose-Headers":    "ETag",
			"Access-Control-Max-Age":           "3600",
			"Vary": "Origin, Access-Control-Request-Headers, " +
				"Access-Control-Request-Method",
			"Access-Control-Allow-Headers": "",
			"Content-Type":                 "",
		}
		if resp.status != http.StatusOK {
			t.Fatalf("status %d, want 200; body %s", resp.status, resp.body)
		}
		for name, v := range want {
			if got := resp.header.Get(name); got != v {
				t.Errorf("%s = %q, want %q", name, got, v)
			}
		}
	})
	t.Run("unlisted origin", func(t *testing.T) {
		resp := preflight(t, srv, "https://evil.example.com", "GET")
		if resp.status != http.StatusForbidden ||
			!strings.Contains(resp.body, "<Code>AccessForbidden</Code>") ||
			!strings.Contains(resp.body, "CORSResponse: This CORS request is not allowed.") ||
			!strings.Contains(resp.body, "<Method>GET</Method>") ||
			!strings.Contains(resp.body, "<ResourceType>OBJECT</ResourceType>") {
			t.Errorf("status %d body %s; want S3's 403 AccessForbidden", resp.status, resp.body)
		}
		if resp.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("refused preflight carries Access-Control-Allow-Origin")
		}
	})
}

const guideCORSXML = `<CORSConfiguration><CORSRule><AllowedHeader>*</AllowedHeader>` +
	`<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>` +
	`<AllowedOrigin>https://*.slateo.ai</AllowedOrigin>` +
	`<AllowedOrigin>https://slateo.ai</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>` +
	`<MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`

type response struct {
	status int
	header http.Header
	body   string
}

func preflight(t *testing.T, srv *sandbox.Server, origin, method string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodOptions,
		srv.URL()+"/"+cache+"/org-1/query-cache/parquet/r.parquet", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body.String()}
}

// TestCLICopyLarge copies a file above the CLI's multipart threshold (8 MiB) up and down:
// the upload goes in parts and the download in ranged reads.
func TestCLICopyLarge(t *testing.T) {
	t.Parallel()
	sandboxtest.AWSCLI(t)
	log := &syncWriter{w: &bytes.Buffer{}}
	srv := sandboxtest.Start(t, sandbox.Options{Log: log})
	if err := srv.S3().CreateBucket(uploads, "us-west-2"); err != nil {
		t.Fatal(err)
	}
	content := make([]byte, 17<<20)
	for i := range content {
		content[i] = byte(i * 7 % 251)
	}
	src := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(src, content, 0o600); err != nil {
		t.Fatal(err)
	}
	sandboxtest.MustCLI(t, srv, "s3", "cp", src, "s3://"+uploads+"/org-1/uploads/big.bin")
	if got, _ := srv.S3().Object(uploads, "org-1/uploads/big.bin"); !bytes.Equal(got, content) {
		t.Fatalf("stored %d bytes, want the %d uploaded", len(got), len(content))
	}
	if !strings.Contains(log.String(), `"operation":"CompleteMultipartUpload"`) {
		t.Error("the upload did not go in parts")
	}
	dst := filepath.Join(t.TempDir(), "back.bin")
	sandboxtest.MustCLI(t, srv, "s3", "cp", "s3://"+uploads+"/org-1/uploads/big.bin", dst)
	if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("downloaded %d bytes (%v), want %d", len(got), err, len(content))
	}
}
