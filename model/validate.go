package model

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
)

// Field names of the settings, spelled as their command-line flags so that an error names
// exactly what the user typed.
const (
	FieldOrg           = "org"
	FieldCompany       = "company"
	FieldUploadsBucket = "uploads-bucket"
	FieldCacheBucket   = "cache-bucket"
	FieldRegion        = "region"
	FieldKMSKey        = "kms-key"
	FieldOrgID         = "org-id"
	FieldEndpointURL   = "endpoint-url"
)

// MaxRoleNameLength is IAM's limit on the length of a role name.
const MaxRoleNameLength = 64

// FieldError says which setting is wrong, its value and the rule it breaks.
type FieldError struct {
	// Field is the flag name without dashes, such as "uploads-bucket".
	Field string
	Value string
	// Rule says in plain words what a valid value looks like.
	Rule string
}

// Error renders the error the way the command line prints it, naming the flag.
func (e FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("--%s: %s", e.Field, e.Rule)
	}
	return fmt.Sprintf("--%s %q: %s", e.Field, shorten(CleanLine(e.Value)), e.Rule)
}

// shorten keeps an echoed value readable: a huge value is cut to its first 60 characters.
func shorten(v string) string {
	const limit = 60
	r := []rune(v)
	if len(r) <= limit {
		return v
	}
	return string(r[:limit]) + fmt.Sprintf("… (%d characters)", len(r))
}

// ValidationError holds every field error of one set of settings.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the field errors, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		lines[i] = f.Error()
	}
	return "invalid settings:\n  " + strings.Join(lines, "\n  ")
}

