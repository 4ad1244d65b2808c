package ui

import (
	"fmt"
	"strings"
	"testing"

	"slateo-s3/model"
)

// manyChecks are n passing checks on the uploads bucket, each with its own id.
func manyChecks(n int) []model.Check {
	out := make([]model.Check, n)
	for i := range out {
		out[i] = model.Check{ID: fmt.Sprintf("check-%02d", i), Bucket: acme.UploadsBucketName(),
			Status: model.Pass, Summary: "fine"}
	}
	return out
}

func TestChecklistUsesATallScreen(t *testing.T) {
	tests := []struct {
		w, h, checks int
		// rows is how many checks the list must show.
		rows int
	}{
		{80, 24, 30, 8},
		{120, 50, 30, 30},
		{120, 60, 30, 30},
		{120, 40, 30, 22},
		{200, 50, 30, 30},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			fb := &fakeBackend{}
			m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow},
				tt.w, tt.h)
			m = withChecks(t, m, fb, manyChecks(tt.checks))
			view := m.View()
			assertScreen(t, view, tt.w, tt.h)
			if got := strings.Count(view, "✓ pass"); got != tt.rows+1 {
				t.Errorf("the list shows %d rows, want %d:\n%s", got-1, tt.rows, view)
			}
			if !strings.Contains(view, "details of check-00") {
				t.Errorf("no detail pane:\n%s", view)
			}
		})
	}
}
