package kmssim

import "fmt"

// ImportKey adds an enabled key as described, for an account rebuilt from what was read of
// another one: its id, region, description, policy, creation time and manager (CUSTOMER or
// AWS); DisableKey and ScheduleKeyDeletion then give it its state. The policy's principals
// are checked as PutKeyPolicy checks them, but not for lockout, since the key held that
// policy. An AWS-managed key becomes its region's aws/s3 key. It returns the key's ARN;
// nothing is recorded in the journal.
func (s *Service) ImportKey(k KeyInfo) (string, error) {
	s.mu.Lock()
	defer s.unlock()

	if !keyIDPattern.MatchString(k.ID) {
		return "", fmt.Errorf("importing key %q: not a key id", k.ID)
	}
	if _, ok := s.keys[k.ID]; ok {
		return "", fmt.Errorf("importing key %s: it exists", k.ID)
	}
	s.ensureManaged(k.Region)
	nk := &key{ID: k.ID, Region: k.Region, Account: s.env.Account, Description: k.Description,
		Policy: k.Policy, KeyUsage: "ENCRYPT_DECRYPT", State: StateEnabled,
		Manager: ManagerCustomer, Created: k.Created.UTC()}
	if nk.Created.IsZero() {
		nk.Created = s.env.Now().UTC()
	}
	if k.Manager == ManagerAWS {
		nk.Manager = ManagerAWS
	}
	if nk.Policy == "" {
		nk.Policy = DefaultPolicy(s.env.Account)
	} else if err := s.checkPolicy(nk.Policy, nk.arn(), true); err != nil {
		return "", fmt.Errorf("importing key %s: %w", k.ID, err)
	}
	s.keys[nk.ID] = nk
	if nk.Manager == ManagerAWS {
		s.aliases[aliasKey(nk.Region, ManagedS3Alias)].TargetKeyID = nk.ID
	}
	s.dirty = true
	return nk.arn(), nil
}
