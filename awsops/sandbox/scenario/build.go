package scenario

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
	"slateo-s3/awsops/sandbox/trailsim"
)

// config is the final configuration of a scenario's account.
type config struct {
	uploadsPolicy string
	cachePolicy   string
	corsBucket    string
	// restrictCache is the cache bucket's RestrictPublicBuckets flag.
	restrictCache bool
	keyForSlateo  bool
	versioned     []string
	accessLogs    bool
}

var healthyConfig = config{
	uploadsPolicy: guidePolicy(UploadsBucket, OrgRoleARN),
	cachePolicy:   guidePolicy(CacheBucket, OrgRoleARN),
	corsBucket:    CacheBucket,
	restrictCache: true,
	keyForSlateo:  true,
	versioned:     []string{UploadsBucket, CacheBucket},
	accessLogs:    true,
}

var brokenConfig = config{
	uploadsPolicy: guidePolicy(UploadsBucket, WrongPrincipal),
	cachePolicy:   bucketOnlyPolicy(CacheBucket),
	corsBucket:    UploadsBucket,
	restrictCache: false,
	keyForSlateo:  false,
	versioned:     []string{UploadsBucket},
	accessLogs:    false,
}

// builder builds one account: its configuration through the services' Go API, its history
// into the journal and the trail's log files.
type builder struct {
	t      Target
	h      history
	now    time.Time
	keyARN string
	// data holds the S3 data events that go into the trail's log files.
	data []simcore.Record
}

func newBuilder(t Target) *builder {
	return &builder{t: t, h: history{env: t.Env}, now: now(t)}
}

func healthy(t Target) error {
	b := newBuilder(t)
	setupAt := b.now.Add(-72 * time.Hour)
	if err := b.configure(healthyConfig, setupAt); err != nil {
		return err
	}
	if err := b.recordSetup(setupAt, healthyConfig); err != nil {
		return err
	}
	if err := b.activity(b.now.Add(-20*time.Hour), 12, 95*time.Minute, false); err != nil {
		return err
	}
	return b.writeLogFiles()
}

func broken(t Target) error {
	b := newBuilder(t)
	setupAt := b.now.Add(-23 * time.Hour)
	if err := b.configure(brokenConfig, setupAt); err != nil {
		return err
	}
	first := healthyConfig
	first.versioned, first.accessLogs = brokenConfig.versioned, false
	if err := b.recordSetup(setupAt, first); err != nil {
		return err
	}
	if err := b.activity(b.now.Add(-20*time.Hour), 5, 90*time.Minute, false); err != nil {
		return err
	}
	b.t.Env.Journal.Add(b.changeEvents(b.now.Add(-12 * time.Hour))...)
	if err := b.activity(b.now.Add(-11*time.Hour), 14, 45*time.Minute, true); err != nil {
		return err
	}
	return b.writeLogFiles()
}

// recordSetup writes the admin's setup calls into the journal and starts the trail's
// logging when the history says it started.
func (b *builder) recordSetup(start time.Time, c config) error {
	records := b.setupEvents(start, c)
	b.t.Env.Journal.Add(records...)
	last := records[len(records)-1]
	return b.t.Trail.StartLoggingAt(Region, TrailName, last.Time())
}

