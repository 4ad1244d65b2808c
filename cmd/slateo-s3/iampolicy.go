package main

import (
	"fmt"
	"io"

	"slateo-s3/awsops"
)

// runIAMPolicy prints the least-privilege IAM policy that the admin's own credentials need:
// read-only for check, plan, events and report; with --apply also for apply and restore.
// It talks to no AWS service. Exit 0: printed; 2: invalid input.
func runIAMPolicy(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("iam-policy", "slateo-s3 iam-policy [--apply] [flags]", stderr)
	settings := bindSettings(fs)
	write := fs.Bool("apply", false, "also allow what apply and restore write")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	s, err := settings.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "slateo-s3 iam-policy: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stdout, awsops.IAMPolicy(s, *write))
	return exitOK
}
