package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"slateo-s3/model"
)

// checklistModel is the live checklist: one row per bucket and check, and a detail pane
// with what the check verifies, what was found and the exact fix.
type checklistModel struct {
	c *common
	// rows index c.checks: all of them, or only the problems when problemsOnly is set.
	rows         []int
	problemsOnly bool
	cursor       int
	offset       int
	detailFocus  bool
	detail       viewport.Model
}

func newChecklistModel(c *common) checklistModel {
	m := checklistModel{c: c, detail: viewport.New(c.bodyW, 1)}
	return m.rebuild()
}

// isProblem reports whether a check needs the admin's attention.
func isProblem(s model.Status) bool {
	return s == model.Fail || s == model.Warn || s == model.Unknown
}

// rebuild recomputes the visible rows after new checks or a filter change, keeping the
// cursor on the same check where it still exists.
func (m checklistModel) rebuild() checklistModel {
	var keep model.Check
	if m.cursor < len(m.rows) && m.rows[m.cursor] < len(m.c.checks) {
		keep = m.c.checks[m.rows[m.cursor]]
	}
	m.rows = m.rows[:0:0]
	for i, ch := range m.c.checks {
		if !m.problemsOnly || isProblem(ch.Status) {
			m.rows = append(m.rows, i)
		}
	}
	m.cursor = 0
	for r, i := range m.rows {
		if ch := m.c.checks[i]; ch.ID == keep.ID && ch.Bucket == keep.Bucket {
			m.cursor = r
		}
	}
	return m.scroll().resize()
}

// wideFrom is the body width from which the detail pane sits beside the list.
const wideFrom = 140

// wide reports whether the detail pane sits beside the list rather than under it.
func (m checklistModel) wide() bool {
	return m.c.bodyW >= wideFrom
}

// listW is the width of the list; paneW is the width of the detail pane.
func (m checklistModel) listW() int {
	if m.wide() {
		return m.c.bodyW * 11 / 20
	}
	return m.c.bodyW
}

func (m checklistModel) paneW() int {
	if m.wide() {
		return m.c.bodyW - m.listW() - 2
	}
	return m.c.bodyW
}

// detailMin is the height the detail pane keeps under a list that grows past half the
// screen: the summary, what the check verifies and a fix.
const detailMin = 10

// listHeight is how many rows the list shows; the detail pane takes the rest. Under the
// list the pane gets half the screen, or on a tall screen what the rows leave of it, down
// to detailMin lines.
func (m checklistModel) listHeight() int {
	h := max((m.c.bodyH-3)/2, min(len(m.rows), m.c.bodyH-3-detailMin), 2)
	if m.wide() {
		h = max(m.c.bodyH-1, 2)
	}
	if len(m.c.missing) > 0 {
		h = max(h-1, 1)
	}
	return h
}

// missingLine names the IAM actions the admin's own credentials lack: the reason some
// checks are unknown, and what to ask for.
func (m checklistModel) missingLine() string {
	if len(m.c.missing) == 0 {
		return ""
	}
	text := "? your credentials lack " + model.CleanLine(strings.Join(m.c.missing, ", ")) +
		": checks that need them are unknown"
	return truncate(m.c.styles.status[model.Unknown].Render(text), m.listW())
}

// resize fits the detail pane to the body and refills it.
func (m checklistModel) resize() checklistModel {
	m.detail.Width = m.paneW()
	m.detail.Height = max(m.c.bodyH-m.listHeight()-3, 1)
	if m.wide() {
		m.detail.Height = max(m.c.bodyH-1, 1)
	}
	m.detail.SetContent(m.detailText())
	return m.scroll()
}

// scroll keeps the cursor inside the visible window of rows.
func (m checklistModel) scroll() checklistModel {
	n := m.listHeight()
	m.offset = min(m.offset, max(len(m.rows)-n, 0))
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+n {
		m.offset = m.cursor - n + 1
	}
	return m
}

