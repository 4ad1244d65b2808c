package awsops

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"slateo-s3/model"
)

// lookupPageSize is the most events LookupEvents returns in one answer.
const lookupPageSize = 50

// maxThrottleRetries bounds how often one LookupEvents call is retried after throttling;
// with the backoff capped at maxBackoff that is minutes of waiting, far beyond any
// throttling that another reader of the same account causes.
const (
	maxThrottleRetries = 30
	maxBackoff         = 8 * time.Second
)

// lookupQuery is one attribute that event history is searched by, and how far it has been
// read.
type lookupQuery struct {
	attr   types.LookupAttribute
	token  *string
	oldest time.Time
	done   bool
}

// lookupQueries chooses the attributes to search by, one per call as the API allows. S3 is
// searched by event source rather than by each bucket's name, so that calls to a bucket name
// that is mistyped (the name-mismatch fault) are found too; S3 management events are bucket
// configuration calls, few enough to read all. KMS management events include every
// Decrypt and GenerateDataKey in the account, so the key is searched by its ARN when known.
func (s *search) lookupQueries() []*lookupQuery {
	attrs := []types.LookupAttribute{{
		AttributeKey:   types.LookupAttributeKeyEventSource,
		AttributeValue: aws.String("s3.amazonaws.com"),
	}}
	switch {
	case len(s.q.KeyARNs) > 0:
		for _, arn := range s.q.KeyARNs {
			attrs = append(attrs, types.LookupAttribute{
				AttributeKey:   types.LookupAttributeKeyResourceName,
				AttributeValue: aws.String(arn),
			})
		}
	case s.q.Settings.KMSKey != "":
		attrs = append(attrs, types.LookupAttribute{
			AttributeKey:   types.LookupAttributeKeyEventSource,
			AttributeValue: aws.String("kms.amazonaws.com"),
		})
	}
	queries := make([]*lookupQuery, len(attrs))
	for i, a := range attrs {
		queries[i] = &lookupQuery{attr: a, oldest: s.q.End}
	}
	return queries
}

// lookup reads event history for every query, always advancing the one that has read the
// least far back, so that the pages arrive close to newest first across queries.
func (s *search) lookup(ctx context.Context, pages chan<- EventPage) error {
	queries := s.lookupQueries()
	p := newPacer(s.clock, s.api.LookupRate)
	for {
		q := nextQuery(queries)
		if q == nil {
			return nil
		}
		out, err := s.lookupPage(ctx, p, q)
		if err != nil {
			return err
		}
		events := s.lookupEvents(out.Events)
		q.token = out.NextToken
		q.done = aws.ToString(out.NextToken) == ""
		if n := len(out.Events); n > 0 {
			q.oldest = aws.ToTime(out.Events[n-1].EventTime)
		}
		page := EventPage{Events: events, Covered: covered(queries, s.q.Start),
			Source: SourceLookup}
		if err := s.emit(ctx, pages, page, len(out.Events), true); err != nil {
			return err
		}
	}
}

// nextQuery returns the unfinished query that has read the least far back, or nil.
func nextQuery(queries []*lookupQuery) *lookupQuery {
	var next *lookupQuery
	for _, q := range queries {
		if !q.done && (next == nil || q.oldest.After(next.oldest)) {
			next = q
		}
	}
	return next
}

// covered is the time back to which every query has been read.
func covered(queries []*lookupQuery, start time.Time) time.Time {
	c := start
	for _, q := range queries {
		if !q.done && q.oldest.After(c) {
			c = q.oldest
		}
	}
	return c
}

