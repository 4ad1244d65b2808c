package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// settingFlag ties one settings flag to its environment variable and its field.
type settingFlag struct {
	name, env, usage string
	field            func(*model.Settings) *string
}

// settingFlags lists the settings flags every subcommand shares, in the order --help shows.
var settingFlags = []settingFlag{
	{model.FieldOrg, "SLATEO_ORG", "org slug: the subdomain of your Slateo site (acme)",
		func(s *model.Settings) *string { return &s.OrgSlug }},
	{model.FieldCompany, "SLATEO_COMPANY", "company: buckets are {company}-slateo-uploads/-cache",
		func(s *model.Settings) *string { return &s.Company }},
	{model.FieldUploadsBucket, "SLATEO_UPLOADS_BUCKET", "uploads bucket (overrides --company)",
		func(s *model.Settings) *string { return &s.UploadsBucket }},
	{model.FieldCacheBucket, "SLATEO_CACHE_BUCKET", "cache bucket (overrides --company)",
		func(s *model.Settings) *string { return &s.CacheBucket }},
	{model.FieldRegion, "SLATEO_REGION", "region of the buckets (default us-west-2)",
		func(s *model.Settings) *string { return &s.Region }},
	{model.FieldKMSKey, "SLATEO_KMS_KEY", "KMS key id, key ARN, alias/NAME or alias ARN",
		func(s *model.Settings) *string { return &s.KMSKey }},
	{model.FieldOrgID, "SLATEO_ORG_ID", "Slateo org id, the first key prefix in the buckets",
		func(s *model.Settings) *string { return &s.OrgID }},
	{"profile", "AWS_PROFILE", "AWS profile (shared config or SSO)",
		func(s *model.Settings) *string { return &s.Profile }},
	{model.FieldEndpointURL, "AWS_ENDPOINT_URL", "custom AWS endpoint, such as a local sandbox",
		func(s *model.Settings) *string { return &s.EndpointURL }},
}

// sandboxDefaults are the settings of --sandbox: the org and buckets its scenarios hold.
var sandboxDefaults = model.Settings{OrgSlug: "acme", Company: "acme", Region: "us-west-2"}

// settingsFlags holds the shared settings flags of one subcommand's FlagSet.
type settingsFlags struct {
	fs     *flag.FlagSet
	values map[string]*string
	config string
	// getenv reads the environment; tests replace it.
	getenv func(string) string
	// configPath finds the default config file; tests replace it.
	configPath func() (string, error)
	embedded   embeddedFlags
}

// bindSettings registers the shared settings flags on fs. Call resolve after fs.Parse.
func bindSettings(fs *flag.FlagSet) *settingsFlags {
	f := &settingsFlags{
		fs:         fs,
		values:     make(map[string]*string, len(settingFlags)),
		getenv:     os.Getenv,
		configPath: model.ConfigPath,
	}
	for _, sf := range settingFlags {
		f.values[sf.name] = fs.String(sf.name, "", sf.usage+" ($"+sf.env+")")
	}
	fs.StringVar(&f.config, "config", "",
		"settings file (default: the user config dir's slateo-s3/config.json)")
	f.embedded.bind(fs)
	return f
}

// usageError is invalid input: the command exits 2 and touches nothing.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// resolve merges the settings sources, highest precedence first: flags, the environment,
// the config file. With --sandbox, the sandbox's defaults replace the environment and the
// file, which describe a real account. Invalid settings give a usageError wrapping a
// *model.ValidationError, and are still returned, so that the console can open its
// settings form on them.
func (f *settingsFlags) resolve() (model.Settings, error) {
	var s model.Settings
	if err := f.embedded.conflicts(f.fs); err != nil {
		return s, usageError{err}
	}
	if f.embedded.enabled {
		s = sandboxDefaults
		if err := f.embedded.reportSettings(&s); err != nil {
			return s, usageError{err}
		}
	} else {
		loaded, err := f.load()
		if err != nil {
			return s, usageError{err}
		}
		s = loaded
		f.overlayEnv(&s)
	}

	f.fs.Visit(func(fl *flag.Flag) {
		for _, sf := range settingFlags {
			if sf.name == fl.Name {
				*sf.field(&s) = *f.values[sf.name]
			}
		}
	})
	if err := s.Err(); err != nil {
		return s, usageError{err}
	}
	return s, nil
}

func (f *settingsFlags) load() (model.Settings, error) {
	path := f.config
	if path == "" {
		p, err := f.configPath()
		if err != nil {
			// Without a config directory there is no saved file to read.
			return model.Settings{}, nil
		}
		path = p
	}
	return model.LoadConfig(path)
}

func (f *settingsFlags) overlayEnv(s *model.Settings) {
	for _, sf := range settingFlags {
		if v := f.getenv(sf.env); v != "" {
			*sf.field(s) = v
		}
	}
}

// connection is an AWS session and, with --sandbox, the in-process sandbox it talks to.
type connection struct {
	session *awsops.Session
	// settings are the settings as connected: with --sandbox, the endpoint is its URL.
	settings model.Settings
	closer   func() error
}

// Close stops the in-process sandbox, if any.
func (c *connection) Close() error {
	if c.closer == nil {
		return nil
	}
	return c.closer()
}

// connect builds the AWS clients for s; with --sandbox it first starts the in-process
// sandbox and points the clients at it with static fake credentials.
func (f *settingsFlags) connect(ctx context.Context, s model.Settings,
	o awsops.ConnectOptions) (*connection, error) {
	c := &connection{settings: s}
	if f.embedded.enabled {
		url, closer, err := f.embedded.start()
		if err != nil {
			return nil, err
		}
		c.closer = closer
		c.settings.EndpointURL = url
		o.Credentials = sandboxCredentials()
		o.Isolated = true
	}

	session, err := awsops.Connect(ctx, c.settings, o)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("connecting to AWS: %w", err), c.Close())
	}
	c.session = session
	return c, nil
}
