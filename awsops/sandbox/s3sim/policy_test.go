package s3sim

import (
	"net/http/httptest"
	"strings"
	"testing"
)

const role = "arn:aws:iam::880265510198:role/slateo-prod-storage-acme"

func statement(effect, principal, actions, resources string) string {
	return `{"Effect":"` + effect + `","Principal":` + principal + `,"Action":` + actions +
		`,"Resource":` + resources + `}`
}

func policyOf(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

func TestPutBucketPolicyValidation(t *testing.T) {
	roleP := `{"AWS":"` + role + `"}`
	bucketARN := `"arn:aws:s3:::bkt"`
	objectsARN := `"arn:aws:s3:::bkt/*"`
	tests := []struct {
		name, policy string
		status       int
		message      string
	}{
		{"guide statements", policyOf(
			statement("Allow", roleP, `"s3:ListBucket"`, bucketARN),
			statement("Allow", roleP, `["s3:GetObject","s3:PutObject","s3:DeleteObject",`+
				`"s3:GetObjectTagging","s3:PutObjectTagging"]`, objectsARN)), 204, ""},
		{"empty", "", 400, msgPolicyNotJSON},
		{"not JSON", "Version: 2012", 400, msgPolicyNotJSON},
		{"array", `[{"Statement":[]}]`, 400, msgPolicyNotJSON},
		{"trailing garbage", `{"Statement":[]} x`, 400, msgPolicyNotJSON},
		{"no statement", `{}`, 400, "Missing required field Statement"},
		{"no effect", `{"Statement":[{"Principal":"*","Action":"s3:GetObject",` +
			`"Resource":` + objectsARN + `}]}`, 400, "Missing required field Effect"},
		{"bad effect", policyOf(statement("Permit", roleP, `"s3:GetObject"`, objectsARN)),
			400, "Invalid effect: Permit"},
		{"no principal", `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject",` +
			`"Resource":` + objectsARN + `}]}`, 400, "Missing required field Principal"},
		{"no resource", `{"Statement":[{"Effect":"Allow","Principal":` + roleP +
			`,"Action":"s3:GetObject"}]}`, 400, "Missing required field Resource"},
		{"unknown action", policyOf(statement("Allow", roleP, `"s3:ListObjectsV2"`,
			bucketARN)), 400, msgInvalidAction},
		{"HeadObject is no action", policyOf(statement("Allow", roleP,
			`["s3:GetObject","s3:HeadObject"]`, objectsARN)), 400, msgInvalidAction},
		{"other service", policyOf(statement("Allow", roleP, `"kms:Decrypt"`, objectsARN)),
			400, msgInvalidAction},
		{"wildcard action", policyOf(statement("Allow", roleP, `"s3:Get*"`, objectsARN)),
			204, ""},
		{"all actions", policyOf(statement("Deny", `"*"`, `"s3:*"`,
			`[`+bucketARN+`,`+objectsARN+`]`)), 204, ""},
		{"action names fold case", policyOf(statement("Allow", roleP, `"s3:listbucket"`,
			bucketARN)), 204, ""},
		{"other bucket", policyOf(statement("Allow", roleP, `"s3:GetObject"`,
			`"arn:aws:s3:::other/*"`)), 400, msgInvalidResource},
		{"not an s3 ARN", policyOf(statement("Allow", roleP, `"s3:GetObject"`,
			`"arn:aws:kms:us-west-2:111122223333:key/k"`)), 400, msgInvalidResource},
		{"object action on bucket", policyOf(statement("Allow", roleP, `"s3:GetObject"`,
			bucketARN)), 400, msgActionNotApplies},
		{"bucket action on objects", policyOf(statement("Allow", roleP, `"s3:ListBucket"`,
			objectsARN)), 400, msgActionNotApplies},
		{"mixed actions and resources", policyOf(statement("Allow", roleP,
			`["s3:ListBucket","s3:GetObject"]`, objectsARN)), 204, ""},
		{"unknown org role", policyOf(statement("Allow",
			`{"AWS":"arn:aws:iam::880265510198:role/slateo-prod-storage-nosuchorg"}`,
			`"s3:ListBucket"`, bucketARN)), 400, msgInvalidPrincipal},
		{"principal that is no ARN", policyOf(statement("Allow", `{"AWS":"acme"}`,
			`"s3:ListBucket"`, bucketARN)), 400, msgInvalidPrincipal},
		{"account id principal", policyOf(statement("Allow", `{"AWS":"444455556666"}`,
			`"s3:ListBucket"`, bucketARN)), 204, ""},
		{"service principal", policyOf(statement("Allow",
			`{"Service":"logging.s3.amazonaws.com"}`, `"s3:PutObject"`, objectsARN)), 204, ""},
		{"public", policyOf(statement("Allow", `"*"`, `"s3:GetObject"`, objectsARN)), 403,
			"because public policies are blocked by the BlockPublicPolicy block public " +
				"access setting."},
		{"public through AWS *", policyOf(statement("Allow", `{"AWS":"*"}`,
			`"s3:GetObject"`, objectsARN)), 403, "BlockPublicPolicy"},
		{"star pinned to a VPC", policyOf(`{"Effect":"Allow","Principal":"*","Action":` +
			`"s3:GetObject","Resource":` + objectsARN + `,"Condition":{"StringEquals":` +
			`{"aws:SourceVpc":"vpc-91237329"}}}`), 204, ""},
		{"star with a wildcard VPC", policyOf(`{"Effect":"Allow","Principal":"*",` +
			`"Action":"s3:GetObject","Resource":` + objectsARN + `,"Condition":` +
			`{"StringLike":{"aws:SourceVpc":"vpc-*"}}}`), 403, "BlockPublicPolicy"},
		{"star pinned to the org", policyOf(`{"Effect":"Allow","Principal":"*","Action":` +
			`"s3:GetObject","Resource":` + objectsARN + `,"Condition":{"StringEquals":` +
			`{"aws:PrincipalOrgID":"o-abc123"}}}`), 204, ""},
		{"star behind a wide IP range", policyOf(`{"Effect":"Allow","Principal":"*",` +
			`"Action":"s3:GetObject","Resource":` + objectsARN + `,"Condition":` +
			`{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}`), 403, "BlockPublicPolicy"},
		{"public deny is fine", policyOf(statement("Deny", `"*"`, `"s3:GetObject"`,
			objectsARN)), 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(t)
			mustCreate(t, s, "bkt", "us-west-2")
			var contains []string
			if tt.message != "" {
				contains = []string{xmlEscaped(tt.message)}
			}
			run(t, s, step{method: "PUT", target: "/bkt?policy", body: tt.policy,
				status: tt.status, contains: contains})
			records := s.env.Journal.NewestFirst()
			if len(records) != 1 || records[0].EventName != "PutBucketPolicy" {
				t.Fatalf("journal holds %d records, want one PutBucketPolicy", len(records))
			}
			rec := records[0]
			failed := tt.status >= 300
			if failed != (rec.ErrorCode != "") || !strings.Contains(rec.ErrorMessage,
				tt.message) {
				t.Errorf("record error %q %q, want the answer's error", rec.ErrorCode,
					rec.ErrorMessage)
			}
		})
	}
}

