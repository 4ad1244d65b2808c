package sandbox

import (
	"fmt"
	"os"
	"strings"

	"slateo-s3/awsops/sandbox/scenario"
)

// readReport reads Options.FromReport, when set.
func readReport(path string) (*scenario.Report, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading report %s: %w", path, err)
	}
	rep, err := scenario.ParseReport(data)
	if err != nil {
		return nil, fmt.Errorf("reading report %s: %w", path, err)
	}
	return rep, nil
}

// withReport adapts the options to a report's account: its account id when the report
// shows it, the org roles its policies name, and a fault for every read its credentials
// were refused, so that the same facts stay unknown.
func (o Options) withReport(rep *scenario.Report) Options {
	if rep == nil {
		return o
	}
	if o.Account == "" {
		o.Account = rep.CallerAccount()
	}
	o.OrgRoles = append(append([]string(nil), o.OrgRoles...), rep.OrgRoles()...)
	o.Faults = append([]Fault(nil), o.Faults...)
	for _, d := range rep.Denied() {
		op, bucket, _ := strings.Cut(d, ":")
		code := "AccessDeniedException"
		if bucket != "" {
			code = "AccessDenied"
		}
		o.Faults = append(o.Faults, Fault{Operation: op, Bucket: bucket, Code: code})
	}
	return o
}

// applyReport builds a report's account.
func applyReport(rep *scenario.Report, s *Server) error {
	err := rep.Apply(scenario.Target{Env: s.env, S3: s.s3, KMS: s.kms, Trail: s.trail})
	if err != nil {
		return fmt.Errorf("applying report %s: %w", s.opts.FromReport, err)
	}
	return nil
}
