package diagnostics

import (
	"fmt"
	"strings"

	"slateo-s3/diagnostics/policy"
	"slateo-s3/model"
)

// isAWSManaged reports whether the bucket's SSE-KMS key is the AWS-managed aws/s3 key.
func isAWSManaged(enc model.Encryption, keys []model.KeyState) bool {
	if enc.KMSKeyID == "" || strings.HasSuffix(enc.KMSKeyID, "alias/aws/s3") {
		return true
	}
	k, ok := findKey(keys, enc.KMSKeyID)
	return ok && k.Metadata.IsPresent() && k.Metadata.Value.Manager == "AWS"
}

// findKey finds a key by the reference a bucket or the settings used: key id, key ARN,
// alias name or alias ARN.
func findKey(keys []model.KeyState, ref string) (model.KeyState, bool) {
	if ref == "" {
		return model.KeyState{}, false
	}
	for _, k := range keys {
		if k.Ref == ref || (aliasName(ref) != "" && aliasName(ref) == aliasName(k.Ref)) {
			return k, true
		}
	}
	for _, k := range keys {
		m := k.Metadata.Value
		if !k.Metadata.IsPresent() || m.KeyID == "" {
			continue
		}
		if ref == m.KeyID || ref == m.ARN || strings.HasSuffix(ref, ":key/"+m.KeyID) {
			return k, true
		}
	}
	return model.KeyState{}, false
}

// aliasName returns alias/NAME for an alias name or alias ARN, else "".
func aliasName(ref string) string {
	if i := strings.Index(ref, "alias/"); i >= 0 && (i == 0 || ref[i-1] == ':') {
		return ref[i:]
	}
	return ""
}

func sameKey(keys []model.KeyState, a, b string) bool {
	if a == b {
		return true
	}
	ka, okA := findKey(keys, a)
	kb, okB := findKey(keys, b)
	if !okA || !okB {
		return false
	}
	if ka.Ref == kb.Ref {
		return true
	}
	return ka.Metadata.IsPresent() && kb.Metadata.IsPresent() &&
		ka.Metadata.Value.ARN == kb.Metadata.Value.ARN
}

func encryptionCheck(s model.State, b model.BucketState) model.Check {
	id, f := IDEncryption, b.Encryption
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the default encryption", f)
	}
	if f.IsAbsent() {
		return pass(id, b.Name, "no default encryption rule; S3 encrypts with SSE-S3",
			"GetBucketEncryption: "+f.Reason)
	}
	e := f.Value
	if !e.UsesKMS() {
		return pass(id, b.Name, "default encryption is SSE-S3 ("+e.Algorithm+")", "")
	}
	if isAWSManaged(e, s.Keys) {
		key := e.KMSKeyID
		if key == "" {
			key = "the default aws/s3 key (no key id)"
		}
		c := newCheck(id, b.Name, model.Fail, "default encryption uses the AWS-managed "+
			"aws/s3 key, which Slateo's role can never use")
		return withFix(c, fmt.Sprintf("SSEAlgorithm %s, key %s. The aws/s3 key's policy "+
			"admits only callers of your own account, and it cannot be changed. Objects "+
			"already encrypted with it stay unreadable to Slateo; copy them in place after "+
			"the fix.", e.Algorithm, key), encryptionFix(b.Name, s.Settings.KMSKey))
	}
	k, ok := findKey(s.Keys, e.KMSKeyID)
	if !ok || !k.Metadata.IsPresent() {
		c := newCheck(id, b.Name, model.Unknown, "could not tell whether key "+e.KMSKeyID+
			" is customer-managed or the AWS-managed aws/s3 key")
		if ok {
			c.Detail = "DescribeKey: " + k.Metadata.Reason + missingSuffix(k.Metadata.MissingAction)
		}
		return c
	}
	return pass(id, b.Name, "default encryption is "+e.Algorithm+" with customer-managed "+
		"key "+e.KMSKeyID, fmt.Sprintf("BucketKeyEnabled: %t", e.BucketKeyEnabled))
}

// finding is one observation of a multi-part check.
type finding struct {
	status model.Status
	text   string
}

func kmsGrantCheck(s model.State, b model.BucketState) model.Check {
	id, f := IDKMSGrant, b.Encryption
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the default encryption", f)
	}
	conf := s.Settings.KMSKey
	if !f.IsPresent() || !f.Value.UsesKMS() {
		if conf != "" {
			c := newCheck(id, b.Name, model.Warn, "--kms-key "+conf+" is configured, but the "+
				"bucket does not use SSE-KMS")
			return withFix(c, "The bucket encrypts new objects with SSE-S3.",
				encryptionFix(b.Name, conf))
		}
		return newCheck(id, b.Name, model.Skip, "skipped: the bucket does not use SSE-KMS")
	}
	if isAWSManaged(f.Value, s.Keys) {
		return newCheck(id, b.Name, model.Skip, "skipped: the AWS-managed aws/s3 key cannot "+
			"be granted to another account (see encryption)")
	}
	ref := f.Value.KMSKeyID
	var fs []finding
	if conf != "" && !sameKey(s.Keys, conf, ref) {
		fs = append(fs, finding{model.Warn, fmt.Sprintf("--kms-key %s is configured, but the "+
			"bucket uses key %s", conf, ref)})
	}
	k, ok := findKey(s.Keys, ref)
	if !ok {
		fs = append(fs, finding{model.Unknown, "key " + ref + " was not read"})
		return findingsCheck(id, b.Name, fs, "")
	}
	fs = append(fs, keyStateFindings(s, b, k)...)
	fs = append(fs, keyPolicyFindings(s, b, k)...)
	return findingsCheck(id, b.Name, fs, keyPolicyFix(keyIDFor(k), s.Settings.OrgSlug))
}

