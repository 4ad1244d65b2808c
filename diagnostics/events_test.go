package diagnostics

import (
	"strings"
	"testing"

	"slateo-s3/model"
)

const (
	orgSession   = "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme/query-1"
	adminARN     = "arn:aws:iam::111122223333:user/alice"
	cacheARN     = "arn:aws:s3:::acme-slateo-cache"
	cacheKeyARN  = "arn:aws:s3:::acme-slateo-cache/org-1/query-cache/parquet/a.parquet"
	keyARN       = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	noAllowS3    = "because no resource-based policy allows the "
	s3Source     = "s3.amazonaws.com"
	kmsSource    = "kms.amazonaws.com"
	plainDenied  = "Access Denied"
	orgRoleARN   = "arn:aws:iam::880265510198:role/slateo-prod-storage-acme"
	denyResource = "with an explicit deny in a resource-based policy"
)

func settings() model.Settings {
	return model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}
}

func TestDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		event model.Event
		check string
		// says lists substrings the diagnosis must hold.
		says []string
	}{
		{
			name: "list bucket without the bucket ARN",
			event: model.Event{Source: s3Source, Name: "ListObjects", Principal: orgSession,
				Resource: cacheARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: s3:ListBucket on resource: \"" +
					cacheARN + "\" " + noAllowS3 + "s3:ListBucket action"},
			check: "policy-resources",
			says:  []string{"s3:ListBucket on " + cacheARN + ":", "without /*", orgRoleARN},
		},
		{
			name: "plain access denied on get object",
			event: model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: plainDenied},
			check: "policy-resources",
			says:  []string{"s3:GetObject", cacheARN + "/*", model.SidObjectAccess},
		},
		{
			name: "head bucket counts as list bucket",
			event: model.Event{Source: s3Source, Name: "HeadBucket", Principal: orgSession,
				Resource: cacheARN, ErrorCode: "AccessDenied", ErrorMessage: plainDenied},
			check: "policy-resources",
			says:  []string{"s3:ListBucket"},
		},
		{
			name: "delete object missing from the actions",
			event: model.Event{Source: s3Source, Name: "DeleteObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: plainDenied},
			check: "policy-actions",
			says:  []string{"does not allow the org role s3:DeleteObject", model.SidObjectAccess},
		},
		{
			name: "explicit deny in the bucket policy",
			event: model.Event{Source: s3Source, Name: "PutObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: s3:PutObject on resource: \"" +
					cacheKeyARN + "\" " + denyResource},
			check: "policy-deny",
			says:  []string{"Deny statement", "bucket acme-slateo-cache", "s3:PutObject"},
		},
		{
			name: "key policy lacks the role",
			event: model.Event{Source: kmsSource, Name: "Decrypt", Principal: orgSession,
				Resource: keyARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: kms:Decrypt on resource: " +
					keyARN + " because no resource-based policy allows the kms:Decrypt action"},
			check: "kms-grant",
			says:  []string{"key policy of " + keyARN, "kms:Decrypt", model.SidKMS},
		},
		{
			name: "s3 call failing on the kms step",
			event: model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: kms:Decrypt on resource: " +
					keyARN + " because no resource-based policy allows the kms:Decrypt action"},
			check: "kms-grant",
			says:  []string{keyARN, "kms:Decrypt"},
		},
		{
			name: "aws managed key",
			event: model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: kms:Decrypt on resource: " +
					"arn:aws:kms:us-west-2:111122223333:alias/aws/s3"},
			check: "encryption",
			says:  []string{"aws/s3", "customer-managed"},
		},
		{
			name: "bucket name differs in case",
			event: model.Event{Source: s3Source, Name: "ListObjects", Principal: orgSession,
				Resource: "arn:aws:s3:::Acme-Slateo-Cache", ErrorCode: "AccessDenied",
				ErrorMessage: plainDenied},
			check: "bucket-exists",
			says:  []string{"case-sensitive", `"Acme-Slateo-Cache"`, `"acme-slateo-cache"`},
		},
		{
			name: "bucket name misspelt",
			event: model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
				Resource:  "arn:aws:s3:::acme-slateo-uplods/org-1/uploads/a.csv",
				ErrorCode: "AccessDenied", ErrorMessage: plainDenied},
			check: "bucket-exists",
			says:  []string{"case-sensitive", `"acme-slateo-uploads"`},
		},
		{
			name: "a bucket that is not configured",
			event: model.Event{Source: s3Source, Name: "PutObject", Principal: orgSession,
				Resource: "arn:aws:s3:::globex-exports/a.csv", ErrorCode: "AccessDenied",
				ErrorMessage: plainDenied},
			check: "bucket-exists",
			says:  []string{`"globex-exports"`, "acme-slateo-uploads, acme-slateo-cache"},
		},
		{
			name: "public policy blocked",
			event: model.Event{Source: s3Source, Name: "PutBucketPolicy", Principal: adminARN,
				Resource: cacheARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " + adminARN +
					" is not authorized to perform: s3:PutBucketPolicy on resource: \"" +
					cacheARN +
					"\" because public policies are blocked by the BlockPublicPolicy block " +
					"public access setting."},
			check: "public-access-block",
			says:  []string{"BlockPublicPolicy on", orgRoleARN},
		},
		{
			name: "admin lacks a permission",
			event: model.Event{Source: s3Source, Name: "PutBucketCors", Principal: adminARN,
				Resource: cacheARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " + adminARN +
					" is not authorized to perform: s3:PutBucketCORS on resource: \"" + cacheARN +
					"\" because no identity-based policy allows the s3:PutBucketCORS action"},
			check: "",
			says: []string{"your credentials (" + adminARN + ") lack s3:PutBucketCORS",
				"identity-based policy"},
		},
		{
			name: "admin denied with a plain message",
			event: model.Event{Source: s3Source, Name: "GetBucketEncryption", Principal: adminARN,
				Resource: cacheARN, ErrorCode: "AccessDenied", ErrorMessage: plainDenied},
			check: "",
			says:  []string{"lack s3:GetEncryptionConfiguration on bucket acme-slateo-cache"},
		},
		{
			name: "role of another org",
			event: model.Event{Source: s3Source, Name: "ListObjects",
				Principal: "arn:aws:sts::880265510198:assumed-role/slateo-prod-storage-acme-eu/q",
				Resource:  cacheARN, ErrorCode: "AccessDenied", ErrorMessage: plainDenied},
			check: "policy-principal",
			says:  []string{`org "acme-eu"`, `org "acme"`},
		},
		{
			name: "denied by slateo's own policies",
			event: model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: s3:GetObject on resource: \"" +
					cacheKeyARN + "\" with an explicit deny in a service control policy"},
			check: "",
			says:  []string{"Slateo's side", "service control policy", "Slateo support"},
		},
		{
			name: "resource control policy",
			event: model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
				Resource: cacheKeyARN, ErrorCode: "AccessDenied", ErrorMessage: "User: " +
					orgSession + " is not authorized to perform: s3:GetObject on resource: \"" +
					cacheKeyARN + "\" with an explicit deny in a resource control policy"},
			check: "",
			says:  []string{"resource control policy of your AWS organization"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diagnose(tt.event, settings())
			if got.Check != tt.check {
				t.Errorf("Check = %q, want %q (diagnosis %q)", got.Check, tt.check, got.Diagnosis)
			}
			for _, want := range tt.says {
				if !strings.Contains(got.Diagnosis, want) {
					t.Errorf("Diagnosis = %q, want it to say %q", got.Diagnosis, want)
				}
			}
			if strings.Contains(got.Diagnosis, "\n") {
				t.Errorf("Diagnosis spans lines: %q", got.Diagnosis)
			}
		})
	}
}