func (m checklistModel) keys() []key.Binding {
	k := m.c.keys
	step := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "setup step"))
	return []key.Binding{k.Up, k.Down, k.Tab, k.Filter, k.Copy, step, k.Refresh, k.Pause}
}

func (m checklistModel) update(msg tea.Msg) (checklistModel, tea.Cmd) {
	switch msg := msg.(type) {
	case inspectedMsg:
		return m.rebuild(), nil
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m, nil
}

func (m checklistModel) onKey(msg tea.KeyMsg) (checklistModel, tea.Cmd) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Tab):
		m.detailFocus = !m.detailFocus
		return m, nil
	case key.Matches(msg, k.Filter):
		m.problemsOnly = !m.problemsOnly
		return m.rebuild(), nil
	case key.Matches(msg, k.Copy):
		return m, m.copyFix()
	case key.Matches(msg, k.Enter) && !m.detailFocus:
		return m, m.gotoStep()
	case key.Matches(msg, k.Back) && m.detailFocus:
		m.detailFocus = false
		return m, nil
	}
	if m.detailFocus {
		var cmd tea.Cmd
		m.detail, cmd = m.detail.Update(msg)
		return m, cmd
	}
	return m.move(msg), nil
}

func (m checklistModel) move(msg tea.KeyMsg) checklistModel {
	k := m.c.keys
	last := max(len(m.rows)-1, 0)
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, last)
	case key.Matches(msg, k.PageUp):
		m.cursor = max(m.cursor-m.listHeight(), 0)
	case key.Matches(msg, k.PageDown):
		m.cursor = min(m.cursor+m.listHeight(), last)
	default:
		return m
	}
	m.detail.GotoTop()
	return m.scroll().resize()
}

// selected returns the check under the cursor.
func (m checklistModel) selected() (model.Check, bool) {
	if m.cursor >= len(m.rows) || m.rows[m.cursor] >= len(m.c.checks) {
		return model.Check{}, false
	}
	return m.c.checks[m.rows[m.cursor]], true
}

func (m checklistModel) copyFix() tea.Cmd {
	ch, ok := m.selected()
	if !ok || ch.Fix == "" {
		return func() tea.Msg { return noticeMsg("nothing to copy: this check has no fix") }
	}
	return m.c.clip.copyCmd("the fix for "+ch.ID, model.Clean(ch.Fix, true))
}

func (m checklistModel) view() string {
	st := m.c.styles
	switch {
	case !m.c.hasState && len(validate(m.c.settings)) > 0:
		return "The settings are incomplete. Press 1 to fill them in."
	case !m.c.hasState && m.c.inspectErr != nil:
		return st.errorText.Render(wrap("✗ "+model.CleanLine(m.c.inspectErr.Error()),
			m.c.bodyW)) + "\n\nCheck your AWS credentials or profile, then press r to retry."
	case !m.c.hasState:
		return "Reading both buckets from AWS…"
	case len(m.rows) == 0 && m.problemsOnly:
		return st.status[model.Pass].Render("✓ no problems") +
			st.subtle.Render(" — press / to show every check")
	}
	list := m.listView()
	pane := m.paneTitle() + "\n" + trimLines(m.detail.View())
	if !m.wide() {
		return list + "\n" + pane
	}
	sep := strings.TrimSuffix(strings.Repeat("│\n", m.c.bodyH), "\n")
	return trimLines(lipgloss.JoinHorizontal(lipgloss.Top,
		fitHeight(list, m.listW(), m.c.bodyH), " ", m.c.styles.border.Render(sep),
		fitHeight(pane, m.paneW(), m.c.bodyH)))
}

// listView is the title line, the missing permissions and the visible rows, padded to the
// list's height.
func (m checklistModel) listView() string {
	var b strings.Builder
	b.WriteString(m.titleLine())
	if line := m.missingLine(); line != "" {
		b.WriteString("\n" + line)
	}
	end := min(m.offset+m.listHeight(), len(m.rows))
	for r := m.offset; r < end; r++ {
		b.WriteString("\n" + m.rowView(r))
	}
	for r := end - m.offset; r < m.listHeight(); r++ {
		b.WriteString("\n")
	}
	return b.String()
}

