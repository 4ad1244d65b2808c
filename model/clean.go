package model

import (
	"strings"
	"unicode"
)

// Clean makes a string that came from AWS safe to print on a terminal: it drops every
// control character (ESC and the rest of C0 and C1, DEL) and the Unicode format characters
// that reorder or hide text (bidirectional overrides, zero-width marks), so that no escape
// sequence (cursor moves, screen clears, OSC 52 clipboard writes) can pass. Tabs become a
// space; newlines are kept only when keepNewlines is true.
func Clean(s string, keepNewlines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' && keepNewlines:
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case r == unicode.ReplacementChar, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CleanLine is Clean for text shown on one line: newlines are dropped too.
func CleanLine(s string) string {
	return Clean(s, false)
}

// isPlain reports whether s is printable ASCII only, the common case, which needs no copy.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
