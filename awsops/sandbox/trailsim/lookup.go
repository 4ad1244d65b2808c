package trailsim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// Lookup limits, as CloudTrail sets them.
const (
	defaultMaxResults = 50
	historyWindow     = 90 * 24 * time.Hour
	msgRateExceeded   = "Rate exceeded"
)

type lookupAttribute struct {
	AttributeKey   string `json:"AttributeKey"`
	AttributeValue string `json:"AttributeValue"`
}

type lookupRequest struct {
	LookupAttributes []lookupAttribute `json:"LookupAttributes"`
	StartTime        *float64          `json:"StartTime"`
	EndTime          *float64          `json:"EndTime"`
	EventCategory    string            `json:"EventCategory"`
	MaxResults       *int              `json:"MaxResults"`
	NextToken        string            `json:"NextToken"`
}

type lookupResource struct {
	ResourceType string `json:"ResourceType"`
	ResourceName string `json:"ResourceName"`
}

type lookupEvent struct {
	EventID         string           `json:"EventId"`
	EventName       string           `json:"EventName"`
	ReadOnly        string           `json:"ReadOnly"`
	AccessKeyID     string           `json:"AccessKeyId,omitempty"`
	EventTime       float64          `json:"EventTime"`
	EventSource     string           `json:"EventSource"`
	Username        string           `json:"Username,omitempty"`
	Resources       []lookupResource `json:"Resources"`
	CloudTrailEvent string           `json:"CloudTrailEvent"`
}

type lookupResponse struct {
	Events    []lookupEvent `json:"Events"`
	NextToken string        `json:"NextToken,omitempty"`
}

// token is what a NextToken carries: a digest of the lookup's other parameters, so that a
// token reused with different ones is refused, and the event the next page starts at.
type token struct {
	Digest string `json:"d"`
	Next   string `json:"n"`
}

func (s *Service) lookupEvents(c *call) (any, error) {
	if !s.limiter.allow(s.env.Account+"|"+c.Region, s.env.Now()) {
		return nil, newError("ThrottlingException", msgRateExceeded)
	}
	var req lookupRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	limit, err := maxResults(req.MaxResults)
	if err != nil {
		return nil, err
	}
	match, err := matcher(req.LookupAttributes)
	if err != nil {
		return nil, err
	}
	start, end, err := s.window(req)
	if err != nil {
		return nil, err
	}
	if req.EventCategory != "" && req.EventCategory != "insight" {
		return nil, newError("InvalidEventCategoryException",
			"Event category "+req.EventCategory+" is not valid.")
	}
	var found []simcore.Record
	if req.EventCategory == "" {
		found = s.matching(c.Region, start, end, match)
	}
	return pageOf(found, req, limit)
}

func maxResults(v *int) (int, error) {
	if v == nil {
		return defaultMaxResults, nil
	}
	if *v < 1 || *v > 50 {
		return 0, newError("InvalidMaxResultsException",
			"Value "+strconv.Itoa(*v)+" for MaxResults is invalid. It must be between 1 and 50.")
	}
	return *v, nil
}

// window returns the lookup's time range: by default the last 90 days.
func (s *Service) window(req lookupRequest) (time.Time, time.Time, error) {
	now := s.env.Now().UTC()
	start, end := now.Add(-historyWindow), now
	if req.StartTime != nil {
		start = fromEpoch(*req.StartTime)
	}
	if req.EndTime != nil {
		end = fromEpoch(*req.EndTime)
	}
	if start.After(end) {
		return start, end, newError("InvalidTimeRangeException",
			"Start time must be earlier than end time.")
	}
	return start, end, nil
}