func TestDiagnoseCleansWhatAWSSent(t *testing.T) {
	e := model.Event{Source: s3Source, Name: "GetObject", Principal: "arn:aws:iam::1:user/\x1b[2J",
		Resource: "arn:aws:s3:::x\x1b]52;c;ZXZpbA==\x07y/k", ErrorCode: "AccessDenied",
		ErrorMessage: "User: x is not authorized to perform: s3:GetObject\x1b[1A on resource"}
	got := Diagnose(e, settings())
	if strings.ContainsAny(got.Diagnosis, "\x1b\x07") {
		t.Errorf("Diagnosis carries control characters: %q", got.Diagnosis)
	}
}

func TestBlindSpots(t *testing.T) {
	tests := []struct {
		name       string
		found      int
		dataEvents bool
		says       []string
		count      int
	}{
		{name: "nothing found, no data events", found: 0, dataEvents: false,
			says: []string{"kms-grant", "enable S3 data events", "90 days"}, count: 3},
		{name: "nothing found, data events logged", found: 0, dataEvents: true,
			says: []string{"kms-grant", "about 5 minutes"}, count: 3},
		{name: "found some, no data events", found: 4, dataEvents: false,
			says: []string{"object-level denials"}, count: 1},
		{name: "found some, data events logged", found: 4, dataEvents: true, count: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spots := BlindSpots(tt.found, tt.dataEvents)
			if len(spots) != tt.count {
				t.Errorf("BlindSpots gave %d lines, want %d: %q", len(spots), tt.count, spots)
			}
			all := strings.Join(spots, "\n")
			for _, want := range tt.says {
				if !strings.Contains(all, want) {
					t.Errorf("BlindSpots = %q, want it to say %q", spots, want)
				}
			}
		})
	}
}

