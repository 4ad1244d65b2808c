package kmssim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

var testNow = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

const orgRole = "arn:aws:iam::880265510198:role/slateo-prod-storage-acme"

func newTestService(t *testing.T) (*Service, *httptest.Server, *simcore.Journal) {
	t.Helper()
	j := &simcore.Journal{}
	s := New(simcore.Env{
		Account:  simcore.DefaultAccount,
		Now:      func() time.Time { return testNow },
		Journal:  j,
		Changed:  func() {},
		OrgRoles: []string{"acme"},
	})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv, j
}

// kmsCall sends one signed-looking KMS request and returns the status and decoded body.
// answer is a service's reply: its status and its decoded JSON body.
type answer struct {
	status int
	body   map[string]any
}

func kmsCall(t *testing.T, srv *httptest.Server, region, op string, in any) answer {
	t.Helper()
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "TrentService."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/"+region+
		"/kms/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: decoding answer: %v", op, err)
	}
	return answer{resp.StatusCode, out}
}

func mustOK(t *testing.T, a answer) map[string]any {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, body %v", a.status, a.body)
	}
	return a.body
}

func wantError(t *testing.T, a answer, code, message string) {
	t.Helper()
	status, out := a.status, a.body
	if status != http.StatusBadRequest || out["__type"] != code {
		t.Fatalf("got %d %v, want 400 %s", status, out, code)
	}
	if message != "" && out["message"] != message {
		t.Fatalf("message %q, want %q", out["message"], message)
	}
}

func createTestKey(t *testing.T, srv *httptest.Server) map[string]any {
	t.Helper()
	out := mustOK(t, kmsCall(t, srv, "us-west-2", "CreateKey",
		map[string]any{"Description": "test key"}))
	return out["KeyMetadata"].(map[string]any)
}

func TestCreateAndDescribeKey(t *testing.T) {
	_, srv, _ := newTestService(t)
	meta := createTestKey(t, srv)
	id, arn := meta["KeyId"].(string), meta["Arn"].(string)
	if arn != "arn:aws:kms:us-west-2:111122223333:key/"+id {
		t.Fatalf("ARN %s", arn)
	}
	if meta["KeyManager"] != "CUSTOMER" || meta["KeyState"] != "Enabled" ||
		meta["Enabled"] != true || meta["CreationDate"] != float64(testNow.Unix()) {
		t.Fatalf("metadata %v", meta)
	}
	mustOK(t, kmsCall(t, srv, "us-west-2", "CreateAlias",
		map[string]any{"AliasName": "alias/acme", "TargetKeyId": id}))

	refs := []string{id, arn, "alias/acme", "arn:aws:kms:us-west-2:111122223333:alias/acme"}
	for _, ref := range refs {
		t.Run(ref, func(t *testing.T) {
			out := mustOK(t, kmsCall(t, srv, "us-west-2", "DescribeKey", map[string]any{"KeyId": ref}))
			if got := out["KeyMetadata"].(map[string]any)["KeyId"]; got != id {
				t.Fatalf("resolved to %v, want %s", got, id)
			}
		})
	}
}

func TestDescribeKeyErrors(t *testing.T) {
	_, srv, _ := newTestService(t)
	meta := createTestKey(t, srv)
	missing := "11111111-2222-3333-4444-555555555555"
	tests := []struct {
		name, region, ref, message string
	}{
		{"missing id", "us-west-2", missing,
			"Key 'arn:aws:kms:us-west-2:111122223333:key/" + missing + "' does not exist"},
		{"malformed id", "us-west-2", "nope", "Invalid keyId 'nope'"},
		{"key of another region by ARN", "us-east-1", meta["Arn"].(string), "Invalid arn us-west-2"},
		{"key of another region by id", "us-east-1", meta["KeyId"].(string),
			"Key 'arn:aws:kms:us-east-1:111122223333:key/" + meta["KeyId"].(string) +
				"' does not exist"},
		{"missing alias", "us-west-2", "alias/none",
			"Alias arn:aws:kms:us-west-2:111122223333:alias/none is not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := kmsCall(t, srv, tt.region, "DescribeKey", map[string]any{"KeyId": tt.ref})
			wantError(t, out, "NotFoundException", tt.message)
		})
	}
}

