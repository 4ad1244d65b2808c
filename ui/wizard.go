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

// wizardStep is one of the setup guide's five steps.
type wizardStep struct {
	title string
	why   string
	// checks are the check ids that say whether the step is done on each bucket.
	checks []string
}

var wizardSteps = []wizardStep{
	{"Create the two buckets and block public access",
		"Slateo keeps uploads and query results in two separate buckets in your account. " +
			"Both must block all public access (all four flags on).",
		[]string{"bucket-exists", "bucket-region", "public-access-block"}},
	{"Let the org role in: a bucket policy on each bucket",
		"Slateo assumes its role for your org and reaches the buckets through their " +
			"policies: ListBucket on the bucket and five object actions on bucket/*.",
		[]string{"policy-principal", "policy-actions", "policy-resources", "policy-deny"}},
	{"CORS on the cache bucket",
		"Browsers download query results straight from the cache bucket, so it needs a " +
			"CORS rule for Slateo's origins. The uploads bucket needs none.",
		[]string{"cors"}},
	{"Optional: let the org role use your KMS key",
		"Only when the buckets use SSE-KMS with a customer-managed key: the key policy " +
			"must allow the org role to decrypt, encrypt and generate data keys.",
		[]string{"encryption", "kms-grant"}},
	{"Tell Slateo about the buckets",
		"The console cannot do this step: type these three values into Slateo.",
		nil},
}

// stepAction is what enter does on a wizard step. Today it copies the step's commands;
// an action that applies the step after a confirmation can replace it here alone.
type stepAction func(c *common, step int, cmds []model.Command) tea.Cmd

// wizardModel walks through the five setup steps, one screen each.
type wizardModel struct {
	c      *common
	step   int
	body   viewport.Model
	action stepAction
	// confirm is the apply dialog; while open it takes the keys and the body.
	confirm confirmModel
}

func newWizardModel(c *common) wizardModel {
	m := wizardModel{c: c, body: viewport.New(c.bodyW, 1), action: copyStepAction,
		confirm: confirmModel{c: c}}
	return m.resize()
}

// commands returns the setup commands of the current step for the current settings.
func (m wizardModel) commands() []model.Command {
	if len(validate(m.c.settings)) > 0 {
		return nil
	}
	s := m.c.settings
	if s.KMSKey == "" {
		// Without --kms-key, show the commands for the key the buckets already use.
		s.KMSKey = m.bucketKey()
	}
	var out []model.Command
	for _, cmd := range model.SetupCommands(s) {
		if cmd.Step == m.step+1 {
			out = append(out, cmd)
		}
	}
	return out
}

// bucketKey is the ARN of the customer-managed key a bucket's default encryption uses, or
// "" when there is none.
func (m wizardModel) bucketKey() string {
	if !m.c.hasState {
		return ""
	}
	for _, k := range m.c.state.Keys {
		md := k.Metadata
		if md.IsPresent() && md.Value.Manager == "CUSTOMER" && md.Value.ARN != "" {
			return md.Value.ARN
		}
	}
	return ""
}

// headHeight is how many lines the step's title, reason and per-bucket marks take.
func (m wizardModel) headHeight() int {
	return lipgloss.Height(m.head())
}

func (m wizardModel) resize() wizardModel {
	m.body.Width = m.c.bodyW
	m.body.Height = max(m.c.bodyH-m.headHeight()-1, 1)
	m.body.SetContent(m.commandsText())
	m.confirm = m.confirm.resize()
	return m
}

func (m wizardModel) keys() []key.Binding {
	k := m.c.keys
	if m.confirm.open {
		return m.confirm.keys()
	}
	copyKey := key.NewBinding(key.WithKeys("enter", "c"), key.WithHelp("enter/c", "copy step"))
	applyKey := key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "apply step"))
	return []key.Binding{k.Next, k.Prev, copyKey, applyKey, k.Up, k.Down}
}

