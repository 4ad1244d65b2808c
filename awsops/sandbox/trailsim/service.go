// Package trailsim is the sandbox's AWS CloudTrail, answered over the JSON 1.1 protocol
// (X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Op>).
//
// LookupEvents reads the account's journal (simcore.Journal): management events only, per
// region, newest first, at most 50 a page, limited to 2 requests per second per account and
// region. Trails (CreateTrail, DescribeTrails, GetTrail, ListTrails, DeleteTrail,
// GetTrailStatus, StartLogging, StopLogging, PutEventSelectors, GetEventSelectors) are
// configuration only: they deliver nothing, and
// their log files are whatever objects a scenario or a test puts in the trail's bucket.
// Writes served over HTTP are recorded in the journal (eventSource cloudtrail.amazonaws.com).
package trailsim

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	"slateo-s3/awsops/sandbox/simcore"
)

// targetPrefix starts the X-Amz-Target header of every CloudTrail request.
const targetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."

const eventSource = "cloudtrail.amazonaws.com"

// Service is the simulated CloudTrail. It is safe for concurrent use.
type Service struct {
	env simcore.Env

	mu     sync.Mutex
	trails map[string]*trail // by trailKey(home region, name)
	dirty  bool
	// bucketExists, when set, lets CreateTrail refuse a bucket that does not exist.
	bucketExists func(bucket string) bool

	limiter *limiter
}

// New returns a CloudTrail with no trails.
func New(env simcore.Env) *Service {
	return &Service{env: env.WithDefaults(), trails: map[string]*trail{}, limiter: newLimiter()}
}

// Service is one of the sandbox's services.
var _ simcore.Service = (*Service)(nil)

// UseBuckets lets CreateTrail check that a trail's bucket exists, as CloudTrail does; the
// sandbox passes its S3's lookup. Without it every bucket name is accepted.
func (s *Service) UseBuckets(exists func(bucket string) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bucketExists = exists
}

// unlock releases s.mu and then reports a change made under it: env.Changed may read the
// state back, so it must run without the lock.
func (s *Service) unlock() {
	dirty := s.dirty
	s.dirty = false
	s.mu.Unlock()
	if dirty {
		s.env.Changed()
	}
}

// newError returns an error CloudTrail answers with: a code and its message, HTTP 400.
func newError(code, message string) *simcore.JSONError {
	return &simcore.JSONError{Code: code, Message: message}
}

// protocol is how CloudTrail reads its requests and writes its answers and faults.
var protocol = simcore.JSONProtocol{
	InternalCode: "InternalFailure",
	ServerFaults: []string{"InternalFailure", "InternalServerError"},
}

// call is one request being served.
type call struct {
	*simcore.JSONCall
	// trailARN is set once an operation knows the trail a write concerns.
	trailARN string
}

type operation func(s *Service, c *call) (any, error)

var operations = map[string]operation{
	"LookupEvents":      (*Service).lookupEvents,
	"CreateTrail":       (*Service).createTrail,
	"DescribeTrails":    (*Service).describeTrails,
	"GetTrailStatus":    (*Service).getTrailStatus,
	"StartLogging":      (*Service).startLogging,
	"StopLogging":       (*Service).stopLogging,
	"PutEventSelectors": (*Service).putEventSelectors,
	"GetEventSelectors": (*Service).getEventSelectors,
	"GetTrail":          (*Service).getTrail,
	"ListTrails":        (*Service).listTrails,
	"DeleteTrail":       (*Service).deleteTrail,
}

var writes = map[string]bool{
	"CreateTrail": true, "StartLogging": true, "StopLogging": true, "PutEventSelectors": true,
	"DeleteTrail": true,
}

// Operation names the CloudTrail operation of a request, from its X-Amz-Target header. The
// AWS CLI sends the full prefix; the Go SDK v2 sends only "CloudTrail_20131101.<Op>".
func (s *Service) Operation(r *http.Request) (string, string) {
	target := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	return strings.TrimPrefix(target, shortTargetPrefix), ""
}

// shortTargetPrefix is the X-Amz-Target prefix the Go SDK v2 sends.
const shortTargetPrefix = "CloudTrail_20131101."

// Operations lists, sorted, the CloudTrail operations the service answers, from its routing
// table.
func (s *Service) Operations() []string {
	return slices.Sorted(maps.Keys(operations))
}

// ServeHTTP answers one CloudTrail request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, _ := s.Operation(r)
	op, ok := operations[name]
	protocol.Serve(w, r, ok, func(jc *simcore.JSONCall) (any, error) {
		c := &call{JSONCall: jc}
		out, err := op(s, c)
		if writes[name] {
			s.record(c, name, out, err)
		}
		return out, err
	})
}

// WriteFault answers with an injected error code: InternalFailure and ServiceUnavailable
// with a 5xx status, every other code (ThrottlingException included) with 400.
func (s *Service) WriteFault(w http.ResponseWriter, _ *http.Request, code string) {
	protocol.WriteFault(w, code)
}

// record adds the CloudTrail record of a write, successful or not. CloudTrail logs its own
// calls with lowerCamelCase request parameters and response elements.
func (s *Service) record(c *call, name string, out any, err error) {
	w := simcore.Write{Source: eventSource, Name: name, Region: c.Region,
		Parameters: camelJSON(c.Body)}
	if out != nil && err == nil {
		if b, mErr := json.Marshal(out); mErr == nil && string(b) != "{}" {
			w.Response = camelJSON(b)
		}
	}
	if c.trailARN != "" {
		w.Resources = []simcore.Resource{
			{AccountID: s.env.Account, Type: "AWS::CloudTrail::Trail", ARN: c.trailARN},
		}
	}
	if e, ok := err.(*simcore.JSONError); ok {
		w.ErrorCode, w.ErrorMessage = e.Code, e.Message
	}
	s.env.RecordWrite(c.Request, w)
}

// camelJSON turns a JSON document's object keys lowerCamelCase by lowering their first byte.
// Invalid JSON gives nil.
func camelJSON(raw []byte) any {
	return simcore.RenameJSONKeys(raw, func(k string) string {
		if k == "" {
			return k
		}
		return strings.ToLower(k[:1]) + k[1:]
	})
}

type persisted struct {
	Trails []trail `json:"trails"`
}

// MarshalState returns every trail as JSON. The journal is the sandbox's to save.
func (s *Service) MarshalState() (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	p := persisted{Trails: []trail{}}
	for _, t := range s.trails {
		p.Trails = append(p.Trails, *t)
	}
	sort.Slice(p.Trails, func(i, j int) bool { return p.Trails[i].arn() < p.Trails[j].arn() })
	return json.Marshal(p)
}

// LoadState replaces every trail with those of a MarshalState document.
func (s *Service) LoadState(raw json.RawMessage) error {
	var p persisted
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	s.trails = map[string]*trail{}
	for i := range p.Trails {
		t := p.Trails[i]
		s.trails[trailKey(t.HomeRegion, t.Name)] = &t
	}
	return nil
}
