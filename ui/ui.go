package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"slateo-s3/model"
	"slateo-s3/ui/redact"
)

// DefaultRefresh is how often the checklist re-reads AWS when Options.Refresh is zero.
const DefaultRefresh = 30 * time.Second

// inspectTimeout bounds one whole inspection; each single call has its own shorter timeout.
const inspectTimeout = 90 * time.Second

// Options configure the console.
type Options struct {
	// Settings are the starting settings (flags, environment, saved config file).
	Settings model.Settings
	// Connect builds the AWS access for the settings; it runs again when the user changes
	// the profile, region or endpoint. Required.
	Connect Connector
	// Log is the call log the backend records into (an *awsops.CallLog); the command log
	// screen shows it.
	Log CallSource
	// SaveSettings stores the settings the user saved in the form; nil disables saving.
	SaveSettings func(model.Settings) error
	// Refresh is the auto-refresh interval of the checklist; 0 means DefaultRefresh, a
	// negative value turns auto-refresh off.
	Refresh time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Clipboard receives the OSC 52 sequences that copy text; nil disables copying.
	Clipboard io.Writer
	// Multiplexer is "tmux" or "screen" when the console runs inside one.
	Multiplexer string
	// WritesAllowed says whether the console may change AWS (the wizard's apply action,
	// always after a confirmation); the header shows it.
	WritesAllowed bool
	// BackupDir is where documents are backed up before a write.
	BackupDir string
	// Sandbox marks a session against the embedded sandbox in the header.
	Sandbox bool
	// NoColor renders without colour (NO_COLOR); statuses keep their glyphs and words.
	NoColor bool
	// Context bounds all the console's AWS work; nil means context.Background.
	Context context.Context
	// Redact starts the console with account ids, access keys, addresses, user and session
	// names and emails masked on every screen; the R key toggles it.
	Redact bool
	// SaveReport writes the support report (as `slateo-s3 report` does) for the settings
	// and returns the file's path; the S key calls it. nil disables the key.
	SaveReport func(ctx context.Context, s model.Settings) (string, error)
}

// screen names one of the console's screens.
type screen int

// The screens in tab-bar order; the number keys 1–5 jump to them.
const (
	settingsScreen screen = iota
	wizardScreen
	checklistScreen
	runbookScreen
	logScreen
	screenCount
)

var screenNames = [screenCount]string{"Settings", "Setup", "Checks", "Troubleshoot", "Log"}

// Model is the root of the console. Create it with New and run it with tea.NewProgram.
type Model struct {
	c      *common
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc

	active screen
	// prev is the screen before the active one, where esc on the log goes back to.
	prev     screen
	settings settingsModel
	wizard   wizardModel
	checks   checklistModel
	runbooks runbookModel
	log      logModel
	// extra are the registered screens (RegisterScreen), after the built-in ones.
	extra []Screen

	help     help.Model
	spinner  spinner.Model
	fullHelp bool

	// gen numbers inspections so that a result for old settings is dropped;
	// stopInspect cancels the running one.
	gen         int
	stopInspect context.CancelFunc
	refreshing  bool
	paused      bool
	refreshedAt time.Time
	notice      string
	quitting    bool
	// tickEvery is the clock's period; tests that drive the model by hand turn it off.
	tickEvery time.Duration
	// redacting masks every screen with redactor (support.go).
	redacting bool
	redactor  *redact.Redactor
}

// Messages the console sends itself. None leaves the package.
type (
	inspectedMsg struct {
		gen     int
		backend Backend
		state   model.State
		checks  []model.Check
		missing []string
		err     error
	}
	clockMsg         time.Time
	switchScreenMsg  screen
	refreshMsg       struct{}
	noticeMsg        string
	settingsSavedMsg model.Settings
	// gotoStepMsg opens the setup wizard on a step (0–4).
	gotoStepMsg int
)

// New builds the console. It starts on the settings form when the settings are not yet
// valid, and on the checklist otherwise.
func New(o Options) Model {
	o = o.withDefaults()
	ctx, cancel := context.WithCancel(o.Context)
	c := newCommon(ctx, o)
	m := Model{
		c: c, opts: o, ctx: ctx, cancel: cancel,
		settings:  newSettingsModel(c),
		wizard:    newWizardModel(c),
		checks:    newChecklistModel(c),
		runbooks:  newRunbookModel(c),
		log:       newLogModel(c, o.Log),
		help:      newHelp(o.NoColor),
		spinner:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		tickEvery: time.Second,
	}
	m.extra = makeExtras(c)
	c.keys.Screens = screenKeys(int(screenCount) + len(m.extra))
	if o.Redact {
		m.redacting, m.redactor = true, newRedactor(o.Settings)
	}
	m.active = checklistScreen
	if len(validate(o.Settings)) > 0 {
		m.active = settingsScreen
	}
	m.layout()
	return m
}

