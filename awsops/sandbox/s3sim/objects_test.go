package s3sim

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"
)

func crc32Of(s string) string {
	return base64.StdEncoding.EncodeToString(
		binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE([]byte(s))))
}

// chunked encodes body as aws-chunked with a trailing checksum header, as the CLI v2 and
// the SDK send uploads.
func chunked(body, trailerName, trailerValue string) string {
	var b strings.Builder
	for len(body) > 0 {
		n := min(len(body), 5)
		fmt.Fprintf(&b, "%x;chunk-signature=abc\r\n%s\r\n", n, body[:n])
		body = body[n:]
	}
	b.WriteString("0\r\n")
	if trailerName != "" {
		b.WriteString(trailerName + ":" + trailerValue + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

func TestPutObjectBodies(t *testing.T) {
	const body = "org-1,query,result\n"
	sum := md5.Sum([]byte(body))
	goodMD5 := base64.StdEncoding.EncodeToString(sum[:])
	other := md5.Sum([]byte("other"))
	wrongMD5 := base64.StdEncoding.EncodeToString(other[:])
	tests := []struct {
		name    string
		body    string
		headers []string
		status  int
		code    string
	}{
		{"plain", body, nil, 200, ""},
		{"content-md5", body, []string{"Content-MD5", goodMD5}, 200, ""},
		{"wrong content-md5", body, []string{"Content-MD5", wrongMD5},
			400, "BadDigest"},
		{"broken content-md5", body, []string{"Content-MD5", "!!"}, 400, "InvalidDigest"},
		{"crc32 header", body, []string{"x-amz-checksum-crc32", crc32Of(body)}, 200, ""},
		{"wrong crc32 header", body, []string{"x-amz-checksum-crc32", crc32Of("other")},
			400, "BadDigest"},
		{"aws-chunked with trailer", chunked(body, "x-amz-checksum-crc32", crc32Of(body)),
			[]string{"Content-Encoding", "aws-chunked", "X-Amz-Trailer", "x-amz-checksum-crc32",
				"X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, 200, ""},
		{"aws-chunked with wrong trailer", chunked(body, "x-amz-checksum-crc32",
			crc32Of("x")), []string{"Content-Encoding", "aws-chunked"}, 400, "BadDigest"},
		{"signed streaming", chunked(body, "", ""), []string{"X-Amz-Content-Sha256",
			"STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}, 200, ""},
		{"truncated chunks", "10;chunk-signature=abc\r\nshort", []string{"Content-Encoding",
			"aws-chunked"}, 400, "IncompleteBody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(t)
			mustCreate(t, s, "bkt", "us-west-2")
			var contains []string
			if tt.code != "" {
				contains = []string{"<Code>" + tt.code + "</Code>"}
			}
			run(t, s, step{method: "PUT", target: "/bkt/org-1/a.csv", body: tt.body,
				headers: tt.headers, status: tt.status, contains: contains})
			got, ok := s.Object("bkt", "org-1/a.csv")
			if tt.status == 200 && (!ok || string(got) != body) {
				t.Errorf("stored %q (%v), want %q", got, ok, body)
			}
			if tt.status != 200 && ok {
				t.Errorf("a refused upload was stored")
			}
		})
	}
}

func TestChecksumAlgorithms(t *testing.T) {
	tests := []struct{ alg, input, want string }{
		{"crc64nvme", "123456789", "rosUhgp5mIg="},
		{"crc32c", "123456789", "4waSgw=="},
		{"sha256", "", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			if got, _ := checksumOf(tt.alg, []byte(tt.input)); got != tt.want {
				t.Errorf("checksum = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGetObject(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	run(t, s,
		step{method: "PUT", target: "/bkt/k.txt", body: "0123456789", status: 200,
			headers: []string{"Content-Type", "text/plain", "x-amz-meta-org", "acme",
				"x-amz-checksum-crc32", crc32Of("0123456789")}},
		step{method: "GET", target: "/bkt/k.txt", status: 200, contains: []string{
			"0123456789", "Content-Type: text/plain", "x-amz-meta-org: acme",
			"x-amz-server-side-encryption: AES256",
			`ETag: "781e5e245d69b566979b86e28d23f2c7"`,
			"Last-Modified: Fri, 04 Dec 2026 15:00:00 GMT"}},
		step{method: "GET", target: "/bkt/k.txt", status: 200, headers: []string{
			"x-amz-checksum-mode", "ENABLED"},
			contains: []string{"x-amz-checksum-crc32: " + crc32Of("0123456789")}},
		step{method: "GET", target: "/bkt/k.txt", status: 206,
			headers:  []string{"Range", "bytes=2-4"},
			contains: []string{"Content-Range: bytes 2-4/10", "Content-Length: 3"}},
		step{method: "GET", target: "/bkt/k.txt", status: 206,
			headers: []string{"Range", "bytes=-3"}, contains: []string{"789"}},
		step{method: "GET", target: "/bkt/k.txt", status: 416,
			headers: []string{"Range", "bytes=20-"}, contains: []string{"InvalidRange"}},
		step{method: "HEAD", target: "/bkt/k.txt", status: 200,
			contains: []string{"Content-Length: 10"}},
		step{method: "GET", target: "/bkt/nokey", status: 404, contains: []string{
			"<Code>NoSuchKey</Code>", "<Key>nokey</Key>"}},
		step{method: "HEAD", target: "/bkt/nokey", status: 404},
		step{method: "GET", target: "/nobucket/k", status: 404,
			contains: []string{"NoSuchBucket"}},
		step{method: "DELETE", target: "/bkt/k.txt", status: 204},
		step{method: "DELETE", target: "/bkt/k.txt", status: 204},
		step{method: "POST", target: "/bkt?delete", status: 200, body: "<Delete><Object>" +
			"<Key>a</Key></Object></Delete>", contains: []string{"<Deleted><Key>a</Key>"}},
	)
	w := serve(s, request("HEAD", "/bkt/nokey", "us-west-2", ""))
	if w.Body.Len() != 0 {
		t.Errorf("HEAD error carries a body: %s", w.Body)
	}
	if s.env.Journal.Len() != 0 {
		t.Error("object calls were recorded as management events")
	}
}

func TestListObjects(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	for _, k := range []string{"a/1", "a/2", "b/x y+z", "c", "d/e/f"} {
		if err := s.PutObject("bkt", k, []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	token := "&continuation-token=" + base64.RawURLEncoding.EncodeToString([]byte("a/1"))
	run(t, s,
		step{method: "GET", target: "/bkt?list-type=2&encoding-type=url", status: 200,
			contains: []string{"<Key>b/x+y%2Bz</Key>", "<EncodingType>url</EncodingType>",
				"<KeyCount>5</KeyCount>", "<IsTruncated>false</IsTruncated>",
				"<Prefix></Prefix>", "<MaxKeys>1000</MaxKeys>",
				"<StorageClass>STANDARD</StorageClass>"}},
		step{method: "GET", target: "/bkt?list-type=2&delimiter=/&max-keys=2", status: 200,
			contains: []string{"<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>",
				"<CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>",
				"<IsTruncated>true</IsTruncated>", "<NextContinuationToken>" +
					base64.RawURLEncoding.EncodeToString([]byte("b/")) + "<"}},
		step{method: "GET", target: "/bkt?list-type=2&delimiter=/&continuation-token=" +
			base64.RawURLEncoding.EncodeToString([]byte("b/")), status: 200,
			contains: []string{"<Key>c</Key>", "<Prefix>d/</Prefix>", "<KeyCount>2</KeyCount>"}},
		step{method: "GET", target: "/bkt?list-type=2&prefix=a/" + token, status: 200,
			contains: []string{"<Key>a/2</Key>", "<KeyCount>1</KeyCount>"}},
		step{method: "GET", target: "/bkt?list-type=2&start-after=c", status: 200,
			contains: []string{"<Key>d/e/f</Key>", "<StartAfter>c</StartAfter>"}},
		step{method: "GET", target: "/bkt?list-type=2&continuation-token=%25%25", status: 400,
			contains: []string{"The continuation token provided is incorrect"}},
		step{method: "GET", target: "/bkt?list-type=2&max-keys=lots", status: 400,
			contains: []string{"InvalidArgument"}},
		step{method: "GET", target: "/bkt?list-type=2&encoding-type=base64", status: 400,
			contains: []string{"Invalid Encoding Method specified in Request"}},
		step{method: "GET", target: "/bkt?marker=b&max-keys=1&delimiter=/", status: 200,
			contains: []string{"<Marker>b</Marker>", "<Prefix>b/</Prefix>",
				"<NextMarker>b/</NextMarker>"}},
		step{method: "GET", target: "/nobucket?list-type=2", status: 404,
			contains: []string{"NoSuchBucket"}},
	)
	if got := strings.Join(s.ListKeys("bkt", "a/"), ","); got != "a/1,a/2" {
		t.Errorf("ListKeys = %s, want a/1,a/2", got)
	}
}

func TestOperation(t *testing.T) {
	s := newTestService(t)
	tests := []struct {
		method, target, op, bucket string
		headers                    []string
	}{
		{"GET", "/", "ListBuckets", "", nil},
		{"PUT", "/b", "CreateBucket", "b", nil},
		{"HEAD", "/b", "HeadBucket", "b", nil},
		{"DELETE", "/b", "DeleteBucket", "b", nil},
		{"GET", "/b?policy", "GetBucketPolicy", "b", nil},
		{"GET", "/b?policyStatus", "GetBucketPolicyStatus", "b", nil},
		{"PUT", "/b?publicAccessBlock", "PutPublicAccessBlock", "b", nil},
		{"DELETE", "/b?cors", "DeleteBucketCors", "b", nil},
		{"GET", "/b?location", "GetBucketLocation", "b", nil},
		{"GET", "/b?list-type=2&prefix=x", "ListObjectsV2", "b", nil},
		{"GET", "/b", "ListObjects", "b", nil},
		{"PUT", "/b/k/x", "PutObject", "b", nil},
		{"PUT", "/b/k", "CopyObject", "b", []string{"x-amz-copy-source", "/a/b"}},
		{"GET", "/b/k", "GetObject", "b", nil},
		{"HEAD", "/b/k", "HeadObject", "b", nil},
		{"OPTIONS", "/b/k", "PreflightRequest", "b", nil},
		{"POST", "/b?delete", "DeleteObjects", "b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			op, bucket := s.Operation(request(tt.method, tt.target, "us-west-2", "",
				tt.headers...))
			if op != tt.op || bucket != tt.bucket {
				t.Errorf("Operation = %s, %s; want %s, %s", op, bucket, tt.op, tt.bucket)
			}
		})
	}
	w := serve(s, request("PUT", "/b/k", "us-west-2", "", "x-amz-copy-source", "/a/b"))
	if w.Code != http.StatusNotImplemented {
		t.Errorf("CopyObject status %d, want 501 NotImplemented", w.Code)
	}
}

func TestStateRoundTrip(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "eu-west-1")
	steps := []error{
		s.PutBucketCORS("bkt", guideRule),
		s.PutBucketEncryption("bkt", "aws:kms", "alias/slateo"),
		s.PutBucketVersioning("bkt", "Enabled"),
		s.PutPublicAccessBlock("bkt", true, false, true, false),
		s.PutObject("bkt", "k", []byte("body")),
		s.PutBucketPolicy("bkt", policyOf(statement("Allow", `{"AWS":"`+role+`"}`,
			`"s3:ListBucket"`, `"arn:aws:s3:::bkt"`))),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("setup step %d: %v", i, err)
		}
	}
	raw, err := s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	back := newTestService(t)
	if err := back.LoadState(raw); err != nil {
		t.Fatal(err)
	}
	again, err := back.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(raw) {
		t.Errorf("state changed in the round trip:\n%s\n%s", raw, again)
	}
	run(t, back, step{method: "GET", target: "/bkt?versioning", region: "eu-west-1",
		status: 200, contains: []string{"<Status>Enabled</Status>"}})
	if err := back.LoadState([]byte(`{"buckets":[{"region":"x"}]}`)); err == nil {
		t.Error("LoadState accepted a bucket without a name")
	}
}

func TestMultipartUpload(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	w := serve(s, request("POST", "/bkt/big.bin?uploads", "us-west-2", ""))
	var init initiateResultXML
	if w.Code != 200 || xml.Unmarshal(w.Body.Bytes(), &init) != nil || init.UploadID == "" {
		t.Fatalf("CreateMultipartUpload: %d %s", w.Code, w.Body)
	}
	id := init.UploadID
	part := func(n int, body string) string {
		w := serve(s, request("PUT", fmt.Sprintf("/bkt/big.bin?partNumber=%d&uploadId=%s",
			n, id), "us-west-2", body))
		if w.Code != 200 {
			t.Fatalf("UploadPart %d: %d %s", n, w.Code, w.Body)
		}
		return w.Header().Get("ETag")
	}
	e1, e2 := part(1, "hello "), part(2, "world")
	complete := func(parts ...string) string {
		doc := "<CompleteMultipartUpload>"
		for i := 0; i+1 < len(parts); i += 2 {
			doc += "<Part><PartNumber>" + parts[i] + "</PartNumber><ETag>" + parts[i+1] +
				"</ETag></Part>"
		}
		return doc + "</CompleteMultipartUpload>"
	}
	target := "/bkt/big.bin?uploadId=" + id
	run(t, s,
		step{method: "POST", target: target, body: complete("2", e2, "1", e1), status: 400,
			contains: []string{"InvalidPartOrder"}},
		step{method: "POST", target: target, body: complete("1", e1, "3", e2), status: 400,
			contains: []string{"InvalidPart"}},
		step{method: "POST", target: target, body: complete("1", e1, "2", e2), status: 200,
			contains: []string{"<Key>big.bin</Key>", "-2&#34;</ETag>"}},
		step{method: "POST", target: target, body: complete("1", e1), status: 404,
			contains: []string{"<Code>NoSuchUpload</Code>"}},
		step{method: "DELETE", target: target, status: 404},
	)
	if got, _ := s.Object("bkt", "big.bin"); string(got) != "hello world" {
		t.Errorf("assembled object = %q, want hello world", got)
	}
}