func TestManagedS3Key(t *testing.T) {
	_, srv, _ := newTestService(t)
	for _, region := range []string{"us-west-2", "eu-central-1"} {
		t.Run(region, func(t *testing.T) {
			out := mustOK(t, kmsCall(t, srv, region, "DescribeKey",
				map[string]any{"KeyId": "alias/aws/s3"}))
			meta := out["KeyMetadata"].(map[string]any)
			if meta["KeyManager"] != "AWS" || meta["Description"] != ManagedS3Description ||
				!strings.Contains(meta["Arn"].(string), ":"+region+":") {
				t.Fatalf("metadata %v", meta)
			}
			pol := mustOK(t, kmsCall(t, srv, region, "GetKeyPolicy",
				map[string]any{"KeyId": meta["KeyId"]}))
			if !strings.Contains(pol["Policy"].(string), `"auto-s3-2"`) ||
				!strings.Contains(pol["Policy"].(string), "s3."+region+".amazonaws.com") {
				t.Fatalf("policy %v", pol["Policy"])
			}
			e := kmsCall(t, srv, region, "PutKeyPolicy", map[string]any{
				"KeyId": meta["KeyId"], "Policy": DefaultPolicy(simcore.DefaultAccount)})
			wantError(t, e, "AccessDeniedException", "User: arn:aws:iam::111122223333:"+
				"user/sandbox-admin is not authorized to perform: kms:PutKeyPolicy on resource: "+
				meta["Arn"].(string)+" because no resource-based policy allows the "+
				"kms:PutKeyPolicy action")
		})
	}
}

func policyWith(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

const rootStatement = `{"Sid":"Enable IAM User Permissions","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`

func slateoStatement(role string) string {
	return `{"Sid":"AllowSlateoKMSAccess","Effect":"Allow","Principal":{"AWS":"` + role +
		`"},"Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey"],"Resource":"*"}`
}

func TestPutKeyPolicy(t *testing.T) {
	_, srv, j := newTestService(t)
	id := createTestKey(t, srv)["KeyId"].(string)
	tests := []struct {
		name, policy, code, message string
	}{
		{"guide statement added", policyWith(rootStatement, slateoStatement(orgRole)), "", ""},
		{"not JSON", `{"Statement":`, "MalformedPolicyDocumentException", ""},
		{"no statement", `{"Version":"2012-10-17"}`, "MalformedPolicyDocumentException", ""},
		{"role of an org without one",
			policyWith(rootStatement, slateoStatement(
				"arn:aws:iam::880265510198:role/slateo-prod-storage-acme-prod")),
			"MalformedPolicyDocumentException", msgInvalidPrincipals},
		{"lockout", policyWith(slateoStatement(orgRole)),
			"MalformedPolicyDocumentException", msgLockout},
		{"explicit deny of the admin", policyWith(rootStatement,
			`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:PutKeyPolicy","Resource":"*"}`),
			"MalformedPolicyDocumentException", msgLockout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := kmsCall(t, srv, "us-west-2", "PutKeyPolicy",
				map[string]any{"KeyId": id, "Policy": tt.policy})
			if tt.code == "" {
				mustOK(t, out)
				got := mustOK(t, kmsCall(t, srv, "us-west-2", "GetKeyPolicy",
					map[string]any{"KeyId": id, "PolicyName": "default"}))
				if got["Policy"] != tt.policy || got["PolicyName"] != "default" {
					t.Fatalf("read back %v", got)
				}
				return
			}
			wantError(t, out, tt.code, tt.message)
		})
	}
	rec := j.NewestFirst()
	if len(rec) != 1+len(tests) {
		t.Fatalf("%d records, want one per write", len(rec))
	}
	last := rec[len(rec)-len(tests)]
	if last.EventSource != eventSource || last.EventName != "PutKeyPolicy" ||
		last.ErrorCode != "" || len(last.Resources) != 1 ||
		last.Resources[0].Type != "AWS::KMS::Key" || !strings.HasSuffix(last.Resources[0].ARN, id) {
		t.Fatalf("record %+v", last)
	}
	if !strings.Contains(string(last.RequestParameters), `"keyId":"`+id+`"`) {
		t.Fatalf("requestParameters %s", last.RequestParameters)
	}
}