// Err returns nil when the settings are valid, or a *ValidationError listing every problem.
func (s Settings) Err() error {
	errs := s.Validate()
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

// Validate returns one error per invalid field, in the order the flags are listed, naming
// the rule each breaks. It returns nil for valid settings.
func (s Settings) Validate() []FieldError {
	var errs []FieldError
	add := func(field, value, rule string) {
		if rule != "" {
			errs = append(errs, FieldError{Field: field, Value: value, Rule: rule})
		}
	}

	add(FieldOrg, s.OrgSlug, orgSlugRule(s.OrgSlug))
	errs = append(errs, s.bucketErrors()...)
	add(FieldRegion, s.Region, regionRule(s.Region))
	add(FieldKMSKey, s.KMSKey, kmsKeyRule(s.KMSKey, s.EffectiveRegion()))
	add(FieldOrgID, s.OrgID, orgIDRule(s.OrgID))
	add(FieldEndpointURL, s.EndpointURL, endpointRule(s.EndpointURL))
	return errs
}

// bucketErrors checks the company and both bucket names. A name derived from the company
// is reported against --company, once, since that is what the user typed.
func (s Settings) bucketErrors() []FieldError {
	if s.Company == "" && (s.UploadsBucket == "" || s.CacheBucket == "") {
		return []FieldError{{Field: FieldCompany, Rule: "a company name is required " +
			"unless both --uploads-bucket and --cache-bucket are given"}}
	}

	var errs []FieldError
	companyReported := false
	valid := true
	for _, b := range []struct{ field, explicit, name string }{
		{FieldUploadsBucket, s.UploadsBucket, s.UploadsBucketName()},
		{FieldCacheBucket, s.CacheBucket, s.CacheBucketName()},
	} {
		rule := BucketNameRule(b.name)
		if rule == "" {
			continue
		}
		valid = false
		if b.explicit != "" {
			errs = append(errs, FieldError{Field: b.field, Value: b.name, Rule: rule})
			continue
		}
		if !companyReported {
			companyReported = true
			errs = append(errs, FieldError{Field: FieldCompany, Value: s.Company,
				Rule: fmt.Sprintf("the derived bucket name %q breaks a rule: %s", b.name, rule)})
		}
	}

	if valid && s.UploadsBucketName() == s.CacheBucketName() {
		errs = append(errs, FieldError{Field: FieldCacheBucket, Value: s.CacheBucketName(),
			Rule: "the cache bucket must be a different bucket from the uploads bucket"})
	}
	return errs
}

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// orgSlugRule returns the rule an org slug breaks, or "". The slug is the subdomain of the
// org's Slateo site, so it is a DNS label, and it ends the org role's name. A DNS label
// uses only characters IAM allows in role names, so only the role name's length can fail.
func orgSlugRule(slug string) string {
	switch {
	case slug == "":
		return "the org slug is required (acme for acme.slateo.ai)"
	case len(slug) > 63:
		return "an org slug is a DNS label of at most 63 characters"
	case !dnsLabel.MatchString(slug):
		return "an org slug is a DNS label: lower-case letters, digits and hyphens, " +
			"starting and ending with a letter or digit"
	case len(RoleName(slug)) > MaxRoleNameLength:
		return fmt.Sprintf("the org role name %s is longer than IAM's limit of %d characters",
			RoleName(slug), MaxRoleNameLength)
	}
	return ""
}

var bucketChars = regexp.MustCompile(`^[a-z0-9.-]+$`)

// Reserved prefixes and suffixes of general purpose bucket names.
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// BucketNameRule returns the S3 naming rule a general purpose bucket name breaks, or "".
func BucketNameRule(name string) string {
	switch {
	case len(name) < 3 || len(name) > 63:
		return "bucket names are 3 to 63 characters long"
	case !bucketChars.MatchString(name):
		return "bucket names use only lower-case letters, digits, dots and hyphens"
	case !isAlnum(name[0]) || !isAlnum(name[len(name)-1]):
		return "bucket names start and end with a letter or digit"
	case strings.Contains(name, ".."):
		return "bucket names have no two adjacent dots"
	case isIPv4(name):
		return "bucket names are not formatted as an IP address"
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Sprintf("bucket names do not start with the reserved prefix %s", p)
		}
	}
	for _, suffix := range reservedBucketSuffixes {
		if strings.HasSuffix(name, suffix) {
			return fmt.Sprintf("bucket names do not end with the reserved suffix %s", suffix)
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// regionPattern matches region names such as us-west-2, us-gov-west-1, us-isob-east-1
// and the European Sovereign Cloud's eusc-de-east-1.
var regionPattern = regexp.MustCompile(
	`^([a-z]{2}(-gov|-iso[a-z]*)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$`)

// ValidRegion reports whether r is shaped like an AWS region name, such as eu-central-1.
func ValidRegion(r string) bool {
	return regionPattern.MatchString(r)
}

func regionRule(r string) string {
	if r == "" || ValidRegion(r) {
		return ""
	}
	return "a region looks like us-west-2 or eu-central-1"
}

const keyIDPattern = `([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-` +
	`[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})`

var (
	keyIDRe    = regexp.MustCompile(`^` + keyIDPattern + `$`)
	aliasRe    = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]{1,250}$`)
	kmsARNRe   = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(.+)$`)
	keyResRe   = regexp.MustCompile(`^key/` + keyIDPattern + `$`)
	aliasResRe = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]{1,250}$`)
)

// KMSKeyRegion returns the region named in a key ARN or alias ARN, or "" for an id or alias
// name (which KMS resolves in the region of the call).
func KMSKeyRegion(key string) string {
	m := kmsARNRe.FindStringSubmatch(key)
	if m == nil {
		return ""
	}
	return m[1]
}

func kmsKeyRule(key, region string) string {
	const shapes = "a KMS key is a key id (UUID or mrk-...), a key ARN, " +
		"an alias name (alias/NAME) or an alias ARN"
	if key == "" {
		return ""
	}
	if keyIDRe.MatchString(key) {
		return ""
	}
	if aliasRe.MatchString(key) {
		return awsManagedAliasRule(strings.TrimPrefix(key, "alias/"))
	}
	m := kmsARNRe.FindStringSubmatch(key)
	if m == nil || !ValidRegion(m[1]) {
		return shapes
	}
	if !keyResRe.MatchString(m[3]) && !aliasResRe.MatchString(m[3]) {
		return shapes
	}
	if m[1] != region {
		return fmt.Sprintf("the key is in %s but the buckets are in %s: "+
			"S3 can only use a KMS key in the bucket's own region", m[1], region)
	}
	if rest, ok := strings.CutPrefix(m[3], "alias/"); ok {
		return awsManagedAliasRule(rest)
	}
	return ""
}

func awsManagedAliasRule(name string) string {
	if strings.HasPrefix(name, "aws/") {
		return "alias/aws/ names an AWS-managed key, which Slateo's role in another " +
			"account can never use: name a customer-managed key"
	}
	return ""
}

// maxOrgIDLength leaves room in S3's 1024-byte keys for the prefixes and names after the org id.
const maxOrgIDLength = 128

func orgIDRule(id string) string {
	switch {
	case strings.Contains(id, "/"):
		return "the org id is one key prefix segment and has no /"
	case id != "" && CleanLine(id) != id:
		return "the org id has no control or invisible characters"
	case strings.ContainsAny(id, " \t"):
		return "the org id has no spaces"
	case len(id) > maxOrgIDLength:
		return fmt.Sprintf("the org id is at most %d bytes: it starts every object key, "+
			"and S3 keys are at most 1024", maxOrgIDLength)
	}
	return ""
}

func endpointRule(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "an endpoint URL is absolute, such as http://127.0.0.1:4566"
	}
	return ""
}
