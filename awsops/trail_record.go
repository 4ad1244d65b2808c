package awsops

import (
	"encoding/json"
	"strings"
	"time"

	"slateo-s3/model"
)

// trailRecord is the part of a CloudTrail record that finding and explaining a denial needs.
type trailRecord struct {
	EventID           string           `json:"eventID"`
	EventTime         string           `json:"eventTime"`
	EventSource       string           `json:"eventSource"`
	EventName         string           `json:"eventName"`
	SourceIPAddress   string           `json:"sourceIPAddress"`
	ErrorCode         string           `json:"errorCode"`
	ErrorMessage      string           `json:"errorMessage"`
	EventCategory     string           `json:"eventCategory"`
	UserIdentity      recordIdentity   `json:"userIdentity"`
	RequestParameters json.RawMessage  `json:"requestParameters"`
	Resources         []recordResource `json:"resources"`

	time time.Time
}

type recordIdentity struct {
	Type           string `json:"type"`
	PrincipalID    string `json:"principalId"`
	ARN            string `json:"arn"`
	AccountID      string `json:"accountId"`
	SessionContext *struct {
		SessionIssuer struct {
			ARN string `json:"arn"`
		} `json:"sessionIssuer"`
	} `json:"sessionContext"`
}

type recordResource struct {
	Type string `json:"type"`
	ARN  string `json:"ARN"`
}

// requestParameters holds the names a call's parameters give its subject.
type requestParameters struct {
	BucketName string `json:"bucketName"`
	Key        string `json:"key"`
	KeyID      string `json:"keyId"`
}

func parseRecord(raw []byte) (trailRecord, error) {
	var rec trailRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return trailRecord{}, err
	}
	rec.time, _ = time.Parse(time.RFC3339, rec.EventTime)
	return rec, nil
}

// params reads the request parameters; parameters of another shape give none.
func (r trailRecord) params() requestParameters {
	var p requestParameters
	_ = json.Unmarshal(r.RequestParameters, &p)
	return p
}

// principal names the caller: its ARN, or for callers without one (another account,
// an AWS service, an anonymous request) the best name the record gives.
func (r trailRecord) principal() string {
	id := r.UserIdentity
	switch {
	case id.ARN != "":
		return id.ARN
	case id.SessionContext != nil && id.SessionContext.SessionIssuer.ARN != "":
		return id.SessionContext.SessionIssuer.ARN
	case id.AccountID == "ANONYMOUS_PRINCIPAL":
		return ""
	case id.AccountID != "":
		return id.Type + " " + id.AccountID
	case id.PrincipalID != "":
		return id.PrincipalID
	}
	return id.Type
}

// resource names what the call was about: the object, else the bucket, else the key.
func (r trailRecord) resource() string {
	for _, res := range r.Resources {
		if res.Type == "AWS::S3::Object" {
			return res.ARN
		}
	}
	p := r.params()
	if p.BucketName != "" && p.Key != "" {
		return model.BucketARN(p.BucketName) + "/" + p.Key
	}
	if p.BucketName != "" {
		return model.BucketARN(p.BucketName)
	}
	if len(r.Resources) > 0 {
		return r.Resources[0].ARN
	}
	return p.KeyID
}

// event turns a record into an undiagnosed model.Event; raw is the record as read.
func (r trailRecord) event(raw string) model.Event {
	return model.Event{
		Time:         r.time,
		Source:       r.EventSource,
		Name:         r.EventName,
		Principal:    r.principal(),
		Resource:     r.resource(),
		ErrorCode:    r.ErrorCode,
		ErrorMessage: r.ErrorMessage,
		SourceIP:     r.SourceIPAddress,
		ID:           r.EventID,
		Record:       raw,
		Data:         r.EventCategory == "Data",
	}
}

// deniedEventCodes are the errorCode values with which services log a refused call.
var deniedEventCodes = map[string]bool{
	"accessdenied":                 true,
	"accessdeniedexception":        true,
	"client.unauthorizedoperation": true,
	"unauthorizedoperation":        true,
	"forbidden":                    true,
	"unauthorizedaccess":           true,
	"unauthorizedexception":        true,
	"authorizationerror":           true,
	"notauthorized":                true,
}

// IsDeniedEvent reports whether a CloudTrail errorCode says the call was refused for lack
// of permission (AccessDenied and its relatives across services).
func IsDeniedEvent(code string) bool {
	c := strings.ToLower(code)
	return deniedEventCodes[c] || strings.Contains(c, "accessdenied")
}

// matcher tells the denials that concern the settings from all others.
type matcher struct {
	settings model.Settings
	buckets  []string
	keys     []string
}

func newMatcher(s model.Settings, keyARNs []string) matcher {
	m := matcher{settings: s}
	for _, b := range s.BucketNames() {
		if b != "" {
			m.buckets = append(m.buckets, b)
		}
	}
	for _, arn := range keyARNs {
		m.keys = append(m.keys, arn)
		if _, id, ok := strings.Cut(arn, ":key/"); ok {
			m.keys = append(m.keys, id)
		}
	}
	if k := s.KMSKey; k != "" && !strings.HasPrefix(k, "alias/") {
		m.keys = append(m.keys, k)
	}
	return m
}

// relevant reports whether a record is a denial that the org role got, or that concerns one
// of the buckets (or a name close to one) or the key.
func (m matcher) relevant(r trailRecord) bool {
	if !IsDeniedEvent(r.ErrorCode) {
		return false
	}
	if model.IsOrgRole(r.principal(), m.settings.OrgSlug) {
		return true
	}
	return m.namesBucket(r) || m.namesKey(r)
}

func (m matcher) namesBucket(r trailRecord) bool {
	names := []string{r.params().BucketName}
	for _, res := range r.Resources {
		if bucket, ok := strings.CutPrefix(res.ARN, "arn:aws:s3:::"); ok {
			bucket, _, _ = strings.Cut(bucket, "/")
			names = append(names, bucket)
		}
	}
	for _, name := range names {
		for _, b := range m.buckets {
			if model.NearName(name, b) {
				return true
			}
		}
	}
	for _, b := range m.buckets {
		if namesARN(r.ErrorMessage, model.BucketARN(b)) {
			return true
		}
	}
	return false
}

// namesARN reports whether text names arn itself or something under it, not a longer name
// that starts the same (arn:aws:s3:::b-old for arn:aws:s3:::b).
func namesARN(text, arn string) bool {
	for rest := text; ; {
		i := strings.Index(rest, arn)
		if i < 0 {
			return false
		}
		rest = rest[i+len(arn):]
		if rest == "" || strings.ContainsRune(`"/ ,.`, rune(rest[0])) {
			return true
		}
	}
}

func (m matcher) namesKey(r trailRecord) bool {
	subjects := []string{r.params().KeyID, r.ErrorMessage}
	for _, res := range r.Resources {
		subjects = append(subjects, res.ARN)
	}
	for _, key := range m.keys {
		for _, s := range subjects {
			if s != "" && strings.Contains(s, key) {
				return true
			}
		}
	}
	return false
}