func keyIDFor(k model.KeyState) string {
	if k.Metadata.IsPresent() && k.Metadata.Value.ARN != "" {
		return k.Metadata.Value.ARN
	}
	return k.Ref
}

func keyStateFindings(s model.State, b model.BucketState, k model.KeyState) []finding {
	if k.Metadata.IsUnreadable() {
		return []finding{{model.Unknown, "could not describe key " + k.Ref + ": " +
			k.Metadata.Reason + missingSuffix(k.Metadata.MissingAction)}}
	}
	m := k.Metadata.Value
	var fs []finding
	region := s.Settings.EffectiveRegion()
	if b.Region.IsPresent() {
		region = normRegion(b.Region.Value)
	} else {
		fs = append(fs, finding{model.Unknown, "the bucket's region was not read, so the " +
			"key's region " + m.Region + " cannot be compared with it"})
	}
	if m.Region != "" && m.Region != region {
		fs = append(fs, finding{model.Fail, fmt.Sprintf("key %s is in %s, the bucket in %s: "+
			"S3 can only use a key of the bucket's region", m.ARN, m.Region, region)})
	}
	switch {
	case m.State == "PendingDeletion":
		when := "on a date KMS did not give"
		if m.DeletionDate != nil {
			when = "on " + m.DeletionDate.UTC().Format("2006-01-02 15:04 MST")
		}
		fs = append(fs, finding{model.Fail, fmt.Sprintf("key %s is pending deletion, %s; "+
			"cancel with: aws kms cancel-key-deletion --key-id %s && aws kms enable-key "+
			"--key-id %s", m.ARN, when, m.ARN, m.ARN)})
	case m.State != "Enabled" || !m.Enabled:
		fs = append(fs, finding{model.Fail, fmt.Sprintf("key %s is %s, not Enabled; enable "+
			"with: aws kms enable-key --key-id %s", m.ARN, m.State, m.ARN)})
	}
	return fs
}

func missingSuffix(action string) string {
	if action == "" {
		return ""
	}
	return " (your credentials lack " + action + ")"
}

func keyPolicyFindings(s model.State, b model.BucketState, k model.KeyState) []finding {
	if k.Policy.IsUnreadable() {
		return []finding{{model.Unknown, "could not read the key policy: " + k.Policy.Reason +
			missingSuffix(k.Policy.MissingAction)}}
	}
	pol, err := policy.Parse(k.Policy.Value)
	if err != nil {
		return []finding{{model.Unknown, "the key policy could not be analysed: " + err.Error()}}
	}
	region := ""
	if b.Region.IsPresent() {
		region = normRegion(b.Region.Value)
	}
	ctx := kmsContext(s.Settings, region, s.Caller)
	var fs []finding
	for _, a := range model.KMSActions {
		d := policy.Evaluate(pol, policy.Request{Caller: slateoCaller(s.Settings), Action: a,
			Resource: keyIDFor(k), Context: ctx})
		fs = append(fs, kmsDecision(a, d))
	}
	return fs
}

func kmsDecision(action string, d policy.Decision) finding {
	switch d.Outcome {
	case policy.Denied:
		return finding{model.Fail, fmt.Sprintf("%s: denied by %s: %s", action,
			d.Deny.Statement.Label(), d.Deny.Statement.Raw)}
	case policy.NotAllowed:
		return finding{model.Fail, action + ": the key policy does not allow the org role"}
	case policy.Undecided:
		return finding{model.Warn, action + ": cannot tell: " +
			strings.Join(dedupe(append(d.Deny.Reasons, d.Allow.Reasons...)), "; ")}
	}
	switch d.Allow.Via {
	case policy.ViaAccount:
		return finding{model.Warn, fmt.Sprintf("%s: allowed only through a grant to Slateo's "+
			"whole account (%s), which lets every Slateo customer's role in", action,
			d.Allow.Statement.Label())}
	case policy.ViaAnyone:
		return finding{model.Warn, fmt.Sprintf("%s: allowed to everyone by %s", action,
			d.Allow.Statement.Label())}
	}
	return finding{model.Pass, fmt.Sprintf("%s: allowed by %s", action,
		d.Allow.Statement.Label())}
}

// findingsCheck turns findings into one check whose status is the worst finding's and whose
// summary is that finding.
func findingsCheck(id, bucket string, fs []finding, fix string) model.Check {
	sts := make([]model.Status, len(fs))
	lines := make([]string, len(fs))
	for i, f := range fs {
		sts[i], lines[i] = f.status, string(f.status)+": "+f.text
	}
	st := worst(sts...)
	c := newCheck(id, bucket, st, "")
	c.Detail = strings.Join(lines, "\n")
	if st == model.Pass {
		c.Summary = "the org role may use the key: " + strings.Join(model.KMSActions, ", ")
		return c
	}
	for _, f := range fs {
		if f.status == st {
			c.Summary = firstLine(f.text)
			break
		}
	}
	c.Fix = fix
	return c
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 160 {
		line = line[:157] + "..."
	}
	return line
}
