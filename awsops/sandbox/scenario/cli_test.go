package scenario_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/awsops/sandbox/scenario"
	"slateo-s3/awsops/sandbox/simcore"
)

// mustCLI runs the CLI, fails the test unless it exits 0, and returns stdout trimmed.
func mustCLI(t *testing.T, srv *sandbox.Server, args ...string) string {
	t.Helper()
	return strings.TrimSpace(sandboxtest.MustCLI(t, srv, args...))
}

// TestCLIBroken reads the broken scenario the way an administrator would, with the real
// AWS CLI v2 against a running sandbox.
func TestCLIBroken(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{Scenario: "broken"})

	policy := mustCLI(t, srv, "s3api", "get-bucket-policy", "--bucket", scenario.UploadsBucket,
		"--query", "Policy", "--output", "text")
	if !strings.Contains(policy, scenario.WrongPrincipal) {
		t.Fatalf("uploads policy %s", policy)
	}
	key := mustCLI(t, srv, "kms", "describe-key", "--key-id", scenario.KeyAlias,
		"--query", "KeyMetadata.[KeyManager,KeyState]", "--output", "text")
	if key != "CUSTOMER\tEnabled" {
		t.Fatalf("describe-key printed %q", key)
	}

	out := mustCLI(t, srv, "cloudtrail", "lookup-events", "--lookup-attributes",
		"AttributeKey=EventName,AttributeValue=PutBucketPolicy", "--output", "json")
	var found struct {
		Events []struct{ CloudTrailEvent string }
	}
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, e := range found.Events {
		if strings.Contains(e.CloudTrailEvent, `"errorCode":"AccessDenied"`) {
			refused++
		}
	}
	if len(found.Events) < 3 || refused != 1 {
		t.Fatalf("%d PutBucketPolicy events, %d refused", len(found.Events), refused)
	}

	data := mustCLI(t, srv, "cloudtrail", "lookup-events", "--lookup-attributes",
		"AttributeKey=EventName,AttributeValue=GetObject", "--query", "length(Events)")
	if data != "0" {
		t.Fatalf("LookupEvents shows %s data events", data)
	}
	assertLogFile(t, srv)
}

// assertLogFile downloads the newest trail log file and reads the denials in it.
func assertLogFile(t *testing.T, srv *sandbox.Server) {
	t.Helper()
	keys := mustCLI(t, srv, "s3api", "list-objects-v2", "--bucket", scenario.TrailBucket,
		"--prefix", "AWSLogs/"+srv.Account()+"/CloudTrail/us-west-2/",
		"--query", "Contents[].Key", "--output", "text")
	fields := strings.Fields(keys)
	if len(fields) == 0 {
		t.Fatal("no log files")
	}
	file := filepath.Join(t.TempDir(), "log.json.gz")
	mustCLI(t, srv, "s3api", "get-object", "--bucket", scenario.TrailBucket,
		"--key", fields[len(fields)-1], file)
	gz, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var logFile struct{ Records []simcore.Record }
	if err := json.Unmarshal(doc, &logFile); err != nil || len(logFile.Records) == 0 {
		t.Fatalf("log file %s: %v", doc, err)
	}
	for _, r := range logFile.Records {
		if r.ErrorCode != "AccessDenied" || r.EventCategory != "Data" ||
			r.UserIdentity.SessionContext.SessionIssuer.ARN != scenario.OrgRoleARN {
			t.Fatalf("newest log file holds %+v", r)
		}
	}
}
