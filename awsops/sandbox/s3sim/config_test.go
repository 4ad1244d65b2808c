package s3sim

import "testing"

func TestPublicAccessBlock(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	run(t, s,
		step{method: "PUT", target: "/bkt?publicAccessBlock", status: 200,
			body: "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>" +
				"<IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false" +
				"</BlockPublicPolicy></PublicAccessBlockConfiguration>"},
		step{method: "GET", target: "/bkt?publicAccessBlock", status: 200, contains: []string{
			"<BlockPublicAcls>true</BlockPublicAcls>",
			"<RestrictPublicBuckets>false</RestrictPublicBuckets>"}},
		step{method: "PUT", target: "/bkt?publicAccessBlock", status: 400, body: "<nope",
			contains: []string{"MalformedXML"}},
		step{method: "DELETE", target: "/bkt?publicAccessBlock", status: 204},
		step{method: "GET", target: "/bkt?publicAccessBlock", status: 404, contains: []string{
			"<Code>NoSuchPublicAccessBlockConfiguration</Code>",
			"The public access block configuration was not found"}},
		step{method: "DELETE", target: "/bkt?publicAccessBlock", status: 204},
	)
	if n := s.env.Journal.Len(); n != 4 {
		t.Errorf("journal holds %d records, want 4 (the writes, failed or not)", n)
	}
}

func corsXML(rules string) string {
	return "<CORSConfiguration>" + rules + "</CORSConfiguration>"
}

func TestPutBucketCORS(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		contains   string
	}{
		{"guide rule", guideRule, 200, ""},
		{"empty", corsXML(""), 400, "<Code>MalformedXML</Code>"},
		{"no origin", corsXML("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"),
			400, "MalformedXML"},
		{"no method", corsXML("<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>"),
			400, "MalformedXML"},
		{"bad method", corsXML("<CORSRule><AllowedMethod>PATCH</AllowedMethod>" +
			"<AllowedOrigin>*</AllowedOrigin></CORSRule>"), 400,
			"Found unsupported HTTP method in CORS config. Unsupported method is PATCH"},
		{"two wildcards", corsXML("<CORSRule><AllowedMethod>GET</AllowedMethod>" +
			"<AllowedOrigin>https://*.*.slateo.ai</AllowedOrigin></CORSRule>"), 400,
			"AllowedOrigin &#34;https://*.*.slateo.ai&#34; can not have more than one wildcard."},
		{"not XML", "{}", 400, "MalformedXML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(t)
			mustCreate(t, s, "bkt", "us-west-2")
			var contains []string
			if tt.contains != "" {
				contains = []string{tt.contains}
			}
			run(t, s, step{method: "PUT", target: "/bkt?cors", body: tt.body,
				status: tt.status, contains: contains})
		})
	}
}

const guideRule = "<CORSConfiguration><CORSRule><AllowedHeader>*</AllowedHeader>" +
	"<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>" +
	"<AllowedOrigin>https://*.slateo.ai</AllowedOrigin>" +
	"<AllowedOrigin>https://slateo.ai</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>" +
	"<MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>"

func TestCORSReadBackAndDelete(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	run(t, s,
		step{method: "GET", target: "/bkt?cors", status: 404, contains: []string{
			"<Code>NoSuchCORSConfiguration</Code>", "The CORS configuration does not exist",
			"<BucketName>bkt</BucketName>"}},
		step{method: "PUT", target: "/bkt?cors", body: guideRule, status: 200},
		step{method: "GET", target: "/bkt?cors", status: 200, contains: []string{
			`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>` +
				"<AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod>" +
				"<AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>https://*.slateo.ai" +
				"</AllowedOrigin><AllowedOrigin>https://slateo.ai</AllowedOrigin>" +
				"<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>" +
				"</CORSRule></CORSConfiguration>"}},
		step{method: "DELETE", target: "/bkt?cors", status: 204},
		step{method: "GET", target: "/bkt?cors", status: 404},
		step{method: "DELETE", target: "/bkt?cors", status: 204},
	)
}

