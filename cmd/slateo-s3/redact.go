package main

import (
	"bytes"
	"flag"
	"io"

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
// that no value split across two writes escapes the mask. A nil Redactor writes through.
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
	_, err := io.WriteString(o.w, o.r.String(o.buf.String()))
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
