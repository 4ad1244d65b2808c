package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/awsops"
	"slateo-s3/diagnostics"
	"slateo-s3/model"
)

// probeTimeout bounds one CORS preflight probe.
const probeTimeout = 15 * time.Second

// The probes of diagnostics' runbook steps that the console runs or points to.
const (
	probeCORS       = diagnostics.ProbeCORSPreflight
	probeCloudTrail = diagnostics.ProbeCloudTrail
)

// probeResult is the outcome of one preflight probe.
type probeResult struct {
	origin, method string
	pre            awsops.Preflight
	err            error
}

// probeMsg carries one probe's outcome back, tagged with the run that asked for it.
type probeMsg struct {
	run    int
	result probeResult
}

// runbookModel runs the troubleshooting runbooks: each step shows its live outcome and
// the evidence behind it.
type runbookModel struct {
	c        *common
	books    []diagnostics.Runbook
	cursor   int
	run      int
	running  bool
	waiting  bool // waiting for the inspection the run asked for
	probes   []probeResult
	expected int
	// ranAt is when the last run finished; zero before the first.
	ranAt  time.Time
	cancel context.CancelFunc
	body   viewport.Model
}

func newRunbookModel(c *common) runbookModel {
	m := runbookModel{c: c, books: diagnostics.Runbooks(), body: viewport.New(c.bodyW, 1)}
	return m.resize()
}

// listHeight is the lines the runbook list takes, with its title.
func (m runbookModel) listHeight() int {
	return len(m.books) + 2
}

func (m runbookModel) resize() runbookModel {
	m.body.Width = m.c.bodyW
	m.body.Height = max(m.c.bodyH-m.listHeight(), 1)
	m.body.SetContent(m.stepsText())
	return m
}

// stop cancels the running probes; their late answers are dropped by run number.
func (m runbookModel) stop() runbookModel {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.running, m.waiting = false, false
	m.run++
	return m.resize()
}

func (m runbookModel) keys() []key.Binding {
	k := m.c.keys
	run := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run runbook"))
	scroll := key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgup/pgdn", "scroll steps"))
	copyKey := key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy summary for support"))
	return []key.Binding{k.Up, k.Down, run, copyKey, scroll, k.Back}
}

func (m runbookModel) update(msg tea.Msg) (runbookModel, tea.Cmd) {
	switch msg := msg.(type) {
	case inspectedMsg:
		if !m.waiting {
			return m.resize(), nil
		}
		m.waiting = false
		m, cmd := m.launchProbes()
		return m.settle(), cmd
	case probeMsg:
		if msg.run != m.run {
			return m, nil
		}
		m.probes = append(m.probes, msg.result)
		sort.Slice(m.probes, func(i, j int) bool {
			a, b := m.probes[i], m.probes[j]
			return a.origin+" "+a.method < b.origin+" "+b.method
		})
		return m.settle(), nil
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m, nil
}

// settle ends the run when the inspection and every probe have answered.
func (m runbookModel) settle() runbookModel {
	if m.running && !m.waiting && len(m.probes) >= m.expected {
		m.running = false
		m.ranAt = m.c.now()
		if m.cancel != nil {
			m.cancel()
			m.cancel = nil
		}
	}
	return m.resize()
}

func (m runbookModel) onKey(msg tea.KeyMsg) (runbookModel, tea.Cmd) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Up):
		return m.pick(m.cursor - 1), nil
	case key.Matches(msg, k.Down):
		return m.pick(m.cursor + 1), nil
	case key.Matches(msg, k.Enter):
		return m.start()
	case key.Matches(msg, k.Back):
		return m.stop(), nil
	case key.Matches(msg, k.Copy):
		return m, m.c.clip.copyCmd("the support summary", supportSummary(m.c))
	}
	var cmd tea.Cmd
	m.body, cmd = m.body.Update(msg)
	return m, cmd
}

// pick selects another runbook; its steps show the last known outcomes until it is run.
func (m runbookModel) pick(i int) runbookModel {
	if i < 0 || i >= len(m.books) || i == m.cursor {
		return m
	}
	m = m.stop()
	m.cursor = i
	m.probes, m.ranAt = nil, time.Time{}
	m.body.GotoTop()
	return m.resize()
}

// start runs the selected runbook: a fresh inspection for the linked checks, and the probes
// its steps name.
func (m runbookModel) start() (runbookModel, tea.Cmd) {
	if len(m.books) == 0 || len(validate(m.c.settings)) > 0 {
		return m, func() tea.Msg { return noticeMsg("fill in the settings first (press 1)") }
	}
	m = m.stop()
	m.running, m.waiting, m.probes, m.expected = true, true, nil, 0
	return m.resize(), func() tea.Msg { return refreshMsg{} }
}

