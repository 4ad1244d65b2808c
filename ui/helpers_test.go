package ui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func init() {
	// Goldens and assertions compare plain text.
	lipgloss.SetColorProfile(termenv.Ascii)
}

// drive feeds msgs to m and runs every command they return, synchronously and in order,
// the way the runtime would, but without the clock and spinner ticks.
func drive(t testing.TB, m tea.Model, msgs ...tea.Msg) tea.Model {
	t.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("the model never settled")
		}
		msg := queue[0]
		queue = queue[1:]
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		queue = append(queue, runCmd(cmd)...)
	}
	return m
}

var cmdSliceType = reflect.TypeOf([]tea.Cmd(nil))

// runCmd runs cmd and returns the messages it produces, flattening batches and sequences.
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg.(type) {
	case nil, spinner.TickMsg, clockMsg, tea.QuitMsg:
		return nil
	}
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdSliceType) {
		var out []tea.Msg
		for _, c := range v.Convert(cmdSliceType).Interface().([]tea.Cmd) {
			out = append(out, runCmd(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// keys turns a description into key messages: "enter", "tab", "esc", "down", "up",
// "left", "right", "ctrl+s", or any other text typed rune by rune.
func keys(specs ...string) []tea.Msg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEsc, "down": tea.KeyDown,
		"up": tea.KeyUp, "left": tea.KeyLeft, "right": tea.KeyRight,
		"ctrl+s": tea.KeyCtrlS, "ctrl+c": tea.KeyCtrlC, "pgdown": tea.KeyPgDown,
		"shift+tab": tea.KeyShiftTab, "backspace": tea.KeyBackspace,
	}
	var out []tea.Msg
	for _, s := range specs {
		if k, ok := named[s]; ok {
			out = append(out, tea.KeyMsg{Type: k})
			continue
		}
		for _, r := range s {
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	return out
}

// manual returns a model for drive: no clock, the given size.
func manual(t testing.TB, o Options, w, h int) tea.Model {
	t.Helper()
	m := New(o)
	m.tickEvery = 0
	return drive(t, m, tea.WindowSizeMsg{Width: w, Height: h})
}

// start drives Init's commands too.
func start(t testing.TB, o Options, w, h int) tea.Model {
	t.Helper()
	m := manual(t, o, w, h)
	return drive(t, m, runCmd(m.Init())...)
}

// assertScreen checks that a view fits the terminal: exactly h lines, none wider than w.
func assertScreen(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("line %d is %d cells wide, want at most %d: %q", i+1, lw, w, l)
		}
	}
}
