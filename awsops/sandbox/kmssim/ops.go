package kmssim

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

type keyRequest struct {
	KeyID string `json:"KeyId"`
}

type createKeyRequest struct {
	Description                    string `json:"Description"`
	Policy                         string `json:"Policy"`
	KeyUsage                       string `json:"KeyUsage"`
	KeySpec                        string `json:"KeySpec"`
	BypassPolicyLockoutSafetyCheck bool   `json:"BypassPolicyLockoutSafetyCheck"`
}

type keyMetadataResponse struct {
	KeyMetadata metadata `json:"KeyMetadata"`
}

func (s *Service) createKey(c *call) (any, error) {
	var req createKeyRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	if err := checkKeySpec(req.KeyUsage, req.KeySpec); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	k, err := s.newKey(c.Region, req.Description, req.Policy, req.BypassPolicyLockoutSafetyCheck)
	if err != nil {
		return nil, err
	}
	c.keyARN = k.arn()
	return keyMetadataResponse{KeyMetadata: k.metadata()}, nil
}

// checkKeySpec accepts the symmetric encryption keys the sandbox models.
func checkKeySpec(usage, spec string) error {
	if usage != "" && usage != "ENCRYPT_DECRYPT" {
		return newError("ValidationException",
			"KeyUsage "+usage+" is not compatible with KeySpec SYMMETRIC_DEFAULT")
	}
	if spec != "" && spec != "SYMMETRIC_DEFAULT" {
		return newError("UnsupportedOperationException",
			"KeySpec "+spec+" is not supported by the sandbox")
	}
	return nil
}

// newKey creates a customer-managed key. Call with s.mu held.
func (s *Service) newKey(region, description, policy string, bypass bool) (*key, error) {
	s.ensureManaged(region)
	k := &key{
		ID:          newKeyID(),
		Region:      region,
		Account:     s.env.Account,
		Description: description,
		Policy:      policy,
		KeyUsage:    "ENCRYPT_DECRYPT",
		State:       StateEnabled,
		Manager:     ManagerCustomer,
		Created:     s.env.Now().UTC(),
	}
	if policy == "" {
		k.Policy = DefaultPolicy(s.env.Account)
	} else if err := s.checkPolicy(policy, k.arn(), bypass); err != nil {
		return nil, err
	}
	s.keys[k.ID] = k
	s.dirty = true
	return k, nil
}

func (s *Service) describeKey(c *call) (any, error) {
	var req keyRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	if req.KeyID == "" {
		_, err := s.findKey(c.Region, "")
		return nil, err
	}
	k, err := s.findAny(c.Region, req.KeyID)
	if err != nil {
		return nil, err
	}
	return keyMetadataResponse{KeyMetadata: k.metadata()}, nil
}

type policyRequest struct {
	KeyID                          string `json:"KeyId"`
	PolicyName                     string `json:"PolicyName"`
	Policy                         string `json:"Policy"`
	BypassPolicyLockoutSafetyCheck bool   `json:"BypassPolicyLockoutSafetyCheck"`
}

type policyResponse struct {
	Policy     string `json:"Policy"`
	PolicyName string `json:"PolicyName"`
}

func checkPolicyName(name string) error {
	if name == "" || name == "default" {
		return nil
	}
	return newError("NotFoundException", "Policy "+name+" does not exist")
}

func (s *Service) getKeyPolicy(c *call) (any, error) {
	var req policyRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	k, err := s.findKey(c.Region, req.KeyID)
	if err != nil {
		return nil, err
	}
	if err := checkPolicyName(req.PolicyName); err != nil {
		return nil, err
	}
	return policyResponse{Policy: k.Policy, PolicyName: "default"}, nil
}

func (s *Service) putKeyPolicy(c *call) (any, error) {
	var req policyRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	k, err := s.findKey(c.Region, req.KeyID)
	if err != nil {
		return nil, err
	}
	c.keyARN = k.arn()
	return struct{}{}, s.setPolicy(k, req.PolicyName, req.Policy, req.BypassPolicyLockoutSafetyCheck)
}

// setPolicy replaces a key's policy after KMS's checks. Call with s.mu held.
func (s *Service) setPolicy(k *key, name, policy string, bypass bool) error {
	if k.Manager == ManagerAWS {
		return s.denied("kms:PutKeyPolicy", k)
	}
	if err := checkPolicyName(name); err != nil {
		return err
	}
	if policy == "" {
		return newError("ValidationException",
			"1 validation error detected: Value null at 'policy' failed to satisfy constraint: "+
				"Member must not be null")
	}
	if err := s.checkPolicy(policy, k.arn(), bypass); err != nil {
		return err
	}
	k.Policy = policy
	s.dirty = true
	return nil
}

type createAliasRequest struct {
	AliasName   string `json:"AliasName"`
	TargetKeyID string `json:"TargetKeyId"`
}

var aliasNamePattern = regexp.MustCompile(`^alias/[a-zA-Z0-9:/_-]{1,250}$`)

