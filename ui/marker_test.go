package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// linesWith returns the lines of view that contain text.
func linesWith(view, text string) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		if strings.Contains(l, text) {
			out = append(out, l)
		}
	}
	return out
}

func TestSelectedRowHasAMarkerWithoutColour(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetColorProfile(termenv.TrueColor)
	calls := &fixedCalls{calls: []awsops.Call{
		{Time: testTime, Service: "STS", Operation: "GetCallerIdentity", Result: "OK"},
		{Time: testTime.Add(time.Second), Service: "S3", Operation: "GetBucketPolicy",
			Target: "acme-slateo-cache", Result: "OK"},
	}}
	b := &searchBackend{pages: []awsops.EventPage{{Source: awsops.SourceLookup, Events: []model.Event{
		denial("e1", "GetObject", evUploadsKey, testTime.Add(-2*time.Hour)),
		denial("e2", "ListObjects", "arn:aws:s3:::acme-slateo-cache", testTime.Add(-time.Hour)),
	}}}}
	m := manual(t, Options{Settings: acme, Connect: b.connector(), Now: fixedNow, Log: calls,
		NoColor: true}, 100, 30)
	m = drive(t, m, inspectedMsg{gen: m.(Model).gen, backend: b, checks: handChecks(),
		state: model.State{Settings: acme}})
	tests := []struct {
		name     string
		keys     []string
		selected string
		not      string
	}{
		{"log", []string{"5", "down"}, "GetCallerIdentity", "GetBucketPolicy"},
		{"events", []string{"6", "s"}, "ListObjects", "12-04 13:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			view := drive(t, m, keys(tt.keys...)...).View()
			sel, other := linesWith(view, tt.selected), linesWith(view, tt.not)
			if len(sel) != 1 || !strings.HasPrefix(sel[0], "› ") {
				t.Errorf("the selected row has no › marker: %q\n%s", sel, view)
			}
			if len(other) != 1 || !strings.HasPrefix(other[0], "  ") {
				t.Errorf("an unselected row is not indented like the selected one: %q", other)
			}
		})
	}
}

func TestEventsColumnsStayAlignedWithAForeignBucket(t *testing.T) {
	b := &searchBackend{pages: []awsops.EventPage{{Source: awsops.SourceLookup,
		Events: []model.Event{
			denial("e1", "GetObject", evUploadsKey, testTime.Add(-2*time.Hour)),
			denial("e2", "GetObject", "arn:aws:s3:::another-teams-very-long-bucket-name/k",
				testTime.Add(-time.Hour)),
		}}}}
	m, _ := driveEvents(t, newTestEvents(b), keys("s")...)
	view := m.view()
	rows := linesWith(view, "12-04 1")
	if len(rows) != 2 {
		t.Fatalf("want two rows:\n%s", view)
	}
	if !strings.Contains(rows[0], " another… ") {
		t.Errorf("the foreign bucket is not cut to its column: %q", rows[0])
	}
	// The check column starts at the same cell on both rows.
	a := strings.Index(rows[0], "bucket-exists")
	c := strings.Index(rows[1], "policy-principal")
	if a < 0 || ansi.StringWidth(rows[0][:a]) != ansi.StringWidth(rows[1][:c]) {
		t.Errorf("the columns are out of line:\n%s\n%s", rows[0], rows[1])
	}
}
