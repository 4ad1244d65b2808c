package kmssim

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// Key states and managers, as KMS names them.
const (
	StateEnabled         = "Enabled"
	StateDisabled        = "Disabled"
	StatePendingDeletion = "PendingDeletion"

	ManagerAWS      = "AWS"
	ManagerCustomer = "CUSTOMER"
)

// ManagedS3Alias is the alias of the AWS-managed key that S3 uses by default.
const ManagedS3Alias = "alias/aws/s3"

// ManagedS3Description is the description KMS gives the AWS-managed aws/s3 key.
const ManagedS3Description = "Default key that protects my S3 objects when no other key is defined"

// key is one KMS key; it is also its persisted form.
type key struct {
	ID           string    `json:"id"`
	Region       string    `json:"region"`
	Account      string    `json:"account"`
	Description  string    `json:"description"`
	Policy       string    `json:"policy"`
	KeyUsage     string    `json:"keyUsage"`
	State        string    `json:"state"`
	Manager      string    `json:"manager"`
	Created      time.Time `json:"created"`
	DeletionDate time.Time `json:"deletionDate,omitzero"`
	WindowDays   int       `json:"windowDays,omitempty"`
}

func (k *key) arn() string {
	return keyARN(k.Region, k.Account, k.ID)
}

func keyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// alias is one alias of a key; it is also its persisted form.
type alias struct {
	Name        string    `json:"name"`
	Region      string    `json:"region"`
	TargetKeyID string    `json:"targetKeyId"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

func aliasKey(region, name string) string {
	return region + "|" + name
}

func (s *Service) aliasARN(region, name string) string {
	return "arn:aws:kms:" + region + ":" + s.env.Account + ":" + name
}

var (
	keyIDPattern = regexp.MustCompile(
		`^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	kmsARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):(.+)$`)
)

// newKeyID returns a fresh key id in KMS's UUID form.
func newKeyID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return uuidOf(b[:])
}

func uuidOf(b []byte) string {
	h := hex.EncodeToString(b[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ensureManaged makes the AWS-managed aws/s3 key of a region exist. Its id is derived from
// the account and region, so a restart without saved state gives it the same id. Call with
// s.mu held.
func (s *Service) ensureManaged(region string) {
	if _, ok := s.aliases[aliasKey(region, ManagedS3Alias)]; ok {
		return
	}
	sum := sha256.Sum256([]byte(s.env.Account + "/" + region + "/" + ManagedS3Alias))
	now := s.env.Now().UTC()
	k := &key{
		ID:          uuidOf(sum[:]),
		Region:      region,
		Account:     s.env.Account,
		Description: ManagedS3Description,
		Policy:      managedS3Policy(s.env.Account, region),
		KeyUsage:    "ENCRYPT_DECRYPT",
		State:       StateEnabled,
		Manager:     ManagerAWS,
		Created:     now,
	}
	s.keys[k.ID] = k
	s.aliases[aliasKey(region, ManagedS3Alias)] = &alias{
		Name: ManagedS3Alias, Region: region, TargetKeyID: k.ID, Created: now, Updated: now,
	}
	s.dirty = true
}

// findKey resolves a key id or key ARN, as every operation but DescribeKey accepts them, in
// the region of the request. Call with s.mu held.
func (s *Service) findKey(region, ref string) (*key, error) {
	if ref == "" {
		return nil, newError("ValidationException",
			"1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "+
				"Member must not be null")
	}
	s.ensureManaged(region)
	if m := kmsARNPattern.FindStringSubmatch(ref); m != nil {
		return s.findByARN(region, ref, m[1], m[2], m[3])
	}
	if !keyIDPattern.MatchString(ref) {
		return nil, newError("NotFoundException", "Invalid keyId '"+ref+"'")
	}
	k, ok := s.keys[ref]
	if !ok || k.Region != region {
		return nil, notFound(keyARN(region, s.env.Account, ref))
	}
	return k, nil
}

func (s *Service) findByARN(region, ref, arnRegion, account, resource string) (*key, error) {
	if arnRegion != region {
		return nil, newError("NotFoundException", "Invalid arn "+arnRegion)
	}
	id, ok := strings.CutPrefix(resource, "key/")
	if !ok {
		return nil, newError("NotFoundException", "Invalid keyId '"+ref+"'")
	}
	k, found := s.keys[id]
	if !found || account != s.env.Account || k.Region != region {
		return nil, notFound(ref)
	}
	return k, nil
}

// findAny resolves what DescribeKey accepts: a key id, key ARN, alias name or alias ARN.
// Call with s.mu held.
func (s *Service) findAny(region, ref string) (*key, error) {
	s.ensureManaged(region)
	name := ref
	if m := kmsARNPattern.FindStringSubmatch(ref); m != nil && strings.HasPrefix(m[3], "alias/") {
		if m[1] != region {
			return nil, newError("NotFoundException", "Invalid arn "+m[1])
		}
		if m[2] != s.env.Account {
			return nil, newError("NotFoundException", "Alias "+ref+" is not found.")
		}
		name = m[3]
	}
	if !strings.HasPrefix(name, "alias/") {
		return s.findKey(region, ref)
	}
	a, ok := s.aliases[aliasKey(region, name)]
	if !ok {
		return nil, newError("NotFoundException", "Alias "+s.aliasARN(region, name)+" is not found.")
	}
	k, ok := s.keys[a.TargetKeyID]
	if !ok {
		return nil, notFound(keyARN(region, s.env.Account, a.TargetKeyID))
	}
	return k, nil
}

func notFound(arn string) *simcore.JSONError {
	return newError("NotFoundException", "Key '"+arn+"' does not exist")
}

// denied is KMS's AccessDeniedException for an action the key policy of an AWS-managed key
// does not allow the sandbox's caller.
func (s *Service) denied(action string, k *key) *simcore.JSONError {
	return newError("AccessDeniedException", "User: "+s.env.CallerARN()+
		" is not authorized to perform: "+action+" on resource: "+k.arn()+
		" because no resource-based policy allows the "+action+" action")
}

// metadata is a key's KeyMetadata as DescribeKey and CreateKey return it.
type metadata struct {
	AWSAccountID          string   `json:"AWSAccountId"`
	KeyID                 string   `json:"KeyId"`
	Arn                   string   `json:"Arn"`
	CreationDate          float64  `json:"CreationDate"`
	Enabled               bool     `json:"Enabled"`
	Description           string   `json:"Description"`
	KeyUsage              string   `json:"KeyUsage"`
	KeyState              string   `json:"KeyState"`
	DeletionDate          *float64 `json:"DeletionDate,omitempty"`
	Origin                string   `json:"Origin"`
	KeyManager            string   `json:"KeyManager"`
	CustomerMasterKeySpec string   `json:"CustomerMasterKeySpec"`
	KeySpec               string   `json:"KeySpec"`
	EncryptionAlgorithms  []string `json:"EncryptionAlgorithms"`
	MultiRegion           bool     `json:"MultiRegion"`
}

func (k *key) metadata() metadata {
	m := metadata{
		AWSAccountID:          k.Account,
		KeyID:                 k.ID,
		Arn:                   k.arn(),
		CreationDate:          simcore.EpochSeconds(k.Created),
		Enabled:               k.State == StateEnabled,
		Description:           k.Description,
		KeyUsage:              k.KeyUsage,
		KeyState:              k.State,
		Origin:                "AWS_KMS",
		KeyManager:            k.Manager,
		CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
		KeySpec:               "SYMMETRIC_DEFAULT",
		EncryptionAlgorithms:  []string{"SYMMETRIC_DEFAULT"},
	}
	if k.State == StatePendingDeletion {
		d := simcore.EpochSeconds(k.DeletionDate)
		m.DeletionDate = &d
	}
	return m
}