func TestEncryption(t *testing.T) {
	rule := func(alg, key string) string {
		k := ""
		if key != "" {
			k = "<KMSMasterKeyID>" + key + "</KMSMasterKeyID>"
		}
		return "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>" + alg +
			"</SSEAlgorithm>" + k + "</ApplyServerSideEncryptionByDefault>" +
			"<BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
	}
	doc := func(rules ...string) string {
		out := "<ServerSideEncryptionConfiguration>"
		for _, r := range rules {
			out += r
		}
		return out + "</ServerSideEncryptionConfiguration>"
	}
	key := "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	run(t, s,
		step{method: "PUT", target: "/bkt?encryption", body: doc(rule("AES256", key)),
			status: 400, contains: []string{"<Code>InvalidArgument</Code>",
				"a KMSMasterKeyID is not applicable if the default sse algorithm is not " +
					"aws:kms or aws:kms:dsse",
				"<ArgumentName>ApplyServerSideEncryptionByDefault</ArgumentName>"}},
		step{method: "PUT", target: "/bkt?encryption", body: doc(), status: 400,
			contains: []string{"MalformedXML"}},
		step{method: "PUT", target: "/bkt?encryption", status: 400,
			body:     doc(rule("aws:kms", ""), rule("AES256", "")),
			contains: []string{"MalformedXML"}},
		step{method: "PUT", target: "/bkt?encryption", body: doc(rule("DES", "")),
			status: 400, contains: []string{"MalformedXML"}},
		step{method: "PUT", target: "/bkt?encryption", body: doc(rule("aws:kms", key)),
			status: 200},
		step{method: "GET", target: "/bkt?encryption", status: 200, contains: []string{
			"<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>" + key + "</KMSMasterKeyID>",
			"<BucketKeyEnabled>true</BucketKeyEnabled>"}},
		step{method: "DELETE", target: "/bkt?encryption", status: 204},
		step{method: "GET", target: "/bkt?encryption", status: 200,
			contains: []string{"<SSEAlgorithm>AES256</SSEAlgorithm>"}},
	)
}

func TestVersioningLoggingOwnership(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	mustCreate(t, s, "logs-west", "us-west-2")
	mustCreate(t, s, "logs-east", "us-east-1")
	versioning := func(status string) string {
		return "<VersioningConfiguration>" + status + "</VersioningConfiguration>"
	}
	logging := func(target string) string {
		return "<BucketLoggingStatus><LoggingEnabled><TargetBucket>" + target +
			"</TargetBucket><TargetPrefix>bkt/</TargetPrefix></LoggingEnabled>" +
			"</BucketLoggingStatus>"
	}
	ownership := func(v string) string {
		return "<OwnershipControls><Rule><ObjectOwnership>" + v +
			"</ObjectOwnership></Rule></OwnershipControls>"
	}
	run(t, s,
		step{method: "PUT", target: "/bkt?versioning", body: versioning(""), status: 400,
			contains: []string{"<Code>IllegalVersioningConfigurationException</Code>",
				"The Versioning element must be specified"}},
		step{method: "PUT", target: "/bkt?versioning", status: 400,
			body: versioning("<Status>enabled</Status>"), contains: []string{"MalformedXML"}},
		step{method: "PUT", target: "/bkt?versioning", status: 200,
			body: versioning("<Status>Enabled</Status>")},
		step{method: "GET", target: "/bkt?versioning", status: 200,
			contains: []string{"<Status>Enabled</Status>"}},
		step{method: "PUT", target: "/bkt?logging", body: logging("nobucket"), status: 400,
			contains: []string{"<Code>InvalidTargetBucketForLogging</Code>",
				"<TargetBucket>nobucket</TargetBucket>"}},
		step{method: "PUT", target: "/bkt?logging", body: logging("logs-east"), status: 403,
			contains: []string{"<Code>CrossLocationLoggingProhibitted</Code>",
				"<TargetBucketLocation>us-east-1</TargetBucketLocation>"}},
		step{method: "PUT", target: "/bkt?logging", body: logging("logs-west"), status: 200},
		step{method: "GET", target: "/bkt?logging", status: 200, contains: []string{
			"<LoggingEnabled><TargetBucket>logs-west</TargetBucket><TargetPrefix>bkt/" +
				"</TargetPrefix></LoggingEnabled>"}},
		step{method: "PUT", target: "/bkt?logging", status: 200,
			body: "<BucketLoggingStatus></BucketLoggingStatus>"},
		step{method: "GET", target: "/bkt?logging", status: 200,
			contains: []string{"2006-03-01/\"></BucketLoggingStatus>"}},
		step{method: "PUT", target: "/bkt?ownershipControls", body: ownership("Anyone"),
			status: 400, contains: []string{"MalformedXML"}},
		step{method: "PUT", target: "/bkt?ownershipControls", body: ownership("ObjectWriter"),
			status: 200},
		step{method: "GET", target: "/bkt?ownershipControls", status: 200,
			contains: []string{"<ObjectOwnership>ObjectWriter</ObjectOwnership>"}},
		step{method: "DELETE", target: "/bkt?ownershipControls", status: 204},
		step{method: "GET", target: "/bkt?ownershipControls", status: 404, contains: []string{
			"<Code>OwnershipControlsNotFoundError</Code>",
			"The bucket ownership controls were not found"}},
	)
}