// withDefaults fills in the clock, the refresh interval and the context.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Refresh == 0 {
		o.Refresh = DefaultRefresh
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	return o
}

// newCommon builds what every screen shares from the options.
func newCommon(ctx context.Context, o Options) *common {
	return &common{
		width: 80, height: 24,
		styles:    newStyles(o.NoColor),
		keys:      newKeyMap(),
		now:       o.Now,
		settings:  o.Settings,
		save:      o.SaveSettings,
		clip:      clipboard{out: o.Clipboard, mux: o.Multiplexer},
		writes:    o.WritesAllowed,
		backupDir: o.BackupDir,
		ctx:       ctx,
	}
}

// newHelp builds the help bubble; without colour its styles are plain.
func newHelp(noColor bool) help.Model {
	h := help.New()
	if noColor {
		plain := lipgloss.NewStyle()
		h.Styles = help.Styles{Ellipsis: plain, ShortKey: plain, ShortDesc: plain,
			ShortSeparator: plain, FullKey: plain, FullDesc: plain, FullSeparator: plain}
	}
	return h
}

// Init starts the clock and, when the settings are usable, the first inspection.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick()}
	if len(validate(m.c.settings)) == 0 {
		cmds = append(cmds, func() tea.Msg { return refreshMsg{} })
	}
	return tea.Batch(cmds...)
}

// tick schedules the next clock message, which updates "refreshed 3s ago" and starts the
// auto-refresh when due.
func (m Model) tick() tea.Cmd {
	if m.tickEvery <= 0 {
		return nil
	}
	return tea.Tick(m.tickEvery, func(t time.Time) tea.Msg { return clockMsg(t) })
}

// Update routes messages: the root handles sizes, global keys, the clock and inspection
// results, and hands the rest to the screens.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case clockMsg:
		return m.onClock()
	case refreshMsg:
		return m.startRefresh()
	case inspectedMsg:
		return m.onInspected(msg)
	case switchScreenMsg:
		return m.switchTo(screen(msg))
	case noticeMsg:
		m.notice = string(msg)
		return m, nil
	case settingsSavedMsg:
		return m.onSettingsSaved(model.Settings(msg))
	case gotoStepMsg:
		m.wizard = m.wizard.goTo(int(msg))
		return m.switchTo(wizardScreen)
	case spinner.TickMsg:
		if !m.refreshing {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	}
	return m.forward(msg)
}

// forward gives a message that the root does not handle to every screen; each screen
// ignores what is not its own.
func (m Model) forward(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := make([]tea.Cmd, 5+len(m.extra))
	m.settings, cmds[0] = m.settings.update(msg)
	m.wizard, cmds[1] = m.wizard.update(msg)
	m.checks, cmds[2] = m.checks.update(msg)
	m.runbooks, cmds[3] = m.runbooks.update(msg)
	m.log, cmds[4] = m.log.update(msg)
	m.extra = append([]Screen(nil), m.extra...)
	for i, x := range m.extra {
		m.extra[i], cmds[5+i] = x.Update(msg)
	}
	return m, tea.Batch(cmds...)
}

func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.c.keys
	if key.Matches(msg, k.ForceQ) {
		return m.quit()
	}
	if m.active == settingsScreen {
		// The form takes every printable key, so global letter keys do not apply there.
		return m.updateActive(msg)
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		return m.splitKeys(msg.Runes)
	}
	m.notice = ""
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.fullHelp = !m.fullHelp
		m.layout()
		return m, nil
	case key.Matches(msg, k.Screens):
		return m.switchTo(screen(msg.String()[0] - '1'))
	case key.Matches(msg, k.Refresh):
		return m.startRefresh()
	case key.Matches(msg, k.Back) && m.active == logScreen:
		return m.switchTo(m.prev)
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
		return m, nil
	case key.Matches(msg, k.Redact):
		return m.toggleRedact()
	case key.Matches(msg, k.Report):
		return m.saveReport()
	}
	return m.updateActive(msg)
}

