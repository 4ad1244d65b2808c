package textout

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"slateo-s3/model"
)

// EventsReport is everything one CloudTrail search prints.
type EventsReport struct {
	// Start and End are the window searched.
	Start, End time.Time
	// Pages and Scanned count the pages read and the records they held.
	Pages, Scanned int
	// Events are the diagnosed denials, in any order; they print newest first.
	Events []model.Event
	// Notes are what the search could not see or read, and blind spots, one line each.
	Notes []string
}

// EventsText writes the report as text: a heading with the window and counts, then one block
// per denial, newest first, then the notes. Every field from AWS is cleaned to one line.
func EventsText(w io.Writer, r EventsReport, color bool) error {
	p := &printer{w: w, st: newStyles(w, color)}
	p.line(p.st.title.Render(fmt.Sprintf("CloudTrail denials from %s to %s",
		stamp(r.Start), stamp(r.End))))
	p.line(fmt.Sprintf("%s in %d records (%d pages)", plural(len(r.Events), "denial"),
		r.Scanned, r.Pages))
	for _, e := range newestFirst(r.Events) {
		p.line("")
		p.event(e)
	}
	if len(r.Notes) > 0 {
		p.line("")
		p.line(p.st.title.Render("Notes"))
		for _, n := range r.Notes {
			p.line("  - " + model.CleanLine(n))
		}
	}
	return p.err
}

func (p *printer) event(e model.Event) {
	p.line(p.st.title.Render(fmt.Sprintf("%s  %s %s  %s", stamp(e.Time),
		model.CleanLine(e.Source), model.CleanLine(e.Name), model.CleanLine(e.ErrorCode))))
	field := func(name, value string) {
		if value != "" {
			p.line(fmt.Sprintf("  %-10s %s", name, model.CleanLine(value)))
		}
	}
	field("principal", e.Principal)
	field("resource", e.Resource)
	field("message", e.ErrorMessage)
	field("source ip", e.SourceIP)
	field("diagnosis", e.Diagnosis)
	if e.Check != "" {
		p.line(p.st.faint.Render(fmt.Sprintf("  %-10s %s", "check", model.CleanLine(e.Check))))
	}
}

// eventsJSON is the `events --json` document (DESIGN.md contract).
type eventsJSON struct {
	Window  windowJSON    `json:"window"`
	Pages   int           `json:"pages"`
	Scanned int           `json:"scanned"`
	Events  []model.Event `json:"events"`
}

type windowJSON struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// EventsJSON writes the report as one JSON object: {"window": {"start", "end"}, "pages",
// "scanned", "events": [...]}, events newest first with every string cleaned, so that the
// output is safe on a terminal too. Notes are not part of it.
func EventsJSON(w io.Writer, r EventsReport) error {
	doc := eventsJSON{
		Window:  windowJSON{Start: r.Start.UTC(), End: r.End.UTC()},
		Pages:   r.Pages,
		Scanned: r.Scanned,
		Events:  make([]model.Event, 0, len(r.Events)),
	}
	for _, e := range newestFirst(r.Events) {
		doc.Events = append(doc.Events, CleanEvent(e))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// CleanEvent returns the event with every string that came from AWS cleaned to one line
// (the raw Record keeps its newlines) and its time in UTC.
func CleanEvent(e model.Event) model.Event {
	e.Time = e.Time.UTC()
	for _, s := range []*string{&e.Source, &e.Name, &e.Principal, &e.Resource, &e.ErrorCode,
		&e.ErrorMessage, &e.SourceIP, &e.Check, &e.Diagnosis, &e.ID} {
		*s = model.CleanLine(*s)
	}
	e.Record = model.Clean(e.Record, true)
	return e
}

func newestFirst(events []model.Event) []model.Event {
	out := slices.Clone(events)
	slices.SortStableFunc(out, func(a, b model.Event) int { return b.Time.Compare(a.Time) })
	return out
}

func stamp(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
