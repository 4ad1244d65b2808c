package diagnostics

import (
	"fmt"
	"strings"

	"slateo-s3/model"
)

func bucketExists(s model.Settings, b model.BucketState) model.Check {
	id := IDBucketExists
	if b.Name == "" {
		c := newCheck(id, b.Name, model.Fail, fmt.Sprintf("no %s bucket name is set", b.Purpose))
		return withFix(c, "", fmt.Sprintf("Set --%s-bucket or --company.", b.Purpose))
	}
	if b.Presence.IsUnreadable() {
		return unreadable(id, b.Name, "whether bucket "+b.Name+" exists", b.Presence)
	}
	switch b.Presence.Value {
	case model.Owned:
		return pass(id, b.Name, fmt.Sprintf("bucket %s exists in your account", b.Name),
			fmt.Sprintf("The %s bucket is %s.", b.Purpose, b.Name))
	case model.Foreign:
		c := newCheck(id, b.Name, model.Fail,
			fmt.Sprintf("bucket %s belongs to another AWS account", b.Name))
		return withFix(c, "Bucket names are global; this one is taken by an account that is "+
			"not yours, so Slateo would write your data to someone else's bucket.",
			fmt.Sprintf("Choose another name: --%s-bucket NAME (then create it).", b.Purpose))
	}
	c := newCheck(id, b.Name, model.Fail, fmt.Sprintf("bucket %s does not exist", b.Name))
	return withFix(c, "S3 answered that no bucket has this name. Bucket names are "+
		"case-sensitive and must match what Slateo is configured with.",
		createBucketFix(b.Name, s.EffectiveRegion()))
}

// normRegion turns GetBucketLocation's answers into region names: empty is us-east-1 and
// the legacy EU is eu-west-1.
func normRegion(r string) string {
	switch r {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return r
}

func bucketRegion(s model.Settings, b model.BucketState) model.Check {
	id := IDBucketRegion
	if b.Region.IsUnreadable() {
		return unreadable(id, b.Name, "the region of bucket "+b.Name, b.Region)
	}
	got, want := normRegion(b.Region.Value), s.EffectiveRegion()
	if got == want {
		return pass(id, b.Name, "bucket is in "+got+", the configured region",
			"Any AWS region works; us-west-2 is closest to Slateo.")
	}
	c := newCheck(id, b.Name, model.Fail,
		fmt.Sprintf("bucket is in %s, not in the configured region %s", got, want))
	return withFix(c, fmt.Sprintf("GetBucketLocation: %q. Slateo reaches the bucket "+
		"through the AWS Region set in its storage settings; both buckets must be in it.",
		b.Region.Value),
		fmt.Sprintf("A bucket cannot move. Either set the region to %s (in Slateo: Admin → "+
			"Databases → gear → AWS Region; here: --region %s), or create the bucket in %s:\n%s",
			got, got, want, createBucketFix(b.Name, want)))
}

func publicAccessBlock(b model.BucketState) model.Check {
	id, f := IDPublicAccessBlock, b.PublicAccessBlock
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the Block Public Access settings", f)
	}
	if f.IsAbsent() {
		c := newCheck(id, b.Name, model.Fail, "Block Public Access is not configured")
		return withFix(c, "GetPublicAccessBlock: "+f.Reason+". The setup guide requires "+
			"all four flags on both buckets.", publicAccessBlockFix(b.Name))
	}
	p := f.Value
	if p.AllOn() {
		return pass(id, b.Name, "all four Block Public Access flags are on", "")
	}
	var off []string
	for _, fl := range []struct {
		name string
		on   bool
	}{
		{"BlockPublicAcls", p.BlockPublicAcls}, {"IgnorePublicAcls", p.IgnorePublicAcls},
		{"BlockPublicPolicy", p.BlockPublicPolicy},
		{"RestrictPublicBuckets", p.RestrictPublicBuckets},
	} {
		if !fl.on {
			off = append(off, fl.name+"=false")
		}
	}
	c := newCheck(id, b.Name, model.Fail, "Block Public Access is off: "+strings.Join(off, ", "))
	return withFix(c, "Bucket-level flags: "+strings.Join(off, ", ")+
		". The setup guide requires all four to be true.", publicAccessBlockFix(b.Name))
}

