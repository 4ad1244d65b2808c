package model

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		keepNewlines bool
		want         string
	}{
		{name: "plain", in: "arn:aws:s3:::acme-slateo-cache", want: "arn:aws:s3:::acme-slateo-cache"},
		{name: "cursor move", in: "a\x1b[2Jb\x1b[10;10H", want: "a[2Jb[10;10H"},
		{name: "osc 52 clipboard", in: "x\x1b]52;c;ZXZpbA==\x07y", want: "x]52;c;ZXZpbA==y"},
		{name: "c1 csi", in: "a\u009b31mb", want: "a31mb"},
		{name: "bidi override", in: "abc\u202edef", want: "abcdef"},
		{name: "zero width", in: "a\u200bb", want: "ab"},
		{name: "newline dropped", in: "a\nb\r\n", want: "ab"},
		{name: "newline kept", in: "a\nb\r\n", keepNewlines: true, want: "a\nb\n"},
		{name: "tab", in: "a\tb", want: "a b"},
		{name: "invalid utf-8", in: "a\xffb", want: "ab"},
		{name: "unicode kept", in: "café ✓", want: "café ✓"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in, tt.keepNewlines); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	f.Add("\x1b]52;c;ZXZpbA==\x07", true)
	f.Add("plain", false)
	f.Fuzz(func(t *testing.T, s string, keep bool) {
		for _, r := range Clean(s, keep) {
			if r == 0x1b || r == 0x9b || r == 0x07 || r == '\r' || (r < 0x20 && r != '\n') {
				t.Fatalf("Clean(%q) kept control %U", s, r)
			}
		}
	})
}
