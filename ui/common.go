package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// Backend is the AWS access the console needs; *awsops.Session satisfies it. Both methods
// must honour ctx's deadline.
type Backend interface {
	// Inspect reads everything the checks need; a fact that could not be read carries the
	// reason in the State rather than an error.
	Inspect(ctx context.Context, s model.Settings) model.State
	// PreflightCORS sends a real, unauthenticated CORS preflight (OPTIONS) for bucket in
	// region, as a browser on origin would before a request with method.
	PreflightCORS(ctx context.Context, bucket, region, origin, method string) (
		awsops.Preflight, error)
}

// Connector builds the Backend for a set of settings (profile, region, endpoint). It may
// read local configuration but must not call AWS.
type Connector func(ctx context.Context, s model.Settings) (Backend, error)

// common is what every screen shares: size, styles, keys, settings and the live state.
// Only the root model writes to it, and only inside Update.
type common struct {
	width, height int
	// bodyW and bodyH are the size left to the active screen.
	bodyW, bodyH int
	styles       styles
	keys         keyMap
	now          func() time.Time
	clip         clipboard
	// writes says whether the console may change AWS; backupDir is where it backs up
	// every document before a write.
	writes    bool
	backupDir string
	// ctx ends when the console quits; backend reads AWS.
	ctx     context.Context
	backend Backend

	settings model.Settings
	// save stores settings the user saved in the form; nil when saving is off.
	save   func(model.Settings) error
	state  model.State
	checks []model.Check
	// missing are the IAM actions the admin's credentials lack, from the last inspection.
	missing []string
	// summary counts checks by status, computed once per inspection.
	summary model.Summary
	// inspectErr is why the last refresh could not even start (no credentials, a bad
	// profile); nil otherwise.
	inspectErr error
	// hasState is true once an inspection for the current settings has finished.
	hasState bool
}

// checksFor returns the checks with the given id, one per bucket (or one for the account).
func (c *common) checksFor(id string) []model.Check {
	var out []model.Check
	for _, ch := range c.checks {
		if ch.ID == id {
			out = append(out, ch)
		}
	}
	return out
}

// bucketLabel names a bucket by its purpose, which is shorter and clearer than its name.
func (c *common) bucketLabel(bucket string) string {
	switch {
	case bucket == "":
		return "account"
	case bucket == c.settings.UploadsBucketName():
		return "uploads"
	case bucket == c.settings.CacheBucketName():
		return "cache"
	}
	return model.CleanLine(bucket)
}

// truncate cuts one rendered line to width cells, keeping styles intact.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// padRight pads s with spaces to width cells.
func padRight(s string, width int) string {
	w := lipgloss.Width(s)
	if w >= width {
		return s
	}
	return s + strings.Repeat(" ", width-w)
}

// fitHeight makes s exactly height lines, each cut to width, so that screens never move.
func fitHeight(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = truncate(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrap breaks plain text into lines of at most width cells, only at spaces (never inside
// a flag or an ARN at a hyphen), keeping each line's indentation; a word wider than the
// line is cut hard.
func wrap(s string, width int) string {
	width = max(width, 10)
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

func wrapLine(line string, width int) []string {
	prefix := line[:len(line)-len(strings.TrimLeft(line, " "))]
	if len(prefix) > width/2 {
		prefix = ""
	}
	var out []string
	cur := prefix
	for _, word := range strings.Fields(line) {
		ww := ansi.StringWidth(word)
		switch {
		case cur == prefix:
		case ansi.StringWidth(cur)+1+ww <= width:
			cur += " "
		default:
			out = append(out, cur)
			cur = prefix
		}
		for ansi.StringWidth(cur)+ww > width {
			room := width - ansi.StringWidth(cur)
			out = append(out, cur+ansi.Truncate(word, room, ""))
			word = ansi.TruncateLeft(word, room, "")
			ww = ansi.StringWidth(word)
			cur = prefix
		}
		cur += word
	}
	return append(out, cur)
}

// ago says how long ago t was, coarsely, as a person would.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	}
	return "at " + t.Format("15:04")
}

// validate returns the settings' field errors.
func validate(s model.Settings) []model.FieldError {
	return s.Validate()
}
