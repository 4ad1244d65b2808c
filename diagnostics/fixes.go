package diagnostics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"slateo-s3/model"
)

// These render the exact commands and documents of the setup guide with the user's values.

func createBucketFix(bucket, region string) string {
	cmd := fmt.Sprintf("aws s3api create-bucket --bucket %s --region %s", bucket, region)
	if region != "us-east-1" {
		cmd += " --create-bucket-configuration LocationConstraint=" + region
	}
	return cmd + "\n" + publicAccessBlockFix(bucket)
}

func publicAccessBlockFix(bucket string) string {
	return fmt.Sprintf("aws s3api put-public-access-block --bucket %s "+
		"--public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,"+
		"BlockPublicPolicy=true,RestrictPublicBuckets=true", bucket)
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// bucketPolicyFix tells how to add the guide's statements and keep the others.
func bucketPolicyFix(bucket, slug string) string {
	return "Add these two statements to the bucket policy (keep your other statements; " +
		"`slateo-s3 apply` merges them for you). With no other statements, save this as " +
		"policy.json:\n" + model.BucketPolicy(bucket, slug).JSON() + "then run:\n" +
		fmt.Sprintf("aws s3api put-bucket-policy --bucket %s --policy file://policy.json", bucket)
}

func corsFix(bucket string) string {
	return fmt.Sprintf("aws s3api put-bucket-cors --bucket %s --cors-configuration %s",
		bucket, model.ShellQuote(compactCORS(model.DesiredCORSRule()))) +
		"\n(This replaces the bucket's CORS rules; add your other rules to the list to keep them.)"
}

func encryptionFix(bucket, key string) string {
	sse := `{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}`
	if key != "" {
		sse = fmt.Sprintf(`{"Rules":[{"ApplyServerSideEncryptionByDefault":`+
			`{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"%s"},"BucketKeyEnabled":true}]}`, key)
	}
	return fmt.Sprintf("aws s3api put-bucket-encryption --bucket %s "+
		"--server-side-encryption-configuration %s", bucket, model.ShellQuote(sse))
}

func keyPolicyFix(keyID, slug string) string {
	return "Add this statement to the key policy (keep the others; `slateo-s3 apply` merges " +
		"it):\n" + model.KMSStatement(slug).JSON() + "Save the current policy, add the " +
		"statement to its Statement list, and write it back:\n" +
		fmt.Sprintf("aws kms get-key-policy --key-id %s --policy-name default --query Policy "+
			"--output text > key-policy.json\n", keyID) +
		fmt.Sprintf("aws kms put-key-policy --key-id %s --policy-name default "+
			"--policy file://key-policy.json", keyID)
}

func ownershipFix(bucket string) string {
	return fmt.Sprintf("aws s3api put-bucket-ownership-controls --bucket %s "+
		"--ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'", bucket)
}

func versioningFix(bucket string) string {
	return fmt.Sprintf("aws s3api put-bucket-versioning --bucket %s "+
		"--versioning-configuration Status=Enabled", bucket)
}

// logBucketName proposes a bucket for server access logs, separate from Slateo's buckets.
func logBucketName(s model.Settings) string {
	if s.Company != "" {
		return s.Company + "-slateo-access-logs"
	}
	return strings.TrimSuffix(s.UploadsBucketName(), "-uploads") + "-access-logs"
}

func loggingFix(s model.Settings, bucket string) string {
	target := logBucketName(s)
	status := fmt.Sprintf(`{"LoggingEnabled":{"TargetBucket":"%s","TargetPrefix":"%s/"}}`,
		target, bucket)
	return fmt.Sprintf("Send the logs to a separate bucket %s in the same region; create it "+
		"once and let S3's logging service write to it:\n%s\n%s\nthen:\n"+
		"aws s3api put-bucket-logging --bucket %s --bucket-logging-status %s",
		target, createBucketFix(target, s.EffectiveRegion()), logBucketPolicyFix(target),
		bucket, model.ShellQuote(status))
}

// logBucketPolicyFix lets the S3 logging service write into the log bucket, as S3 requires
// for buckets with ACLs disabled.
func logBucketPolicyFix(target string) string {
	pol := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogs",`+
		`"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},`+
		`"Action":"s3:PutObject","Resource":"%s"}]}`, model.ObjectsARN(target))
	return fmt.Sprintf("aws s3api put-bucket-policy --bucket %s --policy %s", target,
		model.ShellQuote(pol))
}

// dataEventSelectors are advanced selectors that keep management events and add S3 data
// events for the two buckets.
func dataEventSelectors(s model.Settings) string {
	var prefixes []string
	for _, b := range s.BucketNames() {
		if b != "" {
			prefixes = append(prefixes, model.BucketARN(b)+"/")
		}
	}
	sel := []any{
		map[string]any{"Name": "Management events", "FieldSelectors": []any{
			map[string]any{"Field": "eventCategory", "Equals": []string{"Management"}},
		}},
		map[string]any{"Name": "Slateo buckets data events", "FieldSelectors": []any{
			map[string]any{"Field": "eventCategory", "Equals": []string{"Data"}},
			map[string]any{"Field": "resources.type", "Equals": []string{"AWS::S3::Object"}},
			map[string]any{"Field": "resources.ARN", "StartsWith": prefixes},
		}},
	}
	return compactJSON(sel)
}

func eventSelectorsFix(s model.Settings, trail string) string {
	return fmt.Sprintf("aws cloudtrail put-event-selectors --region %s --trail-name %s "+
		"--advanced-event-selectors %s\n(This replaces the trail's selectors: add any "+
		"other selectors it has to the list.)", s.EffectiveRegion(), trail,
		model.ShellQuote(dataEventSelectors(s)))
}

// indentJSON pretty-prints a JSON document read from AWS, or returns it as it is.
func indentJSON(doc string) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(doc), "", "  "); err != nil {
		return doc
	}
	return buf.String()
}

// compactCORS renders rules as the one-line document put-bucket-cors takes.
func compactCORS(rules ...model.CORSRule) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(model.CORSDocument(rules...))); err != nil {
		return model.CORSDocument(rules...)
	}
	return buf.String()
}
