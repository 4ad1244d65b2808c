package diagnostics

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slateo-s3/model"
)

const (
	testKeyID  = "1234abcd-12ab-34cd-56ef-1234567890ab"
	testKeyARN = "arn:aws:kms:us-west-2:111122223333:key/" + testKeyID
)

func testSettings() model.Settings {
	return model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}
}

// guidePolicy is the bucket policy of the setup guide for a bucket.
func guidePolicy(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[
{"Sid":"AllowSlateoListBucket","Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::880265510198:role/slateo-prod-storage-acme"},
 "Action":"s3:ListBucket","Resource":"arn:aws:s3:::` + bucket + `"},
{"Sid":"AllowSlateoObjectAccess","Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::880265510198:role/slateo-prod-storage-acme"},
 "Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:GetObjectTagging",
  "s3:PutObjectTagging"],"Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
}

const guideKeyPolicy = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[
{"Sid":"Enable IAM User Permissions","Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
{"Sid":"AllowSlateoKMSAccess","Effect":"Allow",
 "Principal":{"AWS":"arn:aws:iam::880265510198:role/slateo-prod-storage-acme"},
 "Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey"],"Resource":"*"}]}`

func guideCORS() []model.CORSRule {
	return []model.CORSRule{{
		AllowedHeaders: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"},
		AllowedOrigins: []string{"https://*.slateo.ai", "https://slateo.ai"},
		ExposeHeaders:  []string{"ETag"}, MaxAgeSeconds: 3600,
	}}
}

func healthyBucket(name string, p model.Purpose) model.BucketState {
	b := model.BucketState{
		Name: name, Purpose: p,
		Presence: model.Known(model.Owned),
		Region:   model.Known("us-west-2"),
		PublicAccessBlock: model.Known(model.PublicAccessBlock{BlockPublicAcls: true,
			IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}),
		Policy:     model.Known(guidePolicy(name)),
		CORS:       model.Absent[[]model.CORSRule]("NoSuchCORSConfiguration"),
		Encryption: model.Known(model.Encryption{Algorithm: "aws:kms", KMSKeyID: testKeyARN}),
		Ownership:  model.Known("BucketOwnerEnforced"),
		Versioning: model.Known("Enabled"),
		Logging:    model.Known(model.Logging{TargetBucket: "acme-logs", TargetPrefix: name + "/"}),
	}
	if p == model.Cache {
		b.CORS = model.Known(guideCORS())
	}
	return b
}

func healthyKey() model.KeyState {
	return model.KeyState{
		Ref: testKeyARN,
		Metadata: model.Known(model.KeyMetadata{KeyID: testKeyID, ARN: testKeyARN,
			Account: "111122223333", Region: "us-west-2", State: "Enabled", Enabled: true,
			Manager: "CUSTOMER"}),
		Policy: model.Known(guideKeyPolicy),
	}
}

func dataTrail() model.Trail {
	return model.Trail{
		Name: "audit", ARN: "arn:aws:cloudtrail:us-west-2:111122223333:trail/audit",
		HomeRegion: "us-west-2", MultiRegion: true, Bucket: "acme-trail",
		IsLogging: model.Known(true),
		Selectors: model.Known(model.EventSelectors{Basic: []model.BasicSelector{{
			ReadWriteType: "All", IncludeManagementEvents: true,
			DataResources: []model.DataResource{{Type: "AWS::S3::Object",
				Values: []string{"arn:aws:s3:::acme-slateo-uploads/",
					"arn:aws:s3:::acme-slateo-cache/"}}},
		}}}),
	}
}

// healthyState is an account configured exactly as the setup guide says, with SSE-KMS.
func healthyState() model.State {
	return model.State{
		Settings: testSettings(),
		Caller: model.Known(model.Caller{Account: "111122223333",
			ARN: "arn:aws:iam::111122223333:user/admin"}),
		Buckets: []model.BucketState{
			healthyBucket("acme-slateo-uploads", model.Uploads),
			healthyBucket("acme-slateo-cache", model.Cache),
		},
		Keys:   []model.KeyState{healthyKey()},
		Trails: model.Known([]model.Trail{dataTrail()}),
		ReadAt: time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC),
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// find returns the check with an id for a bucket ("" for account checks).
func find(t *testing.T, checks []model.Check, id, bucket string) model.Check {
	t.Helper()
	for _, c := range checks {
		if c.ID == id && c.Bucket == bucket {
			return c
		}
	}
	t.Fatalf("no check %s for bucket %q", id, bucket)
	return model.Check{}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// largePolicy is the guide's policy plus n partner statements with conditions and wildcards.
func largePolicy(bucket string, n int) string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range n {
		fmt.Fprintf(&b, `{"Sid":"Partner%d","Effect":"Allow","Principal":{"AWS":`+
			`"arn:aws:iam::4444555566%02d:role/reader"},"Action":["s3:Get*","s3:List*"],`+
			`"Resource":["arn:aws:s3:::%s/partner-%d/*"],"Condition":{"IpAddress":`+
			`{"aws:SourceIp":"203.0.113.%d/32"}}},`, i, i, bucket, i, i)
	}
	guide := guidePolicy(bucket)
	b.WriteString(guide[strings.Index(guide, "[")+1:])
	return b.String()
}
