package awsops

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"slateo-s3/model"
)

// LookupAPI is the part of the CloudTrail client that searches event history.
type LookupAPI interface {
	LookupEvents(context.Context, *cloudtrail.LookupEventsInput, ...func(*cloudtrail.Options)) (
		*cloudtrail.LookupEventsOutput, error)
}

// LogReadAPI is the part of the S3 client that reads a trail's log files.
type LogReadAPI interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (
		*s3.ListObjectsV2Output, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (
		*s3.GetObjectOutput, error)
}

// Clock is the time source that FindDenials paces its lookups with; tests inject a fake.
type Clock interface {
	Now() time.Time
	// After sends the time on the channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// EventAPI holds the clients FindDenials reads CloudTrail with. A Session's clients satisfy
// it; tests give fakes.
type EventAPI struct {
	Lookup LookupAPI
	// Logs reads trail log files; nil skips data events.
	Logs LogReadAPI
	// Trails lists the trails when the query brings none.
	Trails TrailReadAPI
	// KMS resolves an alias or key id of the settings to the key ARN that events name.
	KMS KMSReadAPI
	// Clock paces the lookups; nil means the system clock.
	Clock Clock
	// Timeout bounds each single call; 0 means DefaultTimeout.
	Timeout time.Duration
	// LookupRate is how many LookupEvents calls a second to make; 0 means LookupRateLimit.
	LookupRate float64
}

// LookupRateLimit is the rate at which CloudTrail serves LookupEvents, per account and region.
const LookupRateLimit = 2.0

// EventAPI returns the session's clients as an EventAPI.
func (s *Session) EventAPI() EventAPI {
	return EventAPI{
		Lookup: s.CloudTrail,
		Logs:   s.S3,
		Trails: s.CloudTrail,
		KMS:    s.KMS,
	}
}

// ReadTrails lists the trails visible in the session's region with their logging status and
// event selectors, as Inspect does, for a search that runs without an inspection.
func (s *Session) ReadTrails(ctx context.Context,
	settings model.Settings) model.Fact[[]model.Trail] {
	return newInspector(InspectAPI{CloudTrail: s.CloudTrail}, settings).trails(ctx)
}

// EventQuery says which denied calls to look for.
type EventQuery struct {
	Settings model.Settings
	// Start and End bound the window; a zero End means now.
	Start, End time.Time
	// Trails are the trails read by Inspect; nil makes FindDenials read them.
	Trails []model.Trail
	// KeyARNs are the ARNs of the KMS keys that matter; nil makes FindDenials resolve the
	// settings' key.
	KeyARNs []string
	// Account is the caller's account, whose folder of a trail's log files to read; empty
	// means the account of each trail's ARN (right unless it is an organization trail).
	Account string
}

// Sources of an EventPage.
const (
	SourceLookup    = "lookup"
	SourceTrailLogs = "trail-logs"
)

// EventPage is one step of a search: the denials found in one page of event history or one
// log file, with the progress of the whole search so far.
type EventPage struct {
	// Events are the raw denials found in this step, not yet diagnosed, newest first.
	Events []model.Event
	// Pages and Scanned count the pages (LookupEvents answers and log files) read and the
	// records they held, over the whole search so far.
	Pages, Scanned int
	// Covered is how far back in time this page's source has been read completely.
	Covered time.Time
	// Source is SourceLookup or SourceTrailLogs.
	Source string
	// Note tells the user something about the search, such as a blind spot; may be empty.
	Note string
}

// FindDenials searches CloudTrail for the denied calls of q with the session's clients; see
// the package function.
func (s *Session) FindDenials(ctx context.Context, q EventQuery, pages chan<- EventPage) error {
	return FindDenials(ctx, s.EventAPI(), q, pages)
}

// FindDenials searches CloudTrail for the denied calls that concern the buckets or the key of
// q.Settings, or that the org role made, and sends them to pages as it reads them: from
// event history (LookupEvents, management events) paced at api.LookupRate and retried when
// throttled, and, at the same time, from the log files of a trail that records the buckets'
// S3 data events. Each event id is sent once. It returns when both are read, or with the
// context's error once ctx is done; it never closes pages. Only failures of event history
// end the search with an error; a log file that cannot be read becomes a page's Note.
func FindDenials(ctx context.Context, api EventAPI, q EventQuery, pages chan<- EventPage) error {
	s := newSearch(api, q)
	if err := s.prepare(ctx); err != nil {
		return err
	}

	// A failed event history ends the log reading too: the search has failed.
	logsCtx, stopLogs := context.WithCancel(ctx)
	defer stopLogs()
	var wg sync.WaitGroup
	var logsErr error
	if api.Logs != nil {
		wg.Go(func() { logsErr = s.readLogs(logsCtx, pages) })
	}
	err := s.lookup(ctx, pages)
	if err != nil {
		stopLogs()
	}
	wg.Wait()
	switch {
	case err != nil:
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return logsErr
}

// search is one run of FindDenials.
type search struct {
	api     EventAPI
	q       EventQuery
	clock   Clock
	timeout time.Duration
	match   matcher

	// logRegion is the region of the trail bucket being read; only readLogs uses it.
	logRegion string

	mu      sync.Mutex
	seen    map[string]bool
	pages   int
	scanned int
}

func newSearch(api EventAPI, q EventQuery) *search {
	s := &search{api: api, q: q, clock: api.Clock, timeout: api.Timeout, seen: map[string]bool{}}
	if s.clock == nil {
		s.clock = systemClock{}
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.q.End.IsZero() {
		s.q.End = s.clock.Now()
	}
	return s
}

// prepare fills in what the query left out: the window check, the key ARNs and the trails.
func (s *search) prepare(ctx context.Context) error {
	if !s.q.Start.Before(s.q.End) {
		return fmt.Errorf("searching CloudTrail: the window starts at %s, not before its end %s",
			s.q.Start.Format(time.RFC3339), s.q.End.Format(time.RFC3339))
	}
	if s.q.KeyARNs == nil {
		s.q.KeyARNs = s.resolveKey(ctx)
	}
	if s.q.Trails == nil && s.api.Trails != nil && s.api.Logs != nil {
		in := newInspector(InspectAPI{CloudTrail: s.api.Trails, Timeout: s.timeout}, s.q.Settings)
		if f := in.trails(ctx); f.IsPresent() {
			s.q.Trails = f.Value
		}
	}
	s.match = newMatcher(s.q.Settings, s.q.KeyARNs)
	return nil
}

// emit sends the new events of one step, with the search's totals, unless ctx is done.
// Events already sent are dropped.
func (s *search) emit(ctx context.Context, pages chan<- EventPage, p EventPage, scanned int,
	read bool) error {
	s.mu.Lock()
	fresh := p.Events[:0]
	for _, e := range p.Events {
		if e.ID != "" && s.seen[e.ID] {
			continue
		}
		s.seen[e.ID] = true
		fresh = append(fresh, e)
	}
	p.Events = fresh
	if read {
		s.pages++
	}
	s.scanned += scanned
	p.Pages, p.Scanned = s.pages, s.scanned
	s.mu.Unlock()

	select {
	case pages <- p:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
