package textout

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"slateo-s3/model"
)

func sampleState() model.State {
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"x\u001b[2J","Effect":"Allow"}]}`
	return model.State{
		Buckets: []model.BucketState{{
			Name: "acme-slateo-uploads", Purpose: model.Uploads,
			Presence:          model.Known(model.Owned),
			Region:            model.Known("us-west-2"),
			PublicAccessBlock: model.Known(model.PublicAccessBlockAllOn()),
			Policy:            model.Known(policy),
			CORS:              model.Absent[[]model.CORSRule]("NoSuchCORSConfiguration"),
			Encryption: model.Unreadable[model.Encryption]("AccessDenied",
				"s3:GetEncryptionConfiguration"),
		}},
		Keys: []model.KeyState{{Ref: "alias/k", Policy: model.Known("not json \x1b]52;c;eA==\x07")}},
	}
}

func sampleFullReport() Report {
	return Report{
		Version: "v1.2.3 abcdef",
		Check:   sampleReport(),
		Events: EventsReport{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			End: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Pages: 2, Scanned: 10,
			Events: []model.Event{{Name: "GetObject", ErrorCode: "AccessDenied",
				Check: "policy-principal"}}},
		State: sampleState(),
	}
}

func TestReportJSON(t *testing.T) {
	var b bytes.Buffer
	if err := ReportJSON(&b, sampleFullReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, `\u001b`) || strings.Contains(out, `\u0007`) {
		t.Errorf("report JSON keeps control characters:\n%s", out)
	}

	var doc struct {
		Version  string
		Settings map[string]any
		Caller   map[string]any
		Checks   []model.Check
		Summary  model.Summary
		Events   struct {
			Window         map[string]time.Time
			Pages, Scanned int
			Events         []model.Event
		}
		Documents struct {
			Buckets []struct {
				Policy struct{ Value map[string]any }
				CORS   struct{ Availability, Reason string }
			}
			Keys []struct{ Policy struct{ Value string } }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, out)
	}
	var top map[string]json.RawMessage
	_ = json.Unmarshal(b.Bytes(), &top)
	for _, k := range []string{"version", "settings", "caller", "checks", "summary", "events",
		"documents"} {
		if _, ok := top[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	if len(top) != 7 {
		t.Errorf("report JSON has %d members, want 7", len(top))
	}
	if doc.Version != "v1.2.3 abcdef" || len(doc.Checks) != 6 || doc.Summary.Fail != 1 ||
		doc.Events.Pages != 2 || doc.Settings["org_slug"] != "acme" {
		t.Errorf("report = %+v", doc)
	}
	bucket := doc.Documents.Buckets[0]
	if bucket.Policy.Value["Version"] != "2012-10-17" {
		t.Errorf("bucket policy not embedded as a document: %+v", bucket.Policy)
	}
	if bucket.CORS.Availability != "not-configured" {
		t.Errorf("cors = %+v, want not-configured", bucket.CORS)
	}
	if got := doc.Documents.Keys[0].Policy.Value; got != "not json ]52;c;eA==" {
		t.Errorf("key policy = %q, want it as read, cleaned", got)
	}
}

func TestReportText(t *testing.T) {
	var b bytes.Buffer
	if err := ReportText(&b, sampleFullReport(), false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"slateo-s3 report, version v1.2.3 abcdef",
		"Summary: 2 pass, 1 fail",
		"CloudTrail denials from 2026-01-01T00:00:00Z",
		"Documents read from AWS",
		"Bucket acme-slateo-uploads (uploads)",
		`"Version": "2012-10-17"`,
		"cors:                not configured (NoSuchCORSConfiguration)",
		"encryption:          could not read (AccessDenied; needs " +
			"s3:GetEncryptionConfiguration)",
		"public access block: BlockPublicAcls=true IgnorePublicAcls=true",
		"KMS key alias/k",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("report text keeps control characters")
	}
	order := []string{"Summary:", "CloudTrail denials", "Documents read from AWS"}
	for i := 1; i < len(order); i++ {
		if strings.Index(out, order[i-1]) > strings.Index(out, order[i]) {
			t.Errorf("%q comes after %q", order[i-1], order[i])
		}
	}
}