func (m wizardModel) update(msg tea.Msg) (wizardModel, tea.Cmd) {
	switch msg := msg.(type) {
	case inspectedMsg:
		return m.resize(), nil
	case planMsg, appliedMsg:
		var cmd tea.Cmd
		m.confirm, cmd = m.confirm.update(msg)
		return m, cmd
	case tea.KeyMsg:
		if m.confirm.open {
			var cmd tea.Cmd
			m.confirm, cmd = m.confirm.update(msg)
			return m, cmd
		}
		return m.onKey(msg)
	}
	return m, nil
}

func (m wizardModel) onKey(msg tea.KeyMsg) (wizardModel, tea.Cmd) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Next):
		if m.step == len(wizardSteps)-1 {
			return m, func() tea.Msg { return switchScreenMsg(checklistScreen) }
		}
		m.step++
	case key.Matches(msg, k.Prev):
		m.step = max(m.step-1, 0)
	case key.Matches(msg, k.Back):
		return m, func() tea.Msg { return switchScreenMsg(checklistScreen) }
	case key.Matches(msg, k.Enter, k.Copy):
		return m, m.action(m.c, m.step, m.commands())
	case msg.String() == "a":
		var cmd tea.Cmd
		m.confirm, cmd = m.confirm.start(m.step)
		return m, cmd
	default:
		var cmd tea.Cmd
		m.body, cmd = m.body.Update(msg)
		return m, cmd
	}
	m.body.GotoTop()
	return m.resize(), nil
}

// copyStepAction copies a step as a script the admin can paste: each document is written
// to its file first, then the commands run.
func copyStepAction(c *common, step int, cmds []model.Command) tea.Cmd {
	if len(cmds) == 0 {
		return func() tea.Msg { return noticeMsg("nothing to copy: fill in the settings first") }
	}
	return c.clip.copyCmd(fmt.Sprintf("step %d", step+1), stepScript(cmds))
}

// stepScript renders a step's commands as shell lines, documents as here-documents.
func stepScript(cmds []model.Command) string {
	var b strings.Builder
	for _, cmd := range cmds {
		b.WriteString("# " + cmd.Title + "\n")
		switch {
		case cmd.CLI == "":
			b.WriteString(commentLines(cmd.Document))
		case cmd.File != "" && !strings.Contains(cmd.CLI, "> "+cmd.File):
			b.WriteString("cat > " + model.ShellQuote(cmd.File) + " <<'EOF'\n" +
				strings.TrimRight(cmd.Document, "\n") + "\nEOF\n")
			b.WriteString(cmd.CLI + "\n")
		default:
			b.WriteString(cmd.CLI + "\n")
			if cmd.Document != "" {
				b.WriteString(commentLines(cmd.Document))
			}
		}
	}
	return b.String()
}

