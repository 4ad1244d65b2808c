package diagnostics

import (
	"testing"
	"time"

	"slateo-s3/model"
)

func TestKMSGrantKeyPolicies(t *testing.T) {
	P, F, W := model.Pass, model.Fail, model.Warn
	tests := []struct {
		fixture string
		want    want
	}{
		{fixture: "wildcards.json", want: want{P, "kms:GenerateDataKey: allowed by"}},
		{fixture: "via-s3.json", want: want{P, ""}},
		{fixture: "default.json", want: want{F, "does not allow the org role"}},
		{fixture: "decrypt-only.json", want: want{F, "kms:Encrypt: the key policy does not allow"}},
		{fixture: "slateo-root.json", want: want{W, "whole account"}},
		{fixture: "via-other-region.json", want: want{F, "kms:Decrypt"}},
		{fixture: "encryption-context.json", want: want{W, "kms:EncryptionContext:aws:s3:arn"}},
		{fixture: "deny-outside-org.json", want: want{F, "denied by statement \"DenyOutsideOrg\""}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			s := healthyState()
			s.Keys[0].Policy = model.Known(readFixture(t, "keys/"+tt.fixture))
			c := find(t, Checklist(s), IDKMSGrant, cacheBucket)
			assertCheck(t, c, tt.want)
			if c.Status != P && !contains(c.Fix, `"Sid": "AllowSlateoKMSAccess"`) {
				t.Errorf("fix lacks the guide statement:\n%s", c.Fix)
			}
		})
	}
}

func TestEncryptionAndKeyState(t *testing.T) {
	P, F, W, S, U := model.Pass, model.Fail, model.Warn, model.Skip, model.Unknown
	deletion := time.Date(2026, 12, 11, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		mutate func(s *model.State)
		id     string
		want   want
	}{
		{name: "sse-s3", id: IDEncryption, want: want{P, "SSE-S3"}, mutate: func(s *model.State) {
			s.Buckets[1].Encryption = model.Known(model.Encryption{Algorithm: "AES256"})
		}},
		{name: "sse-s3 skips kms-grant", id: IDKMSGrant, want: want{S, "does not use SSE-KMS"},
			mutate: func(s *model.State) {
				s.Buckets[1].Encryption = model.Known(model.Encryption{Algorithm: "AES256"})
			}},
		{name: "configured key unused", id: IDKMSGrant, want: want{W, "--kms-key"},
			mutate: func(s *model.State) {
				s.Settings.KMSKey = "alias/slateo"
				s.Buckets[1].Encryption = model.Known(model.Encryption{Algorithm: "AES256"})
			}},
		{name: "aws managed by default", id: IDEncryption, want: want{F, "aws/s3"},
			mutate: func(s *model.State) {
				s.Buckets[1].Encryption = model.Known(model.Encryption{Algorithm: "aws:kms"})
			}},
		{name: "aws managed by alias", id: IDEncryption, want: want{F, "can never use"},
			mutate: func(s *model.State) {
				s.Buckets[1].Encryption = model.Known(model.Encryption{Algorithm: "aws:kms",
					KMSKeyID: "arn:aws:kms:us-west-2:111122223333:alias/aws/s3"})
			}},
		{name: "aws managed by metadata", id: IDEncryption, want: want{F, ""},
			mutate: func(s *model.State) { s.Keys[0].Metadata.Value.Manager = "AWS" }},
		{name: "aws managed skips kms-grant", id: IDKMSGrant, want: want{S, "aws/s3"},
			mutate: func(s *model.State) {
				s.Buckets[1].Encryption = model.Known(model.Encryption{Algorithm: "aws:kms"})
			}},
		{name: "disabled key", id: IDKMSGrant, want: want{F, "is Disabled"},
			mutate: func(s *model.State) {
				s.Keys[0].Metadata.Value.State, s.Keys[0].Metadata.Value.Enabled = "Disabled", false
			}},
		{name: "pending deletion", id: IDKMSGrant, want: want{F, "2026-12-11 09:30 UTC"},
			mutate: func(s *model.State) {
				m := &s.Keys[0].Metadata.Value
				m.State, m.Enabled, m.DeletionDate = "PendingDeletion", false, &deletion
			}},
		{name: "key in other region", id: IDKMSGrant, want: want{F, "is in eu-west-1"},
			mutate: func(s *model.State) { s.Keys[0].Metadata.Value.Region = "eu-west-1" }},
		{name: "key found by id", id: IDKMSGrant, want: want{P, ""},
			mutate: func(s *model.State) {
				s.Keys[0].Ref = "alias/slateo"
				s.Buckets[1].Encryption.Value.KMSKeyID = testKeyID
			}},
		{name: "key found by alias arn", id: IDKMSGrant, want: want{P, ""},
			mutate: func(s *model.State) {
				s.Keys[0].Ref = "alias/slateo"
				s.Buckets[1].Encryption.Value.KMSKeyID =
					"arn:aws:kms:us-west-2:111122223333:alias/slateo"
			}},
		{name: "configured key is the same by alias", id: IDKMSGrant, want: want{P, ""},
			mutate: func(s *model.State) {
				s.Keys = append(s.Keys, model.KeyState{Ref: "alias/slateo",
					Metadata: s.Keys[0].Metadata, Policy: s.Keys[0].Policy})
				s.Settings.KMSKey = "alias/slateo"
			}},
		{name: "configured key differs", id: IDKMSGrant, want: want{W, "but the bucket uses"},
			mutate: func(s *model.State) { s.Settings.KMSKey = "alias/other" }},
		{name: "key not read", id: IDKMSGrant, want: want{U, "was not read"},
			mutate: func(s *model.State) { s.Keys = nil }},
		{name: "key policy denied", id: IDKMSGrant, want: want{U, "kms:GetKeyPolicy"},
			mutate: func(s *model.State) {
				s.Keys[0].Policy = model.Unreadable[string]("AccessDeniedException",
					"kms:GetKeyPolicy")
			}},
		{name: "key not described", id: IDEncryption, want: want{U, "kms:DescribeKey"},
			mutate: func(s *model.State) {
				s.Keys[0].Metadata = model.Unreadable[model.KeyMetadata]("AccessDeniedException",
					"kms:DescribeKey")
			}},
		{name: "bucket region unread", id: IDKMSGrant, want: want{U, "cannot be compared"},
			mutate: func(s *model.State) {
				s.Buckets[1].Region = model.Unreadable[string]("AccessDenied",
					"s3:GetBucketLocation")
			}},
		{name: "fail beats unknown", id: IDKMSGrant, want: want{F, "is Disabled"},
			mutate: func(s *model.State) {
				s.Keys[0].Metadata.Value.State = "Disabled"
				s.Keys[0].Policy = model.Unreadable[string]("AccessDeniedException",
					"kms:GetKeyPolicy")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := healthyState()
			tt.mutate(&s)
			c := find(t, Checklist(s), tt.id, cacheBucket)
			if tt.want.status == S || tt.want.status == U {
				if c.Status != tt.want.status || !contains(c.Summary+c.Detail, tt.want.text) {
					t.Errorf("got %s %q\n%s\nwant %s with %q", c.Status, c.Summary, c.Detail,
						tt.want.status, tt.want.text)
				}
				return
			}
			assertCheck(t, c, tt.want)
		})
	}
}
