package scenario

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"slateo-s3/awsops/sandbox/kmssim"
	"slateo-s3/awsops/sandbox/simcore"
	"slateo-s3/awsops/sandbox/trailsim"
)

// Report is a `slateo-s3 report --json` document, read to rebuild the account it describes
// in a sandbox: its buckets and their settings, its keys (with their ids), its trails and
// the denials CloudTrail held (object calls in the trail's log files, the others in the
// event history), at the times they happened.
// Masked values ([account-1], [user-2], ...) become values of the same kind: the caller's
// account becomes the sandbox's, other accounts stand-in account ids.
type Report struct {
	raw []byte
	doc reportDoc
}

// The report's fields that rebuilding needs, named as `report --json` names them.
type reportDoc struct {
	Settings ReportSettings `json:"settings"`
	Caller   struct {
		Account string `json:"account"`
	} `json:"caller"`
	Documents struct {
		Buckets []bucketDoc      `json:"buckets"`
		Keys    []keyDoc         `json:"keys"`
		Trails  fact[[]trailDoc] `json:"trails"`
	} `json:"documents"`
	Events struct {
		Window struct {
			Start time.Time `json:"start"`
			End   time.Time `json:"end"`
		} `json:"window"`
		Events []eventDoc `json:"events"`
	} `json:"events"`
}

// ReportSettings are the settings the report was made with, to check the rebuilt account.
type ReportSettings struct {
	OrgSlug       string `json:"org_slug"`
	Company       string `json:"company"`
	UploadsBucket string `json:"uploads_bucket"`
	CacheBucket   string `json:"cache_bucket"`
	Region        string `json:"region"`
	KMSKey        string `json:"kms_key"`
	OrgID         string `json:"org_id"`
}

// fact is one value read from AWS, or why there is none.
type fact[T any] struct {
	Availability  string `json:"availability"`
	Value         T      `json:"value"`
	Reason        string `json:"reason"`
	MissingAction string `json:"missing_action"`
}

func (f fact[T]) present() bool { return f.Availability == "present" }

// denied reports whether the admin's credentials were refused this read.
func (f fact[T]) denied() bool {
	return f.Availability == "could-not-read" && f.MissingAction != ""
}

type bucketDoc struct {
	Name     string       `json:"name"`
	Presence fact[string] `json:"presence"`
	Region   fact[string] `json:"region"`
	PAB      fact[struct {
		BlockPublicAcls       bool `json:"block_public_acls"`
		IgnorePublicAcls      bool `json:"ignore_public_acls"`
		BlockPublicPolicy     bool `json:"block_public_policy"`
		RestrictPublicBuckets bool `json:"restrict_public_buckets"`
	}] `json:"public_access_block"`
	Policy     fact[json.RawMessage] `json:"policy"`
	CORS       fact[[]corsRule]      `json:"cors"`
	Encryption fact[struct {
		Algorithm string `json:"algorithm"`
		KMSKeyID  string `json:"kms_key_id"`
	}] `json:"encryption"`
	Ownership  fact[string] `json:"ownership"`
	Versioning fact[string] `json:"versioning"`
	Logging    fact[struct {
		TargetBucket string `json:"target_bucket"`
		TargetPrefix string `json:"target_prefix"`
	}] `json:"logging"`
	// Objects are the newest objects listed under each org prefix.
	Objects map[string]fact[[]struct {
		Key  string `json:"key"`
		Size int64  `json:"size"`
	}] `json:"objects"`
}

// maxObjectSize caps the size of a rebuilt object: its content is zeros, only its key and
// existence matter to the checks.
const maxObjectSize = 1 << 20

type corsRule struct {
	ID             string   `json:"id" xml:"ID,omitempty"`
	AllowedHeaders []string `json:"allowed_headers" xml:"AllowedHeader"`
	AllowedMethods []string `json:"allowed_methods" xml:"AllowedMethod"`
	AllowedOrigins []string `json:"allowed_origins" xml:"AllowedOrigin"`
	ExposeHeaders  []string `json:"expose_headers" xml:"ExposeHeader"`
	MaxAgeSeconds  int32    `json:"max_age_seconds" xml:"MaxAgeSeconds,omitempty"`
}

