package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"slateo-s3/awsops"
	"slateo-s3/diagnostics"
	"slateo-s3/model"
	"slateo-s3/ui/textout"
)

// checkOptions are the flags of `slateo-s3 check`.
type checkOptions struct {
	settings *settingsFlags
	json     bool
	timeout  time.Duration
	logFile  string
	redact   *bool
	// lookupEnv reads the environment for NO_COLOR; tests replace it.
	lookupEnv func(string) (string, bool)
}

// runCheck runs the checklist once and prints it. Exit 0: no failure and nothing unknown;
// 1: a failure; 2: invalid input (nothing was sent); 3: something unknown, no failure.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "slateo-s3 check [--json] [--redact] [flags]", stderr)
	o := checkOptions{settings: bindSettings(fs), lookupEnv: os.LookupEnv}
	fs.BoolVar(&o.json, "json", false, "print one JSON object instead of text")
	timeoutVar(fs, &o.timeout, 2*time.Minute, "give up on AWS after this `duration`")
	fs.StringVar(&o.logFile, "log-file", "", "append every AWS call as one JSON line to FILE")
	o.redact = bindRedact(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}

	s, err := o.settings.resolve()
	if err != nil {
		return fail(stderr, "check", exitUsage, err)
	}
	copts, closeLog, err := o.connectOptions()
	if err != nil {
		return fail(stderr, "check", exitUsage, err)
	}
	defer closeLog()

	c := awsCommand{name: "check", settings: o.settings, timeout: o.timeout, connect: copts,
		stderr: stderr}
	return c.connected(s, func(ctx context.Context, conn *connection) int {
		return o.run(ctx, conn, stdout, stderr)
	})
}

// run inspects the account, prints the checklist and returns its exit code.
func (o checkOptions) run(ctx context.Context, conn *connection, stdout, stderr io.Writer) int {
	state := conn.session.Inspect(ctx, conn.settings)
	report := textout.CheckReport{
		Settings: conn.settings,
		Caller:   state.Caller,
		Checks:   diagnostics.Checklist(state),
		Missing:  missingPermissions(state),
	}

	out := newRedactedOutput(stdout, redactorIf(o.redact != nil && *o.redact, conn.settings))
	var err error
	if o.json {
		err = textout.CheckJSON(out, report)
	} else {
		err = textout.CheckText(out, report, textout.ColorEnabled(stdout, o.lookupEnv))
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return fail(stderr, "check", exitFail, err)
	}
	return checkExitCode(model.Summarize(report.Checks))
}

// connectOptions records the calls in --log-file, when given.
func (o checkOptions) connectOptions() (awsops.ConnectOptions, func(), error) {
	if o.logFile == "" {
		return awsops.ConnectOptions{}, func() {}, nil
	}
	f, err := os.OpenFile(o.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return awsops.ConnectOptions{}, func() {}, fmt.Errorf("opening the log file: %w", err)
	}
	log := &awsops.CallLog{Sink: f}
	return awsops.ConnectOptions{Log: log}, func() { f.Close() }, nil
}

func missingPermissions(state model.State) []textout.Permission {
	var out []textout.Permission
	for _, p := range diagnostics.MissingPermissions(state) {
		out = append(out, textout.Permission{Action: p.Action, Resource: p.Resource,
			Reason: p.Reason})
	}
	return out
}

// checkExitCode maps the checklist to the exit code: a failure beats an unknown.
func checkExitCode(sum model.Summary) int {
	switch {
	case sum.Fail > 0:
		return exitFail
	case sum.Unknown > 0:
		return exitUnknown
	}
	return exitOK
}
