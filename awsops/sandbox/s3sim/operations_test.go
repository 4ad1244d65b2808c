package s3sim

import (
	"net/http"
	"slices"
	"testing"
)

// TestOperationsMatchRouting checks that an operation Operation names is listed by
// Operations exactly when the service serves it, rather than answering 501 NotImplemented,
// so a --fail the sandbox accepts can fire and one it refuses could not have.
func TestOperationsMatchRouting(t *testing.T) {
	s := newTestService(t)
	mustCreate(t, s, "bkt", "us-west-2")
	ops := s.Operations()
	tests := []struct {
		method, target string
		headers        []string
		listed         bool
	}{
		{"GET", "/", nil, true},
		{"PUT", "/new-bkt", nil, true},
		{"HEAD", "/bkt", nil, true},
		{"GET", "/bkt?policy", nil, true},
		{"PUT", "/bkt?cors", nil, true},
		{"GET", "/bkt?publicAccessBlock", nil, true},
		{"GET", "/bkt?list-type=2", nil, true},
		{"GET", "/bkt/k", nil, true},
		{"POST", "/bkt/k?uploads", nil, true},
		{"GET", "/bkt?tagging", nil, false},
		{"PUT", "/bkt?acl", nil, false},
		{"GET", "/bkt/k?tagging", nil, false},
		{"PUT", "/bkt/k", []string{"x-amz-copy-source", "/bkt/a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := request(tt.method, tt.target, "us-west-2", "", tt.headers...)
			op, _ := s.Operation(r)
			if got := slices.Contains(ops, op); got != tt.listed {
				t.Errorf("%s listed = %v, want %v", op, got, tt.listed)
			}
			w := serve(s, request(tt.method, tt.target, "us-west-2", "", tt.headers...))
			if served := w.Code != http.StatusNotImplemented; served != tt.listed {
				t.Errorf("%s answered %d; listed %v", op, w.Code, tt.listed)
			}
		})
	}
}
