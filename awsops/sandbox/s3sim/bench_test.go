package s3sim

import (
	"fmt"
	"testing"
)

// BenchmarkGetBucketPolicy measures one policy read, the call the console makes most.
func BenchmarkGetBucketPolicy(b *testing.B) {
	s := newTestService(b)
	if err := s.CreateBucket("bkt", "us-west-2"); err != nil {
		b.Fatal(err)
	}
	policy := policyOf(statement("Allow", `{"AWS":"`+role+`"}`, `"s3:ListBucket"`,
		`"arn:aws:s3:::bkt"`))
	if err := s.PutBucketPolicy("bkt", policy); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		w := serve(s, request("GET", "/bkt?policy", "us-west-2", ""))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkListObjectsV2 measures a page of 1000 keys from a bucket of 10000.
func BenchmarkListObjectsV2(b *testing.B) {
	s := newTestService(b)
	if err := s.CreateBucket("bkt", "us-west-2"); err != nil {
		b.Fatal(err)
	}
	for i := range 10000 {
		if err := s.PutObject("bkt", fmt.Sprintf("org/k%05d", i), nil); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		w := serve(s, request("GET", "/bkt?list-type=2&prefix=org/&encoding-type=url",
			"us-west-2", ""))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}
