package ui

import (
	"strings"
	"unicode/utf8"
)

// shellLines breaks each line of a shell command to fit width so that text copied from the
// screen still runs. Between words a broken line ends with " \" and the next is indented.
// A word too long for a line (a long --flag=a,b,c value or ARN) is broken inside: the line
// ends with "\" and the word goes on at column 0, because a shell drops a backslash-newline
// and joins the two halves; it is never broken inside single quotes, where a backslash is
// literal.
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

// splitWord cuts a word into pieces for lines with firstW, then restW, cells of room: each
// piece but the last leaves a cell for its backslash, the last two for a " \" after it. It
// cuts only where a backslash-newline may go (outside single quotes, not after an escaping
// backslash), preferring a cut after a comma. A word that cannot be cut stays whole.
func splitWord(word string, firstW, restW int) []string {
	runes := []rune(word)
	ok := breakable(runes)
	var pieces []string
	start, w := 0, max(firstW, 3)
	for len(runes)-start > w-2 {
		cut := bestCut(runes, ok, start, min(start+w-1, len(runes)-1))
		if cut <= start {
			break
		}
		pieces = append(pieces, string(runes[start:cut]))
		start, w = cut, max(restW, 3)
	}
	return append(pieces, string(runes[start:]))
}

// breakable reports, for each position p, whether a backslash-newline may go before
// runes[p] without changing what the shell reads.
func breakable(runes []rune) []bool {
	ok := make([]bool, len(runes)+1)
	quote, escaped := rune(0), false
	for i, r := range runes {
		ok[i] = quote != '\'' && !escaped
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
	return ok
}

// bestCut is the cut in (start, end] that splitWord prefers: after the last comma when it
// leaves at least half the room used, else the last allowed position; start when none is
// allowed.
func bestCut(runes []rune, ok []bool, start, end int) int {
	last := start
	for p := end; p > start; p-- {
		if !ok[p] {
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
