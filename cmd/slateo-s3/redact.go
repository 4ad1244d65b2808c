package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"slateo-s3/awsops/sandbox/scenario"

	"slateo-s3/model"
	"slateo-s3/ui/redact"
)

// newRedactor masks what a screen-share or a ticket should not show; the org slug and the
// bucket names stay, so the output still says which setup it is about.
func newRedactor(s model.Settings) *redact.Redactor {
	return redact.New(append(s.BucketNames(), s.OrgSlug)...)
}

// bindRedact registers --redact on a command that shows its output unmasked by default.
func bindRedact(fs *flag.FlagSet) *bool {
	return fs.Bool("redact", false, "mask account ids, access key ids, IP addresses, "+
		"user and session names and emails (for screen-shares and tickets)")
}

// redactedOutput holds a command's rendered output and writes it masked in one piece, so
// that no value split across two writes escapes the mask; colours are kept where that is
// safe (redact.Styled). A nil Redactor writes through.
type redactedOutput struct {
	w   io.Writer
	r   *redact.Redactor
	buf bytes.Buffer
}

// newRedactedOutput returns the writer a command renders into: w itself when nothing is
// masked, else a buffer that Flush writes to w masked.
func newRedactedOutput(w io.Writer, r *redact.Redactor) *redactedOutput {
	return &redactedOutput{w: w, r: r}
}

// Write renders into the buffer, or straight to the output when nothing is masked.
func (o *redactedOutput) Write(p []byte) (int, error) {
	if o.r == nil {
		return o.w.Write(p)
	}
	return o.buf.Write(p)
}

// Flush writes what was buffered, masked.
func (o *redactedOutput) Flush() error {
	if o.r == nil || o.buf.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(o.w, o.r.Styled(o.buf.String()))
	o.buf.Reset()
	return err
}

// redactorIf returns a Redactor for s when on, else nil (which masks nothing).
func redactorIf(on bool, s model.Settings) *redact.Redactor {
	if !on {
		return nil
	}
	return newRedactor(s)
}

// readReportFile reads a `report --json` file for `sandbox --from-report`.
func readReportFile(path string) (*scenario.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--from-report: %w", err)
	}
	rep, err := scenario.ParseReport(data)
	if err != nil {
		return nil, fmt.Errorf("--from-report %s: %w", path, err)
	}
	return rep, nil
}

// printReportHint says how to check the rebuilt account: with the report's settings.
func printReportHint(w io.Writer, path string) {
	rep, err := readReportFile(path)
	if err != nil {
		return
	}
	s := rep.Settings()
	args := []string{"slateo-s3", "check", "--org", s.OrgSlug, "--uploads-bucket",
		s.UploadsBucket, "--cache-bucket", s.CacheBucket, "--region", s.Region}
	if s.KMSKey != "" {
		args = append(args, "--kms-key", s.KMSKey)
	}
	if s.OrgID != "" {
		args = append(args, "--org-id", s.OrgID)
	}
	fmt.Fprintf(w, "The report's checklist: %s\n", strings.Join(args, " "))
	if start, end := rep.Window(); !end.IsZero() {
		args = append(args[:1], append([]string{"events", "--until",
			end.UTC().Format(time.RFC3339), "--since", end.Sub(start).String()}, args[2:]...)...)
		fmt.Fprintf(w, "The report's denials:  %s\n", strings.Join(args, " "))
	}
}

// reportSettings replaces the sandbox's default settings with those of --from-report, the
// settings the customer's report was made with.
func (e *embeddedFlags) reportSettings(s *model.Settings) error {
	if e.fromReport == "" {
		return nil
	}
	rep, err := readReportFile(e.fromReport)
	if err != nil {
		return err
	}
	r := rep.Settings()
	*s = model.Settings{OrgSlug: r.OrgSlug, Company: r.Company, UploadsBucket: r.UploadsBucket,
		CacheBucket: r.CacheBucket, Region: r.Region, KMSKey: r.KMSKey, OrgID: r.OrgID}
	return nil
}
