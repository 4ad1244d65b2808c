package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Backup is the document a change replaced, as Apply saved it before writing.
type Backup struct {
	// Kind is the kind of change (bucket-policy, cors, key-policy, ...).
	Kind string `json:"kind"`
	// Target is the bucket name or key ARN.
	Target string `json:"target"`
	// Bucket is the bucket, empty for a key policy.
	Bucket string `json:"bucket,omitempty"`
	Region string `json:"region"`
	// Time is when the backup was taken, just before the write.
	Time time.Time `json:"time"`
	// NoneExisted is true when there was no document; restoring it deletes the document.
	NoneExisted bool `json:"none_existed"`
	// Document is the document exactly as AWS returned it (JSON text).
	Document string `json:"document,omitempty"`
	// Change is the title of the change that the backup was taken for.
	Change string `json:"change,omitempty"`
}

// DefaultBackupDir is where backups go unless --backup-dir says otherwise:
// $XDG_STATE_HOME/slateo-s3/backups, or ~/.local/state/slateo-s3/backups.
func DefaultBackupDir() (string, error) {
	if state := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(state) {
		return filepath.Join(state, "slateo-s3", "backups"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the backup directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "slateo-s3", "backups"), nil
}

// writeBackup saves current, the document a change is about to replace, as a new 0600 file
// in dir (made 0700 when missing) and returns its path.
func (a *Applier) writeBackup(dir string, c Change, current string) (string, error) {
	if dir == "" {
		return "", errors.New("writing backup: no backup directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating backup directory %s: %w", dir, err)
	}
	b := Backup{Kind: c.Kind, Target: c.Target, Bucket: c.Bucket, Region: c.Region,
		Time: a.now().UTC(), NoneExisted: current == "", Document: current, Change: c.Title}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encoding backup of %s: %w", c.Target, err)
	}
	base := b.Time.Format("20060102T150405.000Z") + "-" + c.Kind + "-" + fileSafe(c.Target)
	for n := 1; ; n++ {
		name := base + ".json"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.json", base, n)
		}
		path := filepath.Join(dir, name)
		err := writeNewFile(path, append(data, '\n'))
		if errors.Is(err, fs.ErrExist) && n < 100 {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("writing backup %s: %w", path, err)
		}
		return path, nil
	}
}

// writeNewFile creates path (failing when it exists) with mode 0600 and writes data.
func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// fileSafe turns a bucket name or key ARN into a file name part.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, s)
}

// restorableKinds are the kinds of change whose document a backup can put back; a bucket
// creation has none.
var restorableKinds = map[string]bool{KindPublicAccessBlock: true, KindBucketPolicy: true,
	KindCORS: true, KindKeyPolicy: true, KindVersioning: true, KindOwnership: true}

// ReadBackup reads a backup file written by Apply.
func ReadBackup(path string) (Backup, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Backup{}, fmt.Errorf("reading backup %s: %w", path, err)
	}
	var b Backup
	if err := json.Unmarshal(data, &b); err != nil {
		return Backup{}, fmt.Errorf("reading backup %s: not a backup file: %w", path, err)
	}
	if !restorableKinds[b.Kind] || b.Target == "" {
		return Backup{}, fmt.Errorf("reading backup %s: unknown kind %q or no target", path,
			b.Kind)
	}
	if b.NoneExisted != (b.Document == "") {
		return Backup{}, fmt.Errorf("reading backup %s: none_existed and document disagree",
			path)
	}
	return b, nil
}

// PlanRestore reads a backup file and the current document it backs up, and returns the
// change that puts the backup back (or deletes the document when none existed). Apply it
// like any planned change: it re-checks the document and backs up the current one first.
func (a *Applier) PlanRestore(ctx context.Context, backupFile string) (Change, error) {
	b, err := ReadBackup(backupFile)
	if err != nil {
		return Change{}, err
	}
	current, err := a.ReadDocument(ctx, b.Kind, b.Target, b.Region)
	if err != nil {
		return Change{}, fmt.Errorf("restoring %s: %w", backupFile, err)
	}
	c := a.newChange(b.Kind, b.Bucket, b.Target, b.Region, current, b.Document)
	c.Title = "restore the " + b.Kind + " of " + b.Target + " from " +
		b.Time.Format(time.RFC3339)
	if b.NoneExisted {
		c.Title = "remove the " + b.Kind + " of " + b.Target + " (none existed at " +
			b.Time.Format(time.RFC3339) + ")"
	}
	if b.Kind == KindVersioning && b.NoneExisted {
		c.Notes = append(c.Notes, "versioning cannot be turned off once enabled; "+
			"restoring suspends it")
	}
	return c, nil
}
