package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slateo-s3/model"
)

func TestResolvePrecedence(t *testing.T) {
	saved := model.Settings{OrgSlug: "fileorg", Company: "filecorp", Region: "eu-west-1",
		KMSKey: "alias/file", OrgID: "org_file", Profile: "fileprofile"}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want model.Settings
	}{
		{name: "config file only", want: saved},
		{name: "environment beats file",
			env: map[string]string{"SLATEO_ORG": "envorg", "SLATEO_REGION": "us-east-2",
				"AWS_PROFILE": "envprofile", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"},
			want: model.Settings{OrgSlug: "envorg", Company: "filecorp", Region: "us-east-2",
				KMSKey: "alias/file", OrgID: "org_file", Profile: "envprofile",
				EndpointURL: "http://127.0.0.1:9"}},
		{name: "flags beat environment",
			args: []string{"--org", "flagorg", "--region", "us-west-1"},
			env:  map[string]string{"SLATEO_ORG": "envorg", "SLATEO_REGION": "us-east-2"},
			want: model.Settings{OrgSlug: "flagorg", Company: "filecorp", Region: "us-west-1",
				KMSKey: "alias/file", OrgID: "org_file", Profile: "fileprofile"}},
		{name: "empty flag clears a saved value", args: []string{"--kms-key="},
			want: model.Settings{OrgSlug: "fileorg", Company: "filecorp", Region: "eu-west-1",
				OrgID: "org_file", Profile: "fileprofile"}},
		{name: "every environment variable",
			env: map[string]string{"SLATEO_ORG": "o", "SLATEO_COMPANY": "c",
				"SLATEO_UPLOADS_BUCKET": "up-b", "SLATEO_CACHE_BUCKET": "cache-b",
				"SLATEO_REGION": "ap-south-1", "SLATEO_KMS_KEY": "alias/e",
				"SLATEO_ORG_ID": "oid", "AWS_PROFILE": "p"},
			want: model.Settings{OrgSlug: "o", Company: "c", UploadsBucket: "up-b",
				CacheBucket: "cache-b", Region: "ap-south-1", KMSKey: "alias/e", OrgID: "oid",
				Profile: "p"}},
		{name: "every flag",
			args: []string{"--org", "o", "--company", "c", "--uploads-bucket", "up-b",
				"--cache-bucket", "cache-b", "--region", "ap-south-1", "--kms-key", "alias/f",
				"--org-id", "oid", "--profile", "p", "--endpoint-url", "https://s3.example"},
			want: model.Settings{OrgSlug: "o", Company: "c", UploadsBucket: "up-b",
				CacheBucket: "cache-b", Region: "ap-south-1", KMSKey: "alias/f", OrgID: "oid",
				Profile: "p", EndpointURL: "https://s3.example"}},
		{name: "sandbox ignores environment and file",
			args: []string{"--sandbox"},
			env:  map[string]string{"SLATEO_ORG": "envorg", "AWS_PROFILE": "envprofile"},
			want: model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}},
		{name: "sandbox with flags", args: []string{"--sandbox", "--org-id", "o1"},
			want: model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2",
				OrgID: "o1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sf, fs := newTestSettings(t, saved, tt.env)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			got, err := sf.resolve()
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			if got != tt.want {
				t.Errorf("resolve = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}

// newTestSettings binds the settings flags with a saved config file and a fake environment.
func newTestSettings(t *testing.T, saved model.Settings,
	env map[string]string) (*settingsFlags, *flag.FlagSet) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := model.SaveConfig(path, saved); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sf := bindSettings(fs)
	sf.getenv = func(k string) string { return env[k] }
	sf.configPath = func() (string, error) { return path, nil }
	return sf, fs
}

func TestResolveExplicitConfigFile(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.json")
	err := model.SaveConfig(other, model.Settings{OrgSlug: "other", Company: "o-co"})
	if err != nil {
		t.Fatal(err)
	}
	sf, fs := newTestSettings(t, model.Settings{OrgSlug: "default", Company: "d-co"}, nil)
	if err := fs.Parse([]string{"--config", other}); err != nil {
		t.Fatal(err)
	}
	got, err := sf.resolve()
	if err != nil || got.OrgSlug != "other" {
		t.Errorf("resolve = %+v, %v; want the settings of --config", got, err)
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		saved   model.Settings
		want    string
		invalid bool // the error is a *model.ValidationError
	}{
		{name: "nothing given", want: "--org: the org slug is required", invalid: true},
		{name: "bad bucket", saved: model.Settings{OrgSlug: "acme", Company: "acme"},
			args: []string{"--uploads-bucket", "Acme_Uploads"},
			want: `--uploads-bucket "Acme_Uploads": bucket names use only`, invalid: true},
		{name: "sandbox with endpoint", args: []string{"--sandbox", "--endpoint-url", "http://x"},
			want: "--endpoint-url cannot be used with --sandbox"},
		{name: "sandbox with profile", args: []string{"--sandbox", "--profile", "p"},
			want: "--profile cannot be used with --sandbox"},
		{name: "scenario without sandbox", args: []string{"--scenario", "healthy"},
			want: "--scenario needs --sandbox"},
		{name: "unknown scenario", args: []string{"--sandbox", "--scenario", "sunny"},
			want: `--scenario "sunny": the scenarios are empty, healthy, broken`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sf, fs := newTestSettings(t, tt.saved, nil)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			_, err := sf.resolve()
			var uerr usageError
			if !errors.As(err, &uerr) {
				t.Fatalf("resolve error = %v, want a usage error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to say %q", err, tt.want)
			}
			var verr *model.ValidationError
			if errors.As(err, &verr) != tt.invalid {
				t.Errorf("validation error = %v, want %v", errors.As(err, &verr), tt.invalid)
			}
		})
	}
}

func TestResolveBadConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	sf := bindSettings(fs)
	sf.getenv = func(string) string { return "" }
	if err := fs.Parse([]string{"--config", path, "--org", "a", "--company", "b"}); err != nil {
		t.Fatal(err)
	}
	_, err := sf.resolve()
	var uerr usageError
	if !errors.As(err, &uerr) || !strings.Contains(err.Error(), "parsing config file") {
		t.Errorf("resolve error = %v, want a usage error about the config file", err)
	}
}
