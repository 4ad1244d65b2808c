package policy

import "strings"

// Glob reports whether s matches pattern, where * stands for any run of characters and ?
// for one character, as IAM matches actions and resources. fold makes it case-insensitive.
func Glob(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Covers reports whether every string that pattern r matches is also matched by pattern p
// (both with * and ? wildcards). It is exact for the patterns policies use and errs towards
// false, never towards a wrong true.
func Covers(p, r string) bool {
	if !strings.ContainsAny(p, "*?") {
		return p == r
	}
	m := newMemo(len(p), len(r))
	var walk func(i, j int) bool
	walk = func(i, j int) bool {
		if v, ok := m.get(i, j); ok {
			return v
		}
		var v bool
		switch {
		case i == len(p):
			v = j == len(r)
		case p[i] == '*':
			v = walk(i+1, j) || (j < len(r) && walk(i, j+1))
		case j == len(r), r[j] == '*':
			v = false
		case r[j] == '?':
			v = p[i] == '?' && walk(i+1, j+1)
		default:
			v = (p[i] == '?' || p[i] == r[j]) && walk(i+1, j+1)
		}
		m.set(i, j, v)
		return v
	}
	return walk(0, 0)
}

// Intersects reports whether some string is matched by both patterns.
func Intersects(p, r string) bool {
	if !strings.ContainsAny(p, "*?") && !strings.ContainsAny(r, "*?") {
		return p == r
	}
	m := newMemo(len(p), len(r))
	var walk func(i, j int) bool
	walk = func(i, j int) bool {
		if v, ok := m.get(i, j); ok {
			return v
		}
		var v bool
		switch {
		case i == len(p) && j == len(r):
			v = true
		case i < len(p) && p[i] == '*':
			v = walk(i+1, j) || (j < len(r) && walk(i, j+1))
		case j < len(r) && r[j] == '*':
			v = walk(i, j+1) || (i < len(p) && walk(i+1, j))
		case i == len(p), j == len(r):
			v = false
		default:
			v = (p[i] == '?' || r[j] == '?' || p[i] == r[j]) && walk(i+1, j+1)
		}
		m.set(i, j, v)
		return v
	}
	return walk(0, 0)
}

// memo remembers the answers of a two-pattern walk, one cell per pair of positions:
// 0 unknown, 1 false, 2 true.
type memo struct {
	cols  int
	cells []uint8
}

func newMemo(n, k int) memo {
	return memo{cols: k + 1, cells: make([]uint8, (n+1)*(k+1))}
}

func (m memo) get(i, j int) (bool, bool) {
	c := m.cells[i*m.cols+j]
	return c == 2, c != 0
}

func (m memo) set(i, j int, v bool) {
	if v {
		m.cells[i*m.cols+j] = 2
	} else {
		m.cells[i*m.cols+j] = 1
	}
}
