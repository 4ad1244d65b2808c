package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// planOptions are the flags of `slateo-s3 plan`.
type planOptions struct {
	settings *settingsFlags
	plan     awsops.PlanOptions
	timeout  time.Duration
}

// runPlan prints the AWS CLI commands and merged documents that would converge the account.
// Exit 0: the plan was printed and nothing is refused; 1: a change is refused or AWS failed;
// 2: invalid input.
func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plan", "slateo-s3 plan [--versioning] [--ownership] [flags]", stderr)
	o := planOptions{settings: bindSettings(fs)}
	bindPlanFlags(fs, &o.plan)
	timeoutVar(fs, &o.timeout, 2*time.Minute, "give up on AWS after this `duration`")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	s, err := o.settings.resolve()
	if err != nil {
		return fail(stderr, "plan", exitUsage, err)
	}

	c := awsCommand{name: "plan", settings: o.settings, timeout: o.timeout, stderr: stderr}
	return c.connected(s, func(ctx context.Context, conn *connection) int {
		return o.run(ctx, conn, stdout, stderr)
	})
}

// run plans the changes and prints them; a refused change exits 1.
func (o planOptions) run(ctx context.Context, conn *connection, stdout, stderr io.Writer) int {
	changes, err := conn.session.Plan(ctx, conn.settings, o.plan)
	if err != nil {
		return failClean(stderr, "plan", exitFail, err)
	}
	if len(changes) == 0 {
		fmt.Fprintln(stdout, "Nothing to change: the buckets and key already hold what "+
			"Slateo needs.")
		return exitOK
	}
	refused := 0
	for i, c := range changes {
		printPlanned(stdout, i+1, c)
		if c.Refusal != "" {
			refused++
		}
	}
	fmt.Fprintf(stdout, "%d change(s); every document is merged into what exists, not "+
		"replaced. Run `slateo-s3 apply` to make them with a backup of each.\n", len(changes))
	if refused > 0 {
		return exitFail
	}
	return exitOK
}

// bindPlanFlags registers the flags that choose optional changes.
func bindPlanFlags(fs *flag.FlagSet, p *awsops.PlanOptions) {
	fs.BoolVar(&p.Versioning, "versioning", false, "also enable versioning on both buckets")
	fs.BoolVar(&p.Ownership, "ownership", false,
		"also set Object Ownership to BucketOwnerEnforced on both buckets")
}

// printPlanned prints one change as plan shows it: title, notes, the CLI command and the
// whole document it writes.
func printPlanned(w io.Writer, n int, c awsops.Change) {
	printHeader(w, n, c)
	if c.Refusal != "" {
		return
	}
	if c.CLI != "" {
		fmt.Fprintf(w, "  $ %s\n", model.CleanLine(c.CLI))
	}
	if c.After != "" && c.Kind != awsops.KindCreateBucket {
		fmt.Fprint(w, indent(model.Clean(model.PrettyJSON(c.After), true), "    "))
	}
	fmt.Fprintln(w)
}

// printHeader prints a change's title, refusal and notes.
func printHeader(w io.Writer, n int, c awsops.Change) {
	fmt.Fprintf(w, "%d. %s\n", n, model.CleanLine(c.Title))
	if c.Refusal != "" {
		fmt.Fprintf(w, "  REFUSED: %s\n\n", model.CleanLine(c.Refusal))
	}
	for _, note := range c.Notes {
		fmt.Fprintf(w, "  note: %s\n", model.CleanLine(note))
	}
}

// printDiff prints a change for confirmation: header, diff and CLI command.
func printDiff(w io.Writer, n int, c awsops.Change) {
	printHeader(w, n, c)
	if c.Refusal != "" {
		return
	}
	fmt.Fprint(w, indent(model.Clean(c.Diff(), true), "  "))
	if c.CLI != "" {
		fmt.Fprintf(w, "  same as: %s\n", model.CleanLine(c.CLI))
	}
}

func indent(text, prefix string) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
