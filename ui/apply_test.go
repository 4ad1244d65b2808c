package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestAppliedStepShowsTheWholeBackupPath(t *testing.T) {
	var clip bytes.Buffer
	o := sandboxOptions(t, "broken")
	o.Clipboard = &clip
	o.WritesAllowed = true
	o.BackupDir = filepath.Join(t.TempDir(), "a-backup-directory-with-a-rather-long-name")
	if err := os.MkdirAll(o.BackupDir, 0o700); err != nil {
		t.Fatal(err)
	}
	m := start(t, o, 80, 24)
	m = drive(t, m, keys("2", "n", "n", "a")...)
	text := ansi.Strip(m.(Model).wizard.confirm.text())
	if !strings.Contains(text, "  same as:\n  aws s3api put-bucket-cors --bucket acme-slateo-cache") {
		t.Errorf("the dialog does not give the command:\n%s", text)
	}
	for _, l := range strings.Split(text, "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("dialog line %q is wider than the screen", l)
		}
	}
	m = drive(t, m, keys("y")...)
	view := ansi.Strip(m.View())
	assertScreen(t, view, 80, 24)

	backups, _ := os.ReadDir(o.BackupDir)
	if len(backups) != 1 {
		t.Fatalf("want one backup, got %v:\n%s", backups, view)
	}
	file := filepath.Join(o.BackupDir, backups[0].Name())
	// The path is wrapped at the screen edge, its lines indented by two.
	joined := strings.ReplaceAll(strings.ReplaceAll(view, "\n  ", ""), "backup: ", "backup:")
	if !strings.Contains(joined, "backup:"+file+"\n") {
		t.Errorf("the backup path %s is not shown whole:\n%s", file, view)
	}

	m = drive(t, m, keys("c")...)
	if got := decodeOSC52(t, clip.String()); got != file {
		t.Errorf("c copied %q, want the backup path %q", got, file)
	}
	if !strings.Contains(m.View(), "copied the backup path") {
		t.Errorf("no copy notice:\n%s", m.View())
	}
}
