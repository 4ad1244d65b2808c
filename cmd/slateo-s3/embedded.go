package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/scenario"
)

// embeddedFlags are --sandbox and --scenario: run the command against an in-process
// sandbox instead of AWS.
type embeddedFlags struct {
	enabled  bool
	scenario string
	// fromReport is a report --json file whose account the sandbox rebuilds.
	fromReport string
}

func (e *embeddedFlags) bind(fs *flag.FlagSet) {
	fs.BoolVar(&e.enabled, "sandbox", false,
		"use an in-process local sandbox instead of AWS (org acme, company acme, us-west-2)")
	fs.StringVar(&e.scenario, "scenario", "broken",
		"with --sandbox: the sandbox's account, empty, healthy or broken")
	fs.StringVar(&e.fromReport, "from-report", "", "with --sandbox: rebuild the account a "+
		"`slateo-s3 report --json` FILE describes and use its settings")
}

// conflicts rejects flags that make no sense together: --sandbox has its own endpoint and
// credentials, and --scenario means nothing without it.
func (e *embeddedFlags) conflicts(fs *flag.FlagSet) error {
	var errs []error
	fs.Visit(func(f *flag.Flag) {
		switch {
		case f.Name == "scenario" && !e.enabled:
			errs = append(errs, errors.New("--scenario needs --sandbox"))
		case f.Name == "from-report" && !e.enabled:
			errs = append(errs, errors.New("--from-report needs --sandbox"))
		case f.Name == "scenario" && e.fromReport != "":
			errs = append(errs, errors.New("--scenario and --from-report cannot be used "+
				"together"))
		case !e.enabled:
		case f.Name == "endpoint-url" || f.Name == "profile" || f.Name == "config":
			errs = append(errs, fmt.Errorf("--%s cannot be used with --sandbox", f.Name))
		}
	})
	if e.enabled && !slices.Contains(scenario.Names, e.scenario) {
		errs = append(errs, fmt.Errorf("--scenario %q: the scenarios are %s", e.scenario,
			strings.Join(scenario.Names, ", ")))
	}
	return errors.Join(errs...)
}

// start runs the sandbox on a free loopback port and returns its URL and what stops it.
func (e *embeddedFlags) start() (string, func() error, error) {
	srv, err := sandbox.Start(sandbox.Options{Scenario: e.scenario, FromReport: e.fromReport})
	if err != nil {
		return "", nil, fmt.Errorf("starting the in-process sandbox: %w", err)
	}
	return srv.URL(), srv.Close, nil
}

// sandboxCredentials are the fake static credentials the sandbox accepts, so that --sandbox
// needs no AWS set-up and never reaches for a real profile.
func sandboxCredentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("test", "test", "")
}