func TestListAliasesPaging(t *testing.T) {
	_, srv, _ := newTestService(t)
	id := createTestKey(t, srv)["KeyId"].(string)
	for _, name := range []string{"alias/b", "alias/a", "alias/c"} {
		mustOK(t, kmsCall(t, srv, "us-west-2", "CreateAlias",
			map[string]any{"AliasName": name, "TargetKeyId": id}))
	}
	var names []string
	marker := ""
	for pages := 0; pages < 10; pages++ {
		req := map[string]any{"Limit": 2}
		if marker != "" {
			req["Marker"] = marker
		}
		out := mustOK(t, kmsCall(t, srv, "us-west-2", "ListAliases", req))
		for _, a := range out["Aliases"].([]any) {
			names = append(names, a.(map[string]any)["AliasName"].(string))
		}
		if out["Truncated"] != true {
			break
		}
		marker = out["NextMarker"].(string)
	}
	want := "alias/a alias/aws/s3 alias/b alias/c"
	if strings.Join(names, " ") != want {
		t.Fatalf("aliases %v, want %s", names, want)
	}
	out := kmsCall(t, srv, "us-west-2", "ListAliases", map[string]any{"Marker": "!!"})
	wantError(t, out, "InvalidMarkerException", "Invalid marker")
	out = kmsCall(t, srv, "us-west-2", "CreateAlias",
		map[string]any{"AliasName": "alias/a", "TargetKeyId": id})
	wantError(t, out, "AlreadyExistsException",
		"An alias with the name arn:aws:kms:us-west-2:111122223333:alias/a already exists")
	out = kmsCall(t, srv, "us-west-2", "CreateAlias",
		map[string]any{"AliasName": "alias/aws/mine", "TargetKeyId": id})
	wantError(t, out, "NotAuthorizedException", "")
}

func TestKeyStates(t *testing.T) {
	_, srv, _ := newTestService(t)
	meta := createTestKey(t, srv)
	id, arn := meta["KeyId"].(string), meta["Arn"].(string)
	steps := []struct {
		op        string
		in        map[string]any
		code      string
		wantState string
	}{
		{"DisableKey", map[string]any{"KeyId": id}, "", "Disabled"},
		{"EnableKey", map[string]any{"KeyId": arn}, "", "Enabled"},
		{"ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 5},
			"ValidationException", "Enabled"},
		{"ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 7},
			"", "PendingDeletion"},
		{"EnableKey", map[string]any{"KeyId": id}, "KMSInvalidStateException", "PendingDeletion"},
		{"CancelKeyDeletion", map[string]any{"KeyId": id}, "", "Disabled"},
		{"CancelKeyDeletion", map[string]any{"KeyId": id}, "KMSInvalidStateException", "Disabled"},
	}
	for i, st := range steps {
		t.Run(st.op, func(t *testing.T) {
			out := kmsCall(t, srv, "us-west-2", st.op, st.in)
			if st.code != "" {
				wantError(t, out, st.code, "")
			} else {
				mustOK(t, out)
			}
			d := mustOK(t, kmsCall(t, srv, "us-west-2", "DescribeKey", map[string]any{"KeyId": id}))
			km := d["KeyMetadata"].(map[string]any)
			if km["KeyState"] != st.wantState || km["Enabled"] != (st.wantState == "Enabled") {
				t.Fatalf("step %d: state %v enabled %v, want %s", i, km["KeyState"], km["Enabled"],
					st.wantState)
			}
			want := float64(testNow.Add(7 * 24 * time.Hour).Unix())
			if st.wantState == "PendingDeletion" && km["DeletionDate"] != want {
				t.Fatalf("DeletionDate %v, want %v", km["DeletionDate"], want)
			}
			if st.wantState != "PendingDeletion" && km["DeletionDate"] != nil {
				t.Fatalf("DeletionDate %v outside PendingDeletion", km["DeletionDate"])
			}
		})
	}
}