func TestCORSOnActualRequests(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	if err := s.PutBucketCORS("bkt", guideRule); err != nil {
		t.Fatal(err)
	}
	if err := s.PutObject("bkt", "r.parquet", []byte("x")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, origin, want string
	}{
		{"org origin", "GET", "https://acme.slateo.ai", "https://acme.slateo.ai"},
		{"apex origin", "HEAD", "https://slateo.ai", "https://slateo.ai"},
		{"method not allowed", "PUT", "https://acme.slateo.ai", ""},
		{"http origin", "GET", "http://acme.slateo.ai", ""},
		{"trailing slash", "GET", "https://slateo.ai/", ""},
		{"no origin", "GET", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(s, request(tt.method, "/bkt/r.parquet", "us-west-2", "",
				"Origin", tt.origin))
			if w.Code >= 300 {
				t.Fatalf("status %d: the request itself must be served", w.Code)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.want {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.want)
			}
			if tt.want != "" && w.Header().Get("Access-Control-Expose-Headers") != "ETag" {
				t.Errorf("Access-Control-Expose-Headers = %q, want ETag",
					w.Header().Get("Access-Control-Expose-Headers"))
			}
		})
	}
}

func TestPreflightOutcomes(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	mustCreate(t, s, "plain", "us-west-2")
	if err := s.PutBucketCORS("bkt", guideRule); err != nil {
		t.Fatal(err)
	}
	star := corsXML("<CORSRule><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>*" +
		"</AllowedOrigin><AllowedHeader>x-amz-*</AllowedHeader></CORSRule>")
	mustCreate(t, s, "star", "us-west-2")
	if err := s.PutBucketCORS("star", star); err != nil {
		t.Fatal(err)
	}
	opt := func(target, origin, method, headers string, status int, contains ...string) step {
		h := []string{"Origin", origin, "Access-Control-Request-Method", method}
		if headers != "" {
			h = append(h, "Access-Control-Request-Headers", headers)
		}
		return step{method: "OPTIONS", target: target, region: "-", headers: h,
			status: status, contains: contains}
	}
	run(t, s,
		opt("/bkt/k", "", "GET", "", 400, "<Code>BadRequest</Code>",
			"Insufficient information. Origin request header needed."),
		opt("/nobucket/k", "https://slateo.ai", "GET", "", 403,
			"CORSResponse: Bucket not found", "<Method>OPTIONS</Method>"),
		opt("/plain/k", "https://slateo.ai", "GET", "", 403,
			"CORSResponse: CORS is not enabled for this bucket.", "<Method>GET</Method>",
			"<ResourceType>BUCKET</ResourceType>"),
		opt("/bkt", "https://slateo.ai", "PUT", "", 403, "evalution",
			"<ResourceType>BUCKET</ResourceType>"),
		opt("/bkt/k", "https://slateo.ai", "GET", "Authorization, X-Amz-Date", 200,
			"Access-Control-Allow-Headers: authorization, x-amz-date"),
		opt("/star/k", "https://example.com", "PUT", "x-amz-acl", 200,
			"Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT"),
		opt("/star/k", "https://example.com", "PUT", "content-type", 403,
			"<ResourceType>OBJECT</ResourceType>"),
	)
	w := serve(s, request("OPTIONS", "/star/k", "", "", "Origin", "https://e.com",
		"Access-Control-Request-Method", "PUT"))
	if w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Error("a match through * must not allow credentials")
	}
}
