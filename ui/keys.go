package ui

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every key binding of the console. Each screen picks the ones it uses for
// its help line.
type keyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Next     key.Binding
	Prev     key.Binding
	Enter    key.Binding
	Back     key.Binding
	Tab      key.Binding
	Filter   key.Binding
	Refresh  key.Binding
	Pause    key.Binding
	Copy     key.Binding
	Save     key.Binding
	Screens  key.Binding
	Help     key.Binding
	Quit     key.Binding
	ForceQ   key.Binding
	FieldUp  key.Binding
	FieldDn  key.Binding
	Redact   key.Binding
	Report   key.Binding
}

// bind makes a binding whose help shows label and desc.
func bind(label, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, desc))
}

// newKeyMap returns the console's key bindings.
func newKeyMap() keyMap {
	return keyMap{
		Up:       bind("↑/k", "up", "up", "k"),
		Down:     bind("↓/j", "down", "down", "j"),
		PageUp:   bind("pgup", "page up", "pgup"),
		PageDown: bind("pgdn", "page down", "pgdown"),
		Next:     bind("→/n", "next step", "right", "l", "n"),
		Prev:     bind("←/b", "back", "left", "h", "b"),
		Enter:    bind("enter", "select", "enter"),
		Back:     bind("esc", "back", "esc"),
		Tab:      bind("tab", "switch pane", "tab"),
		Filter:   bind("/", "problems only", "/"),
		Refresh:  bind("r", "refresh", "r"),
		Pause:    bind("p", "pause auto-refresh", "p"),
		Copy:     bind("c", "copy", "c"),
		Save:     bind("ctrl+s", "save", "ctrl+s"),
		Screens:  screenKeys(int(screenCount)),
		Help:     bind("?", "more keys", "?"),
		Quit:     bind("q", "quit", "q"),
		ForceQ:   bind("ctrl+c", "quit", "ctrl+c"),
		FieldUp:  bind("↑/shift+tab", "previous field", "up", "shift+tab"),
		FieldDn:  bind("↓/tab/enter", "next field", "down", "tab", "enter"),
		Redact:   bind("R", "redact", "R"),
		Report:   bind("S", "save report", "S"),
	}
}

// screenHelp adapts one screen's bindings to bubbles/help: the short line shows the screen's
// own keys and the global ones; the full help adds everything.
type screenHelp struct {
	own    []key.Binding
	global []key.Binding
}

// ShortHelp returns the keys for the one-line help.
func (h screenHelp) ShortHelp() []key.Binding {
	return append(append([]key.Binding(nil), h.own...), h.globalOnly()...)
}

// FullHelp returns the keys for the expanded help, the screen's keys in the first column.
func (h screenHelp) FullHelp() [][]key.Binding {
	return [][]key.Binding{h.own, h.globalOnly()}
}

// globalOnly is the global keys that the screen's own keys do not already list, so that
// each key shows once (the checklist lists r and p as its own).
func (h screenHelp) globalOnly() []key.Binding {
	seen := map[string]bool{}
	for _, b := range h.own {
		seen[b.Help().Key] = true
	}
	var out []key.Binding
	for _, b := range h.global {
		if !seen[b.Help().Key] {
			out = append(out, b)
		}
	}
	return out
}
