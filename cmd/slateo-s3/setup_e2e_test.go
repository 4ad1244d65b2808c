package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/model"
)

// TestSetupCommandsConvergeWithCLI follows the setup guide as a user would: it runs every
// command model.SetupCommands shows, with the real AWS CLI v2 in a shell, against an empty
// sandbox, and then `check` must find the required checks passing.
func TestSetupCommandsConvergeWithCLI(t *testing.T) {
	isolateAWS(t)
	cli := sandboxtest.AWSCLI(t)
	tests := []struct {
		name string
		s    model.Settings
	}{
		{"us-west-2 with company", model.Settings{OrgSlug: "acme", Company: "acme",
			Region: "us-west-2", KMSKey: "alias/slateo-test"}},
		{"us-east-1 with bucket names", model.Settings{OrgSlug: "acme",
			UploadsBucket: "acme-east-files", CacheBucket: "acme.east.cache", Region: "us-east-1",
			KMSKey: "alias/slateo-test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := sandboxtest.Start(t, sandbox.Options{Scenario: "empty"})
			sh := &shell{t: t, cli: cli, srv: srv, dir: t.TempDir()}
			sh.run("aws kms create-alias --region " + tt.s.Region +
				" --alias-name alias/slateo-test --target-key-id " +
				"$(aws kms create-key --region " + tt.s.Region +
				" --query KeyMetadata.KeyId --output text)")

			for _, c := range model.SetupCommands(tt.s) {
				sh.follow(c)
			}

			s := tt.s
			r := runCheckCmd(t, "--json", "--org", s.OrgSlug, "--company", s.Company,
				"--uploads-bucket", s.UploadsBucket, "--cache-bucket", s.CacheBucket,
				"--region", s.Region, "--kms-key", s.KMSKey, "--endpoint-url", srv.URL())
			got := statuses(decodeCheck(t, r.stdout))
			for _, b := range s.BucketNames() {
				for _, id := range []string{"bucket-exists", "bucket-region",
					"public-access-block", "policy-principal", "policy-actions",
					"policy-resources", "policy-deny"} {
					if got[b+"/"+id] != model.Pass {
						t.Errorf("%s/%s = %q after the setup commands, want pass",
							b, id, got[b+"/"+id])
					}
				}
			}
			if c := s.CacheBucketName() + "/cors"; got[c] != model.Pass {
				t.Errorf("%s = %q, want pass", c, got[c])
			}
			if got["distinct-buckets"] != model.Pass {
				t.Errorf("distinct-buckets = %q, want pass", got["distinct-buckets"])
			}
		})
	}
}

// shell runs the setup commands in bash, with `aws` meaning the real CLI v2 aimed at the
// sandbox (the installed CLI predates AWS_ENDPOINT_URL, so the endpoint is a flag).
type shell struct {
	t   *testing.T
	cli string
	srv *sandbox.Server
	dir string
}

func (sh *shell) run(script string) string {
	sh.t.Helper()
	prelude := "set -euo pipefail\naws() { " + sh.cli + ` --endpoint-url "$SANDBOX" "$@"; }` + "\n"
	ctx, cancel := context.WithTimeout(context.Background(), sandboxtest.CLITimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", prelude+script)
	cmd.Env = append(sandboxtest.Env(sh.t, sh.srv), "SANDBOX="+sh.srv.URL())
	cmd.Dir = sh.dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		sh.t.Fatalf("running\n%s\nfailed: %v\nstdout: %s\nstderr: %s", script, err, &out, &errOut)
	}
	return out.String()
}

// follow does what a user does with one setup command: save its document, run it, and for
// step 4 merge the statement into the key policy between reading and writing it.
func (sh *shell) follow(c model.Command) {
	sh.t.Helper()
	if c.CLI == "" {
		return
	}
	if c.File != "" {
		path := filepath.Join(sh.dir, c.File)
		if err := os.WriteFile(path, []byte(c.Document), 0o600); err != nil {
			sh.t.Fatal(err)
		}
	}
	if c.Step != 4 {
		sh.run(c.CLI)
		return
	}

	read, write, ok := strings.Cut(c.CLI, "\n# add the statement to the Statement list of "+
		"key-policy.json, then:\n")
	if !ok {
		sh.t.Fatalf("step 4 does not say where to merge:\n%s", c.CLI)
	}
	keyARN := strings.TrimSpace(sh.run(read + "\necho \"$KEY_ARN\""))
	sh.mergeKeyPolicy(c.Document)
	sh.run("KEY_ARN=" + model.ShellQuote(keyARN) + "\n" + write)
}

func (sh *shell) mergeKeyPolicy(statement string) {
	sh.t.Helper()
	path := filepath.Join(sh.dir, "key-policy.json")
	data, err := os.ReadFile(path)
	if err != nil {
		sh.t.Fatal(err)
	}
	var policy map[string]any
	if err := json.Unmarshal(data, &policy); err != nil {
		sh.t.Fatalf("key-policy.json is not JSON: %v\n%s", err, data)
	}
	var stmt any
	if err := json.Unmarshal([]byte(statement), &stmt); err != nil {
		sh.t.Fatal(err)
	}
	list, _ := policy["Statement"].([]any)
	policy["Statement"] = append(list, stmt)
	merged, _ := json.Marshal(policy)
	if err := os.WriteFile(path, merged, 0o600); err != nil {
		sh.t.Fatal(err)
	}
}
