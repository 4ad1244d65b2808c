package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/model"
)

// formField is one input of the settings form.
type formField struct {
	name  string // model.Field* name, as Validate reports it
	label string
	hint  string
	get   func(model.Settings) string
	set   func(*model.Settings, string)
}

var formFields = []formField{
	{model.FieldOrg, "Org slug", "the subdomain of your Slateo URL: acme for acme.slateo.ai",
		func(s model.Settings) string { return s.OrgSlug },
		func(s *model.Settings, v string) { s.OrgSlug = v }},
	{model.FieldCompany, "Company", "prefix of the bucket names: {company}-slateo-uploads",
		func(s model.Settings) string { return s.Company },
		func(s *model.Settings, v string) { s.Company = v }},
	{model.FieldUploadsBucket, "Uploads bucket", "leave empty to use {company}-slateo-uploads",
		func(s model.Settings) string { return s.UploadsBucket },
		func(s *model.Settings, v string) { s.UploadsBucket = v }},
	{model.FieldCacheBucket, "Cache bucket", "leave empty to use {company}-slateo-cache",
		func(s model.Settings) string { return s.CacheBucket },
		func(s *model.Settings, v string) { s.CacheBucket = v }},
	{model.FieldRegion, "Region", "where the buckets live; empty means us-west-2",
		func(s model.Settings) string { return s.Region },
		func(s *model.Settings, v string) { s.Region = v }},
	{model.FieldKMSKey, "KMS key", "optional: key id, key ARN or alias/NAME for SSE-KMS",
		func(s model.Settings) string { return s.KMSKey },
		func(s *model.Settings, v string) { s.KMSKey = v }},
	{model.FieldOrgID, "Org id", "optional: Slateo's id of your org, the first key prefix",
		func(s model.Settings) string { return s.OrgID },
		func(s *model.Settings, v string) { s.OrgID = v }},
	{"profile", "AWS profile", "optional: a profile of ~/.aws/config; empty uses the default",
		func(s model.Settings) string { return s.Profile },
		func(s *model.Settings, v string) { s.Profile = v }},
}

// settingsModel is the settings form, validated as the user types.
type settingsModel struct {
	c       *common
	inputs  []textinput.Model
	focus   int
	touched []bool
	// saveErr is why the last save failed, shown under the form.
	saveErr string
	// discarding is set by esc with unsaved edits: a second esc throws them away, any
	// other key keeps editing.
	discarding bool
}

func newSettingsModel(c *common) settingsModel {
	m := settingsModel{c: c, inputs: make([]textinput.Model, len(formFields)),
		touched: make([]bool, len(formFields))}
	for i := range formFields {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = 200
		in.Width = 40
		// A steady cursor keeps the screen still, which matters when it is shared.
		in.Cursor.SetMode(cursor.CursorStatic)
		in.PlaceholderStyle = c.styles.subtle
		m.inputs[i] = in
	}
	m.load(c.settings)
	return m
}

// load fills the inputs from settings and focuses the first field.
func (m *settingsModel) load(s model.Settings) {
	for i, f := range formFields {
		m.inputs[i].SetValue(f.get(s))
		m.inputs[i].Blur()
		m.touched[i] = false
	}
	m.focus = 0
	m.inputs[0].Focus()
	m.saveErr = ""
	m.discarding = false
	*m = m.placeholders()
}

// enter is called when the user opens the form: it shows the current settings.
func (m settingsModel) enter() (settingsModel, tea.Cmd) {
	m.load(m.c.settings)
	return m, nil
}

// value returns the settings as typed, on top of what the form does not show.
func (m settingsModel) value() model.Settings {
	s := m.c.settings
	for i, f := range formFields {
		f.set(&s, strings.TrimSpace(m.inputs[i].Value()))
	}
	return s
}

// problems maps each field to the rule it breaks.
func (m settingsModel) problems() map[string]string {
	out := map[string]string{}
	for _, fe := range m.value().Validate() {
		if _, seen := out[fe.Field]; !seen {
			out[fe.Field] = fe.Rule
		}
	}
	return out
}

func (m settingsModel) keys() []key.Binding {
	k := m.c.keys
	return []key.Binding{k.FieldDn, k.FieldUp, k.Save, k.Back}
}

func (m settingsModel) update(msg tea.Msg) (settingsModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
		return m, cmd
	}
	k := m.c.keys
	if !key.Matches(km, k.Back) {
		m.discarding = false
	}
	switch {
	case key.Matches(km, k.Save):
		return m.save()
	case km.Type == tea.KeyEnter && m.focus == len(m.inputs)-1:
		return m.save()
	case key.Matches(km, k.FieldDn):
		return m.move(1)
	case key.Matches(km, k.FieldUp):
		return m.move(-1)
	case key.Matches(km, k.Back):
		return m.leave()
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(km)
	m.touched[m.focus] = true
	return m.placeholders(), cmd
}

