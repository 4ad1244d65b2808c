package diagnostics

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"slateo-s3/model"
)

// Diagnose explains one denied call found in CloudTrail: it sets Check to the id of the
// check that fixes the cause (empty when no check of ours can) and Diagnosis to one line that
// names the setting at fault. It reads only the event and the settings.
func Diagnose(e model.Event, s model.Settings) model.Event {
	d := parseDenial(e)
	e.Check, e.Diagnosis = d.explain(s)
	return e
}

// denial is what one denied call says about itself, once its message is read.
type denial struct {
	source    string
	action    string
	resource  string
	principal string
	// bucket is the bucket the call was about, empty for KMS and account-level calls.
	bucket string
	// object is true when the call was about an object rather than the bucket.
	object bool
	// explicit is true for "with an explicit deny in ..." messages.
	explicit bool
	// policyType is the policy kind the message blames ("resource-based policy", ...),
	// empty for a plain "Access Denied".
	policyType string
	// blockedPublic is true when Block Public Access refused a public bucket policy.
	blockedPublic bool
	message       string
}

var (
	actionPattern = regexp.MustCompile(
		`not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)`)
	resourcePattern = regexp.MustCompile(`on resource: "?([^" ]+)"?`)
	implicitPattern = regexp.MustCompile(`because no ([a-zA-Z -]+?) allows`)
	explicitPattern = regexp.MustCompile(
		`with an explicit deny in an? ([a-zA-Z -]+?)(?:\.|$| \()`)
	kmsActionPattern = regexp.MustCompile(`kms:[A-Za-z*]+`)
	kmsARNPattern    = regexp.MustCompile(`arn:aws:kms:[^ "]+`)
)

func parseDenial(e model.Event) denial {
	d := denial{
		source:    e.Source,
		principal: e.Principal,
		resource:  e.Resource,
		message:   e.ErrorMessage,
	}
	if m := actionPattern.FindStringSubmatch(e.ErrorMessage); m != nil {
		d.action = m[1]
	} else {
		d.action = actionOf(e.Source, e.Name)
	}
	if m := resourcePattern.FindStringSubmatch(e.ErrorMessage); m != nil && d.resource == "" {
		d.resource = m[1]
	}
	if m := explicitPattern.FindStringSubmatch(e.ErrorMessage); m != nil {
		d.explicit, d.policyType = true, m[1]
	} else if m := implicitPattern.FindStringSubmatch(e.ErrorMessage); m != nil {
		d.policyType = m[1]
	}
	d.blockedPublic = strings.Contains(e.ErrorMessage, "BlockPublicPolicy")
	d.bucket, d.object = bucketOfARN(d.resource)
	if isObjectAction(d.action) {
		d.object = true
	}
	return d
}

// eventActions maps CloudTrail event names whose IAM action has another name.
var eventActions = map[string]string{
	"ListObjects":                "s3:ListBucket",
	"ListObjectsV2":              "s3:ListBucket",
	"HeadBucket":                 "s3:ListBucket",
	"HeadObject":                 "s3:GetObject",
	"CreateMultipartUpload":      "s3:PutObject",
	"UploadPart":                 "s3:PutObject",
	"CompleteMultipartUpload":    "s3:PutObject",
	"CopyObject":                 "s3:PutObject",
	"DeleteObjects":              "s3:DeleteObject",
	"GetBucketCors":              "s3:GetBucketCORS",
	"PutBucketCors":              "s3:PutBucketCORS",
	"DeleteBucketCors":           "s3:PutBucketCORS",
	"GetBucketEncryption":        "s3:GetEncryptionConfiguration",
	"PutBucketEncryption":        "s3:PutEncryptionConfiguration",
	"GetBucketPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
	"PutBucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
	"GetBucketLogging":           "s3:GetBucketLogging",
	"GetBucketVersioning":        "s3:GetBucketVersioning",
}

// actionOf names the IAM action behind a CloudTrail event, for messages that do not say it
// (S3 answers callers outside the bucket owner's organisation with a plain "Access Denied").
func actionOf(source, name string) string {
	if a, ok := eventActions[name]; ok && source == "s3.amazonaws.com" {
		return a
	}
	service, _, _ := strings.Cut(source, ".")
	if service == "" || name == "" {
		return name
	}
	return service + ":" + name
}

