package ui

import (
	"strings"
	"testing"
)

func TestSettingsEscAsksBeforeDiscardingEdits(t *testing.T) {
	const ask = "press esc again to discard them"
	tests := []struct {
		name   string
		keys   []string
		screen string
		shows  []string
	}{
		{"no edits leave at once", []string{"1", "esc"}, "[3 Checks]", nil},
		{"first esc asks", []string{"1", "x", "esc"}, "[1 Settings]",
			[]string{ask, "acmex"}},
		{"typing goes on editing", []string{"1", "x", "esc", "y"}, "[1 Settings]",
			[]string{"acmexy"}},
		{"second esc discards", []string{"1", "x", "esc", "esc"}, "[3 Checks]",
			[]string{"unsaved changes discarded", "org acme "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := &fakeBackend{}
			m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow},
				80, 24)
			m = withChecks(t, m, fb, handChecks())
			m = drive(t, m, keys(tt.keys...)...)
			view := m.View()
			assertScreen(t, view, 80, 24)
			if !strings.Contains(view, tt.screen) {
				t.Errorf("not on %s:\n%s", tt.screen, view)
			}
			for _, want := range tt.shows {
				if !strings.Contains(view, want) {
					t.Errorf("view lacks %q:\n%s", want, view)
				}
			}
			if tt.name == "typing goes on editing" && strings.Contains(view, ask) {
				t.Errorf("the question stays after typing:\n%s", view)
			}
			if m.(Model).c.settings != acme {
				t.Errorf("settings in use changed to %+v", m.(Model).c.settings)
			}
		})
	}
}