func (m checklistModel) titleLine() string {
	st := m.c.styles
	filter := "all checks"
	if m.problemsOnly {
		filter = "problems only"
	}
	pos := fmt.Sprintf("%d/%d", min(m.cursor+1, len(m.rows)), len(m.rows))
	head := st.subtle.Render(padRight("status", 10) + padRight("bucket", 9) +
		padRight("check", 20) + "summary")
	return spread(head, st.subtle.Render(filter+" · "+pos), m.listW())
}

// rowView renders one row: only rows in the visible window are ever rendered.
func (m checklistModel) rowView(r int) string {
	ch := m.c.checks[m.rows[r]]
	st := m.c.styles
	text := padRight(m.c.bucketLabel(ch.Bucket), 9) + padRight(model.CleanLine(ch.ID), 20) +
		model.CleanLine(ch.Summary)
	if r == m.cursor {
		marker := "›"
		if m.detailFocus {
			marker = " "
		}
		return truncate(st.statusLabel(ch.Status)+" "+
			st.selected.Render(padRight(marker+text, m.listW()-10)), m.listW())
	}
	return truncate(st.statusLabel(ch.Status)+"  "+text, m.listW())
}

func (m checklistModel) paneTitle() string {
	st := m.c.styles
	title := "details"
	if ch, ok := m.selected(); ok {
		title = "details of " + model.CleanLine(ch.ID)
		if ch.Bucket != "" {
			title += " on " + m.c.bucketLabel(ch.Bucket) + " bucket " + model.CleanLine(ch.Bucket)
		}
	}
	hint := "tab: scroll details"
	if m.detailFocus {
		title, hint = st.focused.Render("▸ "+title), "tab/esc: back to the list"
	}
	line := "── " + title + " "
	return truncate(spread(st.border.Render(line), st.subtle.Render(hint), m.paneW()),
		m.paneW())
}

// detailText is the detail pane of the selected check, wrapped to the pane.
func (m checklistModel) detailText() string {
	ch, ok := m.selected()
	if !ok {
		return ""
	}
	st := m.c.styles
	w := max(m.paneW()-2, 20)
	var parts []string
	parts = append(parts, st.statusLabel(ch.Status)+" "+wrap(model.CleanLine(ch.Summary), w-10))
	if d := describe(ch.ID); d != "" {
		parts = append(parts, st.subtle.Render(wrap(d, w)))
	}
	if ch.Detail != "" {
		parts = append(parts, st.bold.Render("Found:"), indent(model.Clean(ch.Detail, true), w))
	}
	if ch.Fix != "" {
		parts = append(parts, st.bold.Render("Fix (c to copy):"),
			st.code.Render(fixText(model.Clean(ch.Fix, true), w)))
	}
	return strings.Join(parts, "\n")
}

// indent wraps text to width and indents it by two spaces.
func indent(s string, width int) string {
	lines := strings.Split(wrap(s, width-2), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// fixText lays out a fix: AWS CLI lines break at spaces with a trailing backslash so that
// text copied from the screen still runs; other lines (JSON) wrap.
func fixText(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "aws ") {
			out = append(out, shellLines(line, width))
			continue
		}
		out = append(out, indent(line, width))
	}
	return strings.Join(out, "\n")
}

// gotoStep opens the setup step that fixes the selected check, when one does.
func (m checklistModel) gotoStep() tea.Cmd {
	ch, ok := m.selected()
	if !ok {
		return nil
	}
	for i, s := range wizardSteps {
		for _, id := range s.checks {
			if id == ch.ID {
				return func() tea.Msg { return gotoStepMsg(i) }
			}
		}
	}
	return func() tea.Msg {
		return noticeMsg("no setup step covers " + model.CleanLine(ch.ID) + ": see its fix below")
	}
}