func isObjectAction(action string) bool {
	for _, a := range model.ObjectActions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}

// bucketOfARN returns the bucket of an S3 bucket or object ARN and whether it names an object.
func bucketOfARN(arn string) (bucket string, object bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
	if !ok {
		return "", false
	}
	bucket, key, object := strings.Cut(rest, "/")
	return bucket, object && key != ""
}

func (d denial) isKMS() bool {
	return d.source == "kms.amazonaws.com" || strings.HasPrefix(d.action, "kms:") ||
		strings.Contains(d.message, "kms:")
}

func (d denial) explain(s model.Settings) (check, diagnosis string) {
	slug, slateo := model.IsSlateoRole(d.principal)
	switch {
	case d.blockedPublic:
		return "public-access-block", fmt.Sprintf("Block Public Access refused a public policy "+
			"on bucket %s: keep BlockPublicPolicy on and name the org role %s as the principal, "+
			"not \"*\"", clean(d.bucket), s.RoleARN())
	case slateo && s.OrgSlug != "" && slug != s.OrgSlug:
		return "policy-principal", fmt.Sprintf("Slateo called as the role of org %q, but the "+
			"settings name org %q: set the org slug that Slateo shows and name that role in the "+
			"policies", clean(slug), s.OrgSlug)
	case slateo:
		return d.explainOrgRole(s)
	}
	return d.explainOwnCall()
}

func (d denial) explainOrgRole(s model.Settings) (check, diagnosis string) {
	if d.bucket != "" {
		if want, near := nearBucket(d.bucket, s); near {
			return "bucket-exists", fmt.Sprintf("Slateo called bucket %q but the configured "+
				"bucket is %q: bucket names are case-sensitive, enter the exact name in "+
				"Slateo's storage settings", clean(d.bucket), want)
		}
		if !isConfigured(d.bucket, s) {
			return "bucket-exists", fmt.Sprintf("Slateo called bucket %q, which is neither "+
				"configured bucket (%s): check the bucket names entered in Slateo's "+
				"storage settings", clean(d.bucket), strings.Join(s.BucketNames(), ", "))
		}
	}
	if d.policyType != "" && !strings.Contains(d.policyType, "resource") {
		// Identity-based, session, boundary, SCP and VPC endpoint policies of the caller
		// live in Slateo's account; only resource-based ones are the customer's.
		return "", fmt.Sprintf("Slateo's role was denied %s on Slateo's side (%s), not by "+
			"your bucket: contact Slateo support with this event", clean(d.action),
			d.reason())
	}
	if d.isKMS() {
		return d.explainKMS(s)
	}
	if d.explicit {
		return d.explainExplicit()
	}
	return d.explainNoAllow(s)
}

// reason restates the policy kind the message blamed.
func (d denial) reason() string {
	if d.explicit {
		article := "a "
		if strings.ContainsAny(d.policyType[:1], "aeiou") {
			article = "an "
		}
		return "an explicit deny in " + article + clean(d.policyType)
	}
	return "no " + clean(d.policyType) + " allows it"
}

func (d denial) explainExplicit() (check, diagnosis string) {
	if d.policyType == "resource control policy" {
		return "", fmt.Sprintf("a resource control policy of your AWS organization denies the "+
			"org role %s on %s: exempt the org role there", clean(d.action), clean(d.resource))
	}
	return "policy-deny", fmt.Sprintf("a Deny statement in the policy of %s blocks the org "+
		"role from %s: narrow or remove that Deny", clean(d.target()), clean(d.action))
}

