package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// countingScreen records what the console told it.
type countingScreen struct {
	env    Env
	keys   *[]string
	leaves *int
}

func (s countingScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		*s.keys = append(*s.keys, k.String())
	}
	return s, nil
}

func (s countingScreen) View() string {
	return "extra screen " + s.env.Settings().OrgSlug + " " +
		strings.Repeat("x", s.env.Width()-20)
}

func (s countingScreen) Keys() []key.Binding { return []key.Binding{s.env.Keys().Enter()} }

func (s countingScreen) Leave() Screen { *s.leaves++; return s }

func TestRegisteredScreen(t *testing.T) {
	defer func(old []screenFactory) { extraScreens = old }(extraScreens)
	var pressed []string
	leaves := 0
	n := fmt.Sprint(int(screenCount) + len(extraScreens) + 1)
	RegisterScreen("Probe", func(e Env) Screen {
		return countingScreen{env: e, keys: &pressed, leaves: &leaves}
	})

	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow}, 80, 24)
	m = withChecks(t, m, fb, handChecks())
	if !strings.Contains(m.View(), " "+n+" Probe ") {
		t.Fatalf("tab bar lacks the registered screen:\n%s", m.View())
	}

	m = drive(t, m, keys(n, "j", "enter")...)
	view := m.View()
	if !strings.Contains(view, "["+n+" Probe]") || !strings.Contains(view, "extra screen acme") ||
		!strings.Contains(view, "1-"+n+" screens") {
		t.Errorf("6 does not open the registered screen:\n%s", view)
	}
	if strings.Join(pressed, ",") != "j,enter" {
		t.Errorf("screen got keys %v, want j and enter", pressed)
	}
	assertScreen(t, view, 80, 24)

	m = drive(t, m, keys("3")...)
	if leaves != 1 || !strings.Contains(m.View(), "[3 Checks]") {
		t.Errorf("leaving called Leave %d times; view:\n%s", leaves, m.View())
	}
}
