package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"slateo-s3/model"
)

// headerHeight is how many lines the header takes.
const headerHeight = 2

// headerView shows who and where the console works on: the org and buckets, the region,
// the account and caller, and whether it may write.
func (m Model) headerView() string {
	st := m.c.styles
	s := m.c.settings
	mode := "read-only"
	if m.opts.WritesAllowed {
		mode = "writes allowed"
	}
	if m.opts.Sandbox {
		mode += " · sandbox"
	}
	org := s.OrgSlug
	if org == "" {
		org = "(not set)"
	}
	left := st.title.Render("slateo-s3") + "  org " + st.bold.Render(model.CleanLine(org)) +
		" · region " + st.bold.Render(model.CleanLine(s.EffectiveRegion()))
	line1 := spread(left, st.bold.Render(m.redactMark())+st.subtle.Render(mode), m.c.width)

	account, arn := "…", "…"
	if m.c.hasState {
		account, arn = callerText(m.c.state.Caller)
	}
	line2 := st.subtle.Render("account ") + account + st.subtle.Render(" · caller ") + arn
	return truncate(line1, m.c.width) + "\n" + truncate(line2, m.c.width)
}

// callerText renders the caller fact: the account and ARN, or why they are unknown.
func callerText(f model.Fact[model.Caller]) (account, arn string) {
	if f.IsPresent() {
		return model.CleanLine(f.Value.Account), model.CleanLine(f.Value.ARN)
	}
	reason := model.CleanLine(f.Reason)
	if reason == "" {
		reason = "not read"
	}
	return "unknown", "unknown (" + reason + ")"
}

// spread puts left and right on one line of width cells, right-aligned when there is room.
func spread(left, right string, width int) string {
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left + " " + right
	}
	return left + strings.Repeat(" ", gap) + right
}

// tabsView is the tab bar; the active tab is bracketed so it shows without colour too.
func (m Model) tabsView() string {
	st := m.c.styles
	var b strings.Builder
	for i := 0; i < int(screenCount)+len(m.extra); i++ {
		label := fmt.Sprintf("%d %s", i+1, m.screenTitle(screen(i)))
		if screen(i) == m.active {
			b.WriteString(st.activeTab.Render("[" + label + "]"))
		} else {
			b.WriteString(st.tab.Render(" " + label + " "))
		}
		b.WriteString(" ")
	}
	return truncate(b.String(), m.c.width)
}

// statusView shows the refresh state on the left and the check counts on the right.
func (m Model) statusView() string {
	st := m.c.styles
	var left string
	switch {
	case m.notice != "":
		left = st.bold.Render(m.notice)
	case m.refreshing:
		left = m.spinner.View() + " refreshing…"
	case m.c.inspectErr != nil:
		left = st.errorText.Render("✗ " + model.CleanLine(m.c.inspectErr.Error()))
	case m.c.hasState:
		left = "refreshed " + ago(m.c.now(), m.refreshedAt)
	case len(validate(m.c.settings)) > 0:
		left = "settings incomplete: fill in the form (1)"
	default:
		left = "not read yet"
	}
	switch {
	case m.paused:
		left += st.subtle.Render(" · auto-refresh paused (p)")
	case m.opts.Refresh > 0:
		left += st.subtle.Render(" · auto-refresh every " + shortDuration(m.opts.Refresh))
	}
	return truncate(spread(left, m.summaryView(), m.c.width), m.c.width)
}

// summaryView counts the checks by status, glyph and word for each.
func (m Model) summaryView() string {
	if !m.c.hasState {
		return ""
	}
	sum := m.c.summary
	counts := map[model.Status]int{
		model.Pass: sum.Pass, model.Fail: sum.Fail, model.Warn: sum.Warn,
		model.Unknown: sum.Unknown, model.Skip: sum.Skip,
	}
	var parts []string
	for _, s := range []model.Status{model.Fail, model.Warn, model.Unknown, model.Pass} {
		if counts[s] > 0 {
			parts = append(parts, m.c.styles.status[s].Render(
				fmt.Sprintf("%s %d %s", glyphs[s], counts[s], s)))
		}
	}
	return strings.Join(parts, " ")
}

// shortDuration prints 30s, 5m or 1h rather than Go's 30s, 5m0s, 1h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
