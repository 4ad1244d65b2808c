package s3sim

import (
	"crypto/md5"
	"encoding/hex"
	"sort"
	"time"
)

func newObject(body []byte, contentType string, now time.Time) *object {
	sum := md5.Sum(body)
	if contentType == "" {
		contentType = "binary/octet-stream"
	}
	return &object{
		Body:         body,
		ETag:         `"` + hex.EncodeToString(sum[:]) + `"`,
		LastModified: now.UTC().Truncate(time.Second),
		ContentType:  contentType,
	}
}

func (s *Service) putObject(name, key string, o *object) *Error {
	if key == "" || len(key) > 1024 {
		return newError(400, "KeyTooLongError", "Your key is too long")
	}
	return s.storeObject(name, key, o)
}

// sortedKeys returns the bucket's keys in S3's order (UTF-8 bytes); the caller holds s.mu.
func (b *bucket) sortedKeys() []string {
	keys := make([]string, 0, len(b.Objects))
	for k := range b.Objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// storeObject stores an object encrypted with the bucket's default encryption.
func (s *Service) storeObject(name, key string, o *object) *Error {
	return s.update(name, func(b *bucket) *Error {
		o.SSE, o.SSEKey = b.Encryption.Algorithm, b.Encryption.KMSKeyID
		b.Objects[key] = o
		return nil
	})
}
