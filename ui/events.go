package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/awsops"
	"slateo-s3/diagnostics"
	"slateo-s3/model"
)

// eventsWindow is how far back the Events screen searches.
const eventsWindow = 24 * time.Hour

// eventSearcher is the part of the backend that searches CloudTrail; *awsops.Session has it.
// A backend without it leaves the Events screen saying so.
type eventSearcher interface {
	FindDenials(ctx context.Context, q awsops.EventQuery, pages chan<- awsops.EventPage) error
}

func init() { RegisterScreen("Events", newEventsScreen) }

// eventSearch is one running search: FindDenials feeds pages until it returns its error on
// done and pages is closed; cancel stops it.
type eventSearch struct {
	pages  chan awsops.EventPage
	done   chan error
	cancel context.CancelFunc
}

// searchIDs numbers searches across every Events screen the console builds (it builds a new
// one when the settings change), so that a page of an old search is never taken for one of
// the new.
var searchIDs atomic.Int64

// Messages of the Events screen, each tagged with the search it belongs to.
type (
	eventsStartedMsg struct {
		run    int64
		search *eventSearch
	}
	eventsPageMsg struct {
		run    int64
		search *eventSearch
		page   awsops.EventPage
	}
	eventsDoneMsg struct {
		run int64
		err error
	}
)

// eventsModel is the Events screen: the denied calls CloudTrail holds for the buckets, the
// key and the org role, streamed in as pages arrive, each with its diagnosis and the check
// that fixes it.
type eventsModel struct {
	env     Env
	run     int64
	search  *eventSearch
	running bool
	stopped bool
	err     error

	start, end     time.Time
	pages, scanned int
	covered        map[string]time.Time
	events         []model.Event
	notes          []string

	cursor, offset int
	detail         bool
}

func newEventsScreen(env Env) Screen {
	return eventsModel{env: env}
}

// Update handles the screen's keys and the search's messages.
func (m eventsModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	return m.update(msg)
}

// View draws the list of denials, or the selected one's whole record.
func (m eventsModel) View() string {
	return m.view()
}

// Leave stops a running search; what it found stays on the screen.
func (m eventsModel) Leave() Screen {
	m.detail = false
	return m.stop()
}

// Keys are the screen's key bindings for the help line.
func (m eventsModel) Keys() []key.Binding {
	k := m.env.Keys()
	if m.detail {
		jump := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to its check"))
		return []key.Binding{jump, k.Back()}
	}
	search := key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "search CloudTrail"))
	stop := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop"))
	open := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "whole record"))
	if m.running {
		return []key.Binding{k.Up(), k.Down(), open, stop}
	}
	return []key.Binding{k.Up(), k.Down(), open, search}
}

func (m eventsModel) update(msg tea.Msg) (eventsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.onKey(msg)
	case eventsStartedMsg:
		return m.onStarted(msg)
	case eventsPageMsg:
		return m.onPage(msg)
	case eventsDoneMsg:
		return m.onDone(msg)
	}
	return m, nil
}

func (m eventsModel) onKey(msg tea.KeyMsg) (eventsModel, tea.Cmd) {
	k := m.env.Keys()
	switch {
	case m.detail && key.Matches(msg, k.Enter()):
		return m.jump()
	case m.detail && key.Matches(msg, k.Back()):
		m.detail = false
	case key.Matches(msg, k.Back()):
		m = m.stop()
	case msg.String() == "s" && !m.running:
		return m.begin()
	case key.Matches(msg, k.Enter()) && len(m.events) > 0:
		m.detail = true
	case key.Matches(msg, k.Up()):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down()):
		m.cursor = min(m.cursor+1, max(len(m.events)-1, 0))
	}
	return m.scroll(), nil
}

// jump leaves for the checklist, where the event's check is listed.
func (m eventsModel) jump() (eventsModel, tea.Cmd) {
	if len(m.events) == 0 || m.events[m.cursor].Check == "" {
		return m, nil
	}
	m.detail = false
	check := model.CleanLine(m.events[m.cursor].Check)
	return m, tea.Batch(Notice("the event points to check "+check),
		func() tea.Msg { return switchScreenMsg(checklistScreen) })
}