func TestUnknownOperation(t *testing.T) {
	_, srv, _ := newTestService(t)
	out := kmsCall(t, srv, "us-west-2", "Frobnicate", map[string]any{})
	wantError(t, out, "UnknownOperationException", "")
}

func TestStateRoundTrip(t *testing.T) {
	s, _, _ := newTestService(t)
	arn, err := s.CreateKey("us-west-2", "saved", policyWith(rootStatement, slateoStatement(orgRole)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAlias("us-west-2", "alias/saved", arn); err != nil {
		t.Fatal(err)
	}
	if err := s.ScheduleKeyDeletion("us-west-2", arn, 10); err != nil {
		t.Fatal(err)
	}
	raw, err := s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := newTestService(t)
	if err := other.LoadState(raw); err != nil {
		t.Fatal(err)
	}
	k, err := other.Key("us-west-2", "alias/saved")
	if err != nil {
		t.Fatal(err)
	}
	if k.ARN != arn || k.State != StatePendingDeletion || !strings.Contains(k.Policy, orgRole) {
		t.Fatalf("loaded %+v", k)
	}
}

func TestGoAPIErrors(t *testing.T) {
	s, _, _ := newTestService(t)
	_, err := s.CreateKey("us-west-2", "bad", policyWith(slateoStatement(orgRole)))
	if ErrorCode(err) != "MalformedPolicyDocumentException" {
		t.Fatalf("lockout: %v", err)
	}
	managed, err := s.Key("us-west-2", ManagedS3Alias)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DisableKey("us-west-2", managed.ID); ErrorCode(err) != "AccessDeniedException" {
		t.Fatalf("disabling the AWS-managed key: %v", err)
	}
}

func TestListKeys(t *testing.T) {
	_, srv, _ := newTestService(t)
	created := map[string]bool{}
	for range 3 {
		created[createTestKey(t, srv)["KeyId"].(string)] = true
	}
	seen := map[string]bool{}
	marker := ""
	for pages := 0; pages < 10; pages++ {
		req := map[string]any{"Limit": 2}
		if marker != "" {
			req["Marker"] = marker
		}
		out := mustOK(t, kmsCall(t, srv, "us-west-2", "ListKeys", req))
		for _, k := range out["Keys"].([]any) {
			m := k.(map[string]any)
			if !strings.HasSuffix(m["KeyArn"].(string), ":key/"+m["KeyId"].(string)) {
				t.Fatalf("key entry %v", m)
			}
			seen[m["KeyId"].(string)] = true
		}
		if out["Truncated"] != true {
			break
		}
		marker = out["NextMarker"].(string)
	}
	for id := range created {
		if !seen[id] {
			t.Errorf("key %s not listed", id)
		}
	}
	if len(seen) != 4 {
		t.Fatalf("%d keys listed, want 3 customer keys and aws/s3", len(seen))
	}
	other := mustOK(t, kmsCall(t, srv, "eu-west-1", "ListKeys", nil))
	if n := len(other["Keys"].([]any)); n != 1 {
		t.Fatalf("%d keys in eu-west-1, want only its aws/s3 key", n)
	}
}

func TestWriteFault(t *testing.T) {
	s, _, _ := newTestService(t)
	tests := []struct {
		code   string
		status int
	}{
		{"KMSInternalException", 500},
		{"ServiceUnavailable", 503},
		{"ThrottlingException", 400},
		{"AccessDeniedException", 400},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.WriteFault(w, httptest.NewRequest(http.MethodPost, "/", nil), tt.code)
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || body["__type"] != tt.code ||
				w.Header().Get("x-amzn-RequestId") == "" {
				t.Fatalf("got %d %v", w.Code, body)
			}
		})
	}
}

func TestOperation(t *testing.T) {
	s, _, _ := newTestService(t)
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"KeyId":"x"}`))
	r.Header.Set("X-Amz-Target", "TrentService.DescribeKey")
	if op, bucket := s.Operation(r); op != "DescribeKey" || bucket != "" {
		t.Fatalf("Operation = %q, %q", op, bucket)
	}
}
