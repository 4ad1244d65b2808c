package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen is a screen added after the five built-in ones, such as the events screen. It
// follows the built-in screens' conventions: AWS I/O only in tea.Cmds under Context(),
// every AWS string cleaned before it is drawn, and no state shared outside the screen.
//
// A screen registers itself from its own file:
//
//	func init() { RegisterScreen("Events", newEventsScreen) }
type Screen interface {
	// Update handles keys (only while the screen is active) and every other message.
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View draws the screen in Env.Width() × Env.Height() cells.
	View() string
	// Keys are the screen's own key bindings, for the help line.
	Keys() []key.Binding
	// Leave is called when the user switches away: cancel running work there.
	Leave() Screen
}

// screenFactory builds a registered screen for one console.
type screenFactory struct {
	title string
	make  func(Env) Screen
}

// extraScreens are the registered screens, in registration order.
var extraScreens []screenFactory

// RegisterScreen adds a screen to every console created afterwards; it gets the next
// number key after the built-in 1–5. Call it from an init function.
func RegisterScreen(title string, make func(Env) Screen) {
	extraScreens = append(extraScreens, screenFactory{title: title, make: make})
}

// Env is what a registered screen may read of the console: sizes, settings, the live
// state and checks, styles, the backend and the console's context.
type Env struct {
	c *common
}
