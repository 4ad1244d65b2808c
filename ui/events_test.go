package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

const (
	evOrgSession = "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/q"
	evUploadsKey = "arn:aws:s3:::acme-slateo-uploads/org-1/uploads/a.csv"
)

// searchBackend is a fakeBackend that also searches CloudTrail: it sends its pages, then,
// when block is set, waits for the search to be cancelled.
type searchBackend struct {
	fakeBackend
	pages []awsops.EventPage
	block bool
	query awsops.EventQuery
}

func (b *searchBackend) FindDenials(ctx context.Context, q awsops.EventQuery,
	pages chan<- awsops.EventPage) error {
	b.query = q
	for _, p := range b.pages {
		select {
		case pages <- p:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if b.block {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

func eventsCommon(b Backend) *common {
	return &common{width: 120, height: 30, bodyW: 120, bodyH: 20,
		styles: newStyles(true), keys: newKeyMap(),
		now:      func() time.Time { return testTime },
		settings: model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"},
		ctx:      context.Background(), backend: b,
		checks: []model.Check{{ID: "policy-principal", Bucket: "acme-slateo-uploads",
			Status: model.Fail, Summary: "no Allow statement names the org role"}},
	}
}

func newTestEvents(b Backend) eventsModel {
	return newEventsScreen(Env{c: eventsCommon(b)}).(eventsModel)
}

func denial(id, name, resource string, at time.Time) model.Event {
	return model.Event{ID: id, Time: at, Source: "s3.amazonaws.com", Name: name,
		Principal: evOrgSession, Resource: resource, ErrorCode: "AccessDenied",
		ErrorMessage: "Access Denied",
		Record: `{"eventName":"` + name + `","eventID":"` + id +
			`","errorCode":"AccessDenied"}`}
}

// driveEvents feeds msgs to the Events screen and runs the commands they return until none
// is left; messages for other screens are returned.
func driveEvents(t *testing.T, m eventsModel, msgs ...tea.Msg) (eventsModel, []tea.Msg) {
	t.Helper()
	var others []tea.Msg
	for steps := 0; len(msgs) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("the Events screen never settled")
		}
		msg := msgs[0]
		msgs = msgs[1:]
		switch msg.(type) {
		case switchScreenMsg, noticeMsg:
			others = append(others, msg)
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.update(msg)
		msgs = append(msgs, runCmd(cmd)...)
	}
	return m, others
}

func TestEventsScreenStreamsAndDiagnoses(t *testing.T) {
	b := &searchBackend{pages: []awsops.EventPage{
		{Source: awsops.SourceLookup, Pages: 1, Scanned: 50,
			Covered: testTime.Add(-3 * time.Hour), Events: []model.Event{
				denial("e1", "GetObject", evUploadsKey, testTime.Add(-2*time.Hour))}},
		{Source: awsops.SourceTrailLogs, Pages: 2, Scanned: 61, Events: []model.Event{
			denial("e2", "ListObjects", "arn:aws:s3:::acme-slateo-cache",
				testTime.Add(-time.Hour))}},
	}}
	m, _ := driveEvents(t, newTestEvents(b), keys("s")...)
	view := m.view()

	for _, want := range []string{"done: 2 pages, 61 records, 2 denials",
		"event history read back to 2026-12-04 12:00", "policy-principal",
		"Slateo was denied GetObject", "policy-resources", "enable S3 data events"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.Index(view, "ListObjects") > strings.Index(view, "GetObject") {
		t.Errorf("the newer event is not listed first:\n%s", view)
	}
	if !b.query.End.Equal(testTime) || b.query.End.Sub(b.query.Start) != eventsWindow {
		t.Errorf("searched %s to %s, want the last 24 hours", b.query.Start, b.query.End)
	}
}

func TestEventsScreenStopKeepsWhatWasFound(t *testing.T) {
	b := &searchBackend{block: true, pages: []awsops.EventPage{{Source: awsops.SourceLookup,
		Pages: 1, Scanned: 50, Events: []model.Event{
			denial("e1", "GetObject", evUploadsKey, testTime.Add(-time.Hour))}}}}
	m := newTestEvents(b)

	m, cmd := m.update(keys("s")[0])
	m, cmd = m.update(runCmd(cmd)[0]) // started
	m, cmd = m.update(runCmd(cmd)[0]) // the first page
	if !strings.Contains(m.view(), "searching: 1 pages") {
		t.Errorf("no progress while searching:\n%s", m.view())
	}
	pending := cmd
	m, _ = m.update(tea.KeyMsg{Type: tea.KeyEsc})
	m, _ = driveEvents(t, m, runCmd(pending)...)

	view := m.view()
	if !strings.Contains(view, "stopped: 1 pages, 50 records, 1 denials") ||
		!strings.Contains(view, "GetObject") || strings.Contains(view, "failed") {
		t.Errorf("after stopping the view should keep the event and say stopped:\n%s", view)
	}
}

func TestEventsScreenDetailAndJump(t *testing.T) {
	b := &searchBackend{pages: []awsops.EventPage{{Source: awsops.SourceLookup, Pages: 1,
		Events: []model.Event{denial("e1", "GetObject", evUploadsKey, testTime)}}}}
	m, _ := driveEvents(t, newTestEvents(b), keys("s")...)
	m, _ = driveEvents(t, m, keys("enter")...)
	view := m.view()
	for _, want := range []string{"GetObject denied", "check:     policy-principal",
		"\n  \"eventID\": \"e1\",\n"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail view lacks %q:\n%s", want, view)
		}
	}

	m, others := driveEvents(t, m, keys("enter")...)
	if len(others) != 2 || others[1] != switchScreenMsg(checklistScreen) {
		t.Errorf("enter on the detail sent %v, want a notice and a switch to the checklist",
			others)
	}
	if m.detail {
		t.Error("the detail view stayed open after jumping")
	}
}

func TestEventsScreenWithoutBackend(t *testing.T) {
	m, _ := driveEvents(t, newTestEvents(nil), keys("s")...)
	if !strings.Contains(m.view(), "not connected to AWS yet") {
		t.Errorf("view = %s", m.view())
	}
}

func TestEventsScreenDropsEscapeSequences(t *testing.T) {
	hostile := "\x1b[2J\x1b[10;10H\x1b]52;c;ZXZpbA==\x07\u009b31m\u202e\r\n"
	e := model.Event{ID: "e1" + hostile, Time: testTime, Source: "s3" + hostile,
		Name: "GetObject" + hostile, Principal: evOrgSession + hostile,
		Resource: evUploadsKey + hostile, ErrorCode: "AccessDenied" + hostile,
		ErrorMessage: "Access Denied" + hostile, SourceIP: "1.2.3.4" + hostile,
		Record: "{\"key\":\"a\u009b31m\u202eb\",\"x\":\"\\u001b[2J\"}"}
	b := &searchBackend{pages: []awsops.EventPage{{Source: awsops.SourceLookup, Pages: 1,
		Note: "note" + hostile, Events: []model.Event{e}}}}
	m, _ := driveEvents(t, newTestEvents(b), keys("s")...)
	list := m.view()
	m, _ = driveEvents(t, m, keys("enter")...)
	detail := m.view()

	for name, view := range map[string]string{"list": list, "detail": detail} {
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\r"} {
			if strings.Contains(view, bad) {
				t.Errorf("%s view holds %q:\n%q", name, bad, view)
			}
		}
	}
	if !strings.Contains(detail, `\u001b[2J`) {
		t.Errorf("the record's JSON escape should stay visible as text:\n%s", detail)
	}
}

// The Events screen searches the sandbox's broken account through a real session: the
// org role's data-event denials from the trail's log files and the admin's refused public
// policy from event history, each linked to the check the checklist fails.
func TestEventsScreenAgainstSandbox(t *testing.T) {
	o := sandboxOptions(t, "broken")
	backend, err := o.Connect(context.Background(), o.Settings)
	if err != nil {
		t.Fatal(err)
	}
	c := eventsCommon(backend)
	c.settings, c.now = o.Settings, time.Now
	c.state = backend.Inspect(context.Background(), o.Settings)
	c.checks, c.hasState = checklist(c.state), true
	m := newEventsScreen(Env{c: c}).(eventsModel)

	m, _ = driveEvents(t, m, keys("s")...)
	view := m.view()
	for _, want := range []string{"done: ", "uploads  policy-principal",
		"cache    policy-resources", "PutBucketPolicy", "public-access-block",
		"kms-grant check fails"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
}
