package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// fail prints msg as one error line of the subcommand name ("slateo-s3 check: ...") and
// returns code, so that a command can end with `return fail(...)`.
func fail(stderr io.Writer, name string, code int, msg any) int {
	fmt.Fprintf(stderr, "slateo-s3 %s: %v\n", name, msg)
	return code
}

// failClean is fail for an error whose text may hold what AWS sent: it is cleaned of
// terminal control sequences first.
func failClean(stderr io.Writer, name string, code int, err error) int {
	return fail(stderr, name, code, model.Clean(err.Error(), true))
}

// awsCommand is what the subcommands that reach AWS share: the name their error lines
// start with, the settings flags that connect, and how long they may take.
type awsCommand struct {
	name     string
	settings *settingsFlags
	timeout  time.Duration
	connect  awsops.ConnectOptions
	stderr   io.Writer
}

// connected connects with s under a context that ends on an interrupt, on SIGTERM or after
// the timeout, and returns what fn returns. A failed connection prints its error and
// returns exitFail; the connection is closed after fn.
func (c awsCommand) connected(s model.Settings,
	fn func(context.Context, *connection) int) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	conn, err := c.settings.connect(ctx, s, c.connect)
	if err != nil {
		return fail(c.stderr, c.name, exitFail, err)
	}
	defer conn.Close()
	return fn(ctx, conn)
}

// backupDirOr returns dir, or apply's default backup directory when dir is empty; its
// error tells the user to pass --backup-dir.
func backupDirOr(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	dir, err := awsops.DefaultBackupDir()
	if err != nil {
		return "", fmt.Errorf("%w; pass --backup-dir", err)
	}
	return dir, nil
}
