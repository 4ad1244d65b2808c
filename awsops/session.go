package awsops

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"slateo-s3/model"
)

// ConnectOptions tune how Connect builds the clients. The zero value uses the SDK's default
// credential chain and retry policy.
type ConnectOptions struct {
	// Credentials replaces the default credential chain; the in-process sandbox sets static
	// ones so that a new user needs no AWS set-up.
	Credentials aws.CredentialsProvider
	// Log, when set, records every call the clients make.
	Log *CallLog
	// RetryMaxAttempts overrides the SDK's default of 3 attempts; 1 turns retries off.
	RetryMaxAttempts int
	// HTTPClient replaces the SDK's HTTP client.
	HTTPClient *http.Client
	// Isolated builds the configuration from the settings and these options alone, reading
	// neither the environment nor the shared config files, so that nothing (AWS_PROFILE,
	// AWS_ENDPOINT_URL_S3, ...) can redirect the clients: the in-process sandbox sets it.
	Isolated bool
}

// Session holds one SDK client per service, all built from one configuration.
type Session struct {
	// Region is the region the clients were built for.
	Region string
	// Endpoint is the custom endpoint, or empty for AWS itself.
	Endpoint string
	Config   aws.Config

	S3         *s3.Client
	KMS        *kms.Client
	STS        *sts.Client
	CloudTrail *cloudtrail.Client
}

// Connect loads the SDK's default configuration (environment, shared config and SSO
// profiles, AWS_ENDPOINT_URL) with the settings' profile, region and endpoint on top, and
// builds the clients. It does not call AWS.
func Connect(ctx context.Context, s model.Settings, o ConnectOptions) (*Session, error) {
	loaders := []func(*config.LoadOptions) error{config.WithRegion(s.EffectiveRegion())}
	if s.Profile != "" {
		loaders = append(loaders, config.WithSharedConfigProfile(s.Profile))
	}
	if o.Credentials != nil {
		loaders = append(loaders, config.WithCredentialsProvider(o.Credentials))
	}
	if o.RetryMaxAttempts > 0 {
		loaders = append(loaders, config.WithRetryMaxAttempts(o.RetryMaxAttempts))
	}
	if o.HTTPClient != nil {
		loaders = append(loaders, config.WithHTTPClient(o.HTTPClient))
	}
	if o.Log != nil {
		loaders = append(loaders, config.WithAPIOptions(o.Log.apiOptions()))
	}

	cfg, err := loadConfig(ctx, s, o, loaders)
	if err != nil {
		return nil, err
	}
	if s.EndpointURL != "" {
		cfg.BaseEndpoint = aws.String(s.EndpointURL)
	}

	endpoint := aws.ToString(cfg.BaseEndpoint)
	return &Session{
		Region:   cfg.Region,
		Endpoint: endpoint,
		Config:   cfg,
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			// A custom endpoint (the sandbox, or an S3-compatible proxy) rarely resolves
			// bucket subdomains, so address buckets by path there.
			o.UsePathStyle = endpoint != ""
		}),
		KMS:        kms.NewFromConfig(cfg),
		STS:        sts.NewFromConfig(cfg),
		CloudTrail: cloudtrail.NewFromConfig(cfg),
	}, nil
}

// loadConfig loads the SDK's default configuration, or with o.Isolated builds one from the
// options alone.
func loadConfig(ctx context.Context, s model.Settings, o ConnectOptions,
	loaders []func(*config.LoadOptions) error) (aws.Config, error) {
	if o.Isolated {
		cfg := aws.Config{Region: s.EffectiveRegion(), Credentials: o.Credentials,
			RetryMaxAttempts: o.RetryMaxAttempts}
		if o.HTTPClient != nil {
			cfg.HTTPClient = o.HTTPClient
		}
		if o.Log != nil {
			cfg.APIOptions = o.Log.apiOptions()
		}
		return cfg, nil
	}
	cfg, err := config.LoadDefaultConfig(ctx, loaders...)
	if err != nil {
		return cfg, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return cfg, nil
}

// InRegion returns an option that sends one S3 call to another region, for a bucket that
// lives outside the session's region.
func InRegion(region string) func(*s3.Options) {
	return func(o *s3.Options) {
		if region != "" {
			o.Region = region
		}
	}
}

// DefaultTimeout bounds each single AWS call the console makes.
const DefaultTimeout = 10 * time.Second