func (d denial) explainNoAllow(s model.Settings) (check, diagnosis string) {
	bucket := clean(d.bucket)
	switch {
	case strings.EqualFold(d.action, "s3:ListBucket"):
		return "policy-resources", fmt.Sprintf("no bucket policy statement allows the org role "+
			"s3:ListBucket on %s: statement %s needs the bucket ARN itself (without /*) and "+
			"the principal %s", model.BucketARN(bucket), model.SidListBucket, s.RoleARN())
	case strings.EqualFold(d.action, "s3:GetObject"), strings.EqualFold(d.action, "s3:PutObject"):
		return "policy-resources", fmt.Sprintf("no bucket policy statement allows the org role "+
			"%s on the objects of %s: statement %s needs the resource %s and the principal %s",
			clean(d.action), bucket, model.SidObjectAccess, model.ObjectsARN(bucket), s.RoleARN())
	case isObjectAction(d.action):
		return "policy-actions", fmt.Sprintf("the bucket policy of %s does not allow the org "+
			"role %s: add it to statement %s", bucket, clean(d.action), model.SidObjectAccess)
	}
	return "policy-actions", fmt.Sprintf("the bucket policy of %s does not allow the org role "+
		"%s, which Slateo called", bucket, clean(d.action))
}

func (d denial) explainKMS(s model.Settings) (check, diagnosis string) {
	if strings.Contains(d.message, "aws/s3") || strings.Contains(d.resource, "alias/aws/s3") {
		return "encryption", "objects are encrypted with the AWS-managed aws/s3 key, which no " +
			"other account can use: switch default encryption to a customer-managed key " +
			"(or SSE-S3) and re-upload"
	}
	if d.explicit {
		return "kms-grant", fmt.Sprintf("a Deny in the key policy of %s blocks the org role "+
			"from %s: narrow or remove that Deny", clean(d.kmsTarget()), clean(d.kmsAction()))
	}
	return "kms-grant", fmt.Sprintf("the key policy of %s does not allow the org role %s: add "+
		"statement %s granting %s to %s", clean(d.kmsTarget()), clean(d.kmsAction()),
		model.SidKMS, strings.Join(model.KMSActions, ", "), s.RoleARN())
}

func (d denial) kmsAction() string {
	if strings.HasPrefix(d.action, "kms:") {
		return d.action
	}
	if m := kmsActionPattern.FindString(d.message); m != "" {
		return m
	}
	return "kms:Decrypt"
}

func (d denial) kmsTarget() string {
	if strings.HasPrefix(d.resource, "arn:aws:kms:") {
		return d.resource
	}
	if m := kmsARNPattern.FindString(d.message); m != "" {
		return strings.TrimRight(m, ".,")
	}
	return "the bucket's key"
}

func (d denial) target() string {
	if d.bucket != "" {
		return "bucket " + d.bucket
	}
	if d.resource != "" {
		return d.resource
	}
	return "the resource"
}

func (d denial) explainOwnCall() (check, diagnosis string) {
	who := clean(d.principal)
	if who == "" {
		who = "an anonymous caller"
	}
	if d.explicit && strings.Contains(d.policyType, "resource") {
		return "", fmt.Sprintf("a Deny in the policy of %s blocks %s from %s", clean(d.target()),
			who, clean(d.action))
	}
	why := ""
	if d.policyType != "" {
		why = " (" + d.reason() + ")"
	}
	return "", fmt.Sprintf("your credentials (%s) lack %s on %s%s", who, clean(d.action),
		clean(d.target()), why)
}

func isConfigured(bucket string, s model.Settings) bool {
	for _, b := range s.BucketNames() {
		if b == bucket {
			return true
		}
	}
	return false
}

// nearBucket returns the configured bucket that name is a mistyped form of.
func nearBucket(name string, s model.Settings) (string, bool) {
	for _, want := range s.BucketNames() {
		if want == "" || want == name {
			continue
		}
		if model.NearName(name, want) {
			return want, true
		}
	}
	return "", false
}

func clean(s string) string {
	return model.CleanLine(s)
}

