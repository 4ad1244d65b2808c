package kmssim

import (
	"fmt"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// KeyInfo describes one key, for scenarios, tests and the other simulated services.
type KeyInfo struct {
	ID          string
	ARN         string
	Region      string
	Description string
	Policy      string
	State       string
	Manager     string
	Created     time.Time
}

func (k *key) info() KeyInfo {
	return KeyInfo{
		ID: k.ID, ARN: k.arn(), Region: k.Region, Description: k.Description,
		Policy: k.Policy, State: k.State, Manager: k.Manager, Created: k.Created,
	}
}

// CreateKey creates an enabled customer-managed key in a region and returns its ARN. An
// empty policy gives the default key policy; another one is checked as PutKeyPolicy checks
// it. Nothing is recorded in the journal.
func (s *Service) CreateKey(region, description, policy string) (string, error) {
	s.mu.Lock()
	defer s.unlock()

	k, err := s.newKey(region, description, policy, false)
	if err != nil {
		return "", fmt.Errorf("creating key in %s: %w", region, err)
	}
	return k.arn(), nil
}

// CreateKeyAt is CreateKey for a key created at a given time, so that a scenario's key
// carries the CreationDate its history tells.
func (s *Service) CreateKeyAt(region, description, policy string, at time.Time) (string, error) {
	s.mu.Lock()
	defer s.unlock()

	k, err := s.newKey(region, description, policy, false)
	if err != nil {
		return "", fmt.Errorf("creating key in %s: %w", region, err)
	}
	k.Created = at.UTC()
	return k.arn(), nil
}

// CreateAlias points a new alias (alias/NAME) at a key given by id or ARN.
func (s *Service) CreateAlias(region, alias, keyID string) error {
	s.mu.Lock()
	defer s.unlock()

	c := &call{JSONCall: &simcore.JSONCall{Region: region}}
	if err := s.addAlias(c, alias, keyID); err != nil {
		return fmt.Errorf("creating alias %s in %s: %w", alias, region, err)
	}
	return nil
}

// PutKeyPolicy replaces the policy of a key given by id or ARN, after the checks KMS makes
// (principals that exist, the lockout check).
func (s *Service) PutKeyPolicy(region, keyID, policy string) error {
	s.mu.Lock()
	defer s.unlock()

	k, err := s.findKey(region, keyID)
	if err == nil {
		err = s.setPolicy(k, "default", policy, false)
	}
	if err != nil {
		return fmt.Errorf("putting policy of key %s: %w", keyID, err)
	}
	return nil
}

// DisableKey disables a customer-managed key given by id or ARN.
func (s *Service) DisableKey(region, keyID string) error {
	return s.apply(region, keyID, "kms:DisableKey", func(k *key) error {
		return s.setState(k, StateDisabled)
	})
}

// EnableKey enables a customer-managed key given by id or ARN.
func (s *Service) EnableKey(region, keyID string) error {
	return s.apply(region, keyID, "kms:EnableKey", func(k *key) error {
		return s.setState(k, StateEnabled)
	})
}

// ScheduleKeyDeletion puts a customer-managed key in PendingDeletion for 7 to 30 days.
func (s *Service) ScheduleKeyDeletion(region, keyID string, days int) error {
	return s.apply(region, keyID, "kms:ScheduleKeyDeletion", func(k *key) error {
		return s.schedule(k, days)
	})
}

func (s *Service) apply(region, keyID, action string, change func(*key) error) error {
	s.mu.Lock()
	defer s.unlock()

	k, err := s.findKey(region, keyID)
	if err == nil && k.Manager == ManagerAWS {
		err = s.denied(action, k)
	}
	if err == nil {
		err = change(k)
	}
	if err != nil {
		return fmt.Errorf("%s on key %s: %w", action, keyID, err)
	}
	return nil
}

// Key describes a key given by id, key ARN, alias name or alias ARN, as DescribeKey finds it.
func (s *Service) Key(region, ref string) (KeyInfo, error) {
	s.mu.Lock()
	defer s.unlock()

	k, err := s.findAny(region, ref)
	if err != nil {
		return KeyInfo{}, fmt.Errorf("describing key %s: %w", ref, err)
	}
	return k.info(), nil
}

// Keys lists every key of every region, AWS-managed ones included.
func (s *Service) Keys() []KeyInfo {
	s.mu.Lock()
	defer s.unlock()

	out := make([]KeyInfo, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, k.info())
	}
	return out
}

// ErrorCode returns the KMS error code of an error from this package's Go API, or "".
func ErrorCode(err error) string {
	return simcore.JSONErrorCode(err)
}

// Service is one of the sandbox's services.
var _ simcore.Service = (*Service)(nil)
