package trailsim

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// trail is one trail; it is also its persisted form.
type trail struct {
	Name                 string                  `json:"name"`
	HomeRegion           string                  `json:"homeRegion"`
	Account              string                  `json:"account"`
	S3BucketName         string                  `json:"s3BucketName"`
	S3KeyPrefix          string                  `json:"s3KeyPrefix,omitempty"`
	KMSKeyID             string                  `json:"kmsKeyId,omitempty"`
	IncludeGlobal        bool                    `json:"includeGlobalServiceEvents"`
	MultiRegion          bool                    `json:"isMultiRegionTrail"`
	LogFileValidation    bool                    `json:"logFileValidationEnabled"`
	Logging              bool                    `json:"isLogging"`
	StartLoggingTime     time.Time               `json:"startLoggingTime,omitzero"`
	StopLoggingTime      time.Time               `json:"stopLoggingTime,omitzero"`
	EventSelectors       []EventSelector         `json:"eventSelectors,omitempty"`
	AdvancedSelectors    []AdvancedEventSelector `json:"advancedEventSelectors,omitempty"`
	CustomEventSelectors bool                    `json:"hasCustomEventSelectors"`
}

func trailKey(region, name string) string {
	return region + "|" + name
}

func (t *trail) arn() string {
	return trailARN(t.HomeRegion, t.Account, t.Name)
}

func trailARN(region, account, name string) string {
	return "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + name
}

// visibleIn reports whether a region shows the trail: its home region, or any region for a
// multi-region trail (there it is a shadow trail).
func (t *trail) visibleIn(region string) bool {
	return t.HomeRegion == region || t.MultiRegion
}

// TrailSpec is what CreateTrail is given.
type TrailSpec struct {
	Name          string `json:"Name"`
	S3BucketName  string `json:"S3BucketName"`
	S3KeyPrefix   string `json:"S3KeyPrefix,omitempty"`
	KMSKeyID      string `json:"KmsKeyId,omitempty"`
	IncludeGlobal *bool  `json:"IncludeGlobalServiceEvents,omitempty"`
	MultiRegion   bool   `json:"IsMultiRegionTrail"`
	LogValidation bool   `json:"EnableLogFileValidation"`
}

// trailView is a trail as CreateTrail and DescribeTrails return it.
type trailView struct {
	Name                       string `json:"Name"`
	S3BucketName               string `json:"S3BucketName"`
	S3KeyPrefix                string `json:"S3KeyPrefix,omitempty"`
	IncludeGlobalServiceEvents bool   `json:"IncludeGlobalServiceEvents"`
	IsMultiRegionTrail         bool   `json:"IsMultiRegionTrail"`
	HomeRegion                 string `json:"HomeRegion,omitempty"`
	TrailARN                   string `json:"TrailARN"`
	LogFileValidationEnabled   bool   `json:"LogFileValidationEnabled"`
	KMSKeyID                   string `json:"KmsKeyId,omitempty"`
	HasCustomEventSelectors    *bool  `json:"HasCustomEventSelectors,omitempty"`
	HasInsightSelectors        *bool  `json:"HasInsightSelectors,omitempty"`
	IsOrganizationTrail        bool   `json:"IsOrganizationTrail"`
}

func (t *trail) view(described bool) trailView {
	v := trailView{
		Name: t.Name, S3BucketName: t.S3BucketName, S3KeyPrefix: t.S3KeyPrefix,
		IncludeGlobalServiceEvents: t.IncludeGlobal, IsMultiRegionTrail: t.MultiRegion,
		TrailARN: t.arn(), LogFileValidationEnabled: t.LogFileValidation, KMSKeyID: t.KMSKeyID,
	}
	if described {
		custom, insights := t.CustomEventSelectors, false
		v.HomeRegion = t.HomeRegion
		v.HasCustomEventSelectors, v.HasInsightSelectors = &custom, &insights
	}
	return v
}

var trailNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$`)

func checkTrailName(name string) error {
	switch {
	case len(name) < 3:
		return newError("InvalidTrailNameException", "Trail name too short. Minimum allowed "+
			"length: 3 characters. Specified name length: "+strconv.Itoa(len(name))+
			" characters.")
	case len(name) > 128:
		return newError("InvalidTrailNameException", "Trail name too long. Maximum allowed "+
			"length: 128 characters. Specified name length: "+strconv.Itoa(len(name))+
			" characters.")
	case !trailNamePattern.MatchString(name) || strings.Contains(name, ".."):
		return newError("InvalidTrailNameException", "Trail name or ARN can only contain "+
			"uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and "+
			"underscores (_).")
	}
	return nil
}

func (s *Service) createTrail(c *call) (any, error) {
	var spec TrailSpec
	if err := c.Decode(&spec); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()

	t, err := s.addTrail(c.Region, spec)
	if err != nil {
		return nil, err
	}
	c.trailARN = t.arn()
	return t.view(false), nil
}

// addTrail creates a trail whose home is region, logging off. Call with s.mu held.
func (s *Service) addTrail(region string, spec TrailSpec) (*trail, error) {
	if err := checkTrailName(spec.Name); err != nil {
		return nil, err
	}
	if spec.S3BucketName == "" {
		return nil, newError("InvalidS3BucketNameException", "S3 bucket name is required.")
	}
	if s.bucketExists != nil && !s.bucketExists(spec.S3BucketName) {
		return nil, newError("S3BucketDoesNotExistException",
			"S3 bucket "+spec.S3BucketName+" does not exist.")
	}
	global := spec.IncludeGlobal == nil || *spec.IncludeGlobal
	if spec.MultiRegion && !global {
		return nil, newError("InvalidParameterCombinationException",
			"Multi-Region trail must include global service events.")
	}
	for _, t := range s.trails {
		if t.Name == spec.Name && t.visibleIn(region) {
			return nil, newError("TrailAlreadyExistsException", "Trail "+
				trailARN(region, s.env.Account, spec.Name)+" already exists for customer: "+
				s.env.Account)
		}
	}
	t := &trail{
		Name: spec.Name, HomeRegion: region, Account: s.env.Account,
		S3BucketName: spec.S3BucketName, S3KeyPrefix: spec.S3KeyPrefix, KMSKeyID: spec.KMSKeyID,
		IncludeGlobal: global, MultiRegion: spec.MultiRegion, LogFileValidation: spec.LogValidation,
		EventSelectors: []EventSelector{defaultSelector()},
	}
	s.trails[trailKey(region, t.Name)] = t
	s.dirty = true
	return t, nil
}

// find resolves a trail name (a trail whose home is the region) or trail ARN (any trail the
// region shows, shadow trails included). Call with s.mu held.
func (s *Service) find(region, ref string) (*trail, error) {
	if ref == "" {
		return nil, newError("TrailNotProvidedException", "Trail name or ARN is required.")
	}
	if strings.HasPrefix(ref, "arn:") {
		for _, t := range s.trails {
			if t.arn() == ref && t.visibleIn(region) {
				return t, nil
			}
		}
		return nil, s.unknownTrail(ref)
	}
	if t, ok := s.trails[trailKey(region, ref)]; ok {
		return t, nil
	}
	if err := checkTrailName(ref); err != nil {
		return nil, err
	}
	return nil, s.unknownTrail(trailARN(region, s.env.Account, ref))
}

func (s *Service) unknownTrail(arn string) *simcore.JSONError {
	return newError("TrailNotFoundException",
		"Unknown trail: "+arn+" for the user: "+s.env.Account)
}

// findHome resolves a trail for a write, which only its home region may make.
func (s *Service) findHome(region, ref string) (*trail, error) {
	t, err := s.find(region, ref)
	if err != nil {
		return nil, err
	}
	if t.HomeRegion != region {
		return nil, newError("InvalidHomeRegionException", "This operation must be called "+
			"from the trail's home region, "+t.HomeRegion+".")
	}
	return t, nil
}

type describeRequest struct {
	TrailNameList       []string `json:"trailNameList"`
	IncludeShadowTrails *bool    `json:"includeShadowTrails"`
}

type describeResponse struct {
	TrailList []trailView `json:"trailList"`
}

func (s *Service) describeTrails(c *call) (any, error) {
	var req describeRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	shadows := req.IncludeShadowTrails == nil || *req.IncludeShadowTrails
	s.mu.Lock()
	defer s.unlock()

	out := describeResponse{TrailList: []trailView{}}
	for _, t := range s.sortedTrails() {
		if !t.visibleIn(c.Region) || (!shadows && t.HomeRegion != c.Region) {
			continue
		}
		if len(req.TrailNameList) > 0 && !named(t, c.Region, req.TrailNameList) {
			continue
		}
		out.TrailList = append(out.TrailList, t.view(true))
	}
	return out, nil
}

// named reports whether a trail is in a DescribeTrails name list: by ARN, or by name when
// its home is the region asked.
func named(t *trail, region string, names []string) bool {
	for _, n := range names {
		if n == t.arn() || (n == t.Name && t.HomeRegion == region) {
			return true
		}
	}
	return false
}

func (s *Service) sortedTrails() []*trail {
	out := make([]*trail, 0, len(s.trails))
	for _, t := range s.trails {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].arn() < out[j].arn() })
	return out
}

type nameRequest struct {
	Name string `json:"Name"`
}

type statusResponse struct {
	IsLogging          bool     `json:"IsLogging"`
	StartLoggingTime   *float64 `json:"StartLoggingTime,omitempty"`
	StopLoggingTime    *float64 `json:"StopLoggingTime,omitempty"`
	TimeLoggingStarted string   `json:"TimeLoggingStarted,omitempty"`
	TimeLoggingStopped string   `json:"TimeLoggingStopped,omitempty"`
}

func (s *Service) getTrailStatus(c *call) (any, error) {
	var req nameRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.readTrail(c, req.Name, func(t *trail) (any, error) {
		out := statusResponse{IsLogging: t.Logging}
		if !t.StartLoggingTime.IsZero() {
			e := simcore.EpochSeconds(t.StartLoggingTime)
			out.StartLoggingTime = &e
			out.TimeLoggingStarted = t.StartLoggingTime.UTC().Format(time.RFC3339)
		}
		if !t.StopLoggingTime.IsZero() {
			e := simcore.EpochSeconds(t.StopLoggingTime)
			out.StopLoggingTime = &e
			out.TimeLoggingStopped = t.StopLoggingTime.UTC().Format(time.RFC3339)
		}
		return out, nil
	})
}

func (s *Service) startLogging(c *call) (any, error) {
	return s.setLogging(c, true)
}

func (s *Service) stopLogging(c *call) (any, error) {
	return s.setLogging(c, false)
}

func (s *Service) setLogging(c *call, on bool) (any, error) {
	var req nameRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.writeTrail(c, req.Name, func(t *trail) (any, error) {
		s.switchLogging(t, on)
		return struct{}{}, nil
	})
}

// switchLogging turns logging on or off. Call with s.mu held.
func (s *Service) switchLogging(t *trail, on bool) {
	if on {
		t.StartLoggingTime = s.env.Now().UTC()
	} else {
		t.StopLoggingTime = s.env.Now().UTC()
	}
	t.Logging = on
	s.dirty = true
}

type getTrailResponse struct {
	Trail trailView `json:"Trail"`
}

func (s *Service) getTrail(c *call) (any, error) {
	var req nameRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.readTrail(c, req.Name, func(t *trail) (any, error) {
		return getTrailResponse{Trail: t.view(true)}, nil
	})
}

type trailSummary struct {
	TrailARN   string `json:"TrailARN"`
	Name       string `json:"Name"`
	HomeRegion string `json:"HomeRegion"`
}

type listTrailsResponse struct {
	Trails []trailSummary `json:"Trails"`
}

// listTrails lists the trails a region shows, shadow trails included, on one page.
func (s *Service) listTrails(c *call) (any, error) {
	s.mu.Lock()
	defer s.unlock()

	out := listTrailsResponse{Trails: []trailSummary{}}
	for _, t := range s.sortedTrails() {
		if t.visibleIn(c.Region) {
			out.Trails = append(out.Trails,
				trailSummary{TrailARN: t.arn(), Name: t.Name, HomeRegion: t.HomeRegion})
		}
	}
	return out, nil
}

func (s *Service) deleteTrail(c *call) (any, error) {
	var req nameRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.writeTrail(c, req.Name, func(t *trail) (any, error) {
		delete(s.trails, trailKey(t.HomeRegion, t.Name))
		s.dirty = true
		return struct{}{}, nil
	})
}

// readTrail runs read, with s.mu held, on the trail ref names as c's region shows it.
func (s *Service) readTrail(c *call, ref string, read func(*trail) (any, error)) (any, error) {
	s.mu.Lock()
	defer s.unlock()

	t, err := s.find(c.Region, ref)
	if err != nil {
		return nil, err
	}
	return read(t)
}

// writeTrail runs write, with s.mu held, on the trail ref names, which must have c's region
// as its home; the trail is the resource of the write's CloudTrail record.
func (s *Service) writeTrail(c *call, ref string, write func(*trail) (any, error)) (any, error) {
	s.mu.Lock()
	defer s.unlock()

	t, err := s.findHome(c.Region, ref)
	if err != nil {
		return nil, err
	}
	c.trailARN = t.arn()
	return write(t)
}
