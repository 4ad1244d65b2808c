package s3sim

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// Service is the simulated S3 of one account. It is safe for concurrent use.
type Service struct {
	env     simcore.Env
	mu      sync.Mutex
	buckets map[string]*bucket
	uploads map[string]*upload
}

// bucket is one bucket's whole state; it is also the shape of the saved state.
// bucketState names the bucket type where a parameter called bucket hides it.
type bucketState = bucket

type bucket struct {
	Name string `json:"name"`
	// Region is where the bucket lives; Constraint is the LocationConstraint it was made
	// with ("" for us-east-1, "EU" stays "EU"), which GetBucketLocation returns.
	Region     string    `json:"region"`
	Constraint string    `json:"constraint"`
	Created    time.Time `json:"created"`

	PublicAccessBlock *publicAccessBlock `json:"publicAccessBlock,omitempty"`
	Policy            string             `json:"policy,omitempty"`
	CORS              []corsRule         `json:"cors,omitempty"`
	Encryption        encryption         `json:"encryption"`
	Ownership         string             `json:"ownership,omitempty"`
	Versioning        string             `json:"versioning,omitempty"`
	MFADelete         string             `json:"mfaDelete,omitempty"`
	Logging           *logging           `json:"logging,omitempty"`
	Objects           map[string]*object `json:"objects"`
}

type publicAccessBlock struct {
	BlockPublicAcls       bool `json:"blockPublicAcls"`
	IgnorePublicAcls      bool `json:"ignorePublicAcls"`
	BlockPublicPolicy     bool `json:"blockPublicPolicy"`
	RestrictPublicBuckets bool `json:"restrictPublicBuckets"`
}

type encryption struct {
	Algorithm string `json:"algorithm"`
	KMSKeyID  string `json:"kmsKeyId,omitempty"`
	BucketKey bool   `json:"bucketKey,omitempty"`
}

type logging struct {
	TargetBucket string `json:"targetBucket"`
	TargetPrefix string `json:"targetPrefix"`
}

type object struct {
	Body         []byte            `json:"body"`
	ETag         string            `json:"etag"`
	LastModified time.Time         `json:"lastModified"`
	ContentType  string            `json:"contentType,omitempty"`
	Checksums    map[string]string `json:"checksums,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"`
	SSE          string            `json:"sse,omitempty"`
	SSEKey       string            `json:"sseKey,omitempty"`
}

// Service is one of the sandbox's services.
var _ simcore.Service = (*Service)(nil)

// New returns an S3 with no buckets, serving env's account.
func New(env simcore.Env) *Service {
	if env.Changed == nil {
		env.Changed = func() {}
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	return &Service{env: env, buckets: map[string]*bucket{}}
}

// MarshalState returns every bucket with its configuration and objects as JSON.
func (s *Service) MarshalState() (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	list := make([]*bucket, 0, len(s.buckets))
	for _, b := range s.buckets {
		list = append(list, b)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	raw, err := json.Marshal(map[string]any{"buckets": list})
	if err != nil {
		return nil, fmt.Errorf("encoding s3 state: %w", err)
	}
	return raw, nil
}

// LoadState replaces every bucket with those of a state MarshalState returned.
func (s *Service) LoadState(raw json.RawMessage) error {
	var st struct {
		Buckets []*bucket `json:"buckets"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("decoding s3 state: %w", err)
	}
	buckets := map[string]*bucket{}
	for _, b := range st.Buckets {
		if b == nil || b.Name == "" {
			return fmt.Errorf("decoding s3 state: a bucket has no name")
		}
		if b.Objects == nil {
			b.Objects = map[string]*object{}
		}
		buckets[b.Name] = b
	}
	s.mu.Lock()
	s.buckets = buckets
	s.mu.Unlock()
	return nil
}

// lookup returns a bucket; the caller holds s.mu.
func (s *Service) lookup(name string) (*bucket, *Error) {
	b, ok := s.buckets[name]
	if !ok {
		return nil, errNoSuchBucket(name)
	}
	return b, nil
}

// BucketExists reports whether a bucket exists, for services that refer to buckets.
func (s *Service) BucketExists(name string) bool {
	_, ok := s.BucketRegion(name)
	return ok
}

// BucketRegion returns the region a bucket lives in, for scenarios and tests.
func (s *Service) BucketRegion(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[name]
	if !ok {
		return "", false
	}
	return b.Region, true
}
