package ui

import (
	"fmt"
	"testing"
	"time"

	"slateo-s3/model"
)

// BenchmarkChecklistView shows that drawing the checklist costs the same with 100 rows as
// with 10,000: only the rows in the visible window are rendered.
func BenchmarkChecklistView(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			checks := make([]model.Check, n)
			statuses := model.Statuses
			for i := range checks {
				checks[i] = model.Check{ID: fmt.Sprintf("check-%05d", i),
					Bucket: acme.CacheBucketName(), Status: statuses[i%len(statuses)],
					Summary: "a summary that is long enough to be cut at the edge of the screen",
					Detail:  "detail", Fix: "aws s3api put-bucket-cors --bucket acme-slateo-cache"}
			}
			fb := &fakeBackend{}
			m := manual(b, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow},
				120, 40)
			m = withChecks(b, m, fb, checks)
			m = drive(b, m, keys("pgdown", "pgdown")...)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_ = m.View()
			}
		})
	}
}

// BenchmarkEventsView shows the same for the Events screen: a window of 10,000 denials
// draws as fast as one of 100.
func BenchmarkEventsView(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			m := newTestEvents(&searchBackend{})
			m.events = make([]model.Event, n)
			for i := range m.events {
				m.events[i] = denial(fmt.Sprintf("e%05d", i), "GetObject", evUploadsKey,
					testTime.Add(-time.Duration(i)*time.Second))
			}
			m.cursor, m.offset = n/2, n/2
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_ = m.View()
			}
		})
	}
}
