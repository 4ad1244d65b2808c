package simcore

import (
	"encoding/json"
	"net"
	"net/http"
	"time"
)

// Write describes one write call that a simulated service served, for its CloudTrail record.
type Write struct {
	// Source is the event source, such as s3.amazonaws.com.
	Source string
	// Name is the event name, such as PutBucketPolicy.
	Name   string
	Region string
	// Parameters become requestParameters; nil gives null.
	Parameters any
	// Response becomes responseElements; nil gives null.
	Response  any
	Resources []Resource
	// ErrorCode and ErrorMessage are set when the call failed.
	ErrorCode    string
	ErrorMessage string
}

// RecordWrite adds the CloudTrail management event that AWS would log for a write served
// over HTTP, as made by the sandbox's caller.
func (e Env) RecordWrite(r *http.Request, w Write) {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	e.Journal.Add(Record{
		EventVersion: "1.11",
		UserIdentity: UserIdentity{
			Type:        "IAMUser",
			PrincipalID: CallerUserID,
			ARN:         e.CallerARN(),
			AccountID:   e.Account,
			AccessKeyID: accessKeyOf(r),
			UserName:    "sandbox-admin",
		},
		EventTime:          e.Now().UTC().Format(time.RFC3339),
		EventSource:        w.Source,
		EventName:          w.Name,
		AWSRegion:          w.Region,
		SourceIPAddress:    ip,
		UserAgent:          r.UserAgent(),
		ErrorCode:          w.ErrorCode,
		ErrorMessage:       w.ErrorMessage,
		RequestParameters:  rawJSON(w.Parameters),
		ResponseElements:   rawJSON(w.Response),
		RequestID:          RequestID(),
		EventID:            EventID(),
		ReadOnly:           false,
		Resources:          w.Resources,
		EventType:          "AwsApiCall",
		ManagementEvent:    true,
		RecipientAccountID: e.Account,
		EventCategory:      "Management",
	})
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// accessKeyOf reads the access key id from a SigV4 Authorization header.
func accessKeyOf(r *http.Request) string {
	scope, ok := CredentialScope(r)
	if !ok {
		return ""
	}
	return scope.AccessKeyID
}
