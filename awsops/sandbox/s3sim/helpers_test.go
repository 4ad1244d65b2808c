package s3sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox/simcore"
)

var testNow = time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)

func newTestService(t testing.TB) *Service {
	t.Helper()
	return New(simcore.Env{Account: "111122223333", Now: func() time.Time { return testNow },
		Journal: &simcore.Journal{}, OrgRoles: []string{"acme"}})
}

// request builds a request signed (by scope only) for s3 in region.
func request(method, target, region, body string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, "http://127.0.0.1:4566"+target, strings.NewReader(body))
	if region != "" {
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261204/"+region+
			"/s3/aws4_request, SignedHeaders=host, Signature=00")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

func serve(s *Service, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// step is one request and what must come back.
type step struct {
	method, target, region, body string
	headers                      []string
	status                       int
	contains                     []string
}

func run(t *testing.T, s *Service, steps ...step) {
	t.Helper()
	for i, st := range steps {
		region := st.region
		switch region {
		case "":
			region = "us-west-2"
		case "-":
			region = ""
		}
		w := serve(s, request(st.method, st.target, region, st.body, st.headers...))
		body := w.Body.String()
		if w.Code != st.status {
			t.Fatalf("step %d %s %s: status %d, want %d; body %s", i, st.method, st.target,
				w.Code, st.status, body)
		}
		for _, c := range st.contains {
			if !strings.Contains(body, c) && !headerHas(w.Header(), c) {
				t.Errorf("step %d %s %s: answer lacks %q; body %s headers %v", i, st.method,
					st.target, c, body, w.Header())
			}
		}
	}
}

// headerHas matches "Name: value" against the response headers.
func headerHas(h http.Header, want string) bool {
	name, value, ok := strings.Cut(want, ": ")
	return ok && h.Get(name) == value
}

func mustCreate(t *testing.T, s *Service, name, region string) {
	t.Helper()
	if err := s.CreateBucket(name, region); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
}