// launchProbes sends the run's probes once its inspection has finished, so that they go
// to the bucket's region as just read.
func (m runbookModel) launchProbes() (runbookModel, tea.Cmd) {
	if !m.hasProbe(probeCORS) || m.c.backend == nil {
		return m, nil
	}
	ctx, cancel := context.WithCancel(m.c.ctx)
	m.cancel = cancel
	var cmds []tea.Cmd
	for _, origin := range m.origins() {
		for _, method := range []string{"GET", "HEAD"} {
			cmds = append(cmds, m.probeCmd(ctx, origin, method))
			m.expected++
		}
	}
	return m, tea.Batch(cmds...)
}

func (m runbookModel) hasProbe(name string) bool {
	if m.cursor >= len(m.books) {
		return false
	}
	for _, s := range m.books[m.cursor].Steps {
		if s.Probe == name {
			return true
		}
	}
	return false
}

// origins are the two browser origins Slateo's pages use for this org.
func (m runbookModel) origins() []string {
	return []string{model.OrgOrigin(m.c.settings.OrgSlug), "https://slateo.ai"}
}

// probeCmd sends one preflight to the cache bucket, in the bucket's own region when known.
func (m runbookModel) probeCmd(ctx context.Context, origin, method string) tea.Cmd {
	s := m.c.settings
	bucket := s.CacheBucketName()
	region := s.EffectiveRegion()
	for _, b := range m.c.state.Buckets {
		if b.Name == bucket && b.Region.IsPresent() && b.Region.Value != "" {
			region = b.Region.Value
		}
	}
	backend, run := m.c.backend, m.run
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		pre, err := backend.PreflightCORS(ctx, bucket, region, origin, method)
		return probeMsg{run: run, result: probeResult{origin, method, pre, err}}
	}
}

func (m runbookModel) view() string {
	st := m.c.styles
	var b strings.Builder
	b.WriteString(st.bold.Render("Runbooks — pick one and press enter to run it") + "\n")
	for i, book := range m.books {
		line := "  " + model.CleanLine(book.Title)
		if i == m.cursor {
			line = st.selected.Render("› " + model.CleanLine(book.Title))
		}
		b.WriteString(truncate(line, m.c.bodyW) + "\n")
	}
	b.WriteString(st.border.Render(strings.Repeat("─", max(m.c.bodyW, 1))) + "\n")
	b.WriteString(m.body.View())
	return b.String()
}

// stepsText renders the selected runbook's steps, each with its outcome and evidence.
func (m runbookModel) stepsText() string {
	if m.cursor >= len(m.books) {
		return ""
	}
	st := m.c.styles
	book := m.books[m.cursor]
	w := max(m.c.bodyW-4, 20)
	var parts []string
	switch {
	case m.running:
		parts = append(parts, st.subtle.Render("running…"))
	case !m.ranAt.IsZero():
		parts = append(parts, st.subtle.Render("ran "+ago(m.c.now(), m.ranAt)+
			" · press enter to run it again"))
	default:
		parts = append(parts, st.subtle.Render("not run yet: press enter to run it "+
			"(outcomes below are from the last refresh)"))
	}
	probeStep := 0
	for i, step := range book.Steps {
		status, evidence := m.stepOutcome(step, probeStep)
		if step.Probe == probeCORS && probeStep == 0 {
			probeStep = i + 1
		}
		head := fmt.Sprintf("%d. %s", i+1, model.CleanLine(step.Title))
		label := st.statusLabel(status)
		if len(step.Checks) == 0 && step.Probe == "" && step.Manual != "" {
			// Nothing to test: the person does this step, so it has no outcome here.
			label = st.subtle.Render(padRight("• by hand", 9))
		}
		parts = append(parts, label+" "+st.bold.Render(head))
		if step.Explain != "" {
			parts = append(parts, st.subtle.Render(indent(model.CleanLine(step.Explain), w)))
		}
		for _, e := range evidence {
			parts = append(parts, indent(e, w))
		}
	}
	return strings.Join(parts, "\n")
}

