package redact

import (
	"regexp"
	"strings"
)

// escapeSeq matches a terminal's styling sequences: CSI (colours, cursor) and OSC.
var escapeSeq = regexp.MustCompile(
	`\x1b\[[0-9;:?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)`)

// Styled masks text that may hold terminal styling sequences, line by line. Each line is
// masked piece by piece between its sequences, keeping its colours, when that masks exactly
// what masking its plain text masks; otherwise (a value split by styling, or glued to a
// sequence) the line is returned as plain masked text, so that no value escapes. A nil
// Redactor returns text unchanged.
func (r *Redactor) Styled(text string) string {
	if r == nil {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = r.styledLine(l)
	}
	return strings.Join(lines, "\n")
}

func (r *Redactor) styledLine(line string) string {
	plain := escapeSeq.ReplaceAllString(line, "")
	want := r.String(plain)
	if want == plain {
		return line
	}
	var b strings.Builder
	last := 0
	for _, loc := range escapeSeq.FindAllStringIndex(line, -1) {
		b.WriteString(r.String(line[last:loc[0]]))
		b.WriteString(line[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(r.String(line[last:]))
	if styled := b.String(); escapeSeq.ReplaceAllString(styled, "") == want {
		return styled
	}
	return want
}