type keyDoc struct {
	Ref      string `json:"ref"`
	Metadata fact[struct {
		KeyID   string `json:"key_id"`
		Account string `json:"account"`
		Region  string `json:"region"`
		State   string `json:"state"`
		Manager string `json:"manager"`
	}] `json:"metadata"`
	Policy fact[json.RawMessage] `json:"policy"`
}

type trailDoc struct {
	Name        string     `json:"name"`
	HomeRegion  string     `json:"home_region"`
	MultiRegion bool       `json:"multi_region"`
	Bucket      string     `json:"bucket"`
	KeyPrefix   string     `json:"key_prefix"`
	IsLogging   fact[bool] `json:"is_logging"`
	Selectors   fact[struct {
		Basic []struct {
			ReadWriteType           string `json:"read_write_type"`
			IncludeManagementEvents bool   `json:"include_management_events"`
			DataResources           []struct {
				Type   string   `json:"type"`
				Values []string `json:"values"`
			} `json:"data_resources"`
		} `json:"basic"`
		Advanced []struct {
			Name           string `json:"name"`
			FieldSelectors []struct {
				Field         string   `json:"field"`
				Equals        []string `json:"equals"`
				StartsWith    []string `json:"starts_with"`
				EndsWith      []string `json:"ends_with"`
				NotEquals     []string `json:"not_equals"`
				NotStartsWith []string `json:"not_starts_with"`
				NotEndsWith   []string `json:"not_ends_with"`
			} `json:"field_selectors"`
		} `json:"advanced"`
	}] `json:"selectors"`
}

// ParseReport reads a `report --json` document, masked or not.
func ParseReport(data []byte) (*Report, error) {
	var doc reportDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the report: %w", err)
	}
	if doc.Settings.UploadsBucket == "" && doc.Settings.CacheBucket == "" {
		return nil, fmt.Errorf("reading the report: it names no bucket; " +
			"is it the output of `slateo-s3 report --json`?")
	}
	return &Report{raw: data, doc: doc}, nil
}

// Settings returns the settings the report was made with.
func (r *Report) Settings() ReportSettings { return r.doc.Settings }

// Window returns the time span the report searched CloudTrail in; zero when it did not.
func (r *Report) Window() (start, end time.Time) {
	return r.doc.Events.Window.Start, r.doc.Events.Window.End
}

// CallerAccount returns the account of the credentials the report was made with, when the
// report shows it unmasked.
func (r *Report) CallerAccount() string {
	if accountPattern.MatchString(r.doc.Caller.Account) {
		return r.doc.Caller.Account
	}
	return ""
}

var (
	accountPattern  = regexp.MustCompile(`^[0-9]{12}$`)
	orgRolePattern  = regexp.MustCompile(regexp.QuoteMeta(simcore.SlateoRolePrefix) + `([a-z0-9-]+)`)
	maskPattern     = regexp.MustCompile(`\[(account|user|session|ip|key|email)-(\d+)\]`)
	standInAccounts = "1000000000"
)

