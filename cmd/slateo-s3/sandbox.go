package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/scenario"
	"slateo-s3/awsops/sandbox/simcore"
)

// sandboxOptions are the flags of `slateo-s3 sandbox`.
type sandboxOptions struct {
	listen   string
	scenario string
	state    string
	events   string
	latency  time.Duration
	faults   []sandbox.Fault
	logFile  string
	account  string
	orgRoles string
	// fromReport is a report --json file whose account the sandbox rebuilds.
	fromReport string
	// listenSet is true when the user passed --listen, the only case that may leave loopback.
	listenSet bool
}

// runSandbox serves the local AWS sandbox in the foreground until SIGINT or SIGTERM.
func runSandbox(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseSandboxFlags(args, stderr)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return o.run(ctx, stdout, stderr)
}

func parseSandboxFlags(args []string, stderr io.Writer) (sandboxOptions, int, bool) {
	fs := newFlagSet("sandbox", "slateo-s3 sandbox [flags]", stderr)
	var o sandboxOptions
	fs.StringVar(&o.listen, "listen", "127.0.0.1:4566",
		"address to listen on (loopback unless you pass --listen yourself)")
	fs.StringVar(&o.scenario, "scenario", "broken", "the account to start with: "+
		"empty, healthy or broken")
	fs.StringVar(&o.state, "state", "", "load the account from FILE and save every change there")
	fs.StringVar(&o.events, "events", "", "add CloudTrail records from FILE (JSON lines)")
	fs.DurationVar(&o.latency, "latency", 0, "delay every answer by D, such as 100ms")
	fs.Func("fail", "make an operation fail: OP=CODE[@rate] or OP:bucket=CODE[@rate] "+
		"(repeatable)", func(v string) error {
		f, err := sandbox.ParseFault(v)
		if err == nil {
			o.faults = append(o.faults, f)
		}
		return err
	})
	fs.StringVar(&o.logFile, "log", "", "append one JSON line per request to FILE")
	fs.StringVar(&o.account, "account", "", "the sandbox's account id (default "+
		simcore.DefaultAccount+", or the one in --state)")
	fs.StringVar(&o.orgRoles, "org-roles", "acme",
		"org slugs whose Slateo role exists, comma-separated")

	fs.StringVar(&o.fromReport, "from-report", "", "rebuild the account a `slateo-s3 report "+
		"--json` FILE describes (masked or not) instead of a scenario")

	code, ok := parseFlags(fs, args)
	scenarioSet := false
	fs.Visit(func(f *flag.Flag) {
		o.listenSet = o.listenSet || f.Name == "listen"
		scenarioSet = scenarioSet || f.Name == "scenario"
	})
	if ok && scenarioSet && o.fromReport != "" {
		fmt.Fprintln(stderr, "--scenario and --from-report cannot be used together")
		return o, exitUsage, false
	}
	if o.fromReport != "" {
		o.scenario = "from report " + o.fromReport
	}
	return o, code, ok
}

func (o sandboxOptions) run(ctx context.Context, stdout, stderr io.Writer) int {
	opts, closeLog, err := o.options()
	if err != nil {
		fmt.Fprintf(stderr, "slateo-s3 sandbox: %v\n", err)
		return exitUsage
	}
	defer closeLog()

	srv, err := sandbox.Start(opts)
	if err != nil {
		fmt.Fprintf(stderr, "slateo-s3 sandbox: %v\n", err)
		if errors.Is(err, sandbox.ErrInvalidInput) {
			return exitUsage
		}
		return exitFail
	}
	printSandboxBanner(stdout, srv.URL(), o.scenario, srv.Account())
	warnIfReachable(stderr, srv.Addr())
	if o.fromReport != "" {
		printReportHint(stdout, o.fromReport)
	}

	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "slateo-s3 sandbox: stopping: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(stdout, "Sandbox stopped.")
	return exitOK
}

// options turns the flags into sandbox.Options, opening the request log.
func (o sandboxOptions) options() (sandbox.Options, func(), error) {
	opts := sandbox.Options{
		Listen:      o.listen,
		AllowRemote: o.listenSet,
		Scenario:    o.scenario,
		StateFile:   o.state,
		EventsFile:  o.events,
		Latency:     o.latency,
		Faults:      o.faults,
		Account:     o.account,
		OrgRoles:    splitList(o.orgRoles),
		FromReport:  o.fromReport,
	}
	if o.latency < 0 {
		return opts, func() {}, errors.New("--latency cannot be negative")
	}
	if o.fromReport != "" {
		opts.Scenario = ""
		if _, err := readReportFile(o.fromReport); err != nil {
			return opts, func() {}, err
		}
	} else if !slices.Contains(scenario.Names, o.scenario) {
		return opts, func() {}, fmt.Errorf("--scenario %q: the scenarios are %s", o.scenario,
			strings.Join(scenario.Names, ", "))
	}
	if o.logFile == "" {
		return opts, func() {}, nil
	}
	f, err := os.OpenFile(o.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return opts, func() {}, fmt.Errorf("opening request log %s: %w", o.logFile, err)
	}
	opts.Log = f
	return opts, func() { f.Close() }, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func printSandboxBanner(w io.Writer, url, scenario, account string) {
	fmt.Fprintf(w, "Sandbox listening on %s (scenario %s, account %s)\n\n", url, scenario,
		account)
	fmt.Fprintln(w, "Point the AWS CLI v2 (and slateo-s3) at it:")
	fmt.Fprintf(w, "  export AWS_ENDPOINT_URL=%s\n", url)
	fmt.Fprintln(w, "  export AWS_ACCESS_KEY_ID=test")
	fmt.Fprintln(w, "  export AWS_SECRET_ACCESS_KEY=test")
	fmt.Fprintln(w, "  export AWS_REGION=us-west-2")
	fmt.Fprintf(w, "AWS CLI releases before 2.13 ignore AWS_ENDPOINT_URL: give them "+
		"--endpoint-url %s\n\n", url)
	fmt.Fprintln(w, "Then, for example: slateo-s3 check --org acme --company acme")
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}

// warnIfReachable says so when the sandbox, which accepts any credentials and any write,
// listens beyond loopback: "--listen :4566" is easy to type and serves every interface.
func warnIfReachable(w io.Writer, addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(w, "WARNING: the sandbox listens on %s, reachable from other hosts; it "+
		"accepts any credentials and any write. Use --listen 127.0.0.1:PORT to keep it local.\n",
		addr)
}
