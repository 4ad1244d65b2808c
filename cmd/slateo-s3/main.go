// Command slateo-s3 sets up, checks and troubleshoots the two S3 buckets (and optional KMS
// key) that a customer lends to Slateo. Without a subcommand it opens the console.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes, decided only in this package.
const (
	exitOK      = 0
	exitFail    = 1
	exitUsage   = 2
	exitUnknown = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runConsole(args, stdout, stderr)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "events":
		return runEvents(rest, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "report":
		return runReport(rest, stdout, stderr)
	case "iam-policy":
		return runIAMPolicy(rest, stdout, stderr)
	case "sandbox":
		return runSandbox(rest, stdout, stderr)
	case "plan":
		return runPlan(rest, stdout, stderr)
	case "apply":
		return runApply(rest, stdout, stderr)
	case "restore":
		return runRestore(rest, stdout, stderr)
	case "help":
		printUsage(stdout)
		return exitOK
	default:
		fmt.Fprintf(stderr, "slateo-s3: unknown command %q\n\n", cmd)
		printUsage(stderr)
		return exitUsage
	}
}

const usageText = `slateo-s3 sets up, checks and troubleshoots the S3 buckets you lend to Slateo.

Usage:
  slateo-s3 [--sandbox] [flags]        the console
  slateo-s3 check [--json] [flags]     the checklist once (exit 0 ok, 1 failure,
                                       2 invalid input, 3 unknown without failure)
  slateo-s3 plan [flags]               the AWS CLI commands and documents that would converge
  slateo-s3 apply [--yes] [--dry-run]  write the plan, after showing it and asking
  slateo-s3 restore FILE [--yes]       put a backed-up document back
  slateo-s3 events [--since 24h]       CloudTrail denials and their diagnosis
  slateo-s3 report [--json] [-o FILE]  one document for a support ticket (redacted)
  slateo-s3 iam-policy [--apply]       the least-privilege IAM policy for your own user
  slateo-s3 sandbox [flags]            run the local AWS sandbox in the foreground
                                       (--from-report FILE rebuilds a customer's setup)
  slateo-s3 <command> --help           the flags of one command

Settings flags shared by all commands: --org, --company, --uploads-bucket,
--cache-bucket, --region, --kms-key, --org-id, --profile, --endpoint-url, --config,
--sandbox, --scenario, --from-report. Flags win over SLATEO_* environment variables,
which win over the saved config file. check, events and the console take --redact (mask
account ids, access keys, IP addresses, user and session names, emails); report masks
them unless --no-redact.
`

func printUsage(w io.Writer) {
	fmt.Fprint(w, usageText)
}

// newFlagSet makes a subcommand's FlagSet that reports errors instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; ok is false when the command must stop with code (help or a
// usage error, already printed).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage, false
	}
	return exitOK, true
}