// OrgRoles returns the org slugs whose Slateo role the report's documents name, and the
// report's own org: AWS stores a policy only when the roles it names exist, so they did.
func (r *Report) OrgRoles() []string {
	set := map[string]bool{}
	if r.doc.Settings.OrgSlug != "" {
		set[r.doc.Settings.OrgSlug] = true
	}
	for _, m := range orgRolePattern.FindAllStringSubmatch(string(r.raw), -1) {
		set[strings.TrimRight(m[1], "-")] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Denied lists the reads the report's credentials were refused, as OPERATION or
// OPERATION:BUCKET, so that the sandbox can refuse them too.
func (r *Report) Denied() []string {
	var out []string
	for _, b := range r.doc.Documents.Buckets {
		reads := []struct {
			op     string
			denied bool
		}{
			{"HeadBucket", b.Presence.denied()}, {"GetBucketLocation", b.Region.denied()},
			{"GetPublicAccessBlock", b.PAB.denied()}, {"GetBucketPolicy", b.Policy.denied()},
			{"GetBucketCors", b.CORS.denied()}, {"GetBucketEncryption", b.Encryption.denied()},
			{"GetBucketOwnershipControls", b.Ownership.denied()},
			{"GetBucketVersioning", b.Versioning.denied()},
			{"GetBucketLogging", b.Logging.denied()},
		}
		for _, objects := range b.Objects {
			if objects.denied() {
				reads = append(reads, struct {
					op     string
					denied bool
				}{"ListObjectsV2", true})
			}
		}
		for _, rd := range reads {
			if rd.denied {
				out = append(out, rd.op+":"+b.Name)
			}
		}
	}
	for _, k := range r.doc.Documents.Keys {
		if k.Metadata.denied() {
			out = append(out, "DescribeKey")
		}
		if k.Policy.denied() {
			out = append(out, "GetKeyPolicy")
		}
	}
	if r.doc.Documents.Trails.denied() {
		out = append(out, "DescribeTrails")
	}
	return dedupe(out)
}

func dedupe(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// unmask turns the report's masks into values of the same kind, the caller's account (or
// the account shown unmasked) into the sandbox's, and decodes the result.
func (r *Report) unmask(account string) (reportDoc, error) {
	caller := r.doc.Caller.Account
	text := maskPattern.ReplaceAllStringFunc(string(r.raw), func(m string) string {
		if m == caller {
			return account
		}
		sub := maskPattern.FindStringSubmatch(m)
		n, _ := strconv.Atoi(sub[2])
		return standIn(sub[1], n)
	})
	if accountPattern.MatchString(caller) && caller != account {
		text = strings.ReplaceAll(text, caller, account)
	}
	var doc reportDoc
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return doc, fmt.Errorf("reading the report: %w", err)
	}
	return doc, nil
}

// standIn is a value of a masked kind: a valid account id, name, address or key id.
func standIn(kind string, n int) string {
	switch kind {
	case "account":
		return fmt.Sprintf("%s%02d", standInAccounts, n%100)
	case "ip":
		return fmt.Sprintf("192.0.2.%d", n%255)
	case "key":
		return fmt.Sprintf("AKIAREDACTED%08d", n)
	case "email":
		return fmt.Sprintf("%s-%d@example.com", kind, n)
	}
	return fmt.Sprintf("%s-%d", kind, n)
}

// Apply builds the report's account into a sandbox that holds nothing yet: keys first
// (bucket encryption names them), then buckets, then trails.
func (r *Report) Apply(t Target) error {
	doc, err := r.unmask(t.Env.Account)
	if err != nil {
		return err
	}
	b := &rebuild{t: t, doc: doc, made: map[string]bool{}}
	for _, step := range []func() error{b.keys, b.buckets, b.trails, b.events} {
		if err := step(); err != nil {
			return fmt.Errorf("rebuilding the report's account: %w", err)
		}
	}
	return nil
}

// rebuild builds one report's account.
type rebuild struct {
	t    Target
	doc  reportDoc
	made map[string]bool // buckets created
}

func (b *rebuild) region(r string) string {
	if r != "" {
		return r
	}
	if b.doc.Settings.Region != "" {
		return b.doc.Settings.Region
	}
	return Region
}

// keys imports every key described in the sandbox's account, with its id, and the alias
// it was named by. A key of another account cannot be imported; its reads will fail.
func (b *rebuild) keys() error {
	for _, k := range b.doc.Documents.Keys {
		m := k.Metadata.Value
		if !k.Metadata.present() || m.Account != b.t.Env.Account {
			continue
		}
		region := b.region(m.Region)
		if _, err := b.t.KMS.Key(region, m.KeyID); err == nil {
			continue
		}
		policy := ""
		if k.Policy.present() {
			policy = document(k.Policy.Value)
		}
		desc := "Imported from a slateo-s3 report"
		if m.Manager == kmssim.ManagerAWS {
			desc = kmssim.ManagedS3Description
		}
		_, err := b.t.KMS.ImportKey(kmssim.KeyInfo{ID: m.KeyID, Region: region,
			Description: desc, Policy: policy, Manager: m.Manager})
		if err != nil {
			return err
		}
		if strings.HasPrefix(k.Ref, "alias/") && m.Manager != kmssim.ManagerAWS {
			if err := b.t.KMS.CreateAlias(region, k.Ref, m.KeyID); err != nil {
				return err
			}
		}
		if err := b.keyState(region, m.KeyID, m.State); err != nil {
			return err
		}
	}
	return nil
}

// keyState disables a key or schedules its deletion, as the report found it.
func (b *rebuild) keyState(region, id, state string) error {
	switch state {
	case kmssim.StateDisabled:
		return b.t.KMS.DisableKey(region, id)
	case kmssim.StatePendingDeletion:
		return b.t.KMS.ScheduleKeyDeletion(region, id, 30)
	}
	return nil
}

// document returns a policy as the text AWS stored: the report embeds it as JSON when it
// parses, or as a string when it does not.
func document(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var out bytes.Buffer
	if json.Indent(&out, raw, "", "  ") != nil {
		return string(raw)
	}
	return out.String()
}

func (b *rebuild) buckets() error {
	for _, d := range b.doc.Documents.Buckets {
		if !d.Presence.present() || d.Presence.Value != "owned" {
			continue
		}
		if err := b.bucket(d); err != nil {
			return fmt.Errorf("bucket %s: %w", d.Name, err)
		}
	}
	return nil
}

// bucket creates one bucket and sets what was read of it. Public access is unblocked while
// the policy goes in, since the account held both.
func (b *rebuild) bucket(d bucketDoc) error {
	s3 := b.t.S3
	region := b.region(d.Region.Value)
	if err := b.create(d.Name, region); err != nil {
		return err
	}
	if err := s3.DeletePublicAccessBlock(d.Name); err != nil {
		return err
	}
	steps := []func() error{
		func() error { return b.policy(d) },
		func() error { return b.publicAccess(d) },
		func() error { return b.cors(d) },
		func() error { return b.encryption(d) },
		func() error { return b.settings(d, region) },
		func() error { return b.objects(d) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (b *rebuild) create(name, region string) error {
	if b.made[name] || b.t.S3.BucketExists(name) {
		return nil
	}
	b.made[name] = true
	return b.t.S3.CreateBucket(name, region)
}

func (b *rebuild) policy(d bucketDoc) error {
	if !d.Policy.present() {
		return nil
	}
	return b.t.S3.PutBucketPolicy(d.Name, document(d.Policy.Value))
}

func (b *rebuild) publicAccess(d bucketDoc) error {
	if !d.PAB.present() {
		return nil
	}
	v := d.PAB.Value
	return b.t.S3.PutPublicAccessBlock(d.Name, v.BlockPublicAcls, v.IgnorePublicAcls,
		v.BlockPublicPolicy, v.RestrictPublicBuckets)
}

func (b *rebuild) cors(d bucketDoc) error {
	if !d.CORS.present() || len(d.CORS.Value) == 0 {
		return nil
	}
	doc, err := xml.Marshal(struct {
		XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CORSConfiguration"`
		Rules   []corsRule `xml:"CORSRule"`
	}{Rules: d.CORS.Value})
	if err != nil {
		return err
	}
	return b.t.S3.PutBucketCORS(d.Name, string(doc))
}

func (b *rebuild) encryption(d bucketDoc) error {
	if !d.Encryption.present() || d.Encryption.Value.Algorithm == "" {
		return nil
	}
	e := d.Encryption.Value
	return b.t.S3.PutBucketEncryption(d.Name, e.Algorithm, e.KMSKeyID)
}

// settings sets object ownership, versioning and access logging, creating the log bucket.
func (b *rebuild) settings(d bucketDoc, region string) error {
	s3 := b.t.S3
	if d.Ownership.present() || d.Ownership.Availability == "not-configured" {
		if err := s3.PutBucketOwnershipControls(d.Name, d.Ownership.Value); err != nil {
			return err
		}
	}
	if v := d.Versioning.Value; d.Versioning.present() && v != "" {
		if err := s3.PutBucketVersioning(d.Name, v); err != nil {
			return err
		}
	}
	if l := d.Logging.Value; d.Logging.present() && l.TargetBucket != "" {
		if err := b.create(l.TargetBucket, region); err != nil {
			return err
		}
		return s3.PutBucketLogging(d.Name, l.TargetBucket, l.TargetPrefix)
	}
	return nil
}

// objects puts the objects listed under the org prefixes back, in key order.
func (b *rebuild) objects(d bucketDoc) error {
	prefixes := make([]string, 0, len(d.Objects))
	for p := range d.Objects {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		for _, o := range d.Objects[p].Value {
			body := make([]byte, min(max(o.Size, 0), maxObjectSize))
			if err := b.t.S3.PutObject(d.Name, o.Key, body); err != nil {
				return err
			}
		}
	}
	return nil
}

// trails creates each trail, its bucket, its selectors and its logging state.
func (b *rebuild) trails() error {
	if !b.doc.Documents.Trails.present() {
		return nil
	}
	for _, tr := range b.doc.Documents.Trails.Value {
		if err := b.trail(tr); err != nil {
			return fmt.Errorf("trail %s: %w", tr.Name, err)
		}
	}
	return nil
}

func (b *rebuild) trail(tr trailDoc) error {
	region := b.region(tr.HomeRegion)
	if err := b.create(tr.Bucket, region); err != nil {
		return err
	}
	_, err := b.t.Trail.CreateTrail(region, trailsim.TrailSpec{Name: tr.Name,
		S3BucketName: tr.Bucket, S3KeyPrefix: tr.KeyPrefix, MultiRegion: tr.MultiRegion})
	if err != nil {
		return err
	}
	if tr.Selectors.present() {
		basic, advanced := selectors(tr)
		if err := b.t.Trail.PutEventSelectors(region, tr.Name, basic, advanced); err != nil {
			return err
		}
	}
	if tr.IsLogging.present() && tr.IsLogging.Value {
		return b.t.Trail.StartLogging(region, tr.Name)
	}
	return nil
}

func selectors(tr trailDoc) ([]trailsim.EventSelector, []trailsim.AdvancedEventSelector) {
	var basic []trailsim.EventSelector
	for _, s := range tr.Selectors.Value.Basic {
		sel := trailsim.EventSelector{ReadWriteType: s.ReadWriteType,
			IncludeManagementEvents:       s.IncludeManagementEvents,
			ExcludeManagementEventSources: []string{}}
		for _, d := range s.DataResources {
			sel.DataResources = append(sel.DataResources,
				trailsim.DataResource{Type: d.Type, Values: d.Values})
		}
		basic = append(basic, sel)
	}
	var advanced []trailsim.AdvancedEventSelector
	for _, s := range tr.Selectors.Value.Advanced {
		sel := trailsim.AdvancedEventSelector{Name: s.Name}
		for _, f := range s.FieldSelectors {
			sel.FieldSelectors = append(sel.FieldSelectors, trailsim.FieldSelector{
				Field: f.Field, Equals: f.Equals, StartsWith: f.StartsWith,
				EndsWith: f.EndsWith, NotEquals: f.NotEquals,
				NotStartsWith: f.NotStartsWith, NotEndsWith: f.NotEndsWith})
		}
		advanced = append(advanced, sel)
	}
	return basic, advanced
}