// placeholders show, in empty fields, the value that applies when the field stays empty.
func (m settingsModel) placeholders() settingsModel {
	s := m.value()
	for i, f := range formFields {
		switch f.name {
		case model.FieldUploadsBucket:
			m.inputs[i].Placeholder = derivedName(s.Company, "-slateo-uploads")
		case model.FieldCacheBucket:
			m.inputs[i].Placeholder = derivedName(s.Company, "-slateo-cache")
		case model.FieldRegion:
			m.inputs[i].Placeholder = model.DefaultRegion + " (default)"
		}
	}
	return m
}

// derivedName is the bucket name derived from a company, or nothing without a company.
func derivedName(company, suffix string) string {
	if company == "" {
		return ""
	}
	return company + suffix + " (from company)"
}

func (m settingsModel) move(delta int) (settingsModel, tea.Cmd) {
	m.touched[m.focus] = true
	m.inputs[m.focus].Blur()
	m.focus = (m.focus + delta + len(m.inputs)) % len(m.inputs)
	return m, m.inputs[m.focus].Focus()
}

// leave goes back to the checklist, when there are settings to use. With unsaved edits
// the first esc only asks; the second drops them and says so.
func (m settingsModel) leave() (settingsModel, tea.Cmd) {
	if len(m.c.settings.Validate()) > 0 {
		m.saveErr = "the saved settings are incomplete: fill in the form and press ctrl+s"
		return m, nil
	}
	edited := m.value() != m.c.settings
	if edited && !m.discarding {
		m.discarding = true
		return m, nil
	}
	m.load(m.c.settings)
	back := func() tea.Msg { return switchScreenMsg(checklistScreen) }
	if !edited {
		return m, back
	}
	return m, tea.Sequence(back, Notice("unsaved changes discarded"))
}

// save validates the whole form; when valid it stores the settings and tells the root.
func (m settingsModel) save() (settingsModel, tea.Cmd) {
	for i := range m.touched {
		m.touched[i] = true
	}
	if n := len(m.problems()); n > 0 {
		m.saveErr = fmt.Sprintf("not saved: %d field(s) need fixing", n)
		return m, nil
	}
	s := m.value()
	m.saveErr = ""
	save := m.c.save
	// The file is written in a command, like every other I/O, never in the update loop.
	return m, tea.Sequence(
		func() tea.Msg { return settingsSavedMsg(s) },
		func() tea.Msg {
			if save == nil {
				return noticeMsg("settings in use for this session; not saved to a file")
			}
			if err := save(s); err != nil {
				return noticeMsg("settings in use but not saved: " + model.CleanLine(err.Error()))
			}
			return noticeMsg("settings saved")
		},
	)
}

func (m settingsModel) view() string {
	st := m.c.styles
	problems := m.problems()
	var b strings.Builder
	b.WriteString(st.bold.Render("Who and where: Slateo org, bucket names, region") + "\n\n")
	for i, f := range formFields {
		label := padRight(f.label, 16)
		marker := "  "
		if i == m.focus {
			label, marker = st.focused.Render(label), st.focused.Render("> ")
		}
		b.WriteString(marker + label + m.inputs[i].View() + "\n")
		if rule, bad := problems[f.name]; bad && m.touched[i] {
			text := indent("✗ "+model.CleanLine(rule), max(m.c.bodyW-2, 20))
			b.WriteString(st.errorText.Render("  "+strings.ReplaceAll(text, "\n", "\n  ")) +
				"\n")
		}
	}
	b.WriteString("\n" + st.subtle.Render(formFields[m.focus].hint) + "\n")
	b.WriteString(m.derivedView())
	if m.saveErr != "" {
		b.WriteString("\n" + st.errorText.Render(m.saveErr))
	}
	if m.discarding {
		b.WriteString("\n" + st.status[model.Warn].Render(wrap("! unsaved changes: "+
			"press esc again to discard them, ctrl+s to save", max(m.c.bodyW, 20))))
	}
	return b.String()
}

// derivedView shows what the form's values mean: the buckets and the role Slateo uses.
func (m settingsModel) derivedView() string {
	s := m.value()
	st := m.c.styles
	buckets := model.CleanLine(s.UploadsBucketName()) + ", " +
		model.CleanLine(s.CacheBucketName())
	if s.UploadsBucketName() == "" || s.CacheBucketName() == "" {
		buckets = "(a company, or both bucket names, gives the buckets)"
	}
	lines := []string{
		st.subtle.Render("buckets  ") + buckets,
		st.subtle.Render("org role ") + model.CleanLine(s.RoleARN()),
	}
	return strings.Join(lines, "\n")
}
