package scenario

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// eventDoc is one denial of the report's events, named as `events --json` names them.
type eventDoc struct {
	Time         time.Time `json:"time"`
	Source       string    `json:"source"`
	Name         string    `json:"name"`
	Principal    string    `json:"principal"`
	Resource     string    `json:"resource"`
	ErrorCode    string    `json:"error_code"`
	ErrorMessage string    `json:"error_message"`
	SourceIP     string    `json:"source_ip"`
}

// objectCalls are the S3 calls CloudTrail logs as data events, only in a trail's log files.
var objectCalls = []string{"GetObject", "PutObject", "DeleteObject", "HeadObject",
	"GetObjectTagging", "PutObjectTagging", "DeleteObjects", "CopyObject",
	"CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "GetObjectAcl"}

func isDataEvent(e eventDoc) bool {
	return e.Source == "s3.amazonaws.com" && slices.Contains(objectCalls, e.Name)
}

// events puts the report's denials back where CloudTrail keeps them: object calls in log
// files of the first trail that logs, everything else in the event history.
func (b *rebuild) events() error {
	var data []simcore.Record
	for _, e := range b.doc.Events.Events {
		r := b.record(e)
		if isDataEvent(e) {
			data = append(data, r)
			continue
		}
		b.t.Env.Journal.Add(r)
	}
	if len(data) == 0 {
		return nil
	}
	tr, ok := b.loggingTrail()
	if !ok {
		return nil
	}
	return b.writeLogFiles(tr, data)
}

// loggingTrail is the trail whose log files hold the data events.
func (b *rebuild) loggingTrail() (trailDoc, bool) {
	if !b.doc.Documents.Trails.present() {
		return trailDoc{}, false
	}
	for _, t := range b.doc.Documents.Trails.Value {
		if t.Bucket != "" && t.IsLogging.Value {
			return t, true
		}
	}
	return trailDoc{}, false
}

// record is the CloudTrail record of one denial, as the bucket or key owner's copy shows it.
func (b *rebuild) record(e eventDoc) simcore.Record {
	category := "Management"
	if isDataEvent(e) {
		category = "Data"
	}
	params := map[string]any{}
	if bucket, key, ok := strings.Cut(strings.TrimPrefix(e.Resource, "arn:aws:s3:::"), "/"); ok &&
		strings.HasPrefix(e.Resource, "arn:aws:s3:::") {
		params["bucketName"], params["key"] = bucket, key
	} else if strings.HasPrefix(e.Resource, "arn:aws:s3:::") {
		params["bucketName"] = strings.TrimPrefix(e.Resource, "arn:aws:s3:::")
	}
	return simcore.Record{
		EventVersion: "1.11", UserIdentity: identityOf(e.Principal, e.Time),
		EventTime:   e.Time.UTC().Format(time.RFC3339),
		EventSource: e.Source, EventName: e.Name, AWSRegion: b.region(""),
		SourceIPAddress: e.SourceIP, UserAgent: "slateo-s3 report",
		ErrorCode: e.ErrorCode, ErrorMessage: e.ErrorMessage,
		RequestParameters: raw(params), ResponseElements: json.RawMessage("null"),
		RequestID: simcore.RequestID(), EventID: simcore.EventID(),
		ReadOnly: strings.HasPrefix(e.Name, "Get") || strings.HasPrefix(e.Name, "List") ||
			strings.HasPrefix(e.Name, "Describe") || strings.HasPrefix(e.Name, "Head"),
		Resources: resourcesOf(e.Resource, b.t.Env.Account), EventType: "AwsApiCall",
		ManagementEvent: category == "Management", RecipientAccountID: b.t.Env.Account,
		EventCategory: category,
	}
}

// resourcesOf lists a record's resources: an object and its bucket, a bucket, or a key.
func resourcesOf(arn, account string) []simcore.Resource {
	switch {
	case strings.HasPrefix(arn, "arn:aws:s3:::") && strings.Contains(arn, "/"):
		bucket, _, _ := strings.Cut(strings.TrimPrefix(arn, "arn:aws:s3:::"), "/")
		return []simcore.Resource{{Type: "AWS::S3::Object", ARN: arn},
			{AccountID: account, Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + bucket}}
	case strings.HasPrefix(arn, "arn:aws:s3:::"):
		return []simcore.Resource{{AccountID: account, Type: "AWS::S3::Bucket", ARN: arn}}
	case strings.Contains(arn, ":kms:"):
		return []simcore.Resource{{AccountID: account, Type: "AWS::KMS::Key", ARN: arn}}
	}
	return nil
}

// identityOf rebuilds a userIdentity from the principal's ARN: a role session, an IAM
// user, or an account root.
func identityOf(principal string, at time.Time) simcore.UserIdentity {
	parts := strings.SplitN(principal, ":", 6)
	if len(parts) < 6 {
		return simcore.UserIdentity{Type: "AWSService", PrincipalID: principal}
	}
	account, resource := parts[4], parts[5]
	id := simcore.UserIdentity{ARN: principal, AccountID: account}
	switch {
	case strings.HasPrefix(resource, "assumed-role/"):
		fields := strings.Split(resource, "/")
		role, session := fields[1], fields[len(fields)-1]
		id.Type, id.PrincipalID = "AssumedRole", "AROAREBUILTFROMREPORT:"+session
		id.SessionContext = &simcore.SessionContext{
			SessionIssuer: simcore.SessionIssuer{Type: "Role", PrincipalID: "AROAREBUILTFROMREPORT",
				ARN: "arn:aws:iam::" + account + ":role/" + role, AccountID: account,
				UserName: role},
			Attributes: map[string]string{
				"creationDate":     at.Add(-10 * time.Minute).UTC().Format(time.RFC3339),
				"mfaAuthenticated": "false",
			},
		}
	case strings.HasPrefix(resource, "user/"):
		fields := strings.Split(resource, "/")
		id.Type, id.PrincipalID, id.UserName = "IAMUser", "AIDAREBUILTFROMREPORT",
			fields[len(fields)-1]
	default:
		id.Type, id.PrincipalID = "Root", account
	}
	return id
}

// writeLogFiles puts data events in a trail's bucket, one log file per hour, delivered five
// minutes after its last event.
func (b *rebuild) writeLogFiles(tr trailDoc, records []simcore.Record) error {
	byHour := map[time.Time][]simcore.Record{}
	for _, r := range records {
		h := r.Time().Truncate(time.Hour)
		byHour[h] = append(byHour[h], r)
	}
	hours := make([]time.Time, 0, len(byHour))
	for h := range byHour {
		hours = append(hours, h)
	}
	sort.Slice(hours, func(i, j int) bool { return hours[i].Before(hours[j]) })
	for _, h := range hours {
		rs := byHour[h]
		sort.Slice(rs, func(i, j int) bool { return rs[i].Time().Before(rs[j].Time()) })
		delivered := rs[len(rs)-1].Time().Add(5 * time.Minute)
		key := LogFileKey(b.t.Env.Account, b.region(tr.HomeRegion), delivered, uniqueSuffix())
		if tr.KeyPrefix != "" {
			key = strings.TrimSuffix(tr.KeyPrefix, "/") + "/" + key
		}
		body, err := gzipRecords(rs)
		if err == nil {
			err = b.t.S3.PutObject(tr.Bucket, key, body)
		}
		if err != nil {
			return fmt.Errorf("writing log file %s: %w", key, err)
		}
	}
	return nil
}
