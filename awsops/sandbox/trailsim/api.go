package trailsim

import (
	"fmt"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// TrailInfo describes one trail, for scenarios and tests.
type TrailInfo struct {
	Name        string
	ARN         string
	HomeRegion  string
	Bucket      string
	KeyPrefix   string
	MultiRegion bool
	Logging     bool
	// StartedLogging is when logging was last turned on; zero if never.
	StartedLogging time.Time
	Basic          []EventSelector
	Advanced       []AdvancedEventSelector
}

// CreateTrail creates a trail whose home is region, with logging off and the default
// selector, and returns its ARN. Nothing is recorded in the journal.
func (s *Service) CreateTrail(region string, spec TrailSpec) (string, error) {
	s.mu.Lock()
	defer s.unlock()

	t, err := s.addTrail(region, spec)
	if err != nil {
		return "", fmt.Errorf("creating trail %s in %s: %w", spec.Name, region, err)
	}
	return t.arn(), nil
}

// StartLogging turns on logging of a trail given by name or ARN from its home region.
func (s *Service) StartLogging(region, name string) error {
	return s.logging(region, name, true)
}

// StartLoggingAt is StartLogging at a given time, so that a scenario's trail carries the
// StartLoggingTime its history tells.
func (s *Service) StartLoggingAt(region, name string, at time.Time) error {
	s.mu.Lock()
	defer s.unlock()

	t, err := s.findHome(region, name)
	if err != nil {
		return fmt.Errorf("switching logging of trail %s: %w", name, err)
	}
	s.switchLogging(t, true)
	t.StartLoggingTime = at.UTC()
	return nil
}

// StopLogging turns off logging of a trail given by name or ARN from its home region.
func (s *Service) StopLogging(region, name string) error {
	return s.logging(region, name, false)
}

func (s *Service) logging(region, name string, on bool) error {
	s.mu.Lock()
	defer s.unlock()

	t, err := s.findHome(region, name)
	if err != nil {
		return fmt.Errorf("switching logging of trail %s: %w", name, err)
	}
	s.switchLogging(t, on)
	return nil
}

// PutEventSelectors replaces a trail's selectors with basic or advanced ones (one of the two
// must be empty), checked as PutEventSelectors checks them.
func (s *Service) PutEventSelectors(region, name string, basic []EventSelector,
	advanced []AdvancedEventSelector) error {
	s.mu.Lock()
	defer s.unlock()

	t, err := s.findHome(region, name)
	if err == nil {
		err = s.setSelectors(t, basic, advanced)
	}
	if err != nil {
		return fmt.Errorf("putting event selectors of trail %s: %w", name, err)
	}
	return nil
}

// Trails lists every trail of every region, by ARN.
func (s *Service) Trails() []TrailInfo {
	s.mu.Lock()
	defer s.unlock()

	var out []TrailInfo
	for _, t := range s.sortedTrails() {
		out = append(out, TrailInfo{
			Name: t.Name, ARN: t.arn(), HomeRegion: t.HomeRegion, Bucket: t.S3BucketName,
			KeyPrefix: t.S3KeyPrefix, MultiRegion: t.MultiRegion, Logging: t.Logging,
			StartedLogging: t.StartLoggingTime,
			Basic:          t.EventSelectors, Advanced: t.AdvancedSelectors,
		})
	}
	return out
}

// ErrorCode returns the CloudTrail error code of an error from this package's Go API, or "".
func ErrorCode(err error) string {
	return simcore.JSONErrorCode(err)
}
