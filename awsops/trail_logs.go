package awsops

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"slateo-s3/model"
)

// maxLogFileBytes bounds how much one log file may inflate to; CloudTrail's files hold
// minutes of records, far less than this, so a larger one is not a log file.
const maxLogFileBytes = 256 << 20

// deliveryPattern finds the delivery time in a log file's name:
// <account>_CloudTrail_<region>_<yyyymmdd>T<hhmm>Z_<unique>.json.gz.
var deliveryPattern = regexp.MustCompile(`_CloudTrail_[a-z0-9-]+_([0-9]{8}T[0-9]{4}Z)_`)

// readLogs reads the data events of the window from the log files of the trails that record
// S3 data events for the buckets, newest day first. Without such a trail it sends one page
// whose Note says so and gives the command that turns them on.
func (s *search) readLogs(ctx context.Context, pages chan<- EventPage) error {
	trails := TrailsWithDataEvents(s.q.Trails, s.q.Settings.BucketNames())
	if len(trails) == 0 {
		note := noDataEventsNote(s.q.Trails, s.q.Settings.BucketNames())
		return s.emit(ctx, pages, EventPage{Source: SourceTrailLogs, Covered: s.q.Start,
			Note: note}, 0, false)
	}
	for _, t := range trails {
		if err := s.readTrailLogs(ctx, t, pages); err != nil {
			return err
		}
	}
	return nil
}

// TrailsWithDataEvents returns the trails whose log files to read for the buckets' S3 data
// events: the first trail that records them for every bucket, or, when none does, those
// that record them for some; none when no trail records them.
func TrailsWithDataEvents(trails []model.Trail, buckets []string) []model.Trail {
	var all, some []model.Trail
	for _, t := range trails {
		n := 0
		for _, b := range buckets {
			if b != "" && t.LogsDataEventsFor(b) {
				n++
			}
		}
		switch {
		case n == len(buckets):
			all = append(all, t)
		case n > 0:
			some = append(some, t)
		}
	}
	if len(all) > 0 {
		return all[:1]
	}
	return some
}

// readTrailLogs reads one trail's log files for the window's days in the session's region.
// A day that cannot be listed, or a file that cannot be read, becomes a Note.
func (s *search) readTrailLogs(ctx context.Context, t model.Trail, pages chan<- EventPage) error {
	account := s.q.Account
	if account == "" {
		account = trailAccount(t.ARN)
	}
	s.logRegion = s.bucketRegion(ctx, t.Bucket)
	roots := s.logRoots(ctx, t, account)
	region := s.q.Settings.EffectiveRegion()
	// A log file is named by its delivery time, minutes after the calls it holds.
	last := s.q.End.UTC().Add(time.Hour).Truncate(24 * time.Hour)
	first := s.q.Start.UTC().Truncate(24 * time.Hour)
	for day := last; !day.Before(first); day = day.AddDate(0, 0, -1) {
		for _, root := range roots {
			prefix := root + "CloudTrail/" + region + "/" + day.Format("2006/01/02") + "/"
			if err := s.readDay(ctx, t.Bucket, prefix, day, pages); err != nil {
				return err
			}
		}
	}
	return nil
}

// bucketLocator is the part of the S3 client that finds a bucket's region; a LogReadAPI
// without it reads every trail bucket in the session's region.
type bucketLocator interface {
	GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (
		*s3.GetBucketLocationOutput, error)
}

// bucketRegion returns the region of a trail's bucket, which often lives in a central
// logging region rather than the buckets' region; "" when it cannot be read (the calls then
// go to the session's region).
func (s *search) bucketRegion(ctx context.Context, bucket string) string {
	locator, ok := s.api.Logs.(bucketLocator)
	if !ok {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := locator.GetBucketLocation(ctx, &s3.GetBucketLocationInput{
		Bucket: aws.String(bucket),
	})
	if err != nil {
		return ""
	}
	if out.LocationConstraint == "" {
		return "us-east-1"
	}
	return string(out.LocationConstraint)
}

// logRoots returns where the account's log files live in the trail's bucket:
// [prefix/]AWSLogs/<account>/ and, for an organization trail, [prefix/]AWSLogs/<org-id>/
// <account>/. It lists the bucket's AWSLogs/ folder once to find organization folders;
// when that listing fails, the account's own folder is the answer.
func (s *search) logRoots(ctx context.Context, t model.Trail, account string) []string {
	base := path.Join(t.KeyPrefix, "AWSLogs") + "/"
	roots := []string{base + account + "/"}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.Logs.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket:    aws.String(t.Bucket),
		Prefix:    aws.String(base),
		Delimiter: aws.String("/"),
	}, InRegion(s.logRegion))
	if err != nil {
		return roots
	}
	for _, p := range out.CommonPrefixes {
		folder := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(p.Prefix), base), "/")
		if strings.HasPrefix(folder, "o-") {
			roots = append(roots, base+folder+"/"+account+"/")
		}
	}
	return roots
}

