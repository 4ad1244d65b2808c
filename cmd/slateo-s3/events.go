package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"slateo-s3/awsops"
	"slateo-s3/diagnostics"
	"slateo-s3/model"
	"slateo-s3/ui/textout"
)

// eventsOptions are the flags of `slateo-s3 events`.
type eventsOptions struct {
	settings *settingsFlags
	since    time.Duration
	until    string
	json     bool
	timeout  time.Duration
	redact   *bool
	// now and lookupEnv are the clock and the environment; tests replace them.
	now       func() time.Time
	lookupEnv func(string) (string, bool)
}

// runEvents searches CloudTrail for the denied calls that concern the buckets, the key or
// the org role, and prints each with its diagnosis. Exit 0: the whole window was searched;
// 1: the search failed or stopped early (what was found is still printed); 2: invalid input.
func runEvents(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("events",
		"slateo-s3 events [--since 24h] [--until T] [--json] [--redact] [flags]", stderr)
	o := eventsOptions{settings: bindSettings(fs), now: time.Now, lookupEnv: os.LookupEnv}
	fs.DurationVar(&o.since, "since", 24*time.Hour, "search this far back from --until")
	fs.StringVar(&o.until, "until", "", "end of the window, RFC 3339 (default now)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object instead of text")
	timeoutVar(fs, &o.timeout, 10*time.Minute, "stop searching after this `duration`")
	o.redact = bindRedact(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}

	s, err := o.settings.resolve()
	if err == nil {
		_, _, err = o.window()
	}
	if err != nil {
		return fail(stderr, "events", exitUsage, err)
	}

	c := awsCommand{name: "events", settings: o.settings, timeout: o.timeout, stderr: stderr}
	return c.connected(s, func(ctx context.Context, conn *connection) int {
		return o.run(ctx, conn, stdout, stderr)
	})
}

// maxLookback bounds a search: LookupEvents keeps 90 days, and each older day would cost
// listing requests against the trail bucket for no events from the history.
const maxLookback = 90 * 24 * time.Hour

// window returns the time span to search.
func (o eventsOptions) window() (start, end time.Time, err error) {
	end = o.now().UTC().Truncate(time.Second)
	if o.until != "" {
		end, err = time.Parse(time.RFC3339, o.until)
		if err != nil {
			return start, end, fmt.Errorf("--until %q is not an RFC 3339 time "+
				"(like 2026-01-02T15:04:05Z)", o.until)
		}
	}
	if o.since <= 0 {
		return start, end, fmt.Errorf("--since must be positive, not %s", o.since)
	}
	if o.since > maxLookback {
		return start, end, fmt.Errorf("--since is at most %s (90 days), not %s: CloudTrail's "+
			"event history keeps 90 days, and older trail log files are read a day at a time",
			maxLookback, o.since)
	}
	return end.Add(-o.since), end, nil
}

// run searches the window and prints the denials found, even when the search failed.
func (o eventsOptions) run(ctx context.Context, conn *connection, stdout, stderr io.Writer) int {
	start, end, _ := o.window()
	report, searchErr := searchEvents(ctx, conn.session, conn.settings, start, end)
	r := redactorIf(o.redact != nil && *o.redact, conn.settings)
	out := newRedactedOutput(stdout, r)
	var err error
	if o.json {
		err = textout.EventsJSON(out, report)
		for _, n := range report.Notes {
			fmt.Fprintln(stderr, "note: "+r.String(model.CleanLine(n)))
		}
	} else {
		err = textout.EventsText(out, report, textout.ColorEnabled(stdout, o.lookupEnv))
	}
	if err == nil {
		err = out.Flush()
	}
	if err = errors.Join(searchErr, err); err != nil {
		return fail(stderr, "events", exitFail, r.String(model.CleanLine(err.Error())))
	}
	return exitOK
}

// searchEvents inspects the account (for its trails and its checklist), runs the search to
// its end, diagnoses every denial, links it to the failing check that explains it, and adds
// the blind spots. On an error the report holds what was found before it, with a note
// saying how far back the search got.
func searchEvents(ctx context.Context, session *awsops.Session, s model.Settings,
	start, end time.Time) (textout.EventsReport, error) {
	return searchEventsIn(ctx, session, session.Inspect(ctx, s), start, end)
}

// searchEventsIn is searchEvents with an inspection already made, for a command that needs
// the state for more than the search (report).
func searchEventsIn(ctx context.Context, session *awsops.Session, state model.State,
	start, end time.Time) (textout.EventsReport, error) {
	s := state.Settings
	report := textout.EventsReport{Start: start, End: end}
	checks := diagnostics.Checklist(state)
	trails := state.Trails.Value
	if !state.Trails.IsPresent() {
		trails = []model.Trail{}
		report.Notes = append(report.Notes, "could not list the trails, so data events "+
			"were not searched: "+state.Trails.Reason)
	}
	q := awsops.EventQuery{Settings: s, Start: start, End: end, Trails: trails,
		KeyARNs: keyARNs(state), Account: state.Caller.Value.Account}

	pages := make(chan awsops.EventPage)
	done := make(chan error, 1)
	go func() { done <- session.FindDenials(ctx, q, pages); close(pages) }()

	covered := map[string]time.Time{}
	for p := range pages {
		report.Pages, report.Scanned = p.Pages, p.Scanned
		covered[p.Source] = p.Covered
		for _, e := range p.Events {
			e = diagnostics.Link(diagnostics.Diagnose(e, s), checks)
			report.Events = append(report.Events, e)
		}
		if p.Note != "" {
			report.Notes = append(report.Notes, p.Note)
		}
	}
	err := <-done
	if c := covered[awsops.SourceLookup]; err != nil && !c.IsZero() {
		report.Notes = append(report.Notes, "the search stopped early: event history was "+
			"read back to "+c.UTC().Format(time.RFC3339)+" only")
	}
	withData := len(awsops.TrailsWithDataEvents(trails, s.BucketNames())) > 0
	report.Notes = append(report.Notes, diagnostics.BlindSpots(len(report.Events), withData)...)
	if note := diagnostics.KMSBlindSpot(report.Events, checks); note != "" {
		report.Notes = append(report.Notes, note)
	}
	return report, err
}

// keyARNs are the ARNs of the keys the inspection could describe.
func keyARNs(state model.State) []string {
	var arns []string
	for _, k := range state.Keys {
		if k.Metadata.IsPresent() && k.Metadata.Value.ARN != "" {
			arns = append(arns, k.Metadata.Value.ARN)
		}
	}
	return arns
}
