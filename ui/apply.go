package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// applyTimeout bounds planning a step, and separately applying it.
const applyTimeout = 2 * time.Minute

// Applier is what applying a wizard step needs beyond Backend; *awsops.Session satisfies
// it. Plan reads the documents afresh; Apply re-checks, backs up and writes one change.
type Applier interface {
	Plan(ctx context.Context, s model.Settings, o awsops.PlanOptions) ([]awsops.Change, error)
	Apply(ctx context.Context, s model.Settings, c awsops.Change,
		backupDir string) (awsops.ApplyResult, error)
}

// stepKinds are the kinds of change each of the five setup steps makes.
var stepKinds = [][]string{
	{awsops.KindCreateBucket, awsops.KindPublicAccessBlock},
	{awsops.KindBucketPolicy},
	{awsops.KindCORS},
	{awsops.KindKeyPolicy},
	nil,
}

type (
	// planMsg carries the changes a step would make.
	planMsg struct {
		step    int
		changes []awsops.Change
		err     error
	}
	// appliedMsg carries what applying a step did, change by change.
	appliedMsg struct {
		step     int
		outcomes []applyOutcome
	}
	applyOutcome struct {
		change awsops.Change
		result awsops.ApplyResult
		err    error
	}
)

// confirmModel is the dialog that shows a step's changes as diffs and applies them only
// after the admin says yes.
type confirmModel struct {
	c        *common
	open     bool
	busy     string // "planning…" or "applying…" while a command runs
	step     int
	changes  []awsops.Change
	outcomes []applyOutcome
	err      error
	body     viewport.Model
}

// applicable are the changes that can be written (no refusal).
func (m confirmModel) applicable() []awsops.Change {
	var out []awsops.Change
	for _, c := range m.changes {
		if c.Refusal == "" {
			out = append(out, c)
		}
	}
	return out
}

// start plans the step, when writes are allowed and the backend can write.
func (m confirmModel) start(step int) (confirmModel, tea.Cmd) {
	ap, ok := m.c.backend.(Applier)
	switch {
	case !m.c.writes:
		return m, notice("read-only: restart with --allow-writes to apply from here, " +
			"or press c to copy the commands")
	case stepKinds[step] == nil:
		return m, notice("this step is done in Slateo, not in AWS")
	case !ok || len(validate(m.c.settings)) > 0:
		return m, notice("nothing to apply yet: wait for the first refresh")
	}
	m = confirmModel{c: m.c, open: true, busy: "planning…", step: step,
		body: viewport.New(m.c.bodyW, 1)}
	return m.resize(), planCmd(m.c.ctx, ap, m.c.settings, step)
}

func notice(text string) tea.Cmd {
	return func() tea.Msg { return noticeMsg(text) }
}

// planCmd reads the current documents and keeps the step's changes.
func planCmd(parent context.Context, ap Applier, s model.Settings, step int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, applyTimeout)
		defer cancel()
		all, err := ap.Plan(ctx, s, awsops.PlanOptions{})
		if err != nil {
			return planMsg{step: step, err: fmt.Errorf("planning step %d: %w", step+1, err)}
		}
		var changes []awsops.Change
		for _, c := range all {
			for _, kind := range stepKinds[step] {
				if c.Kind == kind {
					changes = append(changes, c)
				}
			}
		}
		return planMsg{step: step, changes: changes}
	}
}

// applyCmd writes the changes one after another, stopping at the first failure, since a
// later change (a policy) may need an earlier one (the bucket).
func applyCmd(parent context.Context, ap Applier, s model.Settings, step int,
	changes []awsops.Change, backupDir string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, applyTimeout)
		defer cancel()
		var out []applyOutcome
		for _, c := range changes {
			res, err := ap.Apply(ctx, s, c, backupDir)
			out = append(out, applyOutcome{change: c, result: res, err: err})
			if err != nil {
				break
			}
		}
		return appliedMsg{step: step, outcomes: out}
	}
}

func (m confirmModel) resize() confirmModel {
	m.body.Width = m.c.bodyW
	m.body.Height = max(m.c.bodyH-2, 1)
	m.body.SetContent(m.text())
	return m
}

func (m confirmModel) keys() []key.Binding {
	yes := key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "apply"))
	no := key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel"))
	if len(m.backups()) > 0 {
		copyKey := key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy backup path"))
		return []key.Binding{m.c.keys.Back, copyKey, m.c.keys.Down, m.c.keys.Up}
	}
	if len(m.outcomes) > 0 || m.err != nil || len(m.applicable()) == 0 {
		return []key.Binding{m.c.keys.Back, m.c.keys.Down, m.c.keys.Up}
	}
	return []key.Binding{yes, no, m.c.keys.Down, m.c.keys.Up}
}