func xmlEscaped(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestPolicyReadBackAndStatus(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	policy := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"A\", " +
		"\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"444455556666\", \"" + role +
		"\"]}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bkt/<x>&*\"}]}"
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":` +
		`{"AWS":["arn:aws:iam::444455556666:root","` + role + `"]},"Action":"s3:GetObject",` +
		`"Resource":"arn:aws:s3:::bkt/<x>&*"}]}`
	run(t, s,
		step{method: "GET", target: "/bkt?policy", status: 404,
			contains: []string{"<Code>NoSuchBucketPolicy</Code>",
				"The bucket policy does not exist"}},
		step{method: "GET", target: "/bkt?policyStatus", status: 404,
			contains: []string{"NoSuchBucketPolicy"}},
		step{method: "PUT", target: "/bkt?policy", body: policy, status: 204},
		step{method: "GET", target: "/bkt?policy", status: 200, contains: []string{want}},
		step{method: "GET", target: "/bkt?policyStatus", status: 200,
			contains: []string{"<IsPublic>false</IsPublic>"}},
		step{method: "PUT", target: "/bkt?publicAccessBlock", status: 200,
			body: "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>" +
				"</PublicAccessBlockConfiguration>"},
		step{method: "PUT", target: "/bkt?policy", status: 204, body: policyOf(statement(
			"Allow", `"*"`, `"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`))},
		step{method: "GET", target: "/bkt?policyStatus", status: 200,
			contains: []string{"<IsPublic>true</IsPublic>"}},
		step{method: "DELETE", target: "/bkt?policy", status: 204},
		step{method: "DELETE", target: "/bkt?policy", status: 204},
		step{method: "GET", target: "/bkt?policy", status: 404},
	)
}

func TestWriteRecordsCloudTrail(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	policy := policyOf(statement("Allow", `{"AWS":"`+role+`"}`, `"s3:ListBucket"`,
		`"arn:aws:s3:::bkt"`))
	run(t, s, step{method: "PUT", target: "/bkt?policy", body: policy, status: 204})
	recs := s.env.Journal.NewestFirst()
	if len(recs) != 1 {
		t.Fatalf("journal holds %d records, want 1", len(recs))
	}
	r := recs[0]
	params := string(r.RequestParameters)
	checks := []struct{ name, got, want string }{
		{"eventSource", r.EventSource, "s3.amazonaws.com"},
		{"eventName", r.EventName, "PutBucketPolicy"},
		{"awsRegion", r.AWSRegion, "us-west-2"},
		{"eventTime", r.EventTime, "2026-12-04T15:00:00Z"},
		{"user", r.UserIdentity.ARN, "arn:aws:iam::111122223333:user/sandbox-admin"},
		{"resource", r.Resources[0].ARN, "arn:aws:s3:::bkt"},
		{"resource type", r.Resources[0].Type, "AWS::S3::Bucket"},
		{"category", r.EventCategory, "Management"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, want := range []string{`"bucketName":"bkt"`, `"Host":"127.0.0.1:4566"`,
		`"bucketPolicy":{`, `slateo-prod-storage-acme`} {
		if !strings.Contains(params, want) {
			t.Errorf("requestParameters %s lack %s", params, want)
		}
	}
	if !r.ManagementEvent || r.ReadOnly {
		t.Errorf("managementEvent %v readOnly %v, want a management write", r.ManagementEvent,
			r.ReadOnly)
	}
	run(t, s, step{method: "GET", target: "/bkt?policy", status: 200})
	if s.env.Journal.Len() != 1 {
		t.Error("a read was recorded as a management write")
	}
}

func TestFaultsAndRefusalsRecorded(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	w := httptest.NewRecorder()
	s.WriteFault(w, request("PUT", "/bkt?policy", "us-west-2", "{}"), "AccessDenied")
	if w.Code != 403 || !strings.Contains(w.Body.String(), "<Code>AccessDenied</Code>") {
		t.Fatalf("fault answer %d %s", w.Code, w.Body)
	}
	s.WriteFault(httptest.NewRecorder(), request("GET", "/bkt?policy", "us-west-2", ""),
		"AccessDenied")
	run(t, s, step{method: "PUT", target: "/bkt?cors", region: "eu-west-1",
		body: guideRule, status: 301})
	recs := s.env.Journal.NewestFirst()
	if len(recs) != 2 {
		t.Fatalf("journal holds %d records, want the faulted and the redirected write",
			len(recs))
	}
	names := map[string]string{}
	for _, r := range recs {
		names[r.EventName] = r.ErrorCode
	}
	if names["PutBucketPolicy"] != "AccessDenied" ||
		names["PutBucketCors"] != "PermanentRedirect" {
		t.Errorf("recorded %v", names)
	}
}
