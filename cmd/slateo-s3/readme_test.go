package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeNamesEveryCommand keeps the README honest: the two fresh-machine commands on
// lines of their own, and a section for every subcommand the usage lists.
func TestReadmeNamesEveryCommand(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, line := range []string{"go run ./cmd/slateo-s3 --sandbox", "go test -race ./..."} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).MatchString(readme) {
			t.Errorf("README lacks the line %q", line)
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^  slateo-s3 ([a-z]+) `).
		FindAllStringSubmatch(usageText, -1) {
		if !strings.Contains(readme, "`"+m[1]+"`") {
			t.Errorf("README has no section naming `%s`", m[1])
		}
	}
}