// BlindSpots says what a CloudTrail search cannot see, so that an empty (or short) result is
// not taken for proof that nothing was denied, and what to run instead. found is how many
// denials the search found; trailsWithDataEvents is whether a trail records S3 data events
// for the buckets.
func BlindSpots(found int, trailsWithDataEvents bool) []string {
	var spots []string
	if found == 0 {
		spots = append(spots, "KMS denials of the org role are logged only in Slateo's account, "+
			"never in yours (only its successful KMS calls reach your trail, and they prove "+
			"the key works): run the kms-grant check instead")
	}
	if !trailsWithDataEvents {
		spots = append(spots, "object-level denials (GetObject, PutObject, DeleteObject, "+
			"tagging) are S3 data events, which event history never holds and no trail of "+
			"yours records for the buckets: enable S3 data events on a trail (see the "+
			"cloudtrail check) and reproduce the failure")
	} else if found == 0 {
		spots = append(spots, "object-level denials reach the trail's log files about 5 "+
			"minutes after the call: wait, or widen the window, and search again")
	}
	if found == 0 {
		spots = append(spots, "event history covers 90 days of this region only and lags "+
			"behind by up to 15 minutes: check the window and the region")
	}
	return spots
}

// policyBlame are the checks that can explain the org role's S3 denial when no statement
// of the bucket policy allows the call, in the order they are to blame: a wrong principal
// makes every other statement moot.
var policyBlame = []string{"policy-principal", "policy-deny", "policy-resources",
	"policy-actions"}

// Link points a diagnosed event at the check that the checklist found failing for it, when
// the event alone was not enough to tell: S3 answers Slateo's cross-account calls with a
// plain "Access Denied", so a denied GetObject may come from a wrong principal as well as a
// missing /* resource. A failing policy-principal on the event's bucket wins; otherwise the
// event's own check stands if it fails; otherwise the first failing policy check (or
// encryption, for a KMS denial) takes its place, with its summary as the diagnosis. Checks
// that could not be evaluated change nothing.
func Link(e model.Event, checks []model.Check) model.Event {
	candidates := candidateChecks(e.Check)
	if candidates == nil {
		return e
	}
	bucket, _ := bucketOfARN(e.Resource)
	failing := func(id string) (model.Check, bool) {
		for _, c := range checks {
			if c.ID == id && c.Status == model.Fail && (c.Bucket == bucket || bucket == "") {
				return c, true
			}
		}
		return model.Check{}, false
	}
	if c, ok := failing(candidates[0]); ok && c.ID != e.Check {
		return relink(e, c)
	}
	if _, ok := failing(e.Check); ok {
		return e
	}
	for _, id := range candidates[1:] {
		if c, ok := failing(id); ok {
			return relink(e, c)
		}
	}
	if allPass(checks, candidates, bucket) {
		e.Diagnosis = "the checks that explain this denial pass now, so it most likely " +
			"predates a fix (was: " + e.Diagnosis + ")"
	}
	return e
}

// allPass reports whether every one of the ids that was checked for the bucket passed.
func allPass(checks []model.Check, ids []string, bucket string) bool {
	seen := false
	for _, c := range checks {
		if !slices.Contains(ids, c.ID) || (c.Bucket != bucket && bucket != "") {
			continue
		}
		if c.Status != model.Pass && c.Status != model.Skip {
			return false
		}
		seen = true
	}
	return seen
}

func candidateChecks(check string) []string {
	switch check {
	case "policy-principal", "policy-deny", "policy-resources", "policy-actions":
		return policyBlame
	case "kms-grant", "encryption":
		return []string{"encryption", "kms-grant"}
	}
	return nil
}

func relink(e model.Event, c model.Check) model.Event {
	e.Check = c.ID
	e.Diagnosis = fmt.Sprintf("Slateo was denied %s on %s: %s", clean(e.Name),
		clean(e.Resource), clean(c.Summary))
	return e
}

// KMSBlindSpot says why a failing kms-grant check has no denial to show for it: KMS logs the
// org role's denied calls only in Slateo's account. It returns "" when kms-grant does not
// fail or a KMS denial was found anyway.
func KMSBlindSpot(events []model.Event, checks []model.Check) string {
	for _, e := range events {
		if e.Check == "kms-grant" || e.Check == "encryption" {
			return ""
		}
	}
	for _, c := range checks {
		if c.ID == "kms-grant" && c.Status == model.Fail {
			return "the kms-grant check fails, yet no KMS denial shows here: KMS logs the " +
				"org role's denied calls only in Slateo's account; fix the key policy as " +
				"that check says"
		}
	}
	return ""
}
