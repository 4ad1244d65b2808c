package ui

import (
	"github.com/charmbracelet/lipgloss"

	"slateo-s3/model"
)

// styles holds every lipgloss style the console uses, built once by newStyles.
type styles struct {
	noColor bool

	app       lipgloss.Style
	title     lipgloss.Style
	subtle    lipgloss.Style
	bold      lipgloss.Style
	tab       lipgloss.Style
	activeTab lipgloss.Style
	selected  lipgloss.Style
	focused   lipgloss.Style
	border    lipgloss.Style
	errorText lipgloss.Style
	okText    lipgloss.Style
	code      lipgloss.Style
	status    map[model.Status]lipgloss.Style
}

// newStyles builds the styles; with noColor every style is colourless and meaning is carried
// by glyphs, words and bold/reverse only.
func newStyles(noColor bool) styles {
	color := func(c string) lipgloss.TerminalColor {
		if noColor {
			return lipgloss.NoColor{}
		}
		return lipgloss.Color(c)
	}
	s := styles{noColor: noColor}
	s.app = lipgloss.NewStyle()
	s.title = lipgloss.NewStyle().Bold(true).Foreground(color("#7D56F4"))
	s.subtle = lipgloss.NewStyle().Foreground(color("241"))
	s.bold = lipgloss.NewStyle().Bold(true)
	s.tab = lipgloss.NewStyle().Foreground(color("245"))
	s.activeTab = lipgloss.NewStyle().Bold(true).Underline(true).Foreground(color("#7D56F4"))
	s.selected = lipgloss.NewStyle().Reverse(true)
	s.focused = lipgloss.NewStyle().Bold(true).Foreground(color("#7D56F4"))
	s.border = lipgloss.NewStyle().Foreground(color("240"))
	s.errorText = lipgloss.NewStyle().Foreground(color("9"))
	s.okText = lipgloss.NewStyle().Foreground(color("10"))
	s.code = lipgloss.NewStyle().Foreground(color("252"))
	s.status = map[model.Status]lipgloss.Style{
		model.Pass:    lipgloss.NewStyle().Foreground(color("10")),
		model.Fail:    lipgloss.NewStyle().Bold(true).Foreground(color("9")),
		model.Warn:    lipgloss.NewStyle().Foreground(color("11")),
		model.Unknown: lipgloss.NewStyle().Foreground(color("13")),
		model.Skip:    lipgloss.NewStyle().Foreground(color("245")),
	}
	return s
}

// glyphs pairs each status with the glyph that shows it without colour.
var glyphs = map[model.Status]string{
	model.Pass:    "✓",
	model.Fail:    "✗",
	model.Warn:    "!",
	model.Unknown: "?",
	model.Skip:    "-",
}

// statusLabel returns the glyph and word of a status, padded to a fixed width so that
// columns line up, and styled.
func (s styles) statusLabel(st model.Status) string {
	g, ok := glyphs[st]
	if !ok {
		g, st = "?", model.Unknown
	}
	text := g + " " + string(st)
	return s.status[st].Render(padRight(text, 9))
}