// splitKeys handles keys that arrived together (fast typing, tmux send-keys) one by one.
func (m Model) splitKeys(runes []rune) (tea.Model, tea.Cmd) {
	var cur tea.Model = m
	cmds := make([]tea.Cmd, 0, len(runes))
	for _, r := range runes {
		var cmd tea.Cmd
		cur, cmd = cur.(Model).handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
	}
	return cur, tea.Batch(cmds...)
}

func (m Model) updateActive(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.active {
	case settingsScreen:
		m.settings, cmd = m.settings.update(msg)
	case wizardScreen:
		m.wizard, cmd = m.wizard.update(msg)
	case checklistScreen:
		m.checks, cmd = m.checks.update(msg)
	case runbookScreen:
		m.runbooks, cmd = m.runbooks.update(msg)
	case logScreen:
		m.log, cmd = m.log.update(msg)
	default:
		i := int(m.active - screenCount)
		m.extra = append([]Screen(nil), m.extra...)
		m.extra[i], cmd = m.extra[i].Update(msg)
	}
	return m, cmd
}

func (m Model) quit() (tea.Model, tea.Cmd) {
	m.cancel()
	m.quitting = true
	return m, tea.Quit
}

// switchTo changes screen; leaving the troubleshooting screen cancels its probes.
func (m Model) switchTo(s screen) (tea.Model, tea.Cmd) {
	if s < 0 || int(s) >= int(screenCount)+len(m.extra) || s == m.active {
		return m, nil
	}
	switch {
	case m.active == runbookScreen:
		m.runbooks = m.runbooks.stop()
	case m.active >= screenCount:
		i := int(m.active - screenCount)
		m.extra = append([]Screen(nil), m.extra...)
		m.extra[i] = m.extra[i].Leave()
	}
	m.prev, m.active = m.active, s
	var cmd tea.Cmd
	switch s {
	case settingsScreen:
		m.settings, cmd = m.settings.enter()
	case logScreen:
		m.log = m.log.reload()
	}
	return m, cmd
}

func (m Model) onClock() (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{m.tick()}
	if m.active == logScreen {
		m.log = m.log.reload()
	}
	// A refresh that could not connect is retried on the same schedule as a good one.
	ran := m.c.hasState || m.c.inspectErr != nil
	due := ran && m.opts.Refresh > 0 && m.c.now().Sub(m.refreshedAt) >= m.opts.Refresh
	if due && !m.paused && !m.refreshing {
		next, cmd := m.startRefresh()
		return next, tea.Batch(append(cmds, cmd)...)
	}
	return m, tea.Batch(cmds...)
}

// startRefresh runs one inspection in the background, unless one is running or the
// settings cannot be used yet.
func (m Model) startRefresh() (tea.Model, tea.Cmd) {
	if m.refreshing || m.opts.Connect == nil || len(validate(m.c.settings)) > 0 {
		return m, nil
	}
	m.gen++
	m.refreshing = true
	ctx, cancel := context.WithCancel(m.ctx)
	m.stopInspect = cancel
	return m, tea.Batch(
		inspectCmd(ctx, m.c.backend, m.opts.Connect, m.c.settings, m.gen),
		m.spinner.Tick)
}

func (m Model) onInspected(msg inspectedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if m.stopInspect != nil {
		m.stopInspect()
		m.stopInspect = nil
	}
	m.refreshing = false
	m.refreshedAt = m.c.now()
	m.c.inspectErr = msg.err
	if msg.err != nil {
		return m.forward(msg)
	}
	m.c.backend = msg.backend
	m.c.state, m.c.checks, m.c.hasState = msg.state, msg.checks, true
	m.c.summary = model.Summarize(msg.checks)
	m.c.missing = msg.missing
	return m.forward(msg)
}

func (m Model) onSettingsSaved(s model.Settings) (tea.Model, tea.Cmd) {
	old := m.c.settings
	if s.Profile != old.Profile || s.EffectiveRegion() != old.EffectiveRegion() ||
		s.EndpointURL != old.EndpointURL {
		m.c.backend = nil
	}
	if m.stopInspect != nil {
		m.stopInspect()
		m.stopInspect = nil
	}
	m.c.settings = s
	m.c.state, m.c.checks, m.c.hasState = model.State{}, nil, false
	m.c.missing, m.c.summary = nil, model.Summary{}
	m.refreshing = false
	m.gen++
	next, cmd := m.startRefresh()
	nm := next.(Model)
	nm.forwardReset()
	after, sw := nm.switchTo(wizardScreen)
	return after, tea.Batch(cmd, sw)
}