// configure sets the account up through the services' Go API, first error wins; the
// trail's logging is started by recordSetup.
func (b *builder) configure(c config, setupAt time.Time) error {
	steps := []func() error{
		func() error { return b.buckets(c) },
		func() error { return b.key(c, setupAt) },
		func() error { return b.bucketSettings(c) },
		func() error { return b.trail() },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) bucketNames(c config) []string {
	names := []string{UploadsBucket, CacheBucket, TrailBucket}
	if c.accessLogs {
		names = append(names, AccessLogsBucket)
	}
	return names
}

func (b *builder) buckets(c config) error {
	s3 := b.t.S3
	for _, name := range b.bucketNames(c) {
		if err := s3.CreateBucket(name, Region); err != nil {
			return fmt.Errorf("creating bucket %s: %w", name, err)
		}
		restrict := name != CacheBucket || c.restrictCache
		if err := s3.PutPublicAccessBlock(name, true, true, true, restrict); err != nil {
			return fmt.Errorf("blocking public access to %s: %w", name, err)
		}
	}
	return nil
}

// key creates the customer-managed key, dated as the setup history's CreateKey call.
func (b *builder) key(c config, setupAt time.Time) error {
	created := setupAt.Add(time.Duration(2*len(b.bucketNames(c))) * callGap)
	arn, err := b.t.KMS.CreateKeyAt(Region, "Slateo buckets of "+Company,
		keyPolicy(b.t.Env.Account, c.keyForSlateo), created)
	if err != nil {
		return err
	}
	b.keyARN = arn
	return b.t.KMS.CreateAlias(Region, KeyAlias, arn)
}

func (b *builder) bucketSettings(c config) error {
	s3 := b.t.S3
	policies := map[string]string{UploadsBucket: c.uploadsPolicy, CacheBucket: c.cachePolicy,
		TrailBucket: trailBucketPolicy(b.t.Env.Account)}
	for _, name := range []string{UploadsBucket, CacheBucket, TrailBucket} {
		if err := s3.PutBucketPolicy(name, policies[name]); err != nil {
			return fmt.Errorf("putting policy of %s: %w", name, err)
		}
	}
	for _, name := range []string{UploadsBucket, CacheBucket} {
		if err := s3.PutBucketEncryption(name, "aws:kms", b.keyARN); err != nil {
			return fmt.Errorf("putting encryption of %s: %w", name, err)
		}
		if c.accessLogs {
			if err := s3.PutBucketLogging(name, AccessLogsBucket, name+"/"); err != nil {
				return fmt.Errorf("putting logging of %s: %w", name, err)
			}
		}
	}
	for _, name := range c.versioned {
		if err := s3.PutBucketVersioning(name, "Enabled"); err != nil {
			return fmt.Errorf("putting versioning of %s: %w", name, err)
		}
	}
	if err := s3.PutBucketCORS(c.corsBucket, guideCORS); err != nil {
		return fmt.Errorf("putting CORS of %s: %w", c.corsBucket, err)
	}
	return nil
}

// dataSelectors log management events and S3 data events of both buckets.
func dataSelectors() []trailsim.EventSelector {
	return []trailsim.EventSelector{{
		ReadWriteType: "All", IncludeManagementEvents: true,
		DataResources: []trailsim.DataResource{{Type: "AWS::S3::Object", Values: []string{
			"arn:aws:s3:::" + UploadsBucket + "/", "arn:aws:s3:::" + CacheBucket + "/",
		}}},
		ExcludeManagementEventSources: []string{},
	}}
}

func (b *builder) trail() error {
	tr := b.t.Trail
	_, err := tr.CreateTrail(Region, trailsim.TrailSpec{
		Name: TrailName, S3BucketName: TrailBucket, MultiRegion: true,
	})
	if err == nil {
		err = tr.PutEventSelectors(Region, TrailName, dataSelectors(), nil)
	}
	return err
}

// objectKey is where the org role's i-th object call goes, by bucket.
func objectKey(bucket string, i int) string {
	if bucket == UploadsBucket {
		return fmt.Sprintf("%s/uploads/u%04d/customers-%02d.csv", OrgID, i, i)
	}
	return fmt.Sprintf("%s/query-cache/parquet/q%04d.parquet", OrgID, i)
}

func objectBody(bucket string, i int) []byte {
	if bucket == UploadsBucket {
		return fmt.Appendf(nil, "id,name,region\n%d,Customer %d,us-west-2\n", i, i)
	}
	return fmt.Appendf(nil, "PAR1 query result %d PAR1", i)
}

// activity plays n object calls of the org role, step apart from start: uploads and cache
// writes and reads in turn. Successful writes leave their object; every call is a data event
// for the trail's log files; each successful one also has its KMS owner copy in the journal.
func (b *builder) activity(start time.Time, n int, step time.Duration, denied bool) error {
	// Each read reads back an object that a write of the same round wrote.
	pattern := []struct {
		name, bucket string
		back         int
	}{
		{"PutObject", UploadsBucket, 0}, {"PutObject", CacheBucket, 0},
		{"GetObject", CacheBucket, 1}, {"GetObject", UploadsBucket, 3},
	}
	base := len(b.data)
	for i := range n {
		p := pattern[i%len(pattern)]
		idx := base + i - p.back
		a := access{name: p.name, bucket: p.bucket, key: objectKey(p.bucket, idx), denied: denied}
		at := start.Add(time.Duration(i) * step)
		b.data = append(b.data, b.h.dataEvent(at, a, simcore.EventID()))
		if denied {
			continue
		}
		b.t.Env.Journal.Add(b.h.kmsEvent(at, a, b.keyARN))
		if p.name == "PutObject" {
			if err := b.t.S3.PutObject(p.bucket, a.key, objectBody(p.bucket, idx)); err != nil {
				return fmt.Errorf("putting object %s: %w", a.key, err)
			}
		}
	}
	return nil
}

// LogFileKey returns the key of a trail log file delivered at a time, without the bucket's
// key prefix, as CloudTrail names it.
func LogFileKey(account, region string, delivered time.Time, unique string) string {
	d := delivered.UTC()
	return fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz",
		account, region, d.Format("2006/01/02"), account, region, d.Format("20060102T1504Z"),
		unique)
}

// writeLogFiles puts the data events in the trail bucket, one log file per hour of events,
// delivered five minutes after the last event it holds.
func (b *builder) writeLogFiles() error {
	byHour := map[time.Time][]simcore.Record{}
	for _, r := range b.data {
		h := r.Time().Truncate(time.Hour)
		byHour[h] = append(byHour[h], r)
	}
	hours := make([]time.Time, 0, len(byHour))
	for h := range byHour {
		hours = append(hours, h)
	}
	sort.Slice(hours, func(i, j int) bool { return hours[i].Before(hours[j]) })
	for _, h := range hours {
		records := byHour[h]
		delivered := records[len(records)-1].Time().Add(5 * time.Minute)
		key := LogFileKey(b.t.Env.Account, Region, delivered, uniqueSuffix())
		body, err := gzipRecords(records)
		if err == nil {
			err = b.t.S3.PutObject(TrailBucket, key, body)
		}
		if err != nil {
			return fmt.Errorf("writing log file %s: %w", key, err)
		}
	}
	return nil
}

// gzipRecords renders a log file: {"Records":[...]} compressed with gzip.
func gzipRecords(records []simcore.Record) ([]byte, error) {
	doc, err := json.Marshal(struct {
		Records []simcore.Record `json:"Records"`
	}{records})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(doc); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
