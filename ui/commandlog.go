package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// CallSource gives the AWS calls made so far, oldest first; *awsops.CallLog is one.
type CallSource interface {
	Calls() []awsops.Call
}

// logModel is the command log screen: every AWS call the console made, newest first.
type logModel struct {
	c     *common
	src   CallSource
	calls []awsops.Call
	// cursor indexes calls in newest-first order; offset is the first visible row.
	cursor, offset int
}

func newLogModel(c *common, src CallSource) logModel {
	return logModel{c: c, src: src}
}

// reload takes a fresh copy of the log, keeping the selection on the same call.
func (m logModel) reload() logModel {
	if m.src == nil {
		return m
	}
	grown := 0
	calls := m.src.Calls()
	if len(m.calls) > 0 {
		grown = len(calls) - len(m.calls)
	}
	m.calls = calls
	if m.cursor > 0 {
		m.cursor += max(grown, 0)
	}
	m.cursor = min(m.cursor, max(len(m.calls)-1, 0))
	return m.scroll()
}

// at returns the call at newest-first position i.
func (m logModel) at(i int) awsops.Call {
	return m.calls[len(m.calls)-1-i]
}

func (m logModel) keys() []key.Binding {
	k := m.c.keys
	copyKey := key.NewBinding(key.WithKeys("c", "enter"), key.WithHelp("c/enter", "copy CLI"))
	return []key.Binding{k.Up, k.Down, copyKey}
}

func (m logModel) update(msg tea.Msg) (logModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || len(m.calls) == 0 {
		return m, nil
	}
	k := m.c.keys
	switch {
	case key.Matches(km, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(km, k.Down):
		m.cursor = min(m.cursor+1, len(m.calls)-1)
	case key.Matches(km, k.PageUp):
		m.cursor = max(m.cursor-m.rows(), 0)
	case key.Matches(km, k.PageDown):
		m.cursor = min(m.cursor+m.rows(), len(m.calls)-1)
	case key.Matches(km, k.Copy, k.Enter):
		return m, m.c.clip.copyCmd("the AWS CLI command", m.selectedCLI())
	}
	return m.scroll(), nil
}

// rows is how many calls fit above the CLI pane.
func (m logModel) rows() int {
	return max(m.c.bodyH-6, 1)
}

// scroll keeps the cursor on screen.
func (m logModel) scroll() logModel {
	n := m.rows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+n {
		m.offset = m.cursor - n + 1
	}
	return m
}

func (m logModel) selectedCLI() string {
	c := m.at(m.cursor)
	return cliEquivalent(c, m.c.settings.EffectiveRegion(), m.c.settings.EndpointURL)
}

func (m logModel) view() string {
	st := m.c.styles
	if len(m.calls) == 0 {
		return st.subtle.Render("No AWS calls yet. They appear here as the console makes them.")
	}
	var b strings.Builder
	b.WriteString(st.bold.Render(fmt.Sprintf("%d AWS calls, newest first", len(m.calls))) + "\n")
	callW, targetW := m.columns()
	b.WriteString(st.subtle.Render("  time      "+padRight("call", callW+1)+
		padRight("target", targetW+1)+"result") + "\n")
	end := min(m.offset+m.rows(), len(m.calls))
	for i := m.offset; i < end; i++ {
		// The marker shows the selection where reverse video does not (NO_COLOR).
		line := truncate("  "+m.row(m.at(i)), m.c.bodyW)
		if i == m.cursor {
			line = st.selected.Render(padRight(truncate("› "+m.row(m.at(i)), m.c.bodyW),
				m.c.bodyW))
		}
		b.WriteString(line + "\n")
	}
	for i := end - m.offset; i < m.rows()+1; i++ {
		b.WriteString("\n")
	}
	b.WriteString(st.subtle.Render("AWS CLI equivalent (c to copy):") + "\n")
	b.WriteString(st.code.Render(fitHeight(shellLines(m.selectedCLI(), m.c.bodyW),
		m.c.bodyW, 2)))
	return b.String()
}

// columns returns the widths of the call (service and operation) and target columns for
// the screen width; time, result and duration take the rest.
func (m logModel) columns() (callW, targetW int) {
	callW = 26
	if m.c.bodyW >= 110 {
		callW = 36
	}
	targetW = max(m.c.bodyW-12-(callW+1)-24, 12)
	return callW, targetW
}

// row renders one call on one line.
func (m logModel) row(c awsops.Call) string {
	result := model.CleanLine(c.Result)
	if result == "OK" {
		result = "✓ OK"
	} else {
		result = "✗ " + result
	}
	callW, targetW := m.columns()
	call := model.CleanLine(serviceOf(c) + " " + c.Operation)
	return c.Time.Format("15:04:05") + "  " +
		padRight(truncate(call, callW), callW+1) +
		padRight(truncate(model.CleanLine(c.Target), targetW), targetW+1) +
		result + " " + millis(c.Duration)
}

// millis shows a call's duration in whole milliseconds, the precision that matters here.
func millis(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}