func (s *Service) createAlias(c *call) (any, error) {
	var req createAliasRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	return struct{}{}, s.addAlias(c, req.AliasName, req.TargetKeyID)
}

// addAlias creates an alias; c.keyARN is set once the target is known. Call with s.mu held.
func (s *Service) addAlias(c *call, name, target string) error {
	if !aliasNamePattern.MatchString(name) {
		return newError("ValidationException", "1 validation error detected: Value '"+name+
			"' at 'aliasName' failed to satisfy constraint: Member must satisfy regular "+
			"expression pattern: ^alias/[a-zA-Z0-9/_-]+$")
	}
	if strings.HasPrefix(name, "alias/aws/") {
		return newError("NotAuthorizedException",
			"Cannot create alias with prefix 'alias/aws/'")
	}
	k, err := s.findKey(c.Region, target)
	if err != nil {
		return err
	}
	c.keyARN = k.arn()
	if k.Manager == ManagerAWS {
		return newError("NotAuthorizedException", "Cannot associate an alias with an "+
			"AWS managed key")
	}
	if k.State == StatePendingDeletion {
		return newError("KMSInvalidStateException", k.arn()+" is pending deletion.")
	}
	if _, ok := s.aliases[aliasKey(c.Region, name)]; ok {
		return newError("AlreadyExistsException", "An alias with the name "+
			s.aliasARN(c.Region, name)+" already exists")
	}
	now := s.env.Now().UTC()
	s.aliases[aliasKey(c.Region, name)] = &alias{
		Name: name, Region: c.Region, TargetKeyID: k.ID, Created: now, Updated: now,
	}
	s.dirty = true
	return nil
}

type listAliasesRequest struct {
	KeyID  string `json:"KeyId"`
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

type aliasEntry struct {
	AliasName       string  `json:"AliasName"`
	AliasArn        string  `json:"AliasArn"`
	TargetKeyID     string  `json:"TargetKeyId,omitempty"`
	CreationDate    float64 `json:"CreationDate"`
	LastUpdatedDate float64 `json:"LastUpdatedDate"`
}

type listAliasesResponse struct {
	Aliases    []aliasEntry `json:"Aliases"`
	NextMarker string       `json:"NextMarker,omitempty"`
	Truncated  bool         `json:"Truncated"`
}

func (s *Service) listAliases(c *call) (any, error) {
	var req listAliasesRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	limit, err := pageLimit(req.Limit, 50, 100)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	entries, err := s.aliasEntries(c.Region, req.KeyID)
	if err != nil {
		return nil, err
	}
	return page(entries, req.Marker, limit)
}

// aliasEntries lists a region's aliases, sorted by name, optionally of one key only.
// Call with s.mu held.
func (s *Service) aliasEntries(region, keyRef string) ([]aliasEntry, error) {
	s.ensureManaged(region)
	targetID := ""
	if keyRef != "" {
		k, err := s.findKey(region, keyRef)
		if err != nil {
			return nil, err
		}
		targetID = k.ID
	}
	entries := []aliasEntry{}
	for _, a := range s.aliases {
		if a.Region != region || (targetID != "" && a.TargetKeyID != targetID) {
			continue
		}
		entries = append(entries, aliasEntry{
			AliasName:       a.Name,
			AliasArn:        s.aliasARN(region, a.Name),
			TargetKeyID:     a.TargetKeyID,
			CreationDate:    simcore.EpochSeconds(a.Created),
			LastUpdatedDate: simcore.EpochSeconds(a.Updated),
		})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].AliasName < entries[j].AliasName })
	return entries, nil
}

// page cuts one page out of a sorted alias list.
func page(entries []aliasEntry, marker string, limit int) (listAliasesResponse, error) {
	got, next, err := cutPage(entries, func(e aliasEntry) string { return e.AliasName },
		marker, limit)
	if err != nil {
		return listAliasesResponse{}, err
	}
	return listAliasesResponse{Aliases: got, NextMarker: next, Truncated: next != ""}, nil
}

func (s *Service) enableKey(c *call) (any, error) {
	return s.changeState(c, "kms:EnableKey", func(k *key) error {
		return s.setState(k, StateEnabled)
	})
}

func (s *Service) disableKey(c *call) (any, error) {
	return s.changeState(c, "kms:DisableKey", func(k *key) error {
		return s.setState(k, StateDisabled)
	})
}

// changeState resolves the key of a state-changing call and applies the change, which an
// AWS-managed key's policy never allows.
func (s *Service) changeState(c *call, action string, change func(*key) error) (any, error) {
	var req keyRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	k, err := s.findKey(c.Region, req.KeyID)
	if err != nil {
		return nil, err
	}
	c.keyARN = k.arn()
	if k.Manager == ManagerAWS {
		return nil, s.denied(action, k)
	}
	return struct{}{}, change(k)
}

// setState enables or disables a key that is not pending deletion. Call with s.mu held.
func (s *Service) setState(k *key, state string) error {
	if k.State == StatePendingDeletion {
		return newError("KMSInvalidStateException", k.arn()+" is pending deletion.")
	}
	k.State = state
	s.dirty = true
	return nil
}

