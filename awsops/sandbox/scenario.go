package sandbox

import (
	"fmt"

	"slateo-s3/awsops/sandbox/scenario"
)

// applyScenario builds the named starting account.
func applyScenario(name string, s *Server) error {
	err := scenario.Apply(name, scenario.Target{Env: s.env, S3: s.s3, KMS: s.kms,
		Trail: s.trail})
	if err != nil {
		return fmt.Errorf("applying scenario %q: %w", name, err)
	}
	return nil
}
