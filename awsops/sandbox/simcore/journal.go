package simcore

import (
	"encoding/json"
	"sort"
	"sync"
	"time"
)

// Record is one CloudTrail event document, with the fields AWS fills in. Fields that AWS
// leaves out for some events are omitted when empty.
type Record struct {
	EventVersion        string          `json:"eventVersion"`
	UserIdentity        UserIdentity    `json:"userIdentity"`
	EventTime           string          `json:"eventTime"`
	EventSource         string          `json:"eventSource"`
	EventName           string          `json:"eventName"`
	AWSRegion           string          `json:"awsRegion"`
	SourceIPAddress     string          `json:"sourceIPAddress"`
	UserAgent           string          `json:"userAgent"`
	ErrorCode           string          `json:"errorCode,omitempty"`
	ErrorMessage        string          `json:"errorMessage,omitempty"`
	RequestParameters   json.RawMessage `json:"requestParameters"`
	ResponseElements    json.RawMessage `json:"responseElements"`
	AdditionalEventData json.RawMessage `json:"additionalEventData,omitempty"`
	RequestID           string          `json:"requestID"`
	EventID             string          `json:"eventID"`
	ReadOnly            bool            `json:"readOnly"`
	Resources           []Resource      `json:"resources,omitempty"`
	EventType           string          `json:"eventType"`
	ManagementEvent     bool            `json:"managementEvent"`
	RecipientAccountID  string          `json:"recipientAccountId"`
	SharedEventID       string          `json:"sharedEventID,omitempty"`
	EventCategory       string          `json:"eventCategory"`
}

// UserIdentity is the userIdentity element of a CloudTrail record.
type UserIdentity struct {
	Type           string          `json:"type"`
	PrincipalID    string          `json:"principalId,omitempty"`
	ARN            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	SessionContext *SessionContext `json:"sessionContext,omitempty"`
}

// SessionContext is the sessionContext of an assumed-role identity.
type SessionContext struct {
	SessionIssuer SessionIssuer     `json:"sessionIssuer"`
	Attributes    map[string]string `json:"attributes,omitempty"`
}

// SessionIssuer names the role behind an assumed-role session.
type SessionIssuer struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// Resource is one entry of a record's resources list.
type Resource struct {
	AccountID string `json:"accountId,omitempty"`
	Type      string `json:"type"`
	ARN       string `json:"ARN"`
}

// Time parses EventTime; a record with a bad time sorts as the zero time.
func (r Record) Time() time.Time {
	t, _ := time.Parse(time.RFC3339, r.EventTime)
	return t
}

// Journal holds the account's CloudTrail management events: those the sandbox recorded for
// the writes it served, and those seeded by a scenario or an --events file. It is safe for
// concurrent use.
type Journal struct {
	mu      sync.Mutex
	records []Record
}

// Add appends records.
func (j *Journal) Add(records ...Record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.records = append(j.records, records...)
}

// NewestFirst returns a copy of every record, newest first.
func (j *Journal) NewestFirst() []Record {
	j.mu.Lock()
	out := append([]Record(nil), j.records...)
	j.mu.Unlock()
	sort.SliceStable(out, func(a, b int) bool { return out[a].Time().After(out[b].Time()) })
	return out
}

// Len returns the number of records held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.records)
}