// forwardReset tells the screens that the settings changed, so old results go.
func (m *Model) forwardReset() {
	m.wizard = newWizardModel(m.c)
	m.checks = newChecklistModel(m.c)
	m.runbooks = m.runbooks.stop()
	m.runbooks = newRunbookModel(m.c)
	for _, x := range m.extra {
		x.Leave()
	}
	m.extra = makeExtras(m.c)
	m.layout()
}

// inspectCmd connects when needed, reads AWS and computes the checks, off the UI
// goroutine; it hands the backend back so the next refresh reuses it.
func inspectCmd(parent context.Context, b Backend, connect Connector, s model.Settings,
	gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, inspectTimeout)
		defer cancel()
		if b == nil {
			var err error
			if b, err = connect(ctx, s); err != nil {
				return inspectedMsg{gen: gen, err: fmt.Errorf("connecting to AWS: %w", err)}
			}
		}
		st := b.Inspect(ctx, s)
		return inspectedMsg{gen: gen, backend: b, state: st, checks: checklist(st),
			missing: missingActions(st)}
	}
}

// layout recomputes the body size after a resize or a help toggle.
func (m *Model) layout() {
	m.help.Width = m.c.width
	m.help.ShowAll = m.fullHelp
	fixed := headerHeight + 1 + 1 + lipgloss.Height(m.helpView())
	m.c.bodyW, m.c.bodyH = m.c.width, max(m.c.height-fixed, 3)
	m.wizard = m.wizard.resize()
	m.checks = m.checks.resize()
	m.runbooks = m.runbooks.resize()
}

// View draws the header, the tab bar, the active screen, the status line and the help.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	body := m.activeView()
	parts := []string{
		m.headerView(),
		m.tabsView(),
		fitHeight(body, m.c.bodyW, m.c.bodyH),
		m.statusView(),
		m.helpView(),
	}
	return m.redactView(strings.Join(parts, "\n"))
}

func (m Model) activeView() string {
	switch m.active {
	case settingsScreen:
		return m.settings.view()
	case wizardScreen:
		return m.wizard.view()
	case checklistScreen:
		return m.checks.view()
	case runbookScreen:
		return m.runbooks.view()
	case logScreen:
		return m.log.view()
	}
	return m.extra[m.active-screenCount].View()
}

func (m Model) helpView() string {
	global := []key.Binding{m.c.keys.Screens, m.c.keys.Report, m.c.keys.Help, m.c.keys.Quit}
	var own []key.Binding
	switch m.active {
	case settingsScreen:
		own, global = m.settings.keys(), []key.Binding{m.c.keys.ForceQ}
	case wizardScreen:
		own = m.wizard.keys()
	case checklistScreen:
		own = m.checks.keys()
	case runbookScreen:
		own = m.runbooks.keys()
	case logScreen:
		own = m.log.keys()
	default:
		own = m.extra[m.active-screenCount].Keys()
	}
	if m.fullHelp {
		global = append([]key.Binding{m.c.keys.Refresh, m.c.keys.Pause, m.c.keys.ForceQ},
			global...)
	}
	own, global = m.withRedactKey(own, global)
	h := m.help
	h.ShowAll = m.fullHelp
	lines := strings.Split(h.View(screenHelp{own: own, global: global}), "\n")
	for i, l := range lines {
		lines[i] = truncate(l, m.c.width)
	}
	return strings.Join(lines, "\n")
}

// makeExtras builds one instance of every registered screen.
func makeExtras(c *common) []Screen {
	out := make([]Screen, len(extraScreens))
	for i, f := range extraScreens {
		out[i] = f.make(Env{c: c})
	}
	return out
}

// screenKeys binds the number keys of n screens (at most 9).
func screenKeys(n int) key.Binding {
	n = min(n, 9)
	keys := make([]string, n)
	for i := range keys {
		keys[i] = string(rune('1' + i))
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(fmt.Sprintf("1-%d", n), "screens"))
}

// screenTitle names screen s for the tab bar.
func (m Model) screenTitle(s screen) string {
	if s < screenCount {
		return screenNames[s]
	}
	return extraScreens[s-screenCount].title
}
