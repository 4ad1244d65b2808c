package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ConfigPath returns where the console saves the settings:
// os.UserConfigDir()/slateo-s3/config.json.
func ConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the user configuration directory: %w", err)
	}
	return filepath.Join(dir, "slateo-s3", "config.json"), nil
}

// LoadConfig reads settings saved by SaveConfig. A file that does not exist gives zero
// settings and no error, so a first run needs no set-up.
//
// Loading and saving live in model, the one file I/O there, because both the command line
// and the console's settings screen use the same file and ui cannot import cmd.
func LoadConfig(path string) (Settings, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("reading config file %s: %w", path, err)
	}

	var s Settings
	if err := json.Unmarshal(data, &s); err != nil {
		return Settings{}, fmt.Errorf("parsing config file %s (fix it, or delete it and "+
			"save the settings again from the console): %w", path, err)
	}
	return s, nil
}

// SaveConfig writes the settings as JSON, readable only by the user (0600), atomically: a
// temporary file in the same directory renamed over the old one, so that a crash never leaves
// half a file. It creates the directory (0700) when needed.
//
// The endpoint is never saved: the settings form does not show it, and an endpoint taken
// from the environment while trying the sandbox would otherwise send every later run, meant
// for AWS, to a local port without the user seeing why.
func SaveConfig(path string, s Settings) error {
	s.EndpointURL = ""
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding config file %s: %w", path, err)
	}
	data = append(data, '\n')

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating config directory %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.json")
	if err != nil {
		return fmt.Errorf("saving config file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())

	if err := writeAndClose(tmp, data); err != nil {
		return fmt.Errorf("saving config file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving config file %s: %w", path, err)
	}
	return nil
}

func writeAndClose(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