// stepOutcome decides a step's status from its linked checks and probes, and lists the
// evidence: each check's status and summary, each probe's answer, or what to do by hand.
// probeStep is the number of an earlier step that already listed the probe answers, or 0.
func (m runbookModel) stepOutcome(step diagnostics.Step, probeStep int) (model.Status,
	[]string) {
	var statuses []model.Status
	var evidence []string
	if m.c.hasState && !m.waiting {
		for _, id := range step.Checks {
			for _, ch := range m.c.checksFor(id) {
				statuses = append(statuses, ch.Status)
				evidence = append(evidence, fmt.Sprintf("%s %s %s: %s", glyphs[ch.Status],
					ch.Status, model.CleanLine(ch.ID)+" on "+m.c.bucketLabel(ch.Bucket),
					model.CleanLine(ch.Summary)))
			}
		}
	}
	if step.Probe == probeCORS {
		s, ev := m.probeOutcome()
		statuses = append(statuses, s...)
		if probeStep > 0 && len(m.probes) > 0 {
			ev = []string{fmt.Sprintf("the CORS preflights: see step %d", probeStep)}
		}
		evidence = append(evidence, ev...)
	}
	if step.Probe == probeCloudTrail {
		evidence = append(evidence, "the denied calls themselves: "+eventsHint())
	}
	if step.Manual != "" {
		evidence = append(evidence, "by hand: "+model.CleanLine(step.Manual))
	}
	return worst(statuses, m.running), evidence
}

// probeOutcome turns the preflight answers into statuses and evidence lines.
func (m runbookModel) probeOutcome() ([]model.Status, []string) {
	if len(m.probes) == 0 {
		if m.running {
			return nil, []string{"sending CORS preflights to the cache bucket…"}
		}
		return nil, []string{"press enter to send real CORS preflights to the cache bucket"}
	}
	var statuses []model.Status
	var lines []string
	for _, p := range m.probes {
		status, what := model.Pass, ""
		switch {
		case p.err != nil:
			status, what = model.Unknown, "could not send: "+model.CleanLine(p.err.Error())
		case p.pre.Allowed(p.origin):
			what = fmt.Sprintf("%d, allowed (Access-Control-Allow-Origin %s)", p.pre.Status,
				model.CleanLine(p.pre.AllowOrigin))
		default:
			status = model.Fail
			what = fmt.Sprintf("%d, refused: %s %s", p.pre.Status,
				model.CleanLine(p.pre.ErrorCode), model.CleanLine(p.pre.ErrorMessage))
		}
		statuses = append(statuses, status)
		lines = append(lines, fmt.Sprintf("%s %s preflight %s from %s → %s", glyphs[status],
			status, p.method, model.CleanLine(p.origin), what))
	}
	lines = append(lines, "a browser may still use a failed preflight it cached: "+
		"hard refresh (Cmd+Shift+R / Ctrl+Shift+R) or try an incognito window")
	return statuses, lines
}

// worst combines statuses: any fail fails, then unknown, then warn; no evidence is unknown.
func worst(statuses []model.Status, running bool) model.Status {
	if len(statuses) == 0 {
		if running {
			return model.Unknown
		}
		return model.Skip
	}
	rank := map[model.Status]int{model.Skip: 0, model.Pass: 1, model.Warn: 2,
		model.Unknown: 3, model.Fail: 4}
	w := model.Skip
	for _, s := range statuses {
		if rank[s] > rank[w] {
			w = s
		}
	}
	return w
}

// eventsHint says where to find the CloudTrail denials: the Events screen when one is
// registered, the events command otherwise.
func eventsHint() string {
	for i, f := range extraScreens {
		if f.title == "Events" {
			return fmt.Sprintf("press %d for the Events screen", int(screenCount)+i+1)
		}
	}
	return "run slateo-s3 events"
}

// supportSummary is what Slateo support asks for first: the org, the buckets and region,
// the account, and every problem the checks found, one line each.
func supportSummary(c *common) string {
	s := c.settings
	lines := []string{
		"Slateo org: " + s.OrgSlug,
		"Uploads bucket: " + s.UploadsBucketName(),
		"Cache bucket: " + s.CacheBucketName(),
		"Region: " + s.EffectiveRegion(),
	}
	if c.state.Caller.IsPresent() {
		lines = append(lines, "AWS account: "+c.state.Caller.Value.Account)
	}
	for _, ch := range c.checks {
		if isProblem(ch.Status) {
			lines = append(lines, fmt.Sprintf("%s %s %s (%s): %s", glyphs[ch.Status], ch.Status,
				ch.ID, c.bucketLabel(ch.Bucket), ch.Summary))
		}
	}
	return model.Clean(strings.Join(lines, "\n")+"\n", true)
}
