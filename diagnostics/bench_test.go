package diagnostics

import (
	"testing"

	"slateo-s3/model"
)

// BenchmarkChecklist measures one full checklist of a healthy SSE-KMS account, the work the
// console redoes after every inspection.
func BenchmarkChecklist(b *testing.B) {
	s := healthyState()
	for b.Loop() {
		Checklist(s)
	}
}

// BenchmarkChecklistLargePolicy measures a checklist whose bucket policies hold many
// partner statements with conditions, close to S3's 20 KB limit.
func BenchmarkChecklistLargePolicy(b *testing.B) {
	s := healthyState()
	doc := largePolicy(cacheBucket, 60)
	s.Buckets[0].Policy = model.Known(largePolicy(uploadsBucket, 60))
	s.Buckets[1].Policy = model.Known(doc)
	for b.Loop() {
		Checklist(s)
	}
}
