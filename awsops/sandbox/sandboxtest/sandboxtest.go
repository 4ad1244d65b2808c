// Package sandboxtest helps tests run against the local AWS sandbox: start one that closes
// itself, find the real AWS CLI v2, and run it against the sandbox in a clean environment.
package sandboxtest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox"
)

// CLIPath is where the real AWS CLI v2 is installed; the aws first on PATH may be the old
// v1 and is never used.
const CLIPath = "/usr/bin/aws"

// CLITimeout bounds one CLI run.
const CLITimeout = 2 * time.Minute

// Start starts a sandbox with o and closes it when the test ends.
func Start(t testing.TB, o sandbox.Options) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(o)
	if err != nil {
		t.Fatalf("starting sandbox: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("closing sandbox: %v", err)
		}
	})
	return srv
}

// AWSCLI returns the path of the AWS CLI v2. When it is missing the test is skipped with a
// clear message, or fails when CI=true, where every tool must be present.
func AWSCLI(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(CLIPath); err != nil {
		msg := "the AWS CLI v2 is not installed at " + CLIPath + " (Debian package awscli)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return CLIPath
}

// Env returns the environment the CLI runs with against srv: fake static credentials, the
// sandbox as endpoint, region us-west-2, empty config and credentials files, no pager and
// no instance metadata, so that nothing from the developer's own setup leaks in.
func Env(t testing.TB, srv *sandbox.Server) []string {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	credentials := filepath.Join(dir, "credentials")
	for _, f := range []string{config, credentials} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatalf("writing empty AWS file: %v", err)
		}
	}
	return []string{
		"PATH=/usr/bin:/bin",
		"HOME=" + dir,
		"LANG=C.UTF-8",
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_DEFAULT_REGION=us-west-2",
		"AWS_REGION=us-west-2",
		"AWS_ENDPOINT_URL=" + srv.URL(),
		"AWS_CONFIG_FILE=" + config,
		"AWS_SHARED_CREDENTIALS_FILE=" + credentials,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CLI_AUTO_PROMPT=off",
	}
}

// CLI runs the AWS CLI v2 against srv with args and returns what it printed and its exit
// code. Region is us-west-2 unless args name another with --region; the endpoint is the
// sandbox.
func CLI(t testing.TB, srv *sandbox.Server, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	return CLIWithEnv(t, srv, nil, args...)
}

// MustCLI runs the AWS CLI v2 against srv as CLI does and returns what it printed on
// stdout; it fails the test, with the CLI's stderr, unless the CLI exits 0.
func MustCLI(t testing.TB, srv *sandbox.Server, args ...string) string {
	t.Helper()
	out, errOut, code := CLI(t, srv, args...)
	if code != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// CLIWithEnv runs the AWS CLI v2 as CLI does, with extra environment variables (such as
// AWS_MAX_ATTEMPTS=1) after those of Env.
func CLIWithEnv(t testing.TB, srv *sandbox.Server, extra []string,
	args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	path := AWSCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), CLITimeout)
	defer cancel()
	// The installed CLI predates AWS_ENDPOINT_URL (CLI 2.13), so the endpoint is passed as a
	// flag as well; the environment variable serves newer CLIs and other tools.
	full := append([]string{"--endpoint-url", srv.URL()}, args...)
	cmd := exec.CommandContext(ctx, path, full...)
	cmd.Env = append(Env(t, srv), extra...)
	cmd.Dir = t.TempDir()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		exit = exitErr.ExitCode()
	default:
		t.Fatalf("running aws %v: %v", args, err)
	}
	return out.String(), errOut.String(), exit
}
