package s3sim

import (
	"errors"
	"strings"
	"testing"
)

const westConfig = `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
	`<LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>`

func constraintBody(c string) string {
	return `<CreateBucketConfiguration><LocationConstraint>` + c +
		`</LocationConstraint></CreateBucketConfiguration>`
}

func TestCreateBucket(t *testing.T) {
	tests := []struct {
		name, region, body string
		status             int
		contains           []string
		wantLocation       string
	}{
		{"us-east-1 without constraint", "us-east-1", "", 200, []string{"Location: /bk1"}, ""},
		{"us-east-1 naming us-east-1", "us-east-1", constraintBody("us-east-1"), 400,
			[]string{"<Code>InvalidLocationConstraint</Code>",
				"The specified location-constraint is not valid",
				"<LocationConstraint>us-east-1</LocationConstraint>"}, "-"},
		{"us-east-1 naming junk", "us-east-1", constraintBody("aws-global"), 400,
			[]string{"InvalidLocationConstraint"}, "-"},
		{"us-east-1 naming another region", "us-east-1", constraintBody("us-west-1"), 200,
			nil, "us-west-1"},
		{"region without constraint", "us-west-2", "", 400,
			[]string{"<Code>IllegalLocationConstraintException</Code>", "The unspecified " +
				"location constraint is incompatible for the region specific endpoint this " +
				"request was sent to."}, "-"},
		{"region with another constraint", "us-west-2", constraintBody("eu-west-1"), 400,
			[]string{"The eu-west-1 location constraint is incompatible"}, "-"},
		{"matching region", "us-west-2", westConfig, 200,
			[]string{"x-amz-bucket-arn: arn:aws:s3:::bk1"}, "us-west-2"},
		{"EU in eu-west-1", "eu-west-1", constraintBody("EU"), 200, nil, "EU"},
		{"not XML", "us-west-2", "<CreateBucketConfiguration>", 400,
			[]string{"<Code>MalformedXML</Code>"}, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(t)
			run(t, s, step{method: "PUT", target: "/bk1", region: tt.region, body: tt.body,
				status: tt.status, contains: tt.contains})
			if tt.wantLocation == "-" {
				if s.BucketExists("bk1") {
					t.Error("bucket created despite the error")
				}
				return
			}
			run(t, s, step{method: "GET", target: "/bk1?location", region: tt.region,
				status: 200, contains: []string{`<LocationConstraint xmlns="http://s3.` +
					`amazonaws.com/doc/2006-03-01/">` + tt.wantLocation +
					`</LocationConstraint>`}})
		})
	}
}

func TestBucketNames(t *testing.T) {
	tests := []struct {
		name  string
		valid bool
	}{
		{"acme-slateo-uploads", true},
		{"a.b-c1", true},
		{"ab", false},
		{"Acme-Uploads", false},
		{"acme_uploads", false},
		{"-acme", false},
		{"acme-", false},
		{"acme..uploads", false},
		{"192.168.5.4", false},
		{"xn--acme", false},
		{"sthree-acme", false},
		{"amzn-s3-demo-acme", false},
		{"acme-s3alias", false},
		{"acme--ol-s3", false},
		{"acme.mrap", false},
		{"a234567890123456789012345678901234567890123456789012345678901234", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(t)
			want := 400
			if tt.valid {
				want = 200
			}
			run(t, s, step{method: "PUT", target: "/" + tt.name, body: westConfig,
				status: want})
			if !tt.valid {
				run(t, s, step{method: "PUT", target: "/" + tt.name, body: westConfig,
					status: 400, contains: []string{"<Code>InvalidBucketName</Code>",
						"The specified bucket is not valid.",
						"<BucketName>" + tt.name + "</BucketName>"}})
			}
		})
	}
}

func TestCreateBucketDefaultsAndConflicts(t *testing.T) {
	s := newTestService(t)
	run(t, s,
		step{method: "PUT", target: "/bk1", body: westConfig, status: 200},
		step{method: "PUT", target: "/bk1", body: westConfig, status: 409,
			contains: []string{"<Code>BucketAlreadyOwnedByYou</Code>",
				"<BucketName>bk1</BucketName>"}},
		step{method: "PUT", target: "/bk2", body: westConfig, status: 400,
			headers:  []string{"x-amz-object-ownership", "Nobody"},
			contains: []string{"Invalid x-amz-object-ownership header: Nobody"}},
		step{method: "GET", target: "/bk1?publicAccessBlock", status: 200, contains: []string{
			"<BlockPublicAcls>true</BlockPublicAcls>",
			"<IgnorePublicAcls>true</IgnorePublicAcls>",
			"<BlockPublicPolicy>true</BlockPublicPolicy>",
			"<RestrictPublicBuckets>true</RestrictPublicBuckets>"}},
		step{method: "GET", target: "/bk1?ownershipControls", status: 200,
			contains: []string{"<ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>"}},
		step{method: "GET", target: "/bk1?encryption", status: 200,
			contains: []string{"<SSEAlgorithm>AES256</SSEAlgorithm>",
				"<BucketKeyEnabled>false</BucketKeyEnabled>"}},
		step{method: "GET", target: "/bk1?versioning", status: 200,
			contains: []string{`<VersioningConfiguration xmlns="http://s3.amazonaws.com/` +
				`doc/2006-03-01/"></VersioningConfiguration>`}},
		step{method: "GET", target: "/bk1?logging", status: 200,
			contains: []string{`<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/` +
				`2006-03-01/"></BucketLoggingStatus>`}},
		step{method: "GET", target: "/", status: 200, contains: []string{
			"<Name>bk1</Name>", "<BucketRegion>us-west-2</BucketRegion>",
			"<CreationDate>2026-12-04T15:00:00.000Z</CreationDate>"}},
	)
}