func fromEpoch(v float64) time.Time {
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

var attributeKeys = []string{
	"EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName",
	"EventSource", "AccessKeyId",
}

// matcher returns the test of the one lookup attribute allowed, or one that takes all.
func matcher(attrs []lookupAttribute) (func(simcore.Record) bool, error) {
	if len(attrs) == 0 {
		return func(simcore.Record) bool { return true }, nil
	}
	if len(attrs) > 1 {
		return nil, newError("InvalidLookupAttributesException",
			"You cannot specify more than one lookup attribute.")
	}
	a := attrs[0]
	known := false
	for _, k := range attributeKeys {
		known = known || k == a.AttributeKey
	}
	if !known {
		return nil, newError("InvalidLookupAttributesException",
			"Lookup attribute key "+a.AttributeKey+" is not valid.")
	}
	if a.AttributeValue == "" || len(a.AttributeValue) > 2000 {
		return nil, newError("InvalidLookupAttributesException",
			"Lookup attribute value must be between 1 and 2000 characters.")
	}
	return func(r simcore.Record) bool { return attributeMatches(r, a) }, nil
}

// attributeMatches compares one attribute exactly, case included, as CloudTrail does.
func attributeMatches(r simcore.Record, a lookupAttribute) bool {
	switch a.AttributeKey {
	case "EventId":
		return r.EventID == a.AttributeValue
	case "EventName":
		return r.EventName == a.AttributeValue
	case "ReadOnly":
		return strconv.FormatBool(r.ReadOnly) == a.AttributeValue
	case "Username":
		return username(r) == a.AttributeValue
	case "EventSource":
		return r.EventSource == a.AttributeValue
	case "AccessKeyId":
		return r.UserIdentity.AccessKeyID == a.AttributeValue
	}
	for _, res := range r.Resources {
		if a.AttributeKey == "ResourceType" && res.Type == a.AttributeValue {
			return true
		}
		if a.AttributeKey == "ResourceName" && resourceName(res) == a.AttributeValue {
			return true
		}
	}
	return false
}

// isManagement reports whether Event history shows a record: management events only, never
// data or Insights events.
func isManagement(r simcore.Record) bool {
	switch r.EventCategory {
	case "Management":
		return true
	case "":
		return r.ManagementEvent
	}
	return false
}

// matching returns the region's management events in the window that match, newest first.
func (s *Service) matching(region string, start, end time.Time,
	match func(simcore.Record) bool) []simcore.Record {
	var out []simcore.Record
	for _, r := range s.env.Journal.NewestFirst() {
		t := r.Time()
		if r.AWSRegion != region || !isManagement(r) || t.Before(start) || t.After(end) {
			continue
		}
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// digest identifies a lookup's parameters other than MaxResults and NextToken.
func digest(req lookupRequest) string {
	b, _ := json.Marshal([]any{req.LookupAttributes, req.StartTime, req.EndTime, req.EventCategory})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func pageOf(found []simcore.Record, req lookupRequest, limit int) (lookupResponse, error) {
	start := 0
	if req.NextToken != "" {
		var err error
		if start, err = resume(found, req); err != nil {
			return lookupResponse{}, err
		}
	}
	end := min(start+limit, len(found))
	out := lookupResponse{Events: make([]lookupEvent, 0, end-start)}
	for _, r := range found[start:end] {
		out.Events = append(out.Events, eventOf(r))
	}
	if end < len(found) {
		b, _ := json.Marshal(token{Digest: digest(req), Next: found[end].EventID})
		out.NextToken = base64.RawURLEncoding.EncodeToString(b)
	}
	return out, nil
}

// resume finds where a NextToken's page starts; the token must come from a lookup with the
// same parameters.
func resume(found []simcore.Record, req lookupRequest) (int, error) {
	invalid := newError("InvalidNextTokenException", "Invalid NextToken.")
	raw, err := base64.RawURLEncoding.DecodeString(req.NextToken)
	if err != nil {
		return 0, invalid
	}
	var t token
	if json.Unmarshal(raw, &t) != nil || t.Digest != digest(req) {
		return 0, invalid
	}
	for i, r := range found {
		if r.EventID == t.Next {
			return i, nil
		}
	}
	return 0, invalid
}

func eventOf(r simcore.Record) lookupEvent {
	doc, _ := json.Marshal(r)
	e := lookupEvent{
		EventID:         r.EventID,
		EventName:       r.EventName,
		ReadOnly:        strconv.FormatBool(r.ReadOnly),
		AccessKeyID:     r.UserIdentity.AccessKeyID,
		EventTime:       simcore.EpochSeconds(r.Time()),
		EventSource:     r.EventSource,
		Username:        username(r),
		Resources:       []lookupResource{},
		CloudTrailEvent: string(doc),
	}
	for _, res := range r.Resources {
		e.Resources = append(e.Resources,
			lookupResource{ResourceType: res.Type, ResourceName: resourceName(res)})
	}
	return e
}

// username is what Event history shows as a record's user name: the IAM user name, the
// session name of an assumed role, or "root".
func username(r simcore.Record) string {
	id := r.UserIdentity
	switch {
	case id.UserName != "":
		return id.UserName
	case id.Type == "AssumedRole":
		return id.ARN[strings.LastIndex(id.ARN, "/")+1:]
	case id.Type == "Root":
		return "root"
	}
	return ""
}

// resourceName is the name Event history gives a resource: the bucket name for an S3
// bucket, the full ARN otherwise (a KMS key shows its key ARN).
func resourceName(res simcore.Resource) string {
	if res.Type == "AWS::S3::Bucket" {
		if name, ok := strings.CutPrefix(res.ARN, "arn:aws:s3:::"); ok {
			return name
		}
	}
	return res.ARN
}

// limiter is a token bucket per account and region: LookupEvents may be called twice a
// second, with a burst of two.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*tokenBucket
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

const (
	lookupRate  = 2.0 // requests per second
	lookupBurst = 2.0
)

func newLimiter() *limiter {
	return &limiter{buckets: map[string]*tokenBucket{}}
}

// allow takes one token for a key at the given time, if there is one.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()

	b, ok := l.buckets[key]
	if !ok {
		b = &tokenBucket{tokens: lookupBurst, last: now}
		l.buckets[key] = b
	}
	if now.After(b.last) {
		b.tokens = min(lookupBurst, b.tokens+now.Sub(b.last).Seconds()*lookupRate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
