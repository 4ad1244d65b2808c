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

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// restoreOptions are the flags of `slateo-s3 restore FILE`.
type restoreOptions struct {
	settings   *settingsFlags
	file       string
	yes        bool
	backupDir  string
	timeout    time.Duration
	stdin      io.Reader
	isTerminal bool
}

// restoreSession is what restore needs of an AWS session.
type restoreSession interface {
	PlanRestore(context.Context, string) (awsops.Change, error)
	Apply(context.Context, model.Settings, awsops.Change, string) (awsops.ApplyResult, error)
}

// runRestore puts a backup written by apply back, after showing the diff and asking. The
// document it replaces is backed up first, so a restore can be undone too.
func runRestore(args []string, stdout, stderr io.Writer) int {
	const synopsis = "slateo-s3 restore FILE [--yes] [--backup-dir D] [flags]"
	fs := newFlagSet("restore", synopsis, stderr)
	o := restoreOptions{settings: bindSettings(fs), stdin: os.Stdin,
		isTerminal: isTerminal(os.Stdin)}
	fs.BoolVar(&o.yes, "yes", false, "restore without asking")
	fs.StringVar(&o.backupDir, "backup-dir", "",
		"where to save the document the restore replaces (default: apply's)")
	timeoutVar(fs, &o.timeout, 2*time.Minute, "give up on AWS after this `duration`")

	// The file may come before or after the flags.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		o.file, args = args[0], args[1:]
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage
	case o.file == "" && fs.NArg() == 1:
		o.file = fs.Arg(0)
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(fs.NArg()-1))
		fs.Usage()
		return exitUsage
	}
	if o.file == "" {
		fail(stderr, "restore", exitUsage, "name the backup file to restore")
		fs.Usage()
		return exitUsage
	}
	return o.start(stdout, stderr)
}

// start checks the settings, the terminal and the backup file, and runs.
func (o restoreOptions) start(stdout, stderr io.Writer) int {
	s, err := o.settings.resolve()
	if err = connectionErrors(err); err != nil {
		return fail(stderr, "restore", exitUsage, err)
	}
	if !o.yes && !o.isTerminal {
		return fail(stderr, "restore", exitUsage, "standard input is not a terminal, so "+
			"the restore cannot be confirmed; pass --yes to restore without asking")
	}
	if _, err := awsops.ReadBackup(o.file); err != nil {
		return fail(stderr, "restore", exitUsage, err)
	}
	if o.backupDir, err = backupDirOr(o.backupDir); err != nil {
		return fail(stderr, "restore", exitUsage, err)
	}

	c := awsCommand{name: "restore", settings: o.settings, timeout: o.timeout, stderr: stderr}
	return c.connected(s, func(ctx context.Context, conn *connection) int {
		return o.run(ctx, conn.session, conn.settings, stdout, stderr)
	})
}

func (o restoreOptions) run(ctx context.Context, sess restoreSession, s model.Settings,
	stdout, stderr io.Writer) int {
	c, err := sess.PlanRestore(ctx, o.file)
	if err != nil {
		return failClean(stderr, "restore", exitFail, err)
	}
	if c.Diff() == "" {
		fmt.Fprintln(stdout, "Nothing to restore: the document already equals the backup.")
		return exitOK
	}
	printDiff(stdout, 1, c)
	if !o.yes && !confirm(stdout, bufio.NewReader(o.stdin)) {
		fmt.Fprintln(stdout, "  not restored")
		return exitOK
	}
	res, err := sess.Apply(ctx, s, c, o.backupDir)
	if err != nil {
		return failClean(stderr, "restore", exitFail, err)
	}
	fmt.Fprintf(stdout, "  restored; the document it replaced is saved in %s\n",
		res.BackupFile)
	return exitOK
}

// connectionErrors keeps of a settings error only what matters for reaching AWS: a backup
// names its own bucket or key and region, so restore needs no org, company or bucket names,
// only a valid region and endpoint to connect with.
func connectionErrors(err error) error {
	var invalid *model.ValidationError
	if !errors.As(err, &invalid) {
		return err
	}
	var kept []model.FieldError
	for _, f := range invalid.Fields {
		if f.Field == model.FieldRegion || f.Field == model.FieldEndpointURL {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return &model.ValidationError{Fields: kept}
}