// begin starts a new search of the last eventsWindow, dropping the old results.
func (m eventsModel) begin() (eventsModel, tea.Cmd) {
	m = m.stop()
	searcher, ok := m.env.Backend().(eventSearcher)
	if !ok {
		m.err = fmt.Errorf("the console has not connected to AWS yet: wait for the checklist")
		return m, nil
	}
	m.run = searchIDs.Add(1)
	m.running, m.stopped, m.err, m.detail = true, false, nil, false
	m.end = m.env.Now().UTC().Truncate(time.Second)
	m.start = m.end.Add(-eventsWindow)
	m.pages, m.scanned, m.covered = 0, 0, map[string]time.Time{}
	m.events, m.notes, m.cursor, m.offset = nil, nil, 0, 0

	state, _ := m.env.State()
	q := awsops.EventQuery{Settings: m.env.Settings(), Start: m.start, End: m.end,
		Trails: state.Trails.Value, KeyARNs: keyARNsOf(state),
		Account: state.Caller.Value.Account}
	if !state.Trails.IsPresent() {
		q.Trails = nil
	}
	return m, startSearchCmd(m.env.Context(), searcher, q, m.run)
}

// startSearchCmd starts FindDenials in the background, under a context of its own that
// the search's cancel ends, and hands back the search. FindDenials stops on that context
// and bounds each call it makes with a timeout.
func startSearchCmd(parent context.Context, s eventSearcher, q awsops.EventQuery,
	run int64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithCancel(parent)
		search := &eventSearch{pages: make(chan awsops.EventPage), done: make(chan error, 1),
			cancel: cancel}
		go func() {
			search.done <- s.FindDenials(ctx, q, search.pages)
			close(search.pages)
		}()
		return eventsStartedMsg{run: run, search: search}
	}
}

// nextPageCmd waits for the search's next page, or its end.
func nextPageCmd(s *eventSearch, run int64) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-s.pages
		if !ok {
			s.cancel()
			return eventsDoneMsg{run: run, err: <-s.done}
		}
		return eventsPageMsg{run: run, search: s, page: p}
	}
}

func keyARNsOf(st model.State) []string {
	var arns []string
	for _, k := range st.Keys {
		if k.Metadata.IsPresent() && k.Metadata.Value.ARN != "" {
			arns = append(arns, k.Metadata.Value.ARN)
		}
	}
	return arns
}

func (m eventsModel) onStarted(msg eventsStartedMsg) (eventsModel, tea.Cmd) {
	if msg.run != m.run || !m.running {
		// A search this screen no longer waits for (stopped before it started, or begun
		// by a screen the console has since replaced) ends here.
		msg.search.cancel()
		return m, nil
	}
	m.search = msg.search
	return m, nextPageCmd(m.search, m.run)
}

// onPage diagnoses the page's denials, links each to the failing check that explains it,
// and keeps the list newest first with the selection on the same event.
func (m eventsModel) onPage(msg eventsPageMsg) (eventsModel, tea.Cmd) {
	if msg.run != m.run {
		msg.search.cancel()
		return m, nil
	}
	p := msg.page
	m.pages, m.scanned = p.Pages, p.Scanned
	m.covered[p.Source] = p.Covered
	if p.Note != "" {
		m.notes = append(m.notes, p.Note)
	}
	var selected string
	if m.cursor < len(m.events) {
		selected = m.events[m.cursor].ID
	}
	for _, e := range p.Events {
		e = diagnostics.Link(diagnostics.Diagnose(e, m.env.Settings()), m.env.Checks())
		m.events = insertNewestFirst(m.events, e)
	}
	for i, e := range m.events {
		if e.ID == selected && selected != "" {
			m.cursor = i
		}
	}
	return m.scroll(), nextPageCmd(m.search, m.run)
}

func insertNewestFirst(events []model.Event, e model.Event) []model.Event {
	i := 0
	for i < len(events) && !events[i].Time.Before(e.Time) {
		i++
	}
	events = append(events, model.Event{})
	copy(events[i+1:], events[i:])
	events[i] = e
	return events
}

func (m eventsModel) onDone(msg eventsDoneMsg) (eventsModel, tea.Cmd) {
	if msg.run != m.run {
		return m, nil
	}
	m.running, m.search = false, nil
	if msg.err != nil && !m.stopped {
		m.err = msg.err
	}
	if !m.stopped && msg.err == nil {
		m.notes = append(m.notes, diagnostics.BlindSpots(len(m.events), m.dataEvents())...)
		if note := diagnostics.KMSBlindSpot(m.events, m.env.Checks()); note != "" {
			m.notes = append(m.notes, note)
		}
	}
	return m, nil
}

// dataEvents reports whether a trail records the buckets' S3 data events.
func (m eventsModel) dataEvents() bool {
	state, _ := m.env.State()
	buckets := m.env.Settings().BucketNames()
	return len(awsops.TrailsWithDataEvents(state.Trails.Value, buckets)) > 0
}

