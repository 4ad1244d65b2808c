package diagnostics

import (
	"fmt"
	"strings"

	"slateo-s3/model"
)

func distinctBuckets(s model.Settings) model.Check {
	id := IDDistinctBuckets
	up, cache := s.UploadsBucketName(), s.CacheBucketName()
	if up == "" || cache == "" {
		c := newCheck(id, "", model.Fail, "both bucket names are required")
		return withFix(c, fmt.Sprintf("uploads: %q, cache: %q", up, cache),
			"Set --company, or --uploads-bucket and --cache-bucket.")
	}
	if up == cache {
		c := newCheck(id, "", model.Fail, "uploads and cache are the same bucket "+up)
		return withFix(c, "Slateo requires two separate buckets (isolation, different "+
			"lifecycle policies).", "Use a second bucket, for example --cache-bucket "+
			strings.TrimSuffix(up, "-uploads")+"-cache")
	}
	return pass(id, "", "uploads and cache are separate buckets", up+" and "+cache)
}

func cloudTrail(s model.State) model.Check {
	id, f := IDCloudTrail, s.Trails
	if f.IsUnreadable() {
		return unreadable(id, "", "the CloudTrail trails", f)
	}
	region := s.Settings.EffectiveRegion()
	var inRegion []model.Trail
	for _, t := range f.Value {
		if t.MultiRegion || t.HomeRegion == region {
			inRegion = append(inRegion, t)
		}
	}
	if len(inRegion) == 0 {
		c := newCheck(id, "", model.Warn, "no CloudTrail trail covers "+region)
		return withFix(c, "Without a trail, denied S3 calls leave no record you can "+
			"search.", createTrailFix(s))
	}
	var logging []model.Trail
	unknown := false
	for _, t := range inRegion {
		switch {
		case t.IsLogging.IsUnreadable():
			unknown = true
		case t.IsLogging.Value:
			logging = append(logging, t)
		}
	}
	if len(logging) == 0 {
		return notLogging(inRegion, unknown)
	}
	return dataEvents(s.Settings, logging)
}

func notLogging(trails []model.Trail, unknown bool) model.Check {
	if unknown {
		c := newCheck(IDCloudTrail, "", model.Unknown, "could not tell whether any trail is logging")
		c.Detail = trailNames(trails)
		return c
	}
	t := trails[0]
	c := newCheck(IDCloudTrail, "", model.Warn, "trail "+t.Name+" exists but is not logging")
	return withFix(c, trailNames(trails), fmt.Sprintf(
		"aws cloudtrail start-logging --region %s --name %s", t.HomeRegion, t.ARN))
}

func dataEvents(s model.Settings, logging []model.Trail) model.Check {
	buckets := s.BucketNames()
	unknown := false
	for _, t := range logging {
		if t.Selectors.IsUnreadable() {
			unknown = true
			continue
		}
		if t.LogsDataEventsFor(buckets[0]) && t.LogsDataEventsFor(buckets[1]) {
			return pass(IDCloudTrail, "", "trail "+t.Name+" records S3 data events for both "+
				"buckets", trailNames(logging))
		}
	}
	if unknown {
		c := newCheck(IDCloudTrail, "", model.Unknown, "could not read the event selectors "+
			"of the logging trails")
		c.Detail = trailNames(logging)
		return c
	}
	t := logging[0]
	c := newCheck(IDCloudTrail, "", model.Warn, "trail "+t.Name+" is logging, but no trail "+
		"records S3 data events for both buckets")
	return withFix(c, trailNames(logging)+"\nDenied GetObject/PutObject calls by Slateo "+
		"are data events: without them CloudTrail cannot show why Slateo was denied. "+
		"Data events are charged per event.", eventSelectorsFix(s, t.Name))
}

func trailNames(ts []model.Trail) string {
	lines := make([]string, len(ts))
	for i, t := range ts {
		logging := "logging unknown"
		if t.IsLogging.IsPresent() {
			logging = fmt.Sprintf("logging %t", t.IsLogging.Value)
		}
		sel := "selectors unknown"
		if t.Selectors.IsPresent() {
			sel = "selectors " + compactJSON(t.Selectors.Value)
		}
		lines[i] = fmt.Sprintf("%s (%s, home %s, multi-region %t): %s; %s", t.Name, t.ARN,
			t.HomeRegion, t.MultiRegion, logging, sel)
	}
	return strings.Join(lines, "\n")
}

func createTrailFix(s model.State) string {
	st := s.Settings
	name, bucket, region := "slateo-s3-audit", trailBucketName(st), st.EffectiveRegion()
	return fmt.Sprintf("Create a bucket for the trail's log files that CloudTrail may write "+
		"to, then the trail:\n%s\n%s\n"+
		"aws cloudtrail create-trail --region %s --name %s --s3-bucket-name %s "+
		"--is-multi-region-trail\n%s\naws cloudtrail start-logging --region %s --name %s",
		createBucketFix(bucket, region), trailBucketPolicyFix(bucket, s.Caller), region,
		name, bucket, eventSelectorsFix(st, name), region, name)
}

// trailBucketPolicyFix lets CloudTrail check the log bucket and write log files to it.
func trailBucketPolicyFix(bucket string, caller model.Fact[model.Caller]) string {
	logs := model.BucketARN(bucket) + "/AWSLogs/*"
	if caller.IsPresent() && caller.Value.Account != "" {
		logs = model.BucketARN(bucket) + "/AWSLogs/" + caller.Value.Account + "/*"
	}
	pol := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow",`+
		`"Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl",`+
		`"Resource":"%s"},{"Sid":"AWSCloudTrailWrite","Effect":"Allow",`+
		`"Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",`+
		`"Resource":"%s","Condition":{"StringEquals":`+
		`{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`, model.BucketARN(bucket), logs)
	return fmt.Sprintf("aws s3api put-bucket-policy --bucket %s --policy %s", bucket,
		model.ShellQuote(pol))
}

func trailBucketName(s model.Settings) string {
	if s.Company != "" {
		return s.Company + "-cloudtrail-logs"
	}
	return strings.TrimSuffix(s.UploadsBucketName(), "-uploads") + "-cloudtrail-logs"
}
