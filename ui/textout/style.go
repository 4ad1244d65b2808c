package textout

import (
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"

	"slateo-s3/model"
)

// ColorEnabled reports whether output to w may use colour: w is a terminal and NO_COLOR
// is unset (any value, even empty, turns colour off, as no-color.org asks).
func ColorEnabled(w io.Writer, lookupEnv func(string) (string, bool)) bool {
	if _, set := lookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// styles colour the status words; without colour every style renders text unchanged.
type styles struct {
	status map[model.Status]lipgloss.Style
	title  lipgloss.Style
	faint  lipgloss.Style
}

func newStyles(w io.Writer, color bool) styles {
	r := lipgloss.NewRenderer(w)
	if !color {
		r.SetColorProfile(termenv.Ascii)
	} else {
		r.SetColorProfile(termenv.ANSI256)
	}
	fg := func(c string) lipgloss.Style {
		return r.NewStyle().Foreground(lipgloss.Color(c))
	}
	return styles{
		status: map[model.Status]lipgloss.Style{
			model.Pass:    fg("2"),
			model.Fail:    fg("1").Bold(true),
			model.Warn:    fg("3"),
			model.Unknown: fg("5"),
			model.Skip:    fg("8"),
		},
		title: r.NewStyle().Bold(true),
		faint: fg("8"),
	}
}

// glyphs gives every status a glyph and a word, so no status is told by colour alone.
var glyphs = map[model.Status]string{
	model.Pass:    "✓ pass",
	model.Fail:    "✗ fail",
	model.Warn:    "! warn",
	model.Unknown: "? unknown",
	model.Skip:    "- skip",
}

// StatusLabel returns the glyph and word of a status, such as "✗ fail".
func StatusLabel(s model.Status) string {
	if g, ok := glyphs[s]; ok {
		return g
	}
	return "? " + model.CleanLine(string(s))
}
