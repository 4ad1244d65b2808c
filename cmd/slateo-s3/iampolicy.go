package main

import (
	"errors"
	"fmt"
	"io"

	"slateo-s3/awsops"
	"slateo-s3/model"
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
	if onlyOrgMissing(err) {
		// The policy names the buckets, the region and the key, not the org.
		err = nil
	}
	if err != nil {
		fmt.Fprintf(stderr, "slateo-s3 iam-policy: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stdout, awsops.IAMPolicy(s, *write))
	return exitOK
}

// onlyOrgMissing reports whether err only says that the org slug is missing or invalid.
func onlyOrgMissing(err error) bool {
	var v *model.ValidationError
	if !errors.As(err, &v) || len(v.Fields) == 0 {
		return false
	}
	for _, f := range v.Fields {
		if f.Field != model.FieldOrg {
			return false
		}
	}
	return true
}
