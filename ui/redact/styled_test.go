package redact

import "testing"

func TestStyled(t *testing.T) {
	bold := func(s string) string { return "\x1b[1m" + s + "\x1b[0m" }
	tests := []struct {
		name, in, want string
	}{
		{"plain", "account 123456789012", "account [account-1]"},
		{"styled value", "account " + bold("123456789012"), "account " + bold("[account-1]")},
		{"value after a style", bold("account:") + "123456789012",
			bold("account:") + "[account-1]"},
		{"split by a style", "arn 1234567" + bold("89012") + " x", "arn [account-1] x"},
		{"nothing to mask", bold("acme-slateo-cache"), bold("acme-slateo-cache")},
		{"lines", bold("ip") + " 203.0.113.9\n" + bold("again") + " 203.0.113.9",
			bold("ip") + " [ip-1]\n" + bold("again") + " [ip-1]"},
		{"osc link", "\x1b]8;;https://x\x07 key AKIAIOSFODNN7EXAMPLE\x1b]8;;\x07",
			"\x1b]8;;https://x\x07 key [key-1]\x1b]8;;\x07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New().Styled(tt.in); got != tt.want {
				t.Errorf("Styled(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	var none *Redactor
	if got := none.Styled(bold("123456789012")); got != bold("123456789012") {
		t.Errorf("a nil Redactor masked %q", got)
	}
}