// commentLines turns a document into shell comments, for text the admin reads or merges.
func commentLines(doc string) string {
	lines := strings.Split(strings.TrimRight(doc, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "# " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func (m wizardModel) view() string {
	if m.confirm.open {
		return m.confirm.view()
	}
	return m.head() + "\n" + trimLines(m.body.View())
}

// head is the step's title, why it matters, and whether each bucket already has it.
func (m wizardModel) head() string {
	st := m.c.styles
	s := wizardSteps[m.step]
	w := max(m.c.bodyW, 20)
	title := st.title.Render(m.titleText(w - lipgloss.Width(m.progress()) - 1))
	why := s.why
	if m.step == len(wizardSteps)-1 {
		why += " Then press → for the live checklist."
	}
	lines := []string{spread(title, m.progress(), w), wrap(why, w)}
	lines = append(lines, m.marks()...)
	return strings.Join(lines, "\n")
}

// titleText is the step's title in at most width cells, so that the progress beside it
// always shows all five steps: "Step 2 of 5 · ..." when it fits, else "Step 2 · ..." (the
// progress already says of how many), else cut with ….
func (m wizardModel) titleText(width int) string {
	s := wizardSteps[m.step]
	long := fmt.Sprintf("Step %d of %d · %s", m.step+1, len(wizardSteps), s.title)
	if lipgloss.Width(long) <= width {
		return long
	}
	return truncate(fmt.Sprintf("Step %d · %s", m.step+1, s.title), width)
}

// progress draws the five steps as dots, the current one bracketed.
func (m wizardModel) progress() string {
	var b strings.Builder
	for i := range wizardSteps {
		switch {
		case i == m.step:
			b.WriteString("[" + fmt.Sprint(i+1) + "]")
		default:
			b.WriteString(" " + fmt.Sprint(i+1) + " ")
		}
	}
	return m.c.styles.subtle.Render(b.String())
}

// marks says, per bucket, whether the step is already done, from the live checks.
func (m wizardModel) marks() []string {
	st := m.c.styles
	s := wizardSteps[m.step]
	if len(s.checks) == 0 || len(validate(m.c.settings)) > 0 {
		return nil
	}
	var lines []string
	for _, b := range m.c.settings.BucketNames() {
		status, why := m.stepStatus(b, s.checks)
		label := padRight(m.c.bucketLabel(b), 8) + padRight(model.CleanLine(b), 26)
		line := "  " + label + st.statusLabel(status) + " " + doneWord(status)
		if why != "" {
			line += st.subtle.Render(" — " + why)
		}
		lines = append(lines, truncate(line, m.c.bodyW))
	}
	return lines
}

// stepStatus combines a bucket's checks of a step: the worst status wins, and why is the
// summary of the check that decided it.
func (m wizardModel) stepStatus(bucket string, ids []string) (model.Status, string) {
	if !m.c.hasState {
		return model.Unknown, "not read yet"
	}
	if m.step > 0 {
		for _, ch := range m.c.checksFor("bucket-exists") {
			if ch.Bucket == bucket && ch.Status != model.Pass {
				return ch.Status, "the bucket comes first (step 1): " +
					model.CleanLine(ch.Summary)
			}
		}
	}
	rank := map[model.Status]int{model.Skip: 0, model.Pass: 1, model.Warn: 2,
		model.Unknown: 3, model.Fail: 4}
	worst, why, seen := model.Skip, "", false
	for _, id := range ids {
		for _, ch := range m.c.checksFor(id) {
			if ch.Bucket != bucket {
				continue
			}
			seen = true
			if rank[ch.Status] > rank[worst] {
				worst, why = ch.Status, model.CleanLine(ch.Summary)
			}
		}
	}
	if !seen {
		return model.Unknown, "no check ran"
	}
	if worst == model.Pass {
		why = ""
	}
	return worst, why
}

// doneWord says what a step status means for the admin.
func doneWord(s model.Status) string {
	switch s {
	case model.Pass:
		return "already done"
	case model.Fail:
		return "not yet"
	case model.Warn:
		return "done, with a warning"
	case model.Skip:
		return "not needed"
	}
	return "could not tell"
}

// commandsText lists the step's commands and documents, or step 5's values.
func (m wizardModel) commandsText() string {
	st := m.c.styles
	cmds := m.commands()
	if len(cmds) == 0 {
		return st.subtle.Render("Fill in the settings (press 1) to see the exact commands.")
	}
	w := max(m.c.bodyW-2, 20)
	var parts []string
	for _, cmd := range cmds {
		parts = append(parts, st.bold.Render(wrap(model.CleanLine(cmd.Title), w)))
		if cmd.CLI != "" {
			parts = append(parts, st.code.Render(shellLines(model.Clean(cmd.CLI, true), w)))
		}
		if cmd.Document != "" {
			if label := docLabel(cmd); label != "" {
				parts = append(parts, st.subtle.Render("  "+label+":"))
			}
			parts = append(parts, indent(model.Clean(cmd.Document, true), w))
		}
	}
	return strings.Join(parts, "\n")
}

// docLabel says what a command's document is: the file it reads, or the statement to add.
func docLabel(cmd model.Command) string {
	file := model.CleanLine(cmd.File)
	switch {
	case cmd.CLI == "":
		return ""
	case strings.Contains(cmd.CLI, "> "):
		if file == "" {
			return "the statement to add"
		}
		return "the statement to add to " + file
	case file != "":
		return file
	}
	return "document"
}

// goTo shows step (0–4) from its top.
func (m wizardModel) goTo(step int) wizardModel {
	if step < 0 || step >= len(wizardSteps) || m.confirm.open {
		return m
	}
	m.step = step
	m.body.GotoTop()
	return m.resize()
}
