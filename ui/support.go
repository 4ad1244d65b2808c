package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/model"
	"slateo-s3/ui/redact"
)

// reportTimeout bounds saving one support report: an inspection and a CloudTrail search.
const reportTimeout = 5 * time.Minute

// newRedactor masks what a screen-share must not show; the org slug and the bucket names
// stay, so that the screen still says which setup it is about.
func newRedactor(s model.Settings) *redact.Redactor {
	return redact.New(append(s.BucketNames(), s.OrgSlug)...)
}

// toggleRedact turns masking of the screens on or off. The same Redactor serves the whole
// session, so a value keeps its token when masking is turned off and on again.
func (m Model) toggleRedact() (tea.Model, tea.Cmd) {
	m.redacting = !m.redacting
	if m.redactor == nil {
		m.redactor = newRedactor(m.c.settings)
	}
	m.notice = "redaction off: account ids, keys, addresses and names show as read"
	if m.redacting {
		m.notice = "redaction on: account ids, keys, addresses and names are masked"
	}
	return m, nil
}

// saveReport writes the support report in the background; the status line says where.
func (m Model) saveReport() (tea.Model, tea.Cmd) {
	if m.opts.SaveReport == nil {
		m.notice = "saving a report is not available here"
		return m, nil
	}
	if len(validate(m.c.settings)) > 0 {
		m.notice = "fill in the settings first (press 1)"
		return m, nil
	}
	m.notice = "saving the support report (reading AWS and CloudTrail)…"
	save, parent, s := m.opts.SaveReport, m.ctx, m.c.settings
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, reportTimeout)
		defer cancel()
		path, err := save(ctx, s)
		if err != nil {
			return noticeMsg(fmt.Sprintf("saving the report: %s", model.CleanLine(err.Error())))
		}
		return noticeMsg("report saved to " + model.CleanLine(path))
	}
}

// redactView masks a rendered screen, keeping its colours where that is safe (see
// redact.Styled), and keeps each line within the width, since a token can be longer than
// what it masks.
func (m Model) redactView(view string) string {
	if !m.redacting || m.redactor == nil {
		return view
	}
	lines := strings.Split(m.redactor.Styled(view), "\n")
	for i, l := range lines {
		lines[i] = cutValue.ReplaceAllString(truncate(l, m.c.width), "…")
	}
	return strings.Join(lines, "\n")
}

// cutValue is the visible start of a value that a screen cut at its edge ("1234567…"),
// too short for the redactor to recognise: digits (an account id or an address), an
// access key id, or an email address. While masking, it goes.
var cutValue = regexp.MustCompile(`(?:\b\d[\d.:]{2,14}|\b(?:AKIA|ASIA|AIDA|AROA|AIPA|` +
	`ANPA|ANVA|APKA|AGPA)[A-Z0-9]*|[\w.%+-]+@[\w.-]*)…`)

// withRedactKey adds R to the help: first on the short line, where a long line is cut at
// the right edge and a screen-sharer must still find it; with the global keys in the full
// help. The settings form takes every letter, so R is not offered there.
func (m Model) withRedactKey(own, global []key.Binding) ([]key.Binding, []key.Binding) {
	switch {
	case m.active == settingsScreen:
		return own, global
	case m.fullHelp:
		return own, append(global, m.c.keys.Redact)
	}
	return append([]key.Binding{m.c.keys.Redact}, own...), global
}

// redactMark is the header's mark while the screens are masked.
func (m Model) redactMark() string {
	if !m.redacting {
		return ""
	}
	return "REDACTED "
}
