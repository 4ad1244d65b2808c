package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"slateo-s3/awsops"
	"slateo-s3/model"
	"slateo-s3/ui"
)

// consoleOptions are the flags of the console, the default command.
type consoleOptions struct {
	settings *settingsFlags
	refresh  time.Duration
	logFile  string
	// writes lets the wizard apply a step (after a confirmation); backupDir keeps the
	// documents each write replaces.
	writes    bool
	backupDir string
	// redact masks account ids, keys, addresses and names from the start (R toggles it);
	// reportDir is where the S key saves the support report.
	redact    bool
	reportDir string
	// program runs the Bubble Tea model until it quits; tests replace it.
	program func(ctx context.Context, m tea.Model, stdout io.Writer) error
}

// runProgram runs the console full-screen on the terminal until it quits or ctx ends.
func runProgram(ctx context.Context, m tea.Model, stdout io.Writer) error {
	_, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithOutput(stdout)).Run()
	return err
}

// runConsole opens the interactive console: `slateo-s3 [--sandbox] [flags]`. Incomplete
// settings are not an error here: the console opens on its settings form.
func runConsole(args []string, stdout, stderr io.Writer) int {
	return runConsoleWith(args, stdout, stderr, runProgram)
}

// runConsoleWith is runConsole with the program runner injected.
func runConsoleWith(args []string, stdout, stderr io.Writer,
	program func(context.Context, tea.Model, io.Writer) error) int {
	fs := newFlagSet("slateo-s3", "slateo-s3 [--sandbox] [flags]", stderr)
	o := consoleOptions{settings: bindSettings(fs), program: program}
	fs.DurationVar(&o.refresh, "refresh", ui.DefaultRefresh,
		"re-read AWS this often on the checklist (0 turns auto-refresh off)")
	fs.StringVar(&o.logFile, "log-file", "", "append every AWS call as one JSON line to FILE")
	fs.BoolVar(&o.writes, "allow-writes", false,
		"let the setup wizard apply a step after showing its diff (always on with --sandbox)")
	fs.StringVar(&o.backupDir, "backup-dir", "",
		"where to back up each document before a write (default: the user state dir)")
	fs.BoolVar(&o.redact, "redact", false, "mask account ids, access keys, IP addresses, "+
		"user and session names and emails on every screen (R toggles it)")
	fs.StringVar(&o.reportDir, "report-dir", ".",
		"where the S key saves the support report")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}

	s, err := o.settings.resolve()
	var invalid *model.ValidationError
	if err != nil && !errors.As(err, &invalid) {
		fmt.Fprintf(stderr, "slateo-s3: %v\n", err)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := o.run(ctx, s, stdout); err != nil {
		fmt.Fprintf(stderr, "slateo-s3: %v\n", err)
		return exitFail
	}
	return exitOK
}

// run wires the console: the call log, the sandbox when asked, saving, and the program.
func (o consoleOptions) run(ctx context.Context, s model.Settings, stdout io.Writer) error {
	callLog := &awsops.CallLog{}
	if o.logFile != "" {
		f, err := os.OpenFile(o.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("opening the log file: %w", err)
		}
		defer f.Close()
		callLog.Sink = f
	}

	uopts, copts, closeAll, err := o.options(ctx, s, callLog)
	if err != nil {
		return err
	}
	defer closeAll()
	uopts.Connect = func(ctx context.Context, s model.Settings) (ui.Backend, error) {
		session, err := awsops.Connect(ctx, s, copts)
		if err != nil {
			return nil, err
		}
		return session, nil
	}
	uopts.Redact = o.redact
	uopts.SaveReport = consoleReportSaver(copts, o.reportDir, time.Now)
	terminalOptions(&uopts)

	err = o.program(ctx, ui.New(uopts), stdout)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("running the console: %w", err)
	}
	return nil
}

// options builds the console's and the SDK's options: with --sandbox it starts the
// sandbox, which closeAll stops, and lets the wizard write to it.
func (o consoleOptions) options(ctx context.Context, s model.Settings,
	callLog *awsops.CallLog) (ui.Options, awsops.ConnectOptions, func(), error) {
	copts := awsops.ConnectOptions{Log: callLog}
	uopts := ui.Options{Settings: s, Log: callLog, Refresh: o.refresh, Context: ctx,
		WritesAllowed: o.writes, BackupDir: o.backupDir, SaveSettings: o.saver()}
	if o.refresh == 0 {
		uopts.Refresh = -1
	}
	var closers []func()
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	if o.settings.embedded.enabled {
		url, closeSandbox, err := o.settings.embedded.start()
		if err != nil {
			return uopts, copts, closeAll, err
		}
		closers = append(closers, func() { _ = closeSandbox() })
		uopts.Settings.EndpointURL = url
		uopts.Sandbox, uopts.WritesAllowed, uopts.SaveSettings = true, true, nil
		copts.Credentials = sandboxCredentials()
		copts.Isolated = true
	}
	if uopts.WritesAllowed && uopts.BackupDir == "" {
		dir, err := o.defaultBackupDir()
		if err != nil {
			return uopts, copts, closeAll, err
		}
		closers = append(closers, dir.cleanup)
		uopts.BackupDir = dir.path
	}
	return uopts, copts, closeAll, nil
}

// saver stores the form's settings in the config file the settings were loaded from.
func (o consoleOptions) saver() func(model.Settings) error {
	return func(s model.Settings) error {
		path := o.settings.config
		if path == "" {
			p, err := o.settings.configPath()
			if err != nil {
				return err
			}
			path = p
		}
		return model.SaveConfig(path, s)
	}
}

// terminalOptions reads what the console needs to know about the terminal: NO_COLOR, a
// multiplexer between it and the real terminal, and where clipboard sequences can go.
func terminalOptions(o *ui.Options) {
	if v, ok := os.LookupEnv("NO_COLOR"); ok && v != "" {
		o.NoColor = true
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	switch {
	case os.Getenv("TMUX") != "":
		o.Multiplexer = "tmux"
	case strings.HasPrefix(os.Getenv("TERM"), "screen"):
		o.Multiplexer = "screen"
	}
	if term.IsTerminal(os.Stderr.Fd()) {
		o.Clipboard = os.Stderr
	}
}

// backupDir is where writes back up documents, and what to do with it afterwards.
type backupDir struct {
	path    string
	cleanup func()
}

// defaultBackupDir is the user's state directory; with --sandbox, whose account ends with
// the console, a temporary directory removed on exit.
func (o consoleOptions) defaultBackupDir() (backupDir, error) {
	if o.settings.embedded.enabled {
		dir, err := os.MkdirTemp("", "slateo-s3-sandbox-backups-")
		if err != nil {
			return backupDir{}, fmt.Errorf("creating the sandbox's backup directory: %w", err)
		}
		return backupDir{path: dir, cleanup: func() { _ = os.RemoveAll(dir) }}, nil
	}
	dir, err := awsops.DefaultBackupDir()
	if err != nil {
		return backupDir{}, fmt.Errorf("finding the backup directory: %w", err)
	}
	return backupDir{path: dir, cleanup: func() {}}, nil
}
