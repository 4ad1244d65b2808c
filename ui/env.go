package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"slateo-s3/model"
)

// Width is the width of the screen's area.
func (e Env) Width() int { return e.c.bodyW }

// Height is the height of the screen's area.
func (e Env) Height() int { return e.c.bodyH }

// Settings are the settings in use.
func (e Env) Settings() model.Settings { return e.c.settings }

// State is the last inspection's state, and whether there has been one.
func (e Env) State() (model.State, bool) { return e.c.state, e.c.hasState }

// Checks are the last inspection's checks.
func (e Env) Checks() []model.Check { return e.c.checks }

// Backend is the AWS access, or nil before the first inspection connected. A screen that
// needs more than Backend declares its own interface and asserts the backend to it.
func (e Env) Backend() Backend { return e.c.backend }

// Context ends when the console quits; derive each command's context from it, with a
// deadline.
func (e Env) Context() context.Context { return e.c.ctx }

// Now is the console's clock (injected in tests).
func (e Env) Now() time.Time { return e.c.now() }

// StatusLabel renders a status as glyph and word, styled like the checklist's.
func (e Env) StatusLabel(s model.Status) string { return e.c.styles.statusLabel(s) }

// Selected renders the selected row the way every list does.
func (e Env) Selected(s string) string { return e.c.styles.selected.Render(s) }

// Subtle renders secondary text.
func (e Env) Subtle(s string) string { return e.c.styles.subtle.Render(s) }

// Bold renders a title.
func (e Env) Bold(s string) string { return e.c.styles.bold.Render(s) }

// Keys are the console's shared key bindings (up, down, enter, esc, tab, /, c, ...).
func (e Env) Keys() KeyMap { return KeyMap{e.c.keys} }

// Copy returns a command that copies text to the clipboard (OSC 52) and reports it.
func (e Env) Copy(what, text string) tea.Cmd { return e.c.clip.copyCmd(what, text) }

// Notice returns a command that shows a one-line notice in the status line.
func Notice(text string) tea.Cmd { return func() tea.Msg { return noticeMsg(text) } }

// KeyMap exposes the shared bindings to registered screens.
type KeyMap struct{ k keyMap }

// Up moves up a list.
func (k KeyMap) Up() key.Binding { return k.k.Up }

// Down moves down a list.
func (k KeyMap) Down() key.Binding { return k.k.Down }

// Enter selects.
func (k KeyMap) Enter() key.Binding { return k.k.Enter }

// Back goes back or stops.
func (k KeyMap) Back() key.Binding { return k.k.Back }

// Tab switches panes.
func (k KeyMap) Tab() key.Binding { return k.k.Tab }

// Filter filters a list.
func (k KeyMap) Filter() key.Binding { return k.k.Filter }

// Copy copies the selection.
func (k KeyMap) Copy() key.Binding { return k.k.Copy }

// PageUp scrolls up a page.
func (k KeyMap) PageUp() key.Binding { return k.k.PageUp }

// PageDown scrolls down a page.
func (k KeyMap) PageDown() key.Binding { return k.k.PageDown }
