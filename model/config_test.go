package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "config.json")
	want := Settings{OrgSlug: "acme", Company: "acme", Region: "eu-west-1",
		KMSKey: "alias/slateo", OrgID: "org_1", Profile: "admin"}

	if err := SaveConfig(path, want); err != nil {
		t.Fatalf("SaveConfig: %v", err)
	}
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if got != want {
		t.Errorf("LoadConfig = %+v, want %+v", got, want)
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %o, want 600", perm)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only config.json (no temp files)", len(entries))
	}
}

func TestSaveConfigLeavesOutTheEndpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	err := SaveConfig(path, Settings{OrgSlug: "acme", EndpointURL: "http://127.0.0.1:4566"})
	if err != nil {
		t.Fatalf("SaveConfig: %v", err)
	}
	got, err := LoadConfig(path)
	if err != nil || got.EndpointURL != "" || got.OrgSlug != "acme" {
		t.Errorf("LoadConfig = %+v, %v; want org acme and no endpoint", got, err)
	}
}

func TestConfigOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := SaveConfig(path, Settings{OrgSlug: "old"}); err != nil {
		t.Fatal(err)
	}
	if err := SaveConfig(path, Settings{OrgSlug: "new"}); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(path)
	if err != nil || got.OrgSlug != "new" {
		t.Errorf("LoadConfig = %+v, %v; want org new", got, err)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, wantErr string
	}{
		{name: "missing file is empty", path: filepath.Join(dir, "none.json")},
		{name: "not json", path: bad, wantErr: "parsing config file"},
		{name: "a directory", path: dir, wantErr: "reading config file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadConfig(tt.path)
			if tt.wantErr == "" {
				if err != nil || s != (Settings{}) {
					t.Errorf("LoadConfig = %+v, %v; want empty settings", s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("LoadConfig error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfigPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/cfg")
	got, err := ConfigPath()
	if err != nil || got != "/tmp/cfg/slateo-s3/config.json" {
		t.Errorf("ConfigPath = %q, %v", got, err)
	}
}
