package scenario

import (
	"crypto/rand"
	"encoding/json"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// Identities and network details of the history the scenarios write. The addresses come
// from the documentation ranges (RFC 5737).
const (
	adminAccessKey = "AKIASANDBOXADMIN0001"
	adminIP        = "203.0.113.24"
	adminAgent     = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22"
	// RoleSession is the session name under which Slateo assumes the org role.
	RoleSession   = "slateo-storage"
	roleID        = "AROA4SLATEOACMEXAMPLE"
	roleAccessKey = "ASIA4SLATEOACMETEMP01"
	slateoIP      = "198.51.100.23"
	slateoAgent   = "[aws-sdk-go-v2/1.32.6 os/linux lang/go#1.23.4 md/GOOS#linux " +
		"md/GOARCH#amd64 api/s3#1.71.0]"
)

// history builds the CloudTrail records of one account.
type history struct {
	env simcore.Env
}

func (h history) admin() simcore.UserIdentity {
	return simcore.UserIdentity{
		Type: "IAMUser", PrincipalID: simcore.CallerUserID, ARN: h.env.CallerARN(),
		AccountID: h.env.Account, AccessKeyID: adminAccessKey, UserName: "sandbox-admin",
	}
}

// orgRole is the identity of Slateo's org role session, as the bucket owner's copy of a
// cross-account record shows it.
func orgRole(at time.Time) simcore.UserIdentity {
	roleName := simcore.SlateoRolePrefix + OrgSlug
	return simcore.UserIdentity{
		Type:        "AssumedRole",
		PrincipalID: roleID + ":" + RoleSession,
		ARN: "arn:aws:sts::" + simcore.SlateoAccount + ":assumed-role/" + roleName + "/" +
			RoleSession,
		AccountID:   simcore.SlateoAccount,
		AccessKeyID: roleAccessKey,
		SessionContext: &simcore.SessionContext{
			SessionIssuer: simcore.SessionIssuer{
				Type: "Role", PrincipalID: roleID, ARN: OrgRoleARN,
				AccountID: simcore.SlateoAccount, UserName: roleName,
			},
			Attributes: map[string]string{
				"creationDate":     at.Add(-10 * time.Minute).Format(time.RFC3339),
				"mfaAuthenticated": "false",
			},
		},
	}
}

func raw(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// call is one management call of the admin's, for the journal.
type call struct {
	after     time.Duration // since the start of the sequence
	source    string
	name      string
	params    map[string]any
	resources []simcore.Resource
	errCode   string
	errMsg    string
}

// adminEvent is the record of one of the admin's management calls.
func (h history) adminEvent(at time.Time, c call) simcore.Record {
	return simcore.Record{
		EventVersion: "1.11", UserIdentity: h.admin(),
		EventTime:   at.UTC().Format(time.RFC3339),
		EventSource: c.source, EventName: c.name, AWSRegion: Region,
		SourceIPAddress: adminIP, UserAgent: adminAgent,
		ErrorCode: c.errCode, ErrorMessage: c.errMsg,
		RequestParameters: raw(c.params), ResponseElements: json.RawMessage("null"),
		RequestID: simcore.RequestID(), EventID: simcore.EventID(),
		Resources: c.resources, EventType: "AwsApiCall", ManagementEvent: true,
		RecipientAccountID: h.env.Account, EventCategory: "Management",
	}
}

// access is one object call of Slateo's org role.
type access struct {
	after  time.Duration
	name   string // GetObject or PutObject
	bucket string
	key    string
	denied bool
}

// dataEvent is the bucket owner's copy of the org role's object call, an S3 data event that
// only a trail's log files hold. S3 answers a caller from another account outside the
// owner's organisation with the plain "Access Denied".
func (h history) dataEvent(at time.Time, a access, sharedID string) simcore.Record {
	r := simcore.Record{
		EventVersion: "1.11", UserIdentity: orgRole(at),
		EventTime:   at.UTC().Format(time.RFC3339),
		EventSource: "s3.amazonaws.com", EventName: a.name, AWSRegion: Region,
		SourceIPAddress: slateoIP, UserAgent: slateoAgent,
		RequestParameters: raw(map[string]any{
			"bucketName": a.bucket, "Host": a.bucket + ".s3." + Region + ".amazonaws.com",
			"key": a.key,
		}),
		ResponseElements: json.RawMessage("null"),
		AdditionalEventData: raw(map[string]any{
			"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
			"bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
			"x-amz-id-2": simcore.RequestID() + "/sandbox",
		}),
		RequestID: simcore.RequestID(), EventID: simcore.EventID(),
		ReadOnly: a.name == "GetObject",
		Resources: []simcore.Resource{
			{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::" + a.bucket + "/" + a.key},
			{AccountID: h.env.Account, Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + a.bucket},
		},
		EventType: "AwsApiCall", ManagementEvent: false, RecipientAccountID: h.env.Account,
		SharedEventID: sharedID, EventCategory: "Data",
	}
	if a.denied {
		r.ErrorCode, r.ErrorMessage = "AccessDenied", "Access Denied"
	}
	return r
}

// kmsEvent is the key owner's copy of the KMS call S3 made for the org role's successful
// object call: GenerateDataKey for PutObject, Decrypt for GetObject. Both copies of a
// cross-account call share one sharedEventID; KMS logs a denied cross-account call only in
// the caller's account, so a scenario never writes one here.
func (h history) kmsEvent(at time.Time, a access, keyARN string) simcore.Record {
	name := "Decrypt"
	params := map[string]any{
		"keyId":               keyARN,
		"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
		"encryptionContext":   map[string]string{"aws:s3:arn": "arn:aws:s3:::" + a.bucket},
	}
	if a.name == "PutObject" {
		name = "GenerateDataKey"
		params = map[string]any{
			"keyId":             keyARN,
			"keySpec":           "AES_256",
			"encryptionContext": map[string]string{"aws:s3:arn": "arn:aws:s3:::" + a.bucket},
		}
	}
	return simcore.Record{
		EventVersion: "1.11", UserIdentity: orgRole(at),
		EventTime:   at.UTC().Format(time.RFC3339),
		EventSource: "kms.amazonaws.com", EventName: name, AWSRegion: Region,
		SourceIPAddress: "s3.amazonaws.com", UserAgent: "s3.amazonaws.com",
		RequestParameters: raw(params), ResponseElements: json.RawMessage("null"),
		RequestID: simcore.EventID(), EventID: simcore.EventID(), ReadOnly: true,
		Resources: []simcore.Resource{
			{AccountID: h.env.Account, Type: "AWS::KMS::Key", ARN: keyARN},
		},
		EventType: "AwsApiCall", ManagementEvent: true, RecipientAccountID: h.env.Account,
		SharedEventID: simcore.EventID(), EventCategory: "Management",
	}
}

// uniqueSuffix returns the 16 letters and digits that end a log file's name.
func uniqueSuffix() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b [16]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}
