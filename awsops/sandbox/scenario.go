package sandbox

import "fmt"

// applyScenario builds the named starting account.
func applyScenario(name string, s *Server) error {
	switch name {
	case "empty":
		return nil
	}
	return fmt.Errorf("applying scenario %q: unknown scenario; want empty, healthy or broken",
		name)
}
