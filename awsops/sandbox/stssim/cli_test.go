package stssim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// awsCLI runs the real AWS CLI v2 against the sandbox with sandboxtest's clean environment
// plus extra variables, and returns stdout, stderr and the exit code.
func awsCLI(t *testing.T, srv *sandbox.Server, extra []string,
	args ...string) (string, string, int) {
	t.Helper()
	path := sandboxtest.AWSCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), sandboxtest.CLITimeout)
	defer cancel()
	full := append([]string{"--endpoint-url", srv.URL()}, args...)
	cmd := exec.CommandContext(ctx, path, full...)
	cmd.Env = append(sandboxtest.Env(t, srv), extra...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("running aws %v: %v", args, err)
	}
	code := 0
	if exitErr != nil {
		code = exitErr.ExitCode()
	}
	return out.String(), errOut.String(), code
}

func mustCLI(t *testing.T, srv *sandbox.Server, args ...string) string {
	t.Helper()
	out, errOut, code := awsCLI(t, srv, nil, args...)
	if code != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func TestCLIGetCallerIdentity(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{Account: "444455556666"})
	out, errOut, code := awsCLI(t, srv, nil, "sts", "get-caller-identity")
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