func TestRecreateInUSEast1(t *testing.T) {
	s := newTestService(t)
	run(t, s,
		step{method: "PUT", target: "/old", region: "us-east-1", status: 200},
		step{method: "PUT", target: "/old", region: "us-east-1", status: 200},
		step{method: "PUT", target: "/old", region: "us-east-1", status: 409,
			body: constraintBody("us-west-1"), contains: []string{"BucketAlreadyOwnedByYou"}},
	)
}

func TestHeadBucketAndRegions(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "west", "us-west-2")
	mustCreate(t, s, "east", "us-east-1")
	tests := []struct {
		name string
		step step
		body bool
	}{
		{"head", step{method: "HEAD", target: "/west", status: 200,
			contains: []string{"x-amz-bucket-region: us-west-2"}}, false},
		{"head missing", step{method: "HEAD", target: "/nobucket", status: 404}, false},
		{"head from another region", step{method: "HEAD", target: "/west",
			region: "eu-west-1", status: 301,
			contains: []string{"x-amz-bucket-region: us-west-2"}}, false},
		{"signed for us-east-1", step{method: "GET", target: "/west?policy",
			region: "us-east-1", status: 400, contains: []string{
				"<Code>AuthorizationHeaderMalformed</Code>", "<Region>us-west-2</Region>",
				"is wrong; expecting &#39;us-west-2&#39;",
				"x-amz-bucket-region: us-west-2"}}, true},
		{"regional endpoint", step{method: "GET", target: "/east?cors", region: "us-west-2",
			status: 301, contains: []string{"<Code>PermanentRedirect</Code>",
				"<Endpoint>s3.us-east-1.amazonaws.com</Endpoint>",
				"x-amz-bucket-region: us-east-1"}}, true},
		{"location from any region", step{method: "GET", target: "/east?location",
			region: "eu-west-1", status: 200, contains: []string{
				`2006-03-01/"></LocationConstraint>`}}, true},
		{"missing bucket", step{method: "GET", target: "/nobucket?cors", status: 404,
			contains: []string{"<Code>NoSuchBucket</Code>",
				"The specified bucket does not exist"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run(t, s, tt.step)
			w := serve(s, request(tt.step.method, tt.step.target, regionOr(tt.step.region),
				""))
			if !tt.body && w.Body.Len() != 0 {
				t.Errorf("HEAD answered with a body: %s", w.Body)
			}
		})
	}
}

func regionOr(r string) string {
	if r == "" {
		return "us-west-2"
	}
	return r
}

func TestDeleteBucket(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bk1", "us-west-2")
	if err := s.PutObject("bk1", "k", []byte("x")); err != nil {
		t.Fatal(err)
	}
	run(t, s,
		step{method: "DELETE", target: "/bk1", status: 409,
			contains: []string{"<Code>BucketNotEmpty</Code>"}},
		step{method: "DELETE", target: "/bk1/k", status: 204},
		step{method: "DELETE", target: "/bk1", status: 204},
		step{method: "HEAD", target: "/bk1", status: 404},
	)
}

func TestGoAPIErrors(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bk1", "us-west-2")
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"bad name", s.CreateBucket("B1", "us-west-2"), "InvalidBucketName"},
		{"bad region", s.CreateBucket("bk2", "mars-1"), "InvalidLocationConstraint"},
		{"duplicate", s.CreateBucket("bk1", "us-west-2"), "BucketAlreadyOwnedByYou"},
		{"policy on missing bucket", s.PutBucketPolicy("nob", `{"Statement":[]}`),
			"NoSuchBucket"},
		{"cors not xml", s.PutBucketCORS("bk1", "nope"), "MalformedXML"},
		{"encryption", s.PutBucketEncryption("bk1", "AES256", "key"), "InvalidArgument"},
		{"versioning", s.PutBucketVersioning("bk1", "On"), "MalformedXML"},
		{"logging", s.PutBucketLogging("bk1", "nob", "logs/"),
			"InvalidTargetBucketForLogging"},
		{"object in missing bucket", s.PutObject("nob", "k", nil), "NoSuchBucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if !errors.As(tt.err, &e) || e.Code != tt.code {
				t.Fatalf("error = %v, want code %s", tt.err, tt.code)
			}
		})
	}
	if n := s.env.Journal.Len(); n != 0 {
		t.Errorf("the Go API recorded %d CloudTrail events, want none", n)
	}
	if s.ListKeys("nob", "") != nil {
		t.Error("ListKeys of a missing bucket returned keys")
	}
}

func TestBucketsAndPolicyAccessors(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "zeta", "us-west-2")
	mustCreate(t, s, "alpha", "us-west-2")
	if got := s.Buckets(); len(got) != 2 || got[0] != "alpha" || got[1] != "zeta" {
		t.Errorf("Buckets = %v, want [alpha zeta]", got)
	}
	if _, ok := s.BucketPolicy("alpha"); ok {
		t.Error("BucketPolicy found a policy on a new bucket")
	}
	policy := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},` +
		`"Action":"s3:ListBucket","Resource":"arn:aws:s3:::alpha"}]}`
	if err := s.PutBucketPolicy("alpha", policy); err != nil {
		t.Fatal(err)
	}
	got, ok := s.BucketPolicy("alpha")
	if !ok || !strings.Contains(got, "arn:aws:iam::444455556666:root") {
		t.Errorf("BucketPolicy = %q, %v; want the stored, normalised policy", got, ok)
	}
}
