package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// clipboard copies text to the user's clipboard with an OSC 52 escape sequence, which the
// terminal (or, over SSH, the local terminal) interprets; it needs no clipboard program.
type clipboard struct {
	out io.Writer
	// mux is "tmux" or "screen" when the console runs inside one, which must pass the
	// sequence through to the outer terminal.
	mux string
}

// copyCmd returns a command that copies text and reports what was copied, or why not.
func (cb clipboard) copyCmd(what, text string) tea.Cmd {
	return func() tea.Msg {
		if cb.out == nil {
			return noticeMsg("copying is off; select the text with the mouse instead")
		}
		seq := osc52.New(text)
		switch cb.mux {
		case "tmux":
			seq = seq.Tmux()
		case "screen":
			seq = seq.Screen()
		}
		if _, err := seq.WriteTo(cb.out); err != nil {
			return noticeMsg(fmt.Sprintf("copying %s: %v", what, err))
		}
		lines := strings.Count(strings.TrimRight(text, "\n"), "\n") + 1
		unit := "lines"
		if lines == 1 {
			unit = "line"
		}
		return noticeMsg(fmt.Sprintf("copied %s (%d %s) to the clipboard", what, lines, unit))
	}
}
