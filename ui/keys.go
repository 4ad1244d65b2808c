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
}

// newKeyMap returns the console's key bindings.
func newKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Next:     key.NewBinding(key.WithKeys("right", "l", "n"), key.WithHelp("→/n", "next step")),
		Prev:     key.NewBinding(key.WithKeys("left", "h", "b"), key.WithHelp("←/b", "back")),
		Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "select")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Tab:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "switch pane")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "problems only")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Pause:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause auto-refresh")),
		Copy:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
		Save:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Screens:  screenKeys(int(screenCount)),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQ:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		FieldUp:  key.NewBinding(key.WithKeys("up", "shift+tab"), key.WithHelp("↑/shift+tab", "previous field")),
		FieldDn:  key.NewBinding(key.WithKeys("down", "tab", "enter"), key.WithHelp("↓/tab/enter", "next field")),
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
	return append(append([]key.Binding(nil), h.own...), h.global...)
}

// FullHelp returns the keys for the expanded help, the screen's keys in the first column.
func (h screenHelp) FullHelp() [][]key.Binding {
	return [][]key.Binding{h.own, h.global}
}
