package diagnostics

import (
	"slateo-s3/diagnostics/policy"
	"slateo-s3/model"
)

// slateoCaller is the org role as the policy evaluator sees it.
func slateoCaller(s model.Settings) policy.Caller {
	return policy.Caller{Account: model.SlateoAccountID, RoleARN: s.RoleARN()}
}

// s3Context is the request context of the org role calling S3 on the customer's bucket:
// over TLS, from Slateo's account, outside the customer's organisation and networks.
func s3Context(s model.Settings, region string, caller model.Fact[model.Caller]) policy.Context {
	c := policy.Context{}
	commonKeys(c, s, region, caller)
	perRequest := "it depends on each request Slateo sends"
	for _, k := range []string{
		"s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
		"s3:x-amz-acl", "s3:prefix", "s3:delimiter", "s3:max-keys", "s3:ExistingObjectTag/",
		"s3:RequestObjectTag/", "s3:RequestObjectTagKeys", "s3:VersionId",
		"s3:x-amz-content-sha256", "s3:x-amz-storage-class", "s3:x-amz-copy-source",
		"s3:x-amz-metadata-directive", "s3:object-lock-mode", "s3:x-amz-grant-full-control",
		"s3:x-amz-grant-read", "s3:x-amz-grant-write", "s3:if-none-match", "s3:if-match",
	} {
		c.Set(k, policy.UnknownValue(perRequest))
	}
	c.Set("s3:signatureversion", policy.KnownValue("AWS4-HMAC-SHA256"))
	c.Set("s3:authType", policy.PresentValue("Slateo signs API calls in headers but "+
		"presigns browser downloads (query string)"))
	c.Set("s3:signatureAge", policy.PresentValue("it depends on when a URL was signed"))
	c.Set("s3:TlsVersion", policy.PresentValue("the TLS version Slateo negotiates is not "+
		"published (AWS endpoints require TLS 1.2 or later)"))
	c.Set("s3:AccessPointNetworkOrigin", policy.AbsentValue("Slateo calls the bucket "+
		"directly, not through an access point"))
	c.Set("s3:DataAccessPointArn", policy.AbsentValue("not called through an access point"))
	c.Set("s3:DataAccessPointAccount", policy.AbsentValue("not called through an access point"))
	c.Set("aws:ViaAWSService", policy.KnownValue("false"))
	c.Set("aws:CalledVia", policy.AbsentValue("Slateo calls S3 directly"))
	c.Set("aws:CalledViaFirst", policy.AbsentValue("Slateo calls S3 directly"))
	c.Set("aws:CalledViaLast", policy.AbsentValue("Slateo calls S3 directly"))
	if caller.IsPresent() {
		c.Set("s3:ResourceAccount", policy.KnownValue(caller.Value.Account))
	}
	return c
}

// kmsContext is the request context of the org role using a key through S3 (SSE-KMS).
func kmsContext(s model.Settings, region string, caller model.Fact[model.Caller]) policy.Context {
	c := policy.Context{}
	commonKeys(c, s, region, caller)
	c.Set("kms:CallerAccount", policy.KnownValue(model.SlateoAccountID))
	if region == "" {
		c.Set("kms:ViaService", policy.PresentValue("the bucket's region was not read"))
	} else {
		c.Set("kms:ViaService", policy.KnownValue("s3."+region+".amazonaws.com"))
	}
	c.Set("kms:EncryptionAlgorithm", policy.KnownValue("SYMMETRIC_DEFAULT"))
	c.Set("kms:EncryptionContext:", policy.UnknownValue("it names each object or bucket"))
	c.Set("kms:EncryptionContextKeys", policy.KnownValue("aws:s3:arn"))
	c.Set("kms:GrantIsForAWSResource", policy.AbsentValue("S3 uses the key directly"))
	c.Set("kms:RequestAlias", policy.AbsentValue("S3 names the key by its ARN"))
	c.Set("aws:ViaAWSService", policy.KnownValue("true"))
	c.Set("aws:CalledVia", policy.KnownValue("s3.amazonaws.com"))
	c.Set("aws:CalledViaFirst", policy.KnownValue("s3.amazonaws.com"))
	c.Set("aws:CalledViaLast", policy.KnownValue("s3.amazonaws.com"))
	return c
}

