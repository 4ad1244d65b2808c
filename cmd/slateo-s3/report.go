package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"slateo-s3/diagnostics"
	"slateo-s3/model"
	"slateo-s3/ui/redact"
	"slateo-s3/ui/textout"
)

// reportOptions are the flags of `slateo-s3 report`.
type reportOptions struct {
	settings *settingsFlags
	json     bool
	noRedact bool
	since    time.Duration
	timeout  time.Duration
	// output is the file to write the report to; empty means stdout.
	output string
	// now and lookupEnv are the clock and the environment; tests replace them.
	now       func() time.Time
	lookupEnv func(string) (string, bool)
}

// runReport writes one document for a support ticket: the checklist, the CloudTrail denials
// of the last --since and the documents read from AWS, with account ids, access keys, IP
// addresses, user and session names masked unless --no-redact. Exit 0: written; 1: the
// event search failed (the report is still written, with a note); 2: invalid input.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report",
		"slateo-s3 report [--json] [--no-redact] [--since 24h] [-o FILE] [flags]", stderr)
	o := reportOptions{settings: bindSettings(fs), now: time.Now, lookupEnv: os.LookupEnv}
	fs.BoolVar(&o.json, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&o.noRedact, "no-redact", false,
		"show account ids, access keys, IP addresses, user and session names as read")
	fs.DurationVar(&o.since, "since", 24*time.Hour, "search CloudTrail this far back")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up on AWS after this long")
	fs.StringVar(&o.output, "o", "", "write the report to FILE (mode 0600) instead of stdout")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}

	s, err := o.settings.resolve()
	if err == nil && o.since <= 0 {
		err = fmt.Errorf("--since must be positive, not %s", o.since)
	}
	if err != nil {
		return fail(stderr, "report", exitUsage, err)
	}

	c := awsCommand{name: "report", settings: o.settings, timeout: o.timeout, stderr: stderr}
	return c.connected(s, func(ctx context.Context, conn *connection) int {
		return o.run(ctx, conn, stdout, stderr)
	})
}

// run gathers the report, masks it and writes it.
func (o reportOptions) run(ctx context.Context, conn *connection, stdout, stderr io.Writer) int {
	r, searchErr := o.gather(ctx, conn)
	// One redactor for stdout and stderr, so that a token means one value in both.
	red := o.redactor(conn.settings)
	var out bytes.Buffer
	var err error
	if o.json {
		err = textout.ReportJSON(&out, r)
	} else {
		err = textout.ReportText(&out, r, textout.ColorEnabled(stdout, o.lookupEnv))
	}
	if err == nil {
		err = o.write(stdout, red.Styled(out.String()))
	}
	if err != nil {
		return fail(stderr, "report", exitFail, err)
	}
	if searchErr != nil {
		return fail(stderr, "report", exitFail, "searching CloudTrail: "+
			red.String(model.CleanLine(searchErr.Error())))
	}
	return exitOK
}

// gather reads everything the report holds.
func (o reportOptions) gather(ctx context.Context, conn *connection) (textout.Report, error) {
	state := conn.session.Inspect(ctx, conn.settings)
	end := o.now().UTC().Truncate(time.Second)
	events, err := searchEventsIn(ctx, conn.session, state, end.Add(-o.since), end)
	return textout.Report{
		Version: buildVersion(),
		Check: textout.CheckReport{Settings: conn.settings, Caller: state.Caller,
			Checks: diagnostics.Checklist(state), Missing: missingPermissions(state)},
		Events: events,
		State:  state,
	}, err
}

// redactor masks what a ticket should not show; the org slug and bucket names stay, so the
// report still says which setup it is about. --no-redact returns nil, which masks nothing.
func (o reportOptions) redactor(s model.Settings) *redact.Redactor {
	if o.noRedact {
		return nil
	}
	return newRedactor(s)
}

// write puts the finished report on stdout, or in the -o file, which only its owner may
// read, with a line on stdout saying where it went.
func (o reportOptions) write(stdout io.Writer, text string) error {
	if o.output == "" {
		_, err := io.WriteString(stdout, text)
		return err
	}
	if err := os.WriteFile(o.output, []byte(text), 0o600); err != nil {
		return fmt.Errorf("writing the report to %s: %w", o.output, err)
	}
	_, err := fmt.Fprintf(stdout, "Report written to %s\n", o.output)
	return err
}

// version is the release this binary was built as, set at build time with
// -ldflags "-X main.version=1.2.3"; "dev" for a build from a checkout.
var version = "dev"

// buildVersion names the build: the version and, when built from a checkout, the commit.
func buildVersion() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev + dirty
	}
	return v
}