func TestLink(t *testing.T) {
	uploads, cache := "acme-slateo-uploads", "acme-slateo-cache"
	getObject := func(bucket string) model.Event {
		return Diagnose(model.Event{Source: s3Source, Name: "GetObject", Principal: orgSession,
			Resource: "arn:aws:s3:::" + bucket + "/org-1/a", ErrorCode: "AccessDenied",
			ErrorMessage: plainDenied}, settings())
	}
	fail := func(id, bucket, summary string) model.Check {
		return model.Check{ID: id, Bucket: bucket, Status: model.Fail, Summary: summary}
	}
	tests := []struct {
		name   string
		event  model.Event
		checks []model.Check
		check  string
		says   string
	}{
		{name: "wrong principal wins", event: getObject(uploads), checks: []model.Check{
			fail("policy-principal", uploads, "no Allow statement names the org role"),
			fail("policy-resources", cache, "the policy does not cover /*"),
		}, check: "policy-principal", says: "no Allow statement names the org role"},
		{name: "own check fails", event: getObject(cache), checks: []model.Check{
			fail("policy-actions", cache, "not allowed s3:GetObject"),
			fail("policy-resources", cache, "the policy does not cover /*"),
		}, check: "policy-resources", says: "statement AllowSlateoObjectAccess"},
		{name: "another policy check fails", event: getObject(cache), checks: []model.Check{
			{ID: "policy-resources", Bucket: cache, Status: model.Pass},
			fail("policy-deny", cache, "a Deny blocks the role"),
		}, check: "policy-deny", says: "Slateo was denied GetObject on arn:aws:s3:::" + cache +
			"/org-1/a: a Deny blocks the role"},
		{name: "check of another bucket", event: getObject(cache), checks: []model.Check{
			fail("policy-principal", uploads, "no Allow statement names the org role"),
		}, check: "policy-resources", says: "statement AllowSlateoObjectAccess"},
		{name: "unknown changes nothing", event: getObject(cache), checks: []model.Check{
			{ID: "policy-principal", Bucket: cache, Status: model.Unknown},
		}, check: "policy-resources", says: "statement AllowSlateoObjectAccess"},
		{name: "admin's own denial untouched", event: Diagnose(model.Event{Source: s3Source,
			Name: "GetBucketCors", Principal: adminARN, Resource: cacheARN,
			ErrorCode: "AccessDenied", ErrorMessage: plainDenied}, settings()),
			checks: []model.Check{fail("policy-principal", cache, "x")},
			check:  "", says: "your credentials"},
		{name: "fixed since", event: getObject(uploads), checks: []model.Check{
			{ID: "policy-principal", Bucket: uploads, Status: model.Pass},
			{ID: "policy-resources", Bucket: uploads, Status: model.Pass},
			fail("policy-resources", cache, "the policy does not cover /*"),
		}, check: "policy-resources", says: "pass now, so it most likely predates a fix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Link(tt.event, tt.checks)
			if got.Check != tt.check || !strings.Contains(got.Diagnosis, tt.says) {
				t.Errorf("Link = %q, %q; want %q saying %q", got.Check, got.Diagnosis,
					tt.check, tt.says)
			}
		})
	}
}

func TestKMSBlindSpot(t *testing.T) {
	failing := []model.Check{{ID: "kms-grant", Bucket: "acme-slateo-cache", Status: model.Fail}}
	passing := []model.Check{{ID: "kms-grant", Bucket: "acme-slateo-cache", Status: model.Pass}}
	kmsEvent := []model.Event{{Check: "kms-grant"}}
	tests := []struct {
		name   string
		events []model.Event
		checks []model.Check
		says   bool
	}{
		{name: "failing, nothing found", checks: failing, says: true},
		{name: "failing, a KMS denial found", events: kmsEvent, checks: failing},
		{name: "passing", checks: passing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := KMSBlindSpot(tt.events, tt.checks)
			if (got != "") != tt.says || (tt.says && !strings.Contains(got, "Slateo's account")) {
				t.Errorf("KMSBlindSpot = %q, want a note: %v", got, tt.says)
			}
		})
	}
}