// trailAccount returns the account of a trail ARN (arn:aws:cloudtrail:R:ACCOUNT:trail/N).
func trailAccount(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// readDay lists one day's log files and reads those that may hold records of the window.
func (s *search) readDay(ctx context.Context, bucket, prefix string, day time.Time,
	pages chan<- EventPage) error {
	var token *string
	for {
		out, err := s.listLogs(ctx, bucket, prefix, token)
		if err != nil {
			note := fmt.Sprintf("could not list the trail's log files in s3://%s/%s: %s",
				bucket, prefix, Reason(err))
			return s.emit(ctx, pages, EventPage{Source: SourceTrailLogs, Note: note,
				Covered: day}, 0, false)
		}
		for _, obj := range out.Contents {
			key := aws.ToString(obj.Key)
			if delivered, ok := deliveryTime(key); ok && delivered.Before(s.q.Start) {
				continue
			}
			if err := s.readFile(ctx, bucket, key, day, pages); err != nil {
				return err
			}
		}
		if !aws.ToBool(out.IsTruncated) || out.NextContinuationToken == nil {
			return ctx.Err()
		}
		token = out.NextContinuationToken
	}
}

func (s *search) listLogs(ctx context.Context, bucket, prefix string, token *string) (
	*s3.ListObjectsV2Output, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.api.Logs.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket:            aws.String(bucket),
		Prefix:            aws.String(prefix),
		ContinuationToken: token,
	}, InRegion(s.logRegion))
}

func deliveryTime(key string) (time.Time, bool) {
	m := deliveryPattern.FindStringSubmatch(path.Base(key))
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102T1504Z", m[1])
	return t, err == nil
}

// readFile reads one log file and sends the denials in it that concern us.
func (s *search) readFile(ctx context.Context, bucket, key string, day time.Time,
	pages chan<- EventPage) error {
	events, scanned, err := s.fileEvents(ctx, bucket, key)
	page := EventPage{Events: events, Source: SourceTrailLogs, Covered: day}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		page.Note = fmt.Sprintf("could not read log file s3://%s/%s: %s", bucket, key,
			logReason(err))
	}
	return s.emit(ctx, pages, page, scanned, true)
}

func logReason(err error) string {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, gzip.ErrHeader), errors.As(err, &syntax), errors.Is(err, errNotLog):
		return "not a CloudTrail log file (" + err.Error() + ")"
	}
	return Reason(err)
}

var errNotLog = errors.New(`no "Records" list`)

func (s *search) fileEvents(ctx context.Context, bucket, key string) (
	[]model.Event, int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.Logs.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket),
		Key:    aws.String(key),
	}, func(o *s3.Options) {
		// Log files written without a checksum are the norm; the SDK's note saying so
		// would land on the user's terminal once per file.
		o.DisableLogOutputChecksumValidationSkipped = true
	}, InRegion(s.logRegion))
	if err != nil {
		return nil, 0, err
	}
	defer func() { _ = out.Body.Close() }()

	zr, err := gzip.NewReader(out.Body)
	if err != nil {
		return nil, 0, err
	}
	var events []model.Event
	scanned, err := eachRecord(io.LimitReader(zr, maxLogFileBytes), func(raw json.RawMessage) {
		rec, err := parseRecord(raw)
		if err != nil || rec.time.Before(s.q.Start) || rec.time.After(s.q.End) {
			return
		}
		if s.match.relevant(rec) {
			events = append(events, rec.event(string(raw)))
		}
	})
	sortNewestFirst(events)
	return events, scanned, err
}

// eachRecord streams the records of a log file ({"Records": [...]}) to fn one at a time, so
// that memory holds one record, not the whole file, and returns how many it read.
func eachRecord(r io.Reader, fn func(json.RawMessage)) (int, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return 0, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return 0, err
		}
		if tok != "Records" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return 0, err
			}
			continue
		}
		return eachInList(dec, fn)
	}
	return 0, errNotLog
}

func eachInList(dec *json.Decoder, fn func(json.RawMessage)) (int, error) {
	if err := expectDelim(dec, '['); err != nil {
		return 0, err
	}
	n := 0
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return n, err
		}
		n++
		fn(raw)
	}
	return n, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("%w: found %v where %v was expected", errNotLog, tok, want)
	}
	return nil
}

func sortNewestFirst(events []model.Event) {
	slices.SortStableFunc(events, func(a, b model.Event) int { return b.Time.Compare(a.Time) })
}