func (m confirmModel) update(msg tea.Msg) (confirmModel, tea.Cmd) {
	switch msg := msg.(type) {
	case planMsg:
		if !m.open || msg.step != m.step {
			return m, nil
		}
		m.busy, m.changes, m.err = "", msg.changes, msg.err
		return m.resize(), nil
	case appliedMsg:
		if !m.open || msg.step != m.step {
			return m, nil
		}
		m.busy, m.outcomes = "", msg.outcomes
		return m.resize(), func() tea.Msg { return refreshMsg{} }
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m, nil
}

func (m confirmModel) onKey(msg tea.KeyMsg) (confirmModel, tea.Cmd) {
	done := len(m.outcomes) > 0 || m.err != nil || len(m.applicable()) == 0
	switch {
	case m.busy == "applying…":
		return m, nil
	case key.Matches(msg, m.c.keys.Back), msg.String() == "n" && !done:
		m.open = false
		return m, nil
	case msg.String() == "c" && len(m.backups()) > 0:
		return m, m.c.clip.copyCmd("the backup path", strings.Join(m.backups(), "\n"))
	case msg.String() == "y" && !done && m.busy == "":
		ap, ok := m.c.backend.(Applier)
		if !ok {
			return m, nil
		}
		m.busy = "applying…"
		return m.resize(), applyCmd(m.c.ctx, ap, m.c.settings, m.step, m.applicable(),
			m.c.backupDir)
	}
	var cmd tea.Cmd
	m.body, cmd = m.body.Update(msg)
	return m, cmd
}

func (m confirmModel) view() string {
	st := m.c.styles
	title := st.title.Render(fmt.Sprintf("Apply step %d: %s", m.step+1,
		wizardSteps[m.step].title))
	return truncate(title, m.c.bodyW) + "\n" + truncate(m.prompt(), m.c.bodyW) + "\n" +
		trimLines(m.body.View())
}

// text lists each change with its diff, then what the admin can do, or what was done.
func (m confirmModel) text() string {
	st := m.c.styles
	w := max(m.c.bodyW-2, 20)
	switch {
	case m.busy == "planning…":
		return "Reading the current documents…"
	case m.err != nil:
		return st.errorText.Render(wrap("✗ "+model.CleanLine(m.err.Error()), w))
	case len(m.changes) == 0:
		return st.status[model.Pass].Render("✓ nothing to change: this step is done")
	}
	var parts []string
	if len(m.outcomes) > 0 {
		parts = append(parts, m.outcomeLines(w)...)
		parts = append(parts, "")
	}
	for _, c := range m.changes {
		parts = append(parts, m.changeText(c, w)...)
	}
	return strings.Join(parts, "\n")
}

func (m confirmModel) changeText(c awsops.Change, w int) []string {
	st := m.c.styles
	parts := []string{st.bold.Render(wrap(model.CleanLine(c.Title), w))}
	if c.Refusal != "" {
		return append(parts, st.errorText.Render(indent("✗ cannot apply: "+
			model.CleanLine(c.Refusal), w)))
	}
	for _, n := range c.Notes {
		parts = append(parts, st.status[model.Warn].Render(indent("! "+model.CleanLine(n), w)))
	}
	if d := c.Diff(); d != "" {
		parts = append(parts, diffText(model.Clean(d, true), w))
	}
	// The command is wrapped like the wizard's, so that it can be copied from the screen.
	return append(parts, st.subtle.Render("  same as:"),
		st.subtle.Render(shellLines(model.Clean(c.CLI, true), w)))
}

// diffText indents a unified diff, cutting rather than wrapping its lines so that the
// +/- column stays readable.
func diffText(d string, width int) string {
	lines := strings.Split(strings.TrimRight(d, "\n"), "\n")
	for i, l := range lines {
		lines[i] = truncate("  "+l, width)
	}
	return strings.Join(lines, "\n")
}

// prompt is the line under the title: the question, progress, or how to go back.
func (m confirmModel) prompt() string {
	st := m.c.styles
	n := len(m.applicable())
	switch {
	case m.busy != "":
		return m.busy
	case m.err != nil, len(m.outcomes) > 0, len(m.changes) == 0:
		return "esc: back to the step"
	case n == 0:
		return "Nothing here can be applied. esc: back to the step"
	}
	return st.bold.Render(fmt.Sprintf("Write %d change(s) shown below? y: apply · n: cancel",
		n)) + st.subtle.Render(" — each document is backed up first")
}

// backups are the files applying backed up the old documents to.
func (m confirmModel) backups() []string {
	var out []string
	for _, o := range m.outcomes {
		if o.err == nil && o.result.BackupFile != "" {
			out = append(out, model.CleanLine(o.result.BackupFile))
		}
	}
	return out
}

// outcomeLines say what applying did, change by change, wrapped to width: the backup
// file goes whole on its own line so that the admin can find it.
func (m confirmModel) outcomeLines(width int) []string {
	st := m.c.styles
	var lines []string
	for _, o := range m.outcomes {
		title := model.CleanLine(o.change.Title)
		switch {
		case o.err != nil:
			lines = append(lines, st.status[model.Fail].Render("✗ failed")+" "+
				wrap(title+": "+model.CleanLine(o.err.Error()), width-9))
		case o.result.Unchanged:
			lines = append(lines, st.status[model.Skip].Render("- unchanged ")+title+
				": already as planned")
		case o.result.BackupFile != "":
			lines = append(lines, st.status[model.Pass].Render("✓ written ")+title,
				wrap("  backup: "+model.CleanLine(o.result.BackupFile), width))
		default:
			lines = append(lines, st.status[model.Pass].Render("✓ written ")+title)
		}
	}
	return lines
}