// stop cancels a running search; what was found stays.
func (m eventsModel) stop() eventsModel {
	if m.running {
		if m.search != nil {
			m.search.cancel()
		}
		m.running, m.stopped, m.search = false, true, nil
	}
	return m
}

// listRows is how many event rows fit under the heading lines.
func (m eventsModel) listRows() int {
	return max(m.env.Height()-4, 1)
}

func (m eventsModel) scroll() eventsModel {
	rows := m.listRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	return m
}

func (m eventsModel) view() string {
	if m.detail && m.cursor < len(m.events) {
		return m.detailView(m.events[m.cursor])
	}
	lines := []string{m.env.Bold("CloudTrail denials"), m.progressLine(), ""}
	if len(m.events) == 0 {
		lines = append(lines, m.emptyText())
	}
	end := min(m.offset+m.listRows(), len(m.events))
	for i := m.offset; i < end; i++ {
		lines = append(lines, m.row(i))
	}
	for _, n := range m.notes {
		lines = append(lines, m.env.Subtle("note: "+model.CleanLine(n)))
	}
	return strings.Join(lines, "\n")
}

func (m eventsModel) emptyText() string {
	switch {
	case m.running:
		return "searching…"
	case m.run == 0:
		return "press s to search CloudTrail for the last 24 hours of denied calls"
	}
	return "no denied call found"
}

// progressLine says how far the search got: pages, records and the time covered.
func (m eventsModel) progressLine() string {
	if m.err != nil {
		return m.env.Bold("search failed: " + model.CleanLine(m.err.Error()))
	}
	if m.run == 0 {
		return m.env.Subtle("not searched yet")
	}
	state := "done"
	switch {
	case m.running:
		state = "searching"
	case m.stopped:
		state = "stopped"
	}
	line := fmt.Sprintf("%s: %d pages, %d records, %d denials", state, m.pages, m.scanned,
		len(m.events))
	if c, ok := m.covered[awsops.SourceLookup]; ok && !c.IsZero() {
		line += ", event history read back to " + c.UTC().Format("2006-01-02 15:04")
	}
	return m.env.Subtle(line)
}

func (m eventsModel) row(i int) string {
	e := m.events[i]
	check := e.Check
	if check == "" {
		check = "-"
	}
	// Each column is cut to its width so that a long name never pushes the next ones.
	text := e.Time.UTC().Format("01-02 15:04") + "  " +
		column(model.CleanLine(e.Name), 16) + column(m.bucketLabel(bucketOf(e.Resource)), 8) +
		column(model.CleanLine(check), 19) + model.CleanLine(e.Diagnosis)
	// The marker shows the selection where reverse video does not (NO_COLOR).
	if i == m.cursor {
		text = truncate("› "+text, m.env.Width())
		return m.env.Selected(padRight(text, m.env.Width()))
	}
	return truncate("  "+text, m.env.Width())
}

// column cuts s to width cells (with … when cut) and pads it, plus one space between
// columns.
func column(s string, width int) string {
	return padRight(truncate(s, width), width) + " "
}

// bucketLabel names a bucket by its purpose when it is one of the configured two.
func (m eventsModel) bucketLabel(bucket string) string {
	s := m.env.Settings()
	switch bucket {
	case "":
		return "-"
	case s.UploadsBucketName():
		return "uploads"
	case s.CacheBucketName():
		return "cache"
	}
	return model.CleanLine(bucket)
}

// bucketOf returns the bucket an S3 ARN names, or "" for any other resource.
func bucketOf(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
	if !ok {
		return ""
	}
	bucket, _, _ := strings.Cut(rest, "/")
	return bucket
}

// detailView shows one event: its diagnosis and check, then the whole CloudTrail record,
// pretty-printed and cleaned.
func (m eventsModel) detailView(e model.Event) string {
	lines := []string{m.env.Bold(model.CleanLine(e.Name) + " denied"),
		"diagnosis: " + model.CleanLine(e.Diagnosis)}
	if e.Check != "" {
		lines = append(lines, "check:     "+model.CleanLine(e.Check)+
			m.env.Subtle("  (enter to go to the checklist)"))
	}
	lines = append(lines, "", prettyRecord(e.Record))
	return strings.Join(lines, "\n")
}

// prettyRecord indents a CloudTrail record's JSON and cleans it; JSON escapes keep control
// characters as text, and Clean drops any that are raw.
func prettyRecord(raw string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(raw), "", "  "); err != nil {
		return model.Clean(raw, true)
	}
	return model.Clean(b.String(), true)
}
