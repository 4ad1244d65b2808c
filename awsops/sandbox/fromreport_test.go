package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"slateo-s3/awsops/sandbox/scenario"
)

// deniedReport is a report whose every read was refused to the admin.
const deniedReport = `{
  "settings": {"org_slug": "acme", "company": "acme", "uploads_bucket": "acme-slateo-uploads",
    "cache_bucket": "acme-slateo-cache", "region": "us-west-2"},
  "caller": {"account": "[account-1]"},
  "documents": {
    "buckets": [{"name": "acme-slateo-uploads",
      "presence": {"availability": "could-not-read", "missing_action": "s3:ListBucket"},
      "region": {"availability": "could-not-read", "missing_action": "s3:GetBucketLocation"},
      "public_access_block": {"availability": "could-not-read", "missing_action": "x"},
      "policy": {"availability": "could-not-read", "missing_action": "x"},
      "cors": {"availability": "could-not-read", "missing_action": "x"},
      "encryption": {"availability": "could-not-read", "missing_action": "x"},
      "ownership": {"availability": "could-not-read", "missing_action": "x"},
      "versioning": {"availability": "could-not-read", "missing_action": "x"},
      "logging": {"availability": "could-not-read", "missing_action": "x"},
      "objects": {"org/uploads/": {"availability": "could-not-read", "missing_action": "x"}}
    }],
    "keys": [{"ref": "alias/k",
      "metadata": {"availability": "could-not-read", "missing_action": "kms:DescribeKey"},
      "policy": {"availability": "could-not-read", "missing_action": "kms:GetKeyPolicy"}}],
    "trails": {"availability": "could-not-read", "missing_action": "x"}
  }
}`

// TestReportFaultsNameRealOperations: every read a report says was refused becomes a fault
// on an operation the sandbox answers, so that each one fires.
func TestReportFaultsNameRealOperations(t *testing.T) {
	rep, err := scenario.ParseReport([]byte(deniedReport))
	if err != nil {
		t.Fatal(err)
	}
	faults := Options{}.withReport(rep).Faults
	if len(faults) != 13 {
		t.Errorf("%d faults for 13 refused reads: %v", len(faults), faults)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, []byte(deniedReport), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := Start(Options{FromReport: path})
	if err != nil {
		t.Fatalf("starting from the report: %v", err)
	}
	defer srv.Close()
	known := knownOperations(srv.services)
	for _, f := range srv.opts.Faults {
		if !slices.Contains(known, f.Operation) {
			t.Errorf("fault %s names no operation the sandbox answers", f)
		}
	}
	if len(srv.opts.Faults) != len(faults) {
		t.Errorf("the sandbox has faults %v, want %v", srv.opts.Faults, faults)
	}
}
