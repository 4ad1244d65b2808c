package kmssim_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

const orgRole = "arn:aws:iam::880265510198:role/slateo-prod-storage-acme"

// TestCLIKeyPolicy follows the guide's optional KMS step with the real CLI: create a key,
// add AllowSlateoKMSAccess to its policy, read the policy back.
func TestCLIKeyPolicy(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	var created struct {
		KeyMetadata struct{ KeyID, Arn, KeyManager, KeyState string }
	}
	out := sandboxtest.MustCLI(t, srv, "kms", "create-key", "--description", "slateo buckets")
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatalf("create-key printed %q: %v", out, err)
	}
	meta := created.KeyMetadata
	if meta.KeyManager != "CUSTOMER" || meta.KeyState != "Enabled" ||
		!strings.HasPrefix(meta.Arn, "arn:aws:kms:us-west-2:111122223333:key/") {
		t.Fatalf("created %+v", meta)
	}

	policy := `{"Version":"2012-10-17","Id":"key-default-1","Statement":[` +
		`{"Sid":"Enable IAM User Permissions","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Sid":"AllowSlateoKMSAccess","Effect":"Allow","Principal":{"AWS":"` + orgRole + `"},` +
		`"Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey"],"Resource":"*"}]}`
	file := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(file, []byte(policy), 0o600); err != nil {
		t.Fatal(err)
	}
	sandboxtest.MustCLI(t, srv, "kms", "put-key-policy", "--key-id", meta.KeyID,
		"--policy-name", "default", "--policy", "file://"+file)
	got := sandboxtest.MustCLI(t, srv, "kms", "get-key-policy", "--key-id", meta.Arn,
		"--policy-name", "default", "--query", "Policy", "--output", "text")
	if strings.TrimSpace(got) != policy {
		t.Fatalf("get-key-policy printed %q, want %q", got, policy)
	}
}

func TestCLIErrors(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	missing := "11111111-2222-3333-4444-555555555555"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"describe a missing key", []string{"kms", "describe-key", "--key-id", missing},
			"An error occurred (NotFoundException) when calling the DescribeKey operation: " +
				"Key 'arn:aws:kms:us-west-2:111122223333:key/" + missing + "' does not exist"},
		{"policy naming a role that does not exist", []string{"kms", "create-key", "--policy",
			`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},` +
				`"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":` +
				`"arn:aws:iam::880265510198:role/slateo-prod-storage-other"},` +
				`"Action":"kms:Decrypt","Resource":"*"}]}`},
			"(MalformedPolicyDocumentException) when calling the CreateKey operation: " +
				"Policy contains a statement with one or more invalid principals."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := sandboxtest.CLI(t, srv, tt.args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %q", code, errOut, tt.want)
			}
		})
	}
}

func TestCLIManagedKey(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	out := sandboxtest.MustCLI(t, srv, "kms", "describe-key", "--key-id", "alias/aws/s3",
		"--query", "KeyMetadata.[KeyManager,Description]", "--output", "text")
	want := "AWS\tDefault key that protects my S3 objects when no other key is defined"
	if strings.TrimSpace(out) != want {
		t.Fatalf("describe-key alias/aws/s3 printed %q", out)
	}
	aliases := sandboxtest.MustCLI(t, srv, "kms", "list-aliases", "--query", "Aliases[].AliasName",
		"--output", "text")
	if strings.TrimSpace(aliases) != "alias/aws/s3" {
		t.Fatalf("list-aliases printed %q", aliases)
	}
}
