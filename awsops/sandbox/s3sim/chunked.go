package s3sim

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// isAWSChunked reports whether a body uses the aws-chunked content encoding, as SigV4
// streaming uploads and uploads with trailing checksums do.
func isAWSChunked(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") ||
		strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-")
}

func errIncompleteBody() *Error {
	return newError(http.StatusBadRequest, "IncompleteBody",
		"The request body terminated unexpectedly")
}

// decodeAWSChunked decodes "size[;chunk-signature=...]\r\n data \r\n ... 0\r\n trailers
// \r\n" into the payload and its trailing headers. Chunk signatures are not checked: the
// sandbox accepts any credentials.
func decodeAWSChunked(data []byte) ([]byte, http.Header, *Error) {
	rd := bufio.NewReader(bytes.NewReader(data))
	var out bytes.Buffer
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return nil, nil, errIncompleteBody()
		}
		sizeText, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		size, perr := strconv.ParseInt(sizeText, 16, 64)
		if perr != nil || size < 0 {
			return nil, nil, errIncompleteBody()
		}
		if size == 0 {
			break
		}
		if _, err := io.CopyN(&out, rd, size); err != nil {
			return nil, nil, errIncompleteBody()
		}
		if crlf, err := rd.ReadString('\n'); err != nil || strings.TrimSpace(crlf) != "" {
			return nil, nil, errIncompleteBody()
		}
	}
	trailers, err := textproto.NewReader(rd).ReadMIMEHeader()
	if err != nil && err != io.EOF {
		return nil, nil, errIncompleteBody()
	}
	return out.Bytes(), http.Header(trailers), nil
}

var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checksumOf computes a flexible checksum as S3 encodes it (base64 of the big-endian sum).
func checksumOf(algorithm string, data []byte) (string, bool) {
	var sum []byte
	switch algorithm {
	case "crc32":
		sum = binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(data))
	case "crc32c":
		sum = binary.BigEndian.AppendUint32(nil,
			crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))
	case "crc64nvme":
		sum = binary.BigEndian.AppendUint64(nil, crc64.Checksum(data, crc64NVME))
	case "sha1":
		s := sha1.Sum(data)
		sum = s[:]
	case "sha256":
		s := sha256.Sum256(data)
		sum = s[:]
	default:
		return "", false
	}
	return base64.StdEncoding.EncodeToString(sum), true
}

var checksumAlgorithms = []string{"crc32", "crc32c", "crc64nvme", "sha1", "sha256"}

// verifyChecksums checks Content-MD5 and every x-amz-checksum-* value sent in the headers
// or the aws-chunked trailers against the payload, answering BadDigest on a mismatch.
func verifyChecksums(headers, trailers http.Header, data []byte) *Error {
	if md := headers.Get("Content-MD5"); md != "" {
		want, err := base64.StdEncoding.DecodeString(md)
		got := md5.Sum(data)
		if err != nil || len(want) != md5.Size {
			return newError(http.StatusBadRequest, "InvalidDigest",
				"The Content-MD5 you specified was invalid.")
		}
		if !bytes.Equal(want, got[:]) {
			return newError(http.StatusBadRequest, "BadDigest",
				"The Content-MD5 you specified did not match what we received.")
		}
	}
	for _, alg := range checksumAlgorithms {
		name := "x-amz-checksum-" + alg
		sent := headers.Get(name)
		if v := trailers.Get(name); v != "" {
			sent = v
		}
		if sent == "" {
			continue
		}
		if got, _ := checksumOf(alg, data); got != sent {
			return newError(http.StatusBadRequest, "BadDigest", "The "+
				strings.ToUpper(alg)+" you specified did not match the calculated checksum.")
		}
	}
	return nil
}

// sentChecksums returns the verified x-amz-checksum-* values of an upload, to be echoed on
// reads with checksum mode on.
func sentChecksums(r *http.Request, data []byte) map[string]string {
	out := map[string]string{}
	for _, alg := range checksumAlgorithms {
		name := "x-amz-checksum-" + alg
		if r.Header.Get(name) != "" || strings.Contains(
			strings.ToLower(r.Header.Get("X-Amz-Trailer")), name) {
			out[name], _ = checksumOf(alg, data)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
