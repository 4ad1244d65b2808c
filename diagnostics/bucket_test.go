package diagnostics

import (
	"strings"
	"testing"
	"time"

	"slateo-s3/model"
)

const uploadsBucket = "acme-slateo-uploads"

func TestBucketChecks(t *testing.T) {
	P, F, W, S, U := model.Pass, model.Fail, model.Warn, model.Skip, model.Unknown
	tests := []struct {
		name   string
		mutate func(s *model.State)
		bucket string
		id     string
		want   want
		fix    string
	}{
		{name: "missing bucket", bucket: cacheBucket, id: IDBucketExists,
			mutate: func(s *model.State) { s.Buckets[1].Presence = model.Known(model.Missing) },
			want:   want{F, "does not exist"},
			fix: "aws s3api create-bucket --bucket acme-slateo-cache --region us-west-2 " +
				"--create-bucket-configuration LocationConstraint=us-west-2"},
		{name: "missing bucket skips the rest", bucket: cacheBucket, id: IDPolicyDeny,
			mutate: func(s *model.State) { s.Buckets[1].Presence = model.Known(model.Missing) },
			want:   want{S, "does not exist"}},
		{name: "foreign bucket", bucket: cacheBucket, id: IDBucketExists,
			mutate: func(s *model.State) { s.Buckets[1].Presence = model.Known(model.Foreign) },
			want:   want{F, "another AWS account"}, fix: "--cache-bucket NAME"},
		{name: "foreign bucket skips the rest", bucket: cacheBucket, id: IDCORS,
			mutate: func(s *model.State) { s.Buckets[1].Presence = model.Known(model.Foreign) },
			want:   want{S, "belongs to another AWS account"}},
		{name: "us-east-1 create has no constraint", bucket: cacheBucket, id: IDBucketExists,
			mutate: func(s *model.State) {
				s.Settings.Region = "us-east-1"
				s.Buckets[1].Presence = model.Known(model.Missing)
			},
			want: want{F, ""}, fix: "--region us-east-1\naws s3api put-public-access-block"},
		{name: "other region", bucket: uploadsBucket, id: IDBucketRegion,
			mutate: func(s *model.State) { s.Buckets[0].Region = model.Known("eu-central-1") },
			want:   want{F, "in eu-central-1, not in the configured region us-west-2"},
			fix:    "--region eu-central-1"},
		{name: "empty location is us-east-1", bucket: uploadsBucket, id: IDBucketRegion,
			mutate: func(s *model.State) {
				s.Settings.Region = "us-east-1"
				s.Buckets[0].Region = model.Known("")
			}, want: want{P, "us-east-1"}},
		{name: "EU location is eu-west-1", bucket: uploadsBucket, id: IDBucketRegion,
			mutate: func(s *model.State) {
				s.Settings.Region = "eu-west-1"
				s.Buckets[0].Region = model.Known("EU")
			}, want: want{P, "eu-west-1"}},
		{name: "public access block partly off", bucket: uploadsBucket, id: IDPublicAccessBlock,
			mutate: func(s *model.State) {
				s.Buckets[0].PublicAccessBlock = model.Known(model.PublicAccessBlock{
					BlockPublicAcls: true, IgnorePublicAcls: true})
			}, want: want{F, "BlockPublicPolicy=false, RestrictPublicBuckets=false"},
			fix: "RestrictPublicBuckets=true"},
		{name: "public access block missing", bucket: uploadsBucket, id: IDPublicAccessBlock,
			mutate: func(s *model.State) {
				s.Buckets[0].PublicAccessBlock = model.Absent[model.PublicAccessBlock](
					"NoSuchPublicAccessBlockConfiguration")
			}, want: want{F, "NoSuchPublicAccessBlockConfiguration"}},
		{name: "object writer", bucket: uploadsBucket, id: IDObjectOwnership,
			mutate: func(s *model.State) { s.Buckets[0].Ownership = model.Known("ObjectWriter") },
			want:   want{W, "ObjectWriter"}, fix: "ObjectOwnership=BucketOwnerEnforced"},
		{name: "no ownership controls", bucket: uploadsBucket, id: IDObjectOwnership,
			mutate: func(s *model.State) {
				s.Buckets[0].Ownership = model.Absent[string]("OwnershipControlsNotFoundError")
			}, want: want{W, "OwnershipControlsNotFoundError"}},
		{name: "versioning suspended", bucket: uploadsBucket, id: IDVersioning,
			mutate: func(s *model.State) { s.Buckets[0].Versioning = model.Known("Suspended") },
			want:   want{W, "suspended"}, fix: "Status=Enabled"},
		{name: "versioning never enabled", bucket: uploadsBucket, id: IDVersioning,
			mutate: func(s *model.State) { s.Buckets[0].Versioning = model.Known("") },
			want:   want{W, "was never enabled"}},
		{name: "logging off", bucket: uploadsBucket, id: IDAccessLogging,
			mutate: func(s *model.State) { s.Buckets[0].Logging = model.Known(model.Logging{}) },
			want:   want{W, "off"}, fix: `"TargetBucket":"acme-slateo-access-logs"`},
		{name: "logging to itself", bucket: uploadsBucket, id: IDAccessLogging,
			mutate: func(s *model.State) {
				s.Buckets[0].Logging = model.Known(model.Logging{TargetBucket: uploadsBucket})
			}, want: want{W, "bucket itself"}},
		{name: "objects found", bucket: cacheBucket, id: IDSlateoObjects,
			mutate: func(s *model.State) {
				s.Settings.OrgID = "org-1"
				s.Buckets[1].Objects = map[string]model.Fact[[]model.Object]{
					"org-1/query-cache/parquet/": model.Known([]model.Object{
						{Key: "org-1/query-cache/parquet/a.parquet", Size: 10,
							LastModified: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
						{Key: "org-1/query-cache/parquet/b.parquet", Size: 20,
							LastModified: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
					})}
			}, want: want{P, "Newest: org-1/query-cache/parquet/b.parquet"}},
		{name: "no objects yet", bucket: uploadsBucket, id: IDSlateoObjects,
			mutate: func(s *model.State) {
				s.Settings.OrgID = "org-1"
				s.Buckets[0].Objects = map[string]model.Fact[[]model.Object]{
					"org-1/uploads/": model.Known([]model.Object{})}
			}, want: want{W, "org-1/uploads/"}, fix: "upload a CSV"},
		{name: "objects unreadable", bucket: uploadsBucket, id: IDSlateoObjects,
			mutate: func(s *model.State) {
				s.Settings.OrgID = "org-1"
				s.Buckets[0].Objects = map[string]model.Fact[[]model.Object]{
					"org-1/uploads/": model.Unreadable[[]model.Object]("AccessDenied",
						"s3:ListBucket")}
			}, want: want{U, "s3:ListBucket"}},
		{name: "same bucket twice", id: IDDistinctBuckets,
			mutate: func(s *model.State) { s.Settings.CacheBucket = uploadsBucket },
			want:   want{F, "same bucket"}, fix: "--cache-bucket acme-slateo-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := healthyState()
			tt.mutate(&s)
			c := find(t, Checklist(s), tt.id, tt.bucket)
			if tt.want.status == model.Skip || tt.want.status == model.Unknown {
				if c.Status != tt.want.status || !strings.Contains(c.Summary+c.Detail,
					tt.want.text) {
					t.Errorf("got %s %q %q, want %s with %q", c.Status, c.Summary, c.Detail,
						tt.want.status, tt.want.text)
				}
				return
			}
			assertCheck(t, c, tt.want)
			if !strings.Contains(c.Fix, tt.fix) {
				t.Errorf("fix lacks %q:\n%s", tt.fix, c.Fix)
			}
		})
	}
}

func TestChecklistSanitizesAWSStrings(t *testing.T) {
	s := healthyState()
	s.Buckets[0].Policy = model.Known(`{"Statement":[{"Sid":"x\u001b[2J\u001b]52;c;ZXZpbA==\u0007",
		"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
	s.Buckets[0].Logging = model.Known(model.Logging{TargetBucket: "logs\x1b[31m"})
	for _, c := range Checklist(s) {
		for _, text := range []string{c.Summary, c.Detail, c.Fix} {
			if strings.ContainsAny(text, "\x1b\x07\u009b") {
				t.Errorf("%s %s carries a control sequence: %q", c.ID, c.Bucket, text)
			}
		}
	}
}