func commonKeys(c policy.Context, s model.Settings, region string,
	caller model.Fact[model.Caller]) {
	outsideOrg := "Slateo's role is not in your AWS organization"
	notYourNet := "Slateo does not reach AWS through your VPCs or VPC endpoints"
	onlyServices := "set only when an AWS service calls on behalf of a resource"
	c.Set("aws:SecureTransport", policy.KnownValue("true"))
	c.Set("aws:PrincipalArn", policy.KnownValue(s.RoleARN()))
	c.Set("aws:PrincipalAccount", policy.KnownValue(model.SlateoAccountID))
	c.Set("aws:PrincipalType", policy.KnownValue("AssumedRole"))
	c.Set("aws:PrincipalIsAWSService", policy.KnownValue("false"))
	c.Set("aws:PrincipalOrgID", policy.DistinctValue(outsideOrg))
	c.Set("aws:PrincipalOrgPaths", policy.DistinctValue(outsideOrg))
	c.Set("aws:SourceVpc", policy.DistinctValue(notYourNet))
	c.Set("aws:SourceVpce", policy.DistinctValue(notYourNet))
	c.Set("aws:VpcSourceIp", policy.DistinctValue(notYourNet))
	c.Set("aws:SourceIp", policy.PresentValue("Slateo's source IP addresses are not published"))
	c.Set("aws:userid", policy.PresentValue("the unique id of Slateo's role is not known"))
	c.Set("aws:username", policy.AbsentValue("a role session has no user name"))
	c.Set("aws:PrincipalTag/", policy.UnknownValue("the tags of Slateo's role are not known"))
	c.Set("aws:RequestTag/", policy.UnknownValue("it depends on each request"))
	c.Set("aws:TagKeys", policy.UnknownValue("it depends on each request"))
	c.Set("aws:ResourceTag/", policy.UnknownValue("resource tags were not read"))
	for _, k := range []string{"aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID",
		"aws:SourceOrgPaths", "aws:SourceOwner", "aws:PrincipalServiceName",
		"aws:PrincipalServiceNamesList"} {
		c.Set(k, policy.AbsentValue(onlyServices))
	}
	c.Set("aws:MultiFactorAuthPresent", policy.AbsentValue("Slateo's service sessions are "+
		"not MFA-authenticated"))
	c.Set("aws:MultiFactorAuthAge", policy.AbsentValue("Slateo's service sessions are "+
		"not MFA-authenticated"))
	if region == "" {
		c.Set("aws:RequestedRegion", policy.PresentValue("the bucket's region was not read"))
	} else {
		c.Set("aws:RequestedRegion", policy.KnownValue(region))
	}
	c.Set("aws:CurrentTime", policy.PresentValue("it depends on the time of each request"))
	c.Set("aws:EpochTime", policy.PresentValue("it depends on the time of each request"))
	c.Set("aws:TokenIssueTime", policy.PresentValue("it depends on Slateo's sessions"))
	c.Set("aws:UserAgent", policy.PresentValue("Slateo's user agent is not published"))
	c.Set("aws:Referer", policy.UnknownValue("it depends on each request"))
	c.Set("aws:ResourceOrgID", policy.PresentValue("your organization id was not read"))
	c.Set("aws:ResourceOrgPaths", policy.PresentValue("your organization path was not read"))
	c.Set("aws:Ec2InstanceSourceVpc", policy.AbsentValue(notYourNet))
	c.Set("aws:Ec2InstanceSourcePrivateIPv4", policy.AbsentValue(notYourNet))
	if caller.IsPresent() {
		c.Set("aws:ResourceAccount", policy.KnownValue(caller.Value.Account))
	} else {
		c.Set("aws:ResourceAccount", policy.PresentValue("your account id was not read"))
	}
}
