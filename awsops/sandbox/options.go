package sandbox

import (
	"fmt"
	"io"
	"net"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// Options configure a sandbox. The zero value serves an empty account on a free loopback
// port.
type Options struct {
	// Listen is the address to listen on; default "127.0.0.1:0". A host that is not a
	// loopback address is refused unless AllowRemote is set.
	Listen string
	// AllowRemote permits a non-loopback Listen host; set it only when the user asked for
	// that address explicitly.
	AllowRemote bool
	// Scenario names the starting account: "empty" (default), "healthy" or "broken". It is
	// applied only when no state was loaded from StateFile.
	Scenario string
	// StateFile, when set, is loaded at start if it exists, and saved atomically after
	// every change.
	StateFile string
	// EventsFile, when set, holds CloudTrail records as JSON lines to add to the journal.
	EventsFile string
	// Latency delays every answer; a request cancelled meanwhile gets no answer.
	Latency time.Duration
	// Faults make operations fail.
	Faults []Fault
	// Log, when set, receives one JSON line per request: time, service, operation, bucket,
	// status.
	Log io.Writer
	// Account is the 12-digit account served; default simcore.DefaultAccount, or the
	// account of a loaded state file.
	Account string
	// OrgRoles are the org slugs whose Slateo storage role exists; default ["acme"].
	OrgRoles []string
	// FromReport, when set, is a `slateo-s3 report --json` file whose account the sandbox
	// rebuilds instead of a scenario (unless a state file was loaded): buckets, settings,
	// keys with their ids, trails. Masked accounts map to the sandbox's account.
	FromReport string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	if o.Scenario == "" {
		o.Scenario = "empty"
	}
	if o.OrgRoles == nil {
		o.OrgRoles = []string{"acme"}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func (o Options) validate() error {
	host, _, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return fmt.Errorf("checking listen address %q: %w", o.Listen, err)
	}
	if !o.AllowRemote && !isLoopback(host) {
		return fmt.Errorf("checking listen address %q: %q is not a loopback address; "+
			"name it explicitly to serve other hosts", o.Listen, host)
	}
	if o.Account != "" && !isAccountID(o.Account) {
		return fmt.Errorf("checking account %q: an account id is 12 digits", o.Account)
	}
	for _, f := range o.Faults {
		if err := f.validate(); err != nil {
			return fmt.Errorf("checking fault %s=%s: %w", f.Operation, f.Code, err)
		}
	}
	if o.Latency < 0 {
		return fmt.Errorf("checking latency %v: it is negative", o.Latency)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// defaultAccount is the account served when neither the options nor a state file name one.
const defaultAccount = simcore.DefaultAccount
