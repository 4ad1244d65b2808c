package textout

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"slateo-s3/model"
)

// Registering -update in init, after every package-level variable, lets another test file
// of this package declare the same flag without a clash.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file.\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func sampleReport() CheckReport {
	s := model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}
	return CheckReport{
		Settings: s,
		Caller: model.Known(model.Caller{Account: "111122223333",
			ARN: "arn:aws:iam::111122223333:user/admin", UserID: "AIDAEXAMPLE"}),
		Missing: []Permission{{Action: "s3:GetBucketPolicy",
			Resource: "arn:aws:s3:::acme-slateo-cache", Reason: "AccessDenied"}},
		Checks: []model.Check{
			{ID: "bucket-exists", Bucket: "acme-slateo-uploads", Status: model.Pass,
				Summary: "bucket exists in your account"},
			{ID: "policy-principal", Bucket: "acme-slateo-uploads", Status: model.Fail,
				Summary: "no Allow statement names the org role",
				Detail: `{"Principal":{"AWS":` +
					`"arn:aws:iam::880265510198:role/slateo-prod-storage-acmee"}}`,
				Fix: "aws s3api put-bucket-policy --bucket acme-slateo-uploads \\\n" +
					"  --policy file://policy.json"},
			{ID: "cors", Bucket: "acme-slateo-uploads", Status: model.Skip,
				Summary: "the uploads bucket needs no CORS"},
			{ID: "policy-principal", Bucket: "acme-slateo-cache", Status: model.Unknown,
				Summary: "could not read the bucket policy", Detail: "AccessDenied"},
			{ID: "distinct-buckets", Status: model.Pass, Summary: "two separate buckets"},
			{ID: "cloudtrail", Status: model.Warn, Summary: "no trail records S3 data events",
				Fix: "aws cloudtrail put-event-selectors ..."},
		},
	}
}

func TestCheckTextGolden(t *testing.T) {
	var b bytes.Buffer
	if err := CheckText(&b, sampleReport(), false); err != nil {
		t.Fatal(err)
	}
	golden(t, "check.txt", b.String())
}

func TestCheckTextColor(t *testing.T) {
	var plain, colored bytes.Buffer
	if err := CheckText(&plain, sampleReport(), false); err != nil {
		t.Fatal(err)
	}
	if err := CheckText(&colored, sampleReport(), true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("text without colour holds escape sequences")
	}
	if !strings.Contains(colored.String(), "\x1b[") {
		t.Error("text with colour holds no escape sequences")
	}
	if !strings.Contains(colored.String(), "✗ fail") {
		t.Error("coloured text lost the glyph and word of a failure")
	}
}

func TestCheckTextStatusWords(t *testing.T) {
	var b bytes.Buffer
	if err := CheckText(&b, sampleReport(), false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	tests := []struct{ name, want string }{
		{"pass", "✓ pass"}, {"fail", "✗ fail"}, {"warn", "! warn"},
		{"unknown", "? unknown"}, {"skip", "- skip"},
		{"missing permissions first", "Missing permissions"},
		{"uploads group", "Bucket acme-slateo-uploads (uploads)"},
		{"cache group", "Bucket acme-slateo-cache (cache)"},
		{"summary", "Summary: 2 pass, 1 fail, 1 warn, 1 unknown, 1 skip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(out, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
		})
	}
	if strings.Index(out, "Missing permissions") > strings.Index(out, "Bucket ") {
		t.Error("missing permissions are not at the top")
	}
}

func TestCheckOutputCleansAWSStrings(t *testing.T) {
	evil := "x\x1b[2J\x1b]52;c;ZXZpbA==\x07\u202ey\x9b31m"
	r := sampleReport()
	r.Caller = model.Known(model.Caller{ARN: evil, Account: evil})
	r.Missing = []Permission{{Action: evil, Resource: evil, Reason: evil}}
	r.Checks = append(r.Checks, model.Check{ID: evil, Bucket: evil, Status: model.Fail,
		Summary: evil, Detail: evil + "\n" + evil, Fix: evil})

	var text, js bytes.Buffer
	if err := CheckText(&text, r, false); err != nil {
		t.Fatal(err)
	}
	if err := CheckJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "json": js.String()} {
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u009b", `\u001b`, `\u0007`} {
			if strings.Contains(out, bad) {
				t.Errorf("%s output contains %q", name, bad)
			}
		}
	}
}

func TestCheckJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := CheckJSON(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, b.String())
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	wantKeys := []string{"caller", "checks", "settings", "summary"}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("top-level keys = %v, want %v", keys, wantKeys)
	}

	var summary map[string]int
	if err := json.Unmarshal(doc["summary"], &summary); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"pass": 2, "fail": 1, "warn": 1, "unknown": 1, "skip": 1}
	if !reflect.DeepEqual(summary, want) {
		t.Errorf("summary = %v, want %v", summary, want)
	}

	var checks []map[string]any
	if err := json.Unmarshal(doc["checks"], &checks); err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		for _, k := range []string{"id", "bucket", "status", "summary", "detail", "fix"} {
			if _, ok := c[k]; !ok {
				t.Errorf("check %v lacks %q", c["id"], k)
			}
		}
	}

	var settings, caller map[string]any
	_ = json.Unmarshal(doc["settings"], &settings)
	_ = json.Unmarshal(doc["caller"], &caller)
	if settings["uploads_bucket"] != "acme-slateo-uploads" || settings["region"] != "us-west-2" {
		t.Errorf("settings = %v, want resolved bucket names and region", settings)
	}
	if caller["account"] != "111122223333" {
		t.Errorf("caller = %v, want account 111122223333", caller)
	}
}

func TestCheckJSONUnknownCaller(t *testing.T) {
	r := sampleReport()
	r.Caller = model.Unreadable[model.Caller]("ExpiredToken", "")
	var b bytes.Buffer
	if err := CheckJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"error": "ExpiredToken"`) {
		t.Errorf("caller error missing:\n%s", b.String())
	}
}

func TestColorEnabled(t *testing.T) {
	env := func(set bool) func(string) (string, bool) {
		return func(string) (string, bool) { return "", set }
	}
	var b bytes.Buffer
	if ColorEnabled(&b, env(false)) {
		t.Error("colour enabled for a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ColorEnabled(f, env(false)) {
		t.Error("colour enabled for a regular file")
	}
	if ColorEnabled(os.Stdout, env(true)) {
		t.Error("colour enabled despite NO_COLOR")
	}
}

func TestCheckTextPrintsARepeatedPolicyOnce(t *testing.T) {
	policy := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}"
	fail := func(id, bucket string) model.Check {
		return model.Check{ID: id, Bucket: bucket, Status: model.Fail, Summary: id,
			Detail: policy}
	}
	r := CheckReport{
		Settings: model.Settings{OrgSlug: "acme", Company: "acme"},
		Caller:   model.Known(model.Caller{Account: "111122223333"}),
		Checks: []model.Check{
			fail("policy-principal", "acme-slateo-uploads"),
			fail("policy-actions", "acme-slateo-uploads"),
			fail("policy-principal", "acme-slateo-cache"),
		},
	}
	var out bytes.Buffer
	if err := CheckText(&out, r, false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if n := strings.Count(text, `"Version": "2012-10-17"`); n != 2 {
		t.Errorf("the policy is printed %d times, want once per bucket:\n%s", n, text)
	}
	if !strings.Contains(text, "detail: the same as policy-principal's above") {
		t.Errorf("the repeat does not point at its first appearance:\n%s", text)
	}
}
