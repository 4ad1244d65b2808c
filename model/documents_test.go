package model

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Registering -update in init, after every package-level variable, lets another test file
// of this package declare the same flag without a clash.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with testdata/documents/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "documents", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
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

func TestDocumentsGolden(t *testing.T) {
	tests := []struct {
		name, file, got string
	}{
		{"uploads bucket policy", "bucket-policy-uploads.json",
			BucketPolicy("acme-slateo-uploads", "acme").JSON()},
		{"cache bucket policy", "bucket-policy-cache.json",
			BucketPolicy("acme-slateo-cache", "acme").JSON()},
		{"cors", "cors.json", CORSDocument(DesiredCORSRule())},
		{"kms statement", "kms-statement.json", KMSStatement("acme").JSON()},
		{"public access block", "public-access-block.json", PublicAccessBlockAllOn().JSON()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.file, tt.got)
		})
	}
}

// TestBucketPolicyMatchesGuide reads the rendered policy back and checks each value the
// setup guide names, so a golden file refreshed by mistake cannot hide a wrong document.
func TestBucketPolicyMatchesGuide(t *testing.T) {
	var doc struct {
		Version   string
		Statement []struct {
			Sid, Effect string
			Principal   map[string]string
			Action      json.RawMessage
			Resource    string
		}
	}
	if err := json.Unmarshal([]byte(BucketPolicy("b1", "org1").JSON()), &doc); err != nil {
		t.Fatal(err)
	}
	role := "arn:aws:iam::880265510198:role/slateo-prod-storage-org1"
	if doc.Version != "2012-10-17" || len(doc.Statement) != 2 {
		t.Fatalf("policy = %+v, want version 2012-10-17 and two statements", doc)
	}
	want := []struct{ sid, action, resource string }{
		{"AllowSlateoListBucket", `"s3:ListBucket"`, "arn:aws:s3:::b1"},
		{"AllowSlateoObjectAccess", `["s3:GetObject","s3:PutObject","s3:DeleteObject",` +
			`"s3:GetObjectTagging","s3:PutObjectTagging"]`, "arn:aws:s3:::b1/*"},
	}
	for i, w := range want {
		st := doc.Statement[i]
		action := compact(t, st.Action)
		if st.Sid != w.sid || st.Effect != "Allow" || st.Principal["AWS"] != role ||
			action != w.action || st.Resource != w.resource {
			t.Errorf("statement %d = %+v (action %s), want %+v", i, st, action, w)
		}
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func TestStatementsJSON(t *testing.T) {
	stmts := BucketPolicy("b1", "org1").StatementsJSON()
	if len(stmts) != 2 {
		t.Fatalf("got %d statements, want 2", len(stmts))
	}
	want := `{"Sid":"AllowSlateoListBucket","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::880265510198:role/slateo-prod-storage-org1"},` +
		`"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b1"}`
	if string(stmts[0]) != want {
		t.Errorf("statement 0 = %s, want %s", stmts[0], want)
	}
}

func TestSetupCommandsGolden(t *testing.T) {
	tests := []struct {
		name, file string
		s          Settings
	}{
		{"us-west-2 without key", "setup-us-west-2.txt",
			Settings{OrgSlug: "acme", Company: "acme"}},
		{"us-east-1 with alias", "setup-us-east-1.txt",
			Settings{OrgSlug: "globex", UploadsBucket: "globex-up", CacheBucket: "globex.cache",
				Region: "us-east-1", KMSKey: "alias/slateo-data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.file, renderCommands(SetupCommands(tt.s)))
		})
	}
}

func renderCommands(cmds []Command) string {
	var b strings.Builder
	for _, c := range cmds {
		b.WriteString("## step " + string(rune('0'+c.Step)) + ": " + c.Title + "\n")
		if c.CLI != "" {
			b.WriteString(c.CLI + "\n")
		}
		if c.File != "" {
			b.WriteString("--- " + c.File + "\n")
		}
		if c.Document != "" {
			b.WriteString(c.Document)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestSetupCommandsRegion(t *testing.T) {
	tests := []struct {
		region     string
		wantConfig bool
	}{
		{"us-east-1", false},
		{"us-west-2", true},
		{"eu-west-1", true},
		{"", true},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			cmds := SetupCommands(Settings{OrgSlug: "a", Company: "acme", Region: tt.region})
			creates := 0
			for _, c := range cmds {
				if !strings.HasPrefix(c.CLI, "aws s3api create-bucket") {
					continue
				}
				creates++
				has := strings.Contains(c.CLI, "--create-bucket-configuration")
				if has != tt.wantConfig {
					t.Errorf("%s: has --create-bucket-configuration = %v, want %v",
						c.CLI, has, tt.wantConfig)
				}
			}
			if creates != 2 {
				t.Errorf("got %d create-bucket commands, want 2", creates)
			}
		})
	}
}

func TestSetupCommandsSteps(t *testing.T) {
	cmds := SetupCommands(Settings{OrgSlug: "acme", Company: "acme", KMSKey: "alias/k"})
	var steps []string
	for _, c := range cmds {
		steps = append(steps, string(rune('0'+c.Step)))
	}
	if got := strings.Join(steps, ""); got != "111122345" {
		t.Errorf("steps = %s, want 1111223345", got)
	}
	last := cmds[len(cmds)-1]
	for _, want := range []string{"S3 Upload Bucket: acme-slateo-uploads",
		"S3 Cache Bucket: acme-slateo-cache", "AWS Region: us-west-2"} {
		if !strings.Contains(last.Document, want) {
			t.Errorf("step 5 = %q, want %q", last.Document, want)
		}
	}
	if !strings.Contains(last.Title, "Admin → Databases") {
		t.Errorf("step 5 title = %q, want where in Slateo", last.Title)
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"acme-slateo-uploads", "acme-slateo-uploads"},
		{"file://a.json", "file://a.json"},
		{"alias/x_y", "alias/x_y"},
		{"", "''"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"$(rm -rf ~)", "'$(rm -rf ~)'"},
		{"a;b", "'a;b'"},
		{"`x`", "'`x`'"},
		{"*", "'*'"},
		{"a\nb", "'a\nb'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ShellQuote(tt.in); got != tt.want {
				t.Errorf("ShellQuote(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestSetupCommandsQuoteValues(t *testing.T) {
	s := Settings{OrgSlug: "acme", Company: "acme", KMSKey: "alias/it's"}
	for _, c := range SetupCommands(s) {
		if c.Step == 4 && !strings.Contains(c.CLI, `--key-id 'alias/it'\''s'`) {
			t.Errorf("step 4 CLI = %q, want the key shell-quoted", c.CLI)
		}
	}
}
