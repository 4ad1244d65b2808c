package s3sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// FuzzNormalizePolicy checks that what S3 hands back for an accepted policy is valid JSON,
// is accepted again, and does not change when normalised twice.
func FuzzNormalizePolicy(f *testing.F) {
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	f.Add(`{"Version":"2012-10-17","Statement":{"Principal":{"AWS":["1","<&>"]}},"x":1e3}`)
	f.Add(" {\"a\":[true,false,null,\"\\u2028\"]}")
	f.Fuzz(func(t *testing.T, text string) {
		if _, err := parsePolicy(text); err != nil {
			return
		}
		once := normalizePolicy(text)
		if !json.Valid([]byte(once)) {
			t.Fatalf("normalised %q into invalid JSON %q", text, once)
		}
		if _, err := parsePolicy(once); err != nil {
			t.Fatalf("normalised policy %q refused: %v", once, err)
		}
		if twice := normalizePolicy(once); twice != once {
			t.Fatalf("normalising twice changed %q into %q", once, twice)
		}
	})
}

// FuzzAWSChunked checks that any payload encoded in any chunk size decodes back to itself,
// and that decoding arbitrary bytes never panics.
func FuzzAWSChunked(f *testing.F) {
	f.Add([]byte("hello world"), uint8(3))
	f.Add([]byte{}, uint8(1))
	f.Add([]byte("0\r\n\r\n"), uint8(200))
	f.Fuzz(func(t *testing.T, payload []byte, size uint8) {
		_, _, _ = decodeAWSChunked(payload)
		n := int(size%64) + 1
		var enc bytes.Buffer
		for rest := payload; len(rest) > 0; {
			k := min(n, len(rest))
			fmt.Fprintf(&enc, "%x;chunk-signature=0\r\n", k)
			enc.Write(rest[:k])
			enc.WriteString("\r\n")
			rest = rest[k:]
		}
		sum, _ := checksumOf("crc32", payload)
		enc.WriteString("0\r\nx-amz-checksum-crc32:" + sum + "\r\n\r\n")
		got, trailers, err := decodeAWSChunked(enc.Bytes())
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("decoded %q (%v), want %q", got, err, payload)
		}
		if trailers.Get("x-amz-checksum-crc32") != sum {
			t.Fatalf("trailer %q, want %q", trailers.Get("x-amz-checksum-crc32"), sum)
		}
	})
}

// FuzzGlobMatch checks wildcard matching against its plain meaning on patterns without
// wildcards, and that "*" always matches.
func FuzzGlobMatch(f *testing.F) {
	f.Add("s3:get*", "s3:getobject")
	f.Add("arn:aws:s3:::b/?", "arn:aws:s3:::b/x")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := globMatch(pattern, s)
		if !strings.ContainsAny(pattern, "*?") && got != (pattern == s) {
			t.Fatalf("globMatch(%q, %q) = %v", pattern, s, got)
		}
		if !globMatch("*", s) || !globMatch(s+"*", s+pattern) {
			t.Fatalf("a trailing * failed to match %q", s)
		}
	})
}

// FuzzByteRange checks that every Range header gives a span inside the object or an error.
func FuzzByteRange(f *testing.F) {
	f.Add(10, "bytes=2-4")
	f.Add(0, "bytes=-5")
	f.Add(3, "bytes=9-")
	f.Fuzz(func(t *testing.T, n int, header string) {
		if n < 0 || n > 1<<20 {
			return
		}
		start, end, status, err := byteRange(n, header)
		if err == nil && (start < 0 || end > n || start > end || status == 0) {
			t.Fatalf("byteRange(%d, %q) = %d, %d, %d", n, header, start, end, status)
		}
	})
}
