package scenario

import (
	"encoding/json"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

// callGap is the time between two of the admin's calls in a sequence.
const callGap = 20 * time.Second

// sequence turns the admin's calls into records, callGap apart from start.
func (b *builder) sequence(start time.Time, calls []call) []simcore.Record {
	out := make([]simcore.Record, 0, len(calls))
	for i, c := range calls {
		out = append(out, b.h.adminEvent(start.Add(time.Duration(i)*callGap), c))
	}
	return out
}

// s3Call is one of the admin's S3 bucket calls, with S3's requestParameters.
func (b *builder) s3Call(name, bucket string, extra map[string]any) call {
	params := map[string]any{"bucketName": bucket, "Host": bucket + ".s3." + Region +
		".amazonaws.com"}
	for k, v := range extra {
		params[k] = v
	}
	return call{source: "s3.amazonaws.com", name: name, params: params,
		resources: s3Resource(b.t.Env.Account, bucket)}
}

func (b *builder) kmsCall(name string, params map[string]any) call {
	return call{source: "kms.amazonaws.com", name: name, params: params,
		resources: []simcore.Resource{
			{AccountID: b.t.Env.Account, Type: "AWS::KMS::Key", ARN: b.keyARN},
		}}
}

func (b *builder) trailCall(name string, params map[string]any) call {
	arn := "arn:aws:cloudtrail:" + Region + ":" + b.t.Env.Account + ":trail/" + TrailName
	return call{source: "cloudtrail.amazonaws.com", name: name, params: params,
		resources: []simcore.Resource{
			{AccountID: b.t.Env.Account, Type: "AWS::CloudTrail::Trail", ARN: arn},
		}}
}

// parsed is a policy document as CloudTrail logs it in requestParameters: parsed JSON.
func parsed(doc string) any {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return doc
	}
	return v
}

func (b *builder) policyCall(bucket, policy string) call {
	return b.s3Call("PutBucketPolicy", bucket, map[string]any{
		"bucketPolicy": parsed(policy), "policy": ""})
}

func (b *builder) blockCall(bucket string, restrict bool) call {
	return b.s3Call("PutBucketPublicAccessBlock", bucket, map[string]any{
		"publicAccessBlock": "",
		"PublicAccessBlockConfiguration": map[string]any{
			"xmlns":           "http://s3.amazonaws.com/doc/2006-03-01/",
			"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true,
			"RestrictPublicBuckets": restrict,
		}})
}

func (b *builder) corsCall(bucket string) call {
	return b.s3Call("PutBucketCors", bucket, map[string]any{"cors": "",
		"CORSConfiguration": map[string]any{"CORSRule": map[string]any{
			"AllowedHeader": "*", "AllowedMethod": []string{"GET", "HEAD"},
			"AllowedOrigin": []string{"https://*.slateo.ai", "https://slateo.ai"},
			"ExposeHeader":  "ETag", "MaxAgeSeconds": 3600,
		}}})
}

func (b *builder) keyPolicyCall(withSlateo bool) call {
	return b.kmsCall("PutKeyPolicy", map[string]any{"keyId": b.keyARN,
		"policyName": "default", "policy": keyPolicy(b.t.Env.Account, withSlateo),
		"bypassPolicyLockoutSafetyCheck": false})
}

// setupEvents are the admin's calls that set the account up as c says, from start.
func (b *builder) setupEvents(start time.Time, c config) []simcore.Record {
	var calls []call
	for _, name := range b.bucketNames(c) {
		calls = append(calls, b.s3Call("CreateBucket", name, map[string]any{
			"CreateBucketConfiguration": map[string]any{"LocationConstraint": Region}}),
			b.blockCall(name, true))
	}
	calls = append(calls,
		b.kmsCall("CreateKey", map[string]any{"description": "Slateo buckets of " + Company,
			"keyUsage": "ENCRYPT_DECRYPT", "keySpec": "SYMMETRIC_DEFAULT", "origin": "AWS_KMS",
			"bypassPolicyLockoutSafetyCheck": false, "multiRegion": false}),
		b.kmsCall("CreateAlias", map[string]any{"aliasName": KeyAlias, "targetKeyId": b.keyARN}),
		b.keyPolicyCall(c.keyForSlateo))
	for _, name := range []string{UploadsBucket, CacheBucket} {
		calls = append(calls, b.policyCall(name, guidePolicy(name, OrgRoleARN)),
			b.s3Call("PutBucketEncryption", name, map[string]any{"encryption": "",
				"ServerSideEncryptionConfiguration": map[string]any{"Rule": map[string]any{
					"ApplyServerSideEncryptionByDefault": map[string]any{
						"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": b.keyARN}}}}))
	}
	calls = append(calls, b.corsCall(CacheBucket))
	calls = append(calls, b.optionalCalls(c)...)
	calls = append(calls, b.policyCall(TrailBucket, trailBucketPolicy(b.t.Env.Account)),
		b.trailCall("CreateTrail", map[string]any{"name": TrailName,
			"s3BucketName": TrailBucket, "isMultiRegionTrail": true}),
		b.trailCall("PutEventSelectors", map[string]any{"trailName": TrailName,
			"eventSelectors": dataSelectors()}),
		b.trailCall("StartLogging", map[string]any{"name": TrailName}))
	return b.sequence(start, calls)
}

// optionalCalls turn on versioning and access logging as c says.
func (b *builder) optionalCalls(c config) []call {
	var calls []call
	for _, name := range c.versioned {
		calls = append(calls, b.s3Call("PutBucketVersioning", name, map[string]any{
			"versioning": "", "VersioningConfiguration": map[string]any{"Status": "Enabled"}}))
	}
	if !c.accessLogs {
		return calls
	}
	for _, name := range []string{UploadsBucket, CacheBucket} {
		calls = append(calls, b.s3Call("PutBucketLogging", name, map[string]any{
			"logging": "", "BucketLoggingStatus": map[string]any{"LoggingEnabled": map[string]any{
				"TargetBucket": AccessLogsBucket, "TargetPrefix": name + "/"}}}))
	}
	return calls
}

// changeEvents are the broken scenario's later changes by the admin, among them a public
// policy that BlockPublicPolicy refused.
func (b *builder) changeEvents(start time.Time) []simcore.Record {
	refused := b.policyCall(UploadsBucket, publicPolicy(UploadsBucket))
	refused.errCode = "AccessDenied"
	refused.errMsg = "User: " + b.t.Env.CallerARN() + " is not authorized to perform: " +
		"s3:PutBucketPolicy on resource: \"arn:aws:s3:::" + UploadsBucket + "\" because " +
		"public policies are blocked by the BlockPublicPolicy block public access setting."
	calls := []call{
		b.keyPolicyCall(false),
		refused,
		b.policyCall(UploadsBucket, brokenConfig.uploadsPolicy),
		b.policyCall(CacheBucket, brokenConfig.cachePolicy),
		b.s3Call("DeleteBucketCors", CacheBucket, map[string]any{"cors": ""}),
		b.corsCall(UploadsBucket),
		b.blockCall(CacheBucket, false),
	}
	return b.sequence(start, calls)
}
