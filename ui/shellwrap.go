package ui

import (
	"strings"
	"unicode/utf8"
)

// shellLines breaks each line of a shell command to fit width so that text copied from the
// screen still runs. Between words a broken line ends with " \" and the next is indented.
// A word too long for a line (a long --flag=a,b,c value or ARN) is broken inside: the line
// ends with "\" and the word goes on at column 0, because a shell drops a backslash-newline
// and joins the two halves (inside single quotes the quote is closed and reopened around
// the break).
func shellLines(cmd string, width int) string {
	width = max(width, 12)
	var out []string
	for _, line := range strings.Split(cmd, "\n") {
		out = append(out, shellLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

// shellLine wraps one line of a command; see shellLines.
func shellLine(line string, width int) []string {
	const first, next = "  ", "    "
	var out []string
	cur := first
	for i, word := range shellWords(line) {
		n := utf8.RuneCountInString(word)
		switch {
		case i == 0:
		case utf8.RuneCountInString(cur)+1+n+2 <= width:
			cur += " "
		default:
			out = append(out, cur+" \\")
			cur = next
		}
		if utf8.RuneCountInString(cur)+n+2 <= width {
			cur += word
			continue
		}
		if cur != first && cur != next {
			out = append(out, cur+" \\")
			cur = next
		}
		pieces := splitWord(word, width-utf8.RuneCountInString(cur), width)
		for j, p := range pieces {
			if j == len(pieces)-1 {
				cur += p
				break
			}
			out = append(out, cur+p+"\\")
			cur = ""
		}
	}
	return append(out, cur)
}

// shellWords splits a command line at the spaces a shell splits it at, keeping quotes and
// escapes in the words.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	quote, escaped, inWord := rune(0), false, false
	for _, r := range line {
		switch {
		case escaped:
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			}
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			continue
		case r == '\'' || r == '"':
			quote = r
		case r == '\\':
			escaped = true
		}
		cur.WriteRune(r)
		inWord = true
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Kinds of place inside a word where a line may break.
const (
	noBreak     = iota
	plainBreak  // a backslash-newline joins the two halves
	quotedBreak // inside single quotes: close the quote, break, and reopen it
)

// splitWord cuts a word into pieces for lines with firstW, then restW, cells of room: each
// piece but the last leaves a cell for its backslash, the last two for a " \" after it. It
// never cuts after an escaping backslash; inside single quotes, where a backslash is
// literal, it ends the piece with a quote and starts the next with one ('a'\ + 'b' reads
// as ab). It prefers a cut after a comma. A word that cannot be cut stays whole.
func splitWord(word string, firstW, restW int) []string {
	runes := []rune(word)
	kinds := breakable(runes)
	var pieces []string
	start, w, lead := 0, max(firstW, 4), ""
	for len(lead)+len(runes)-start > w-2 {
		room := w - 1 - len(lead)
		cut := bestCut(runes, kinds, start, min(start+room, len(runes)-1))
		if cut <= start {
			break
		}
		piece := lead + string(runes[start:cut])
		lead = ""
		if kinds[cut] == quotedBreak {
			piece, lead = piece+"'", "'"
		}
		pieces = append(pieces, piece)
		start, w = cut, max(restW, 4)
	}
	return append(pieces, lead+string(runes[start:]))
}

// breakable says, for each position p, how a line may break before runes[p].
func breakable(runes []rune) []int {
	kinds := make([]int, len(runes)+1)
	quote, escaped := rune(0), false
	for i, r := range runes {
		switch {
		case escaped:
			kinds[i] = noBreak
		case quote == '\'':
			kinds[i] = quotedBreak
		default:
			kinds[i] = plainBreak
		}
		switch {
		case escaped:
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '\\':
			escaped = true
		}
	}
	return kinds
}

// bestCut is the cut in (start, end] that splitWord prefers: after the last comma when it
// leaves at least half the room used, else the last allowed position; start when none is
// allowed. A cut inside single quotes needs one cell more, for the closing quote.
func bestCut(runes []rune, kinds []int, start, end int) int {
	last := start
	for p := end; p > start; p-- {
		if kinds[p] == noBreak || (kinds[p] == quotedBreak && p == end) {
			continue
		}
		if last == start {
			last = p
		}
		if runes[p-1] == ',' && p-start >= (end-start)/2 {
			return p
		}
	}
	return last
}

// trimLines drops the spaces a viewport pads its lines with, so that a command selected
// on the screen does not carry spaces after its final backslash (a backslash-space no
// longer continues the line). The renderer clears the rest of each line itself.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
