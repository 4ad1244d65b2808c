package model

import (
	"errors"
	"strings"
	"testing"
)

func validSettings() Settings {
	return Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}
}

func TestValidateAcceptsValidSettings(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Settings)
	}{
		{name: "company only", edit: func(*Settings) {}},
		{name: "default region", edit: func(s *Settings) { s.Region = "" }},
		{name: "explicit buckets, no company", edit: func(s *Settings) {
			s.Company, s.UploadsBucket, s.CacheBucket = "", "up.example-1", "cache-2"
		}},
		{name: "gov region", edit: func(s *Settings) { s.Region = "us-gov-west-1" }},
		{name: "iso region", edit: func(s *Settings) { s.Region = "us-isob-east-1" }},
		{name: "sovereign region", edit: func(s *Settings) { s.Region = "eusc-de-east-1" }},
		{name: "china region", edit: func(s *Settings) { s.Region = "cn-northwest-1" }},
		{name: "key uuid", edit: func(s *Settings) {
			s.KMSKey = "1234abcd-12ab-34cd-56ef-1234567890ab"
		}},
		{name: "multi-region key id", edit: func(s *Settings) {
			s.KMSKey = "mrk-1234abcd12ab34cd56ef1234567890ab"
		}},
		{name: "key arn", edit: func(s *Settings) {
			s.KMSKey = "arn:aws:kms:us-west-2:111122223333:key/" +
				"1234abcd-12ab-34cd-56ef-1234567890ab"
		}},
		{name: "alias name", edit: func(s *Settings) { s.KMSKey = "alias/slateo-buckets" }},
		{name: "alias arn", edit: func(s *Settings) {
			s.KMSKey = "arn:aws:kms:us-west-2:111122223333:alias/slateo"
		}},
		{name: "org id", edit: func(s *Settings) { s.OrgID = "org_2abc9" }},
		{name: "endpoint", edit: func(s *Settings) { s.EndpointURL = "http://127.0.0.1:4566" }},
		{name: "44-character slug", edit: func(s *Settings) {
			s.OrgSlug = strings.Repeat("a", 44)
		}},
		{name: "63-character bucket", edit: func(s *Settings) {
			s.UploadsBucket = strings.Repeat("b", 63)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSettings()
			tt.edit(&s)
			if errs := s.Validate(); len(errs) != 0 {
				t.Errorf("Validate() = %v, want no errors", errs)
			}
			if err := s.Err(); err != nil {
				t.Errorf("Err() = %v, want nil", err)
			}
		})
	}
}