func ownershipCheck(b model.BucketState) model.Check {
	id, f := IDObjectOwnership, b.Ownership
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the Object Ownership setting", f)
	}
	if f.IsPresent() && f.Value == "BucketOwnerEnforced" {
		return pass(id, b.Name, "Object Ownership is BucketOwnerEnforced (ACLs off)",
			"Your account owns every object Slateo writes.")
	}
	got := f.Value
	if f.IsAbsent() {
		got = "not configured (" + f.Reason + ")"
	}
	c := newCheck(id, b.Name, model.Warn, "Object Ownership is "+got+", not BucketOwnerEnforced")
	return withFix(c, "With ACLs enabled, objects Slateo's account writes may stay owned by "+
		"Slateo's account instead of yours.", ownershipFix(b.Name))
}

func versioningCheck(b model.BucketState) model.Check {
	id, f := IDVersioning, b.Versioning
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the versioning status", f)
	}
	if f.IsPresent() && f.Value == "Enabled" {
		return pass(id, b.Name, "versioning is enabled", "")
	}
	summary := "versioning was never enabled"
	if f.Value != "" {
		summary = "versioning is " + strings.ToLower(f.Value)
	}
	c := newCheck(id, b.Name, model.Warn, summary)
	return withFix(c, "Versioning protects against accidental deletion (recommended, "+
		"optional). Consider a lifecycle rule that expires old versions, especially on the "+
		"cache bucket.", versioningFix(b.Name))
}

func loggingCheck(s model.Settings, b model.BucketState) model.Check {
	id, f := IDAccessLogging, b.Logging
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the server access logging setting", f)
	}
	target := f.Value.TargetBucket
	switch {
	case target == "":
		c := newCheck(id, b.Name, model.Warn, "server access logging is off")
		return withFix(c, "Server access logs to a separate bucket are recommended.",
			loggingFix(s, b.Name))
	case target == b.Name:
		c := newCheck(id, b.Name, model.Warn, "server access logs are written to the bucket itself")
		return withFix(c, fmt.Sprintf("TargetBucket %q: each log delivery is itself logged, "+
			"and logs mix with Slateo's data.", target), loggingFix(s, b.Name))
	}
	return pass(id, b.Name, "server access logs go to "+target,
		fmt.Sprintf("TargetBucket %q, TargetPrefix %q", target, f.Value.TargetPrefix))
}

// objectsCheck shows whether Slateo has written under the org's prefixes yet.
func objectsCheck(s model.Settings, b model.BucketState) model.Check {
	id := IDSlateoObjects
	prefix := orgPrefix(s.OrgID, b.Purpose)
	if s.OrgID == "" {
		return newCheck(id, b.Name, model.Skip, "skipped: the Slateo org id is not set (--org-id)")
	}
	f, ok := b.Objects[prefix]
	if !ok {
		return newCheck(id, b.Name, model.Skip, "skipped: objects under "+prefix+" were not listed")
	}
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the objects under "+prefix, f)
	}
	if len(f.Value) == 0 {
		action := "run a query in Slateo"
		if b.Purpose == model.Uploads {
			action = "upload a CSV in Slateo"
		}
		c := newCheck(id, b.Name, model.Warn, "Slateo has not written anything under "+prefix+" yet")
		return withFix(c, "Once Slateo uses the bucket, objects appear under "+prefix+".",
			"After saving the storage settings in Slateo, "+action+" and check again.")
	}
	newest := f.Value[0]
	for _, o := range f.Value[1:] {
		if o.LastModified.After(newest.LastModified) {
			newest = o
		}
	}
	return pass(id, b.Name, fmt.Sprintf("Slateo has written under %s (%d objects listed)",
		prefix, len(f.Value)), fmt.Sprintf("Newest: %s (%d bytes, %s)", newest.Key,
		newest.Size, newest.LastModified.UTC().Format("2006-01-02 15:04 MST")))
}

func orgPrefix(orgID string, p model.Purpose) string {
	if p == model.Cache {
		return orgID + "/query-cache/parquet/"
	}
	return orgID + "/uploads/"
}