type scheduleRequest struct {
	KeyID               string `json:"KeyId"`
	PendingWindowInDays *int   `json:"PendingWindowInDays"`
}

type scheduleResponse struct {
	KeyID               string  `json:"KeyId"`
	DeletionDate        float64 `json:"DeletionDate"`
	KeyState            string  `json:"KeyState"`
	PendingWindowInDays int     `json:"PendingWindowInDays"`
}

func (s *Service) scheduleKeyDeletion(c *call) (any, error) {
	var req scheduleRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	days := 30
	if req.PendingWindowInDays != nil {
		days = *req.PendingWindowInDays
	}
	var out scheduleResponse
	_, err := s.changeState(c, "kms:ScheduleKeyDeletion", func(k *key) error {
		if err := s.schedule(k, days); err != nil {
			return err
		}
		out = scheduleResponse{
			KeyID: k.arn(), DeletionDate: simcore.EpochSeconds(k.DeletionDate),
			KeyState: k.State, PendingWindowInDays: days,
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// schedule puts a key in PendingDeletion. Call with s.mu held.
func (s *Service) schedule(k *key, days int) error {
	if days < 7 || days > 30 {
		return newError("ValidationException", "1 validation error detected: Value '"+
			strconv.Itoa(days)+"' at 'pendingWindowInDays' failed to satisfy constraint: "+
			"Member must have value between 7 and 30")
	}
	if k.State == StatePendingDeletion {
		return newError("KMSInvalidStateException", k.arn()+" is pending deletion.")
	}
	k.State = StatePendingDeletion
	k.WindowDays = days
	k.DeletionDate = s.env.Now().UTC().Add(time.Duration(days) * 24 * time.Hour)
	s.dirty = true
	return nil
}

type cancelResponse struct {
	KeyID string `json:"KeyId"`
}

func (s *Service) cancelKeyDeletion(c *call) (any, error) {
	var out cancelResponse
	_, err := s.changeState(c, "kms:CancelKeyDeletion", func(k *key) error {
		if k.State != StatePendingDeletion {
			return newError("KMSInvalidStateException", k.arn()+" is not pending deletion.")
		}
		// A key whose deletion is cancelled comes back disabled, as in AWS.
		k.State = StateDisabled
		k.DeletionDate = time.Time{}
		k.WindowDays = 0
		s.dirty = true
		out = cancelResponse{KeyID: k.arn()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type listKeysRequest struct {
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

type keyEntry struct {
	KeyID  string `json:"KeyId"`
	KeyArn string `json:"KeyArn"`
}

type listKeysResponse struct {
	Keys       []keyEntry `json:"Keys"`
	NextMarker string     `json:"NextMarker,omitempty"`
	Truncated  bool       `json:"Truncated"`
}

// listKeys lists the region's keys, AWS-managed ones included, by key id; the marker is
// the opaque encoding of the last id returned.
func (s *Service) listKeys(c *call) (any, error) {
	var req listKeysRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	limit, err := pageLimit(req.Limit, 100, 1000)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	s.ensureManaged(c.Region)
	var keys []keyEntry
	for _, k := range s.keys {
		if k.Region == c.Region {
			keys = append(keys, keyEntry{KeyID: k.ID, KeyArn: k.arn()})
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].KeyID < keys[j].KeyID })
	return keyPage(keys, req.Marker, limit)
}

// keyPage cuts one page out of a list of keys sorted by id.
func keyPage(keys []keyEntry, marker string, limit int) (listKeysResponse, error) {
	got, next, err := cutPage(keys, func(e keyEntry) string { return e.KeyID }, marker, limit)
	if err != nil {
		return listKeysResponse{}, err
	}
	return listKeysResponse{Keys: got, NextMarker: next, Truncated: next != ""}, nil
}

// pageLimit returns the Limit of a list request, or def when it has none, after checking
// that it lies between 1 and most.
func pageLimit(limit *int, def, most int) (int, error) {
	if limit == nil {
		return def, nil
	}
	if *limit < 1 || *limit > most {
		return 0, newError("ValidationException", "1 validation error detected: Value '"+
			strconv.Itoa(*limit)+"' at 'limit' failed to satisfy constraint: Member must "+
			"have value between 1 and "+strconv.Itoa(most))
	}
	return *limit, nil
}

// cutPage cuts one page out of items sorted by name: at most limit of those after marker,
// the opaque encoding of the last name already returned. next is the marker of the page
// after, or "" when this page is the last.
func cutPage[T any](items []T, name func(T) string, marker string,
	limit int) (got []T, next string, err error) {
	start := 0
	if marker != "" {
		last, err := base64.RawURLEncoding.DecodeString(marker)
		if err != nil || len(last) == 0 {
			return nil, "", newError("InvalidMarkerException", "Invalid marker")
		}
		start = sort.Search(len(items), func(i int) bool { return name(items[i]) > string(last) })
	}
	end := min(start+limit, len(items))
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(name(items[end-1])))
	}
	return append([]T{}, items[start:end]...), next, nil
}
