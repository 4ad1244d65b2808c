package diagnostics

// Runbook is one troubleshooting guide of the setup guide: ordered steps, each linked to the
// checks and probes that answer it.
type Runbook struct {
	ID    string
	Title string
	Steps []Step
}

// Step is one step of a runbook.
type Step struct {
	Title   string
	Explain string
	// Checks are the ids of the checks whose results answer the step.
	Checks []string
	// Probe names a live test the console can run: ProbeCORSPreflight, ProbeCloudTrail, or "".
	Probe string
	// Manual is what the person has to do or look at themselves, if anything.
	Manual string
}

// Probes a runbook step can ask for.
const (
	ProbeCORSPreflight = "cors-preflight"
	ProbeCloudTrail    = "cloudtrail"
)

// Runbooks returns the four runbooks of the setup guide, in its order.
func Runbooks() []Runbook {
	return []Runbook{accessDenied(), browserDownloads(), kmsFailures(), general()}
}

func accessDenied() Runbook {
	return Runbook{ID: "access-denied", Title: "Access denied", Steps: []Step{
		{
			Title:   "Slateo's S3 storage status reads Ready",
			Explain: "Slateo shows whether it can reach the buckets with the org role.",
			Manual: "In Slateo open Admin → Databases → the gear icon on the database " +
				"connection, and read the storage status.",
		},
		{
			Title: "The bucket policy names exactly the org role ARN",
			Explain: "Right account (880265510198), right org slug, no other role; and no " +
				"Deny statement that catches the role.",
			Checks: []string{IDPolicyPrincipal, IDPolicyDeny},
		},
		{
			Title: "Bucket names match exactly",
			Explain: "Names are case-sensitive; the fields in Slateo must hold exactly these " +
				"two existing, separate buckets.",
			Checks: []string{IDBucketExists, IDDistinctBuckets},
			Manual: "Compare \"S3 Upload Bucket\" and \"S3 Cache Bucket\" in Slateo with " +
				"the bucket names shown here.",
		},
		{
			Title: "The policy covers the bucket and its objects",
			Explain: "s3:ListBucket on arn:aws:s3:::BUCKET and the object actions on " +
				"arn:aws:s3:::BUCKET/*.",
			Checks: []string{IDPolicyResources, IDPolicyActions},
			Probe:  ProbeCloudTrail,
		},
	}}
}

func browserDownloads() Runbook {
	return Runbook{ID: "browser-downloads", Title: "Browser download failures (TypeError: " +
		"Failed to fetch)", Steps: []Step{
		{
			Title:   "CORS is on the cache bucket, not the uploads bucket",
			Explain: "Query results download from the cache bucket.",
			Checks:  []string{IDCORS},
			Probe:   ProbeCORSPreflight,
		},
		{
			Title:   "AllowedOrigins include https://*.slateo.ai and https://slateo.ai",
			Explain: "S3 compares scheme, host and port exactly; one * per origin.",
			Checks:  []string{IDCORS},
			Probe:   ProbeCORSPreflight,
		},
		{
			Title:   "AllowedMethods include GET and HEAD",
			Explain: "The first rule that matches origin, method and headers wins.",
			Checks:  []string{IDCORS},
			Probe:   ProbeCORSPreflight,
		},
		{
			Title:   "The browser may have cached a failed preflight",
			Explain: "Browsers keep preflight answers for up to MaxAgeSeconds.",
			Manual: "Hard refresh (Cmd+Shift+R on macOS, Ctrl+Shift+R elsewhere) or try an " +
				"incognito window.",
		},
	}}
}

func kmsFailures() Runbook {
	return Runbook{ID: "kms-decryption", Title: "KMS decryption failures", Steps: []Step{
		{
			Title: "The key policy grants the org role access",
			Explain: "kms:Decrypt, kms:Encrypt and kms:GenerateDataKey for the org role; the " +
				"AWS-managed aws/s3 key can never be shared.",
			Checks: []string{IDEncryption, IDKMSGrant},
			Probe:  ProbeCloudTrail,
		},
		{
			Title:   "The key is in the same region as the bucket",
			Explain: "S3 only uses keys of the bucket's region.",
			Checks:  []string{IDKMSGrant, IDBucketRegion},
		},
		{
			Title:   "The key is enabled and not pending deletion",
			Explain: "A disabled key or one scheduled for deletion refuses every request.",
			Checks:  []string{IDKMSGrant},
		},
	}}
}

func general() Runbook {
	return Runbook{ID: "general", Title: "General", Steps: []Step{
		{
			Title:   "The buckets are in a supported region",
			Explain: "Any AWS region is supported; it must be the one configured in Slateo.",
			Checks:  []string{IDBucketRegion},
		},
		{
			Title: "CloudTrail has the detailed errors",
			Explain: "Denied S3 object calls are data events: a trail must record them for " +
				"the two buckets.",
			Checks: []string{IDCloudTrail},
			Probe:  ProbeCloudTrail,
		},
		{
			Title:   "Support wants the org slug and the error details",
			Explain: "A report gathers the settings, the checklist and recent denials.",
			Manual:  "Run slateo-s3 report and attach its output to the support ticket.",
		},
	}}
}