func TestValidateRules(t *testing.T) {
	keyARN := func(region string) string {
		return "arn:aws:kms:" + region + ":111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	}
	tests := []struct {
		name  string
		edit  func(*Settings)
		field string
		rule  string // a part of the rule the error must name
	}{
		{"org missing", func(s *Settings) { s.OrgSlug = "" }, FieldOrg, "org slug is required"},
		{"org upper case", func(s *Settings) { s.OrgSlug = "Acme" }, FieldOrg, "DNS label"},
		{"org underscore", func(s *Settings) { s.OrgSlug = "ac_me" }, FieldOrg, "DNS label"},
		{"org dot", func(s *Settings) { s.OrgSlug = "acme.eu" }, FieldOrg, "DNS label"},
		{"org leading hyphen", func(s *Settings) { s.OrgSlug = "-acme" }, FieldOrg, "DNS label"},
		{"org trailing hyphen", func(s *Settings) { s.OrgSlug = "acme-" }, FieldOrg, "DNS label"},
		{"org too long for dns", func(s *Settings) { s.OrgSlug = strings.Repeat("a", 64) },
			FieldOrg, "at most 63"},
		{"org role name too long", func(s *Settings) { s.OrgSlug = strings.Repeat("a", 45) },
			FieldOrg, "IAM's limit of 64"},
		{"company and buckets missing", func(s *Settings) { s.Company = "" },
			FieldCompany, "company name is required"},
		{"company with one bucket only", func(s *Settings) {
			s.Company, s.UploadsBucket = "", "acme-up"
		}, FieldCompany, "both --uploads-bucket and --cache-bucket"},
		{"company upper case", func(s *Settings) { s.Company = "Acme" },
			FieldCompany, `"Acme-slateo-uploads" breaks a rule: bucket names use only lower-case`},
		{"company too long", func(s *Settings) { s.Company = strings.Repeat("c", 50) },
			FieldCompany, "3 to 63 characters"},
		{"bucket characters", func(s *Settings) { s.UploadsBucket = "Acme_Uploads" },
			FieldUploadsBucket, "only lower-case letters, digits, dots and hyphens"},
		{"bucket too short", func(s *Settings) { s.CacheBucket = "ab" },
			FieldCacheBucket, "3 to 63 characters"},
		{"bucket too long", func(s *Settings) { s.CacheBucket = strings.Repeat("a", 64) },
			FieldCacheBucket, "3 to 63 characters"},
		{"bucket starts with hyphen", func(s *Settings) { s.CacheBucket = "-cache" },
			FieldCacheBucket, "start and end with a letter or digit"},
		{"bucket ends with dot", func(s *Settings) { s.CacheBucket = "cache." },
			FieldCacheBucket, "start and end with a letter or digit"},
		{"bucket double dot", func(s *Settings) { s.CacheBucket = "ca..che" },
			FieldCacheBucket, "no two adjacent dots"},
		{"bucket ip address", func(s *Settings) { s.CacheBucket = "192.168.5.4" },
			FieldCacheBucket, "IP address"},
		{"bucket prefix xn--", func(s *Settings) { s.CacheBucket = "xn--cache" },
			FieldCacheBucket, "reserved prefix xn--"},
		{"bucket prefix sthree-", func(s *Settings) { s.CacheBucket = "sthree-cache" },
			FieldCacheBucket, "reserved prefix sthree-"},
		{"bucket prefix amzn-s3-demo-", func(s *Settings) { s.CacheBucket = "amzn-s3-demo-x" },
			FieldCacheBucket, "reserved prefix amzn-s3-demo-"},
		{"bucket suffix -s3alias", func(s *Settings) { s.CacheBucket = "cache-s3alias" },
			FieldCacheBucket, "reserved suffix -s3alias"},
		{"bucket suffix --ol-s3", func(s *Settings) { s.CacheBucket = "cache--ol-s3" },
			FieldCacheBucket, "reserved suffix --ol-s3"},
		{"bucket suffix .mrap", func(s *Settings) { s.CacheBucket = "cache.mrap" },
			FieldCacheBucket, "reserved suffix .mrap"},
		{"bucket suffix --x-s3", func(s *Settings) { s.CacheBucket = "cache--x-s3" },
			FieldCacheBucket, "reserved suffix --x-s3"},
		{"bucket suffix --table-s3", func(s *Settings) { s.CacheBucket = "cache--table-s3" },
			FieldCacheBucket, "reserved suffix --table-s3"},
		{"same bucket twice", func(s *Settings) {
			s.UploadsBucket, s.CacheBucket = "acme-data", "acme-data"
		}, FieldCacheBucket, "different bucket"},
		{"cache named like derived uploads", func(s *Settings) {
			s.CacheBucket = "acme-slateo-uploads"
		}, FieldCacheBucket, "different bucket"},
		{"region upper case", func(s *Settings) { s.Region = "US-WEST-2" },
			FieldRegion, "us-west-2 or eu-central-1"},
		{"region no number", func(s *Settings) { s.Region = "us-west" },
			FieldRegion, "us-west-2 or eu-central-1"},
		{"region typo", func(s *Settings) { s.Region = "uswest2" },
			FieldRegion, "us-west-2 or eu-central-1"},
		{"key junk", func(s *Settings) { s.KMSKey = "my key" }, FieldKMSKey, "key id (UUID"},
		{"key short uuid", func(s *Settings) { s.KMSKey = "1234abcd-12ab-34cd-56ef" },
			FieldKMSKey, "key id (UUID"},
		{"key arn of another service", func(s *Settings) {
			s.KMSKey = "arn:aws:s3:::bucket"
		}, FieldKMSKey, "key ARN"},
		{"key arn without key id", func(s *Settings) {
			s.KMSKey = "arn:aws:kms:us-west-2:111122223333:key/"
		}, FieldKMSKey, "key ARN"},
		{"key arn other region", func(s *Settings) { s.KMSKey = keyARN("eu-west-1") },
			FieldKMSKey, "key is in eu-west-1 but the buckets are in us-west-2"},
		{"key arn other than default region", func(s *Settings) {
			s.Region, s.KMSKey = "", keyARN("us-east-1")
		}, FieldKMSKey, "buckets are in us-west-2"},
		{"alias arn other region", func(s *Settings) {
			s.KMSKey = "arn:aws:kms:eu-west-1:111122223333:alias/slateo"
		}, FieldKMSKey, "key is in eu-west-1"},
		{"aws managed alias", func(s *Settings) { s.KMSKey = "alias/aws/s3" },
			FieldKMSKey, "AWS-managed key"},
		{"aws managed alias arn", func(s *Settings) {
			s.KMSKey = "arn:aws:kms:us-west-2:111122223333:alias/aws/s3"
		}, FieldKMSKey, "AWS-managed key"},
		{"org id slash", func(s *Settings) { s.OrgID = "org/1" }, FieldOrgID, "has no /"},
		{"org id space", func(s *Settings) { s.OrgID = "org 1" }, FieldOrgID, "no spaces"},
		{"org id too long", func(s *Settings) { s.OrgID = strings.Repeat("o", 100000) },
			FieldOrgID, "at most 128 bytes"},
		{"org id escape", func(s *Settings) { s.OrgID = "org\x1b[2J" },
			FieldOrgID, "no control"},
		{"endpoint relative", func(s *Settings) { s.EndpointURL = "localhost:4566" },
			FieldEndpointURL, "absolute"},
		{"endpoint ftp", func(s *Settings) { s.EndpointURL = "ftp://127.0.0.1" },
			FieldEndpointURL, "absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSettings()
			tt.edit(&s)
			errs := s.Validate()
			if len(errs) != 1 {
				t.Fatalf("Validate() = %v, want exactly one error", errs)
			}
			if errs[0].Field != tt.field {
				t.Errorf("field = %q, want %q", errs[0].Field, tt.field)
			}
			if !strings.Contains(errs[0].Rule, tt.rule) {
				t.Errorf("rule = %q, want it to say %q", errs[0].Rule, tt.rule)
			}
			if !strings.HasPrefix(errs[0].Error(), "--"+tt.field) {
				t.Errorf("Error() = %q, want it to name --%s", errs[0].Error(), tt.field)
			}
		})
	}
}

