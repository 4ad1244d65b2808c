package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// applyOptions are the flags of `slateo-s3 apply`, and its streams.
type applyOptions struct {
	settings  *settingsFlags
	plan      awsops.PlanOptions
	yes       bool
	dryRun    bool
	backupDir string
	timeout   time.Duration
	// stdin answers the confirmations; isTerminal says whether a person is there to answer.
	stdin      io.Reader
	isTerminal bool
}

// maxApplySteps bounds the plan-confirm-apply loop, which plans again after every write.
const maxApplySteps = 50

// runApply shows each planned change and writes it after a yes. Exit 0: every change was
// applied or declined; 1: a change was refused or failed; 2: invalid input, or no terminal
// to confirm on without --yes (nothing is written then).
func runApply(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("apply", "slateo-s3 apply [--yes] [--dry-run] [--backup-dir D] "+
		"[--versioning] [--ownership] [flags]", stderr)
	o := applyOptions{settings: bindSettings(fs), stdin: os.Stdin, isTerminal: isTerminal(os.Stdin)}
	bindApplyFlags(fs, &o)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	return o.start(stdout, stderr)
}

func bindApplyFlags(fs *flag.FlagSet, o *applyOptions) {
	bindPlanFlags(fs, &o.plan)
	fs.BoolVar(&o.yes, "yes", false, "apply every change without asking")
	fs.BoolVar(&o.dryRun, "dry-run", false, "show the changes and write nothing")
	fs.StringVar(&o.backupDir, "backup-dir", "",
		"where to save the documents each change replaces (default "+
			"$XDG_STATE_HOME/slateo-s3/backups or ~/.local/state/slateo-s3/backups)")
	timeoutVar(fs, &o.timeout, 5*time.Minute, "give up on AWS after this `duration`")
}

// start resolves the settings and the backup directory, refuses to run unattended without
// --yes, and runs.
func (o applyOptions) start(stdout, stderr io.Writer) int {
	s, err := o.settings.resolve()
	if err != nil {
		return fail(stderr, "apply", exitUsage, err)
	}
	if !o.yes && !o.dryRun && !o.isTerminal {
		return fail(stderr, "apply", exitUsage, "standard input is not a terminal, so no "+
			"change can be confirmed; pass --yes to apply without asking, or --dry-run")
	}
	if o.backupDir, err = backupDirOr(o.backupDir); err != nil {
		return fail(stderr, "apply", exitUsage, err)
	}

	c := awsCommand{name: "apply", settings: o.settings, timeout: o.timeout, stderr: stderr}
	return c.connected(s, func(ctx context.Context, conn *connection) int {
		return o.run(ctx, conn.session, conn.settings, stdout, stderr)
	})
}

// applySession is what apply needs of an AWS session.
type applySession interface {
	Plan(context.Context, model.Settings, awsops.PlanOptions) ([]awsops.Change, error)
	Apply(context.Context, model.Settings, awsops.Change, string) (awsops.ApplyResult, error)
}

// run plans, and for each change not yet handled shows its diff, asks, and applies it; it
// plans again after every write, so each diff is against the documents as they are then.
func (o applyOptions) run(ctx context.Context, sess applySession, s model.Settings,
	stdout, stderr io.Writer) int {
	answers := bufio.NewReader(o.stdin)
	handled := map[string]bool{}
	tally := applyTally{}
	for step := 1; step <= maxApplySteps; step++ {
		changes, err := sess.Plan(ctx, s, o.plan)
		if err != nil {
			return failClean(stderr, "apply", exitFail, err)
		}
		c, ok := nextChange(changes, handled)
		if !ok {
			break
		}
		handled[c.ID] = true
		printDiff(stdout, step, c)
		if !o.handle(ctx, sess, s, c, answers, &tally, stdout, stderr) {
			return exitFail
		}
		if o.dryRun {
			tally.dryRun(changes, handled, step, stdout)
			break
		}
	}
	return tally.report(stdout, o.dryRun)
}

func nextChange(changes []awsops.Change, handled map[string]bool) (awsops.Change, bool) {
	for _, c := range changes {
		if !handled[c.ID] {
			return c, true
		}
	}
	return awsops.Change{}, false
}

// handle confirms and applies one change; false means stop (the write failed).
func (o applyOptions) handle(ctx context.Context, sess applySession, s model.Settings,
	c awsops.Change, answers *bufio.Reader, t *applyTally, stdout, stderr io.Writer) bool {
	switch {
	case c.Refusal != "":
		t.refused++
		return true
	case o.dryRun:
		t.planned++
		return true
	case !o.yes && !confirm(stdout, answers):
		fmt.Fprint(stdout, "  not applied\n\n")
		t.declined++
		return true
	}
	res, err := sess.Apply(ctx, s, c, o.backupDir)
	if err != nil {
		failClean(stderr, "apply", exitFail, err)
		if errors.Is(err, awsops.ErrChangedSincePlan) {
			fmt.Fprintln(stderr, "Nothing was written. Run apply again to see the new diff.")
		}
		return false
	}
	switch {
	case res.Unchanged:
		fmt.Fprint(stdout, "  already in place; nothing written\n\n")
	case res.BackupFile != "":
		fmt.Fprintf(stdout, "  applied; the previous document is saved in %s\n\n",
			res.BackupFile)
	default:
		fmt.Fprint(stdout, "  applied\n\n")
	}
	t.applied++
	return true
}

// confirm asks y/N and reads one answer line; anything but y or yes is no.
func confirm(w io.Writer, answers *bufio.Reader) bool {
	fmt.Fprint(w, "Apply this change? [y/N] ")
	line, err := answers.ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(w)
		return false
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

// applyTally counts what happened to the changes.
type applyTally struct {
	applied, declined, refused, planned int
}

// dryRun shows the rest of the plan after the first change, writing nothing.
func (t *applyTally) dryRun(changes []awsops.Change, handled map[string]bool, step int,
	stdout io.Writer) {
	for _, c := range changes {
		if handled[c.ID] {
			continue
		}
		step++
		printDiff(stdout, step, c)
		fmt.Fprintln(stdout)
		if c.Refusal != "" {
			t.refused++
		} else {
			t.planned++
		}
	}
}

func (t applyTally) report(w io.Writer, dryRun bool) int {
	switch {
	case dryRun:
		fmt.Fprintf(w, "Dry run: %d change(s) would be applied, %d refused; nothing was "+
			"written.\n", t.planned, t.refused)
	case t.applied+t.declined+t.refused == 0:
		fmt.Fprintln(w, "Nothing to change: the buckets and key already hold what Slateo "+
			"needs.")
	default:
		fmt.Fprintf(w, "%d applied, %d declined, %d refused.\n", t.applied, t.declined,
			t.refused)
		if t.applied > 0 {
			fmt.Fprintln(w, "Run `slateo-s3 check` to verify; `slateo-s3 restore FILE` "+
				"puts a backup back.")
		}
	}
	if t.refused > 0 {
		return exitFail
	}
	return exitOK
}

// isTerminal reports whether f is a terminal a person can answer on (/dev/null, a pipe or a
// file is not).
func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
