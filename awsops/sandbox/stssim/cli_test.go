package stssim_test

import (
	"encoding/json"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

func TestCLIGetCallerIdentity(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{Account: "444455556666"})
	out, errOut, code := sandboxtest.CLI(t, srv, "sts", "get-caller-identity")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var id struct{ UserId, Account, Arn string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("get-caller-identity printed %q: %v", out, err)
	}
	if id.Account != "444455556666" || id.UserId != "AIDASANDBOXADMIN0000X" ||
		id.Arn != "arn:aws:iam::444455556666:user/sandbox-admin" {
		t.Fatalf("identity %+v", id)
	}
	if strings.TrimSpace(errOut) != "" {
		t.Fatalf("stderr %q", errOut)
	}
}