func TestFieldErrorMessage(t *testing.T) {
	s := validSettings()
	s.UploadsBucket = "Acme_Uploads"
	want := `--uploads-bucket "Acme_Uploads": bucket names use only lower-case letters, ` +
		`digits, dots and hyphens`
	errs := s.Validate()
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("Validate() = %v, want one error %q", errs, want)
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	s := Settings{OrgSlug: "Acme", UploadsBucket: "x", CacheBucket: "y", Region: "west",
		KMSKey: "nope", OrgID: "a/b"}
	var fields []string
	for _, e := range s.Validate() {
		fields = append(fields, e.Field)
	}
	want := "org uploads-bucket cache-bucket region kms-key org-id"
	if got := strings.Join(fields, " "); got != want {
		t.Errorf("fields = %q, want %q", got, want)
	}

	var verr *ValidationError
	if err := s.Err(); !errors.As(err, &verr) || len(verr.Fields) != 6 {
		t.Fatalf("Err() = %v, want a *ValidationError with 6 fields", err)
	}
	msg := s.Err().Error()
	for _, line := range []string{`--org "Acme"`, `--org-id "a/b"`} {
		if !strings.Contains(msg, line) {
			t.Errorf("Err() = %q, want it to contain %q", msg, line)
		}
	}
}

func TestFieldErrorCleansValue(t *testing.T) {
	e := FieldError{Field: FieldOrgID, Value: "a\x1b]52;c;eA==\x07", Rule: "r"}
	if strings.ContainsAny(e.Error(), "\x1b\x07") {
		t.Errorf("Error() = %q keeps control characters", e.Error())
	}
}

func TestFieldErrorShortensHugeValue(t *testing.T) {
	e := FieldError{Field: FieldOrg, Value: strings.Repeat("a", 100000), Rule: "r"}
	if got := e.Error(); len(got) > 200 || !strings.Contains(got, "(100000 characters)") {
		t.Errorf("Error() is %d bytes: %.120q", len(got), got)
	}
}

func TestKMSKeyRegion(t *testing.T) {
	tests := map[string]string{
		"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab": "eu-west-1",
		"arn:aws:kms:us-east-2:111122223333:alias/x":                                  "us-east-2",
		"alias/x":                              "",
		"1234abcd-12ab-34cd-56ef-1234567890ab": "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := KMSKeyRegion(in); got != want {
				t.Errorf("KMSKeyRegion(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func FuzzValidate(f *testing.F) {
	f.Add("acme", "acme", "", "", "us-west-2", "alias/x", "org")
	f.Add("Acme", "", "a..b", "192.168.0.1", "x", "arn:aws:kms:x:1:key/", "a/b")
	f.Fuzz(func(t *testing.T, org, company, up, cache, region, key, orgID string) {
		s := Settings{OrgSlug: org, Company: company, UploadsBucket: up, CacheBucket: cache,
			Region: region, KMSKey: key, OrgID: orgID}
		seen := map[string]bool{}
		for _, e := range s.Validate() {
			if seen[e.Field] {
				t.Fatalf("two errors for field %s: %v", e.Field, s.Validate())
			}
			seen[e.Field] = true
			if strings.ContainsAny(e.Error(), "\x1b\x07\x9b") {
				t.Fatalf("error %q keeps control characters", e.Error())
			}
		}
		if len(seen) == 0 && BucketNameRule(s.UploadsBucketName()) != "" {
			t.Fatalf("settings %+v valid with a bad uploads bucket name", s)
		}
	})
}
