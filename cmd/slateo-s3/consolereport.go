package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"slateo-s3/awsops"
	"slateo-s3/model"
	"slateo-s3/ui/textout"
)

// consoleReportSaver is the console's S key: the text report of `slateo-s3 report`, masked,
// for the last 24 hours, written to a new file in dir (mode 0600). It connects with the
// console's own connect options and returns the file's absolute path.
func consoleReportSaver(copts awsops.ConnectOptions, dir string,
	now func() time.Time) func(context.Context, model.Settings) (string, error) {
	return func(ctx context.Context, s model.Settings) (string, error) {
		session, err := awsops.Connect(ctx, s, copts)
		if err != nil {
			return "", fmt.Errorf("connecting to AWS: %w", err)
		}
		o := reportOptions{since: 24 * time.Hour, now: now}
		// A report whose event search failed still holds the checklist and a note.
		r, _ := o.gather(ctx, &connection{session: session, settings: s})
		var out bytes.Buffer
		if err := textout.ReportText(&out, r, false); err != nil {
			return "", err
		}
		name := "slateo-s3-report-" + now().UTC().Format("20060102T150405Z") + ".md"
		path, err := filepath.Abs(filepath.Join(dir, name))
		if err != nil {
			return "", fmt.Errorf("writing the report: %w", err)
		}
		text := newRedactor(s).String(out.String())
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return "", fmt.Errorf("writing the report: %w", err)
		}
		return path, nil
	}
}
