package diagnostics

import (
	"slateo-s3/model"
)

// Checklist runs every check: those of the uploads bucket, then those of the cache bucket,
// then the account checks. A fact that could not be read never yields pass.
func Checklist(s model.State) []model.Check {
	var out []model.Check
	for _, b := range orderedBuckets(s) {
		out = append(out, bucketChecks(s, b)...)
	}
	out = append(out, distinctBuckets(s.Settings), cloudTrail(s))
	for i := range out {
		out[i] = sanitize(out[i])
	}
	return out
}

// orderedBuckets returns the uploads bucket and then the cache bucket; one that the state
// lacks is listed with nothing read, so that its checks come out unknown.
func orderedBuckets(s model.State) []model.BucketState {
	out := make([]model.BucketState, 0, 2)
	for _, p := range []model.Purpose{model.Uploads, model.Cache} {
		out = append(out, findBucket(s, p))
	}
	return out
}

func findBucket(s model.State, p model.Purpose) model.BucketState {
	for _, b := range s.Buckets {
		if b.Purpose == p {
			return b
		}
	}
	name := s.Settings.UploadsBucketName()
	if p == model.Cache {
		name = s.Settings.CacheBucketName()
	}
	return model.BucketState{Name: name, Purpose: p}
}

func bucketChecks(s model.State, b model.BucketState) []model.Check {
	exists := bucketExists(s.Settings, b)
	if !b.Presence.IsPresent() || b.Presence.Value != model.Owned {
		return append([]model.Check{exists}, gatedChecks(b, exists)...)
	}
	out := []model.Check{exists, bucketRegion(s.Settings, b), publicAccessBlock(b)}
	if s.Settings.OrgSlug == "" {
		return append(out, noSlugChecks(s, b)...)
	}
	out = append(out, policyChecks(s, b)...)
	out = append(out, corsCheck(s, b), encryptionCheck(s, b), kmsGrantCheck(s, b))
	out = append(out, ownershipCheck(b), versioningCheck(b), loggingCheck(s.Settings, b))
	return append(out, objectsCheck(s.Settings, b))
}

// gatedChecks are the bucket's other checks when it does not exist, belongs to someone else,
// or its existence could not be read.
func gatedChecks(b model.BucketState, exists model.Check) []model.Check {
	st, summary := model.Skip, "skipped: bucket "+b.Name+" does not exist"
	switch {
	case b.Presence.IsUnreadable():
		st, summary = model.Unknown, "unknown: could not tell whether bucket "+b.Name+" exists"
	case b.Presence.IsPresent() && b.Presence.Value == model.Foreign:
		summary = "skipped: bucket " + b.Name + " belongs to another AWS account"
	}
	out := make([]model.Check, 0, len(BucketCheckIDs)-1)
	for _, id := range BucketCheckIDs[1:] {
		out = append(out, newCheck(id, b.Name, st, summary))
	}
	return out
}

// noSlugChecks are the bucket's checks when the org slug is not set: without it the org
// role, and so the policy, CORS and key checks, cannot be known.
func noSlugChecks(s model.State, b model.BucketState) []model.Check {
	var out []model.Check
	for _, id := range []string{IDPolicyPrincipal, IDPolicyActions, IDPolicyResources,
		IDPolicyDeny, IDCORS} {
		c := newCheck(id, b.Name, model.Unknown, "unknown: the Slateo org slug is not set")
		c.Fix = "Set --org to the subdomain of your Slateo site (acme for acme.slateo.ai)."
		out = append(out, c)
	}
	out = append(out, encryptionCheck(s, b))
	c := newCheck(IDKMSGrant, b.Name, model.Unknown, "unknown: the Slateo org slug is not set")
	out = append(out, c, ownershipCheck(b), versioningCheck(b), loggingCheck(s.Settings, b))
	return append(out, objectsCheck(s.Settings, b))
}