// lookupPage makes one paced LookupEvents call, retrying it with a growing backoff while
// CloudTrail answers that it is throttled, and a few times after a transient network error.
// The SDK's own retries are turned off for it, so that the pacer, not the SDK, decides when
// to call again.
func (s *search) lookupPage(ctx context.Context, p *pacer, q *lookupQuery) (
	*cloudtrail.LookupEventsOutput, error) {
	in := &cloudtrail.LookupEventsInput{
		LookupAttributes: []types.LookupAttribute{q.attr},
		StartTime:        aws.Time(s.q.Start),
		EndTime:          aws.Time(s.q.End),
		MaxResults:       aws.Int32(lookupPageSize),
		NextToken:        q.token,
	}
	backoff := p.interval
	throttled, failed := 0, 0
	for {
		if err := p.wait(ctx); err != nil {
			return nil, err
		}
		out, err := s.lookupOnce(ctx, in)
		switch {
		case err == nil:
			return out, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case isThrottle(err) && throttled < maxThrottleRetries:
			throttled++
			p.delay(backoff)
			backoff = min(2*backoff, maxBackoff)
		case isTransient(err) && failed < maxTransientRetries:
			failed++
		default:
			return nil, fmt.Errorf("looking up CloudTrail events by %s %s: %w",
				q.attr.AttributeKey, aws.ToString(q.attr.AttributeValue), err)
		}
	}
}

// maxTransientRetries bounds the retries of a call after a network error or a server fault.
const maxTransientRetries = 3

// transient holds the SDK's own tests of errors worth retrying: broken connections, server
// faults, throttling.
var transient = retry.IsErrorRetryables(retry.DefaultRetryables)

func isTransient(err error) bool {
	return transient.IsErrorRetryable(err) == aws.TrueTernary
}

func (s *search) lookupOnce(ctx context.Context, in *cloudtrail.LookupEventsInput) (
	*cloudtrail.LookupEventsOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.api.Lookup.LookupEvents(ctx, in, func(o *cloudtrail.Options) {
		o.Retryer = aws.NopRetryer{}
	})
}

func isThrottle(err error) bool {
	return throttles.IsErrorThrottle(err) == aws.TrueTernary
}

// lookupEvents keeps the denials of one page that concern us.
func (s *search) lookupEvents(list []types.Event) []model.Event {
	var out []model.Event
	for _, e := range list {
		raw := aws.ToString(e.CloudTrailEvent)
		rec, err := parseRecord([]byte(raw))
		if err != nil {
			rec = recordFromLookup(e)
		}
		if s.match.relevant(rec) {
			out = append(out, rec.event(raw))
		}
	}
	return out
}

// recordFromLookup builds what it can from LookupEvents' own fields, for an event whose
// CloudTrailEvent document is missing or unreadable.
func recordFromLookup(e types.Event) trailRecord {
	rec := trailRecord{
		EventID:     aws.ToString(e.EventId),
		EventName:   aws.ToString(e.EventName),
		EventSource: aws.ToString(e.EventSource),
		time:        aws.ToTime(e.EventTime),
	}
	for _, r := range e.Resources {
		rec.Resources = append(rec.Resources,
			recordResource{Type: aws.ToString(r.ResourceType), ARN: aws.ToString(r.ResourceName)})
	}
	return rec
}

// resolveKey returns the ARN of the settings' KMS key, asking KMS when the settings name it
// by id or alias; nil when there is no key or it cannot be resolved.
func (s *search) resolveKey(ctx context.Context) []string {
	ref := s.q.Settings.KMSKey
	switch {
	case ref == "":
		return nil
	case strings.HasPrefix(ref, "arn:aws:kms:") && strings.Contains(ref, ":key/"):
		return []string{ref}
	case s.api.KMS == nil:
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)})
	if err != nil || out.KeyMetadata == nil {
		return nil
	}
	return []string{aws.ToString(out.KeyMetadata.Arn)}
}

// pacer spaces calls at least interval apart on its clock.
type pacer struct {
	clock    Clock
	interval time.Duration
	next     time.Time
}

func newPacer(clock Clock, rate float64) *pacer {
	if rate <= 0 {
		rate = LookupRateLimit
	}
	return &pacer{clock: clock, interval: time.Duration(float64(time.Second) / rate)}
}

// wait blocks until the next call may go out, or ctx is done.
func (p *pacer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d := p.next.Sub(p.clock.Now()); d > 0 {
		select {
		case <-p.clock.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.next = p.clock.Now().Add(p.interval)
	return nil
}

// delay holds the next call back by d more, after a throttled answer.
func (p *pacer) delay(d time.Duration) {
	p.next = p.clock.Now().Add(d)
}
