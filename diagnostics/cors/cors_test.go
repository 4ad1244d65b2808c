package cors

import (
	"strings"
	"testing"

	"slateo-s3/model"
)

func guide() model.CORSRule {
	return model.CORSRule{AllowedHeaders: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"},
		AllowedOrigins: []string{"https://*.slateo.ai", "https://slateo.ai"},
		ExposeHeaders:  []string{"ETag"}, MaxAgeSeconds: 3600}
}

func TestMatch(t *testing.T) {
	putOnly := model.CORSRule{AllowedMethods: []string{"PUT"},
		AllowedOrigins: []string{"https://acme.slateo.ai"}}
	anyOrigin := model.CORSRule{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}
	tests := []struct {
		name   string
		rules  []model.CORSRule
		req    Request
		want   bool
		rule   int
		origin string
		reason string
	}{
		{name: "guide org origin", rules: []model.CORSRule{guide()},
			req: Request{Origin: "https://acme.slateo.ai", Method: "GET"}, want: true,
			origin: "https://acme.slateo.ai"},
		{name: "guide apex", rules: []model.CORSRule{guide()},
			req: Request{Origin: "https://slateo.ai", Method: "HEAD"}, want: true,
			origin: "https://slateo.ai"},
		{name: "http scheme differs", rules: []model.CORSRule{guide()},
			req:    Request{Origin: "http://acme.slateo.ai", Method: "GET"},
			reason: "no rule allows origin"},
		{name: "port differs", rules: []model.CORSRule{guide()},
			req:    Request{Origin: "https://slateo.ai:443", Method: "GET"},
			reason: "no rule allows origin"},
		{name: "trailing slash", rules: []model.CORSRule{guide()},
			req:    Request{Origin: "https://slateo.ai/", Method: "GET"},
			reason: "no rule allows origin"},
		{name: "method missing", rules: []model.CORSRule{guide()},
			req: Request{Origin: "https://slateo.ai", Method: "PUT"}, reason: "not method PUT"},
		{name: "method case matters", rules: []model.CORSRule{guide()},
			req: Request{Origin: "https://slateo.ai", Method: "get"}, reason: "not method"},
		{name: "first matching rule wins", rules: []model.CORSRule{putOnly, anyOrigin, guide()},
			req: Request{Origin: "https://acme.slateo.ai", Method: "GET"}, want: true,
			rule: 1, origin: "*"},
		{name: "closest rule explains", rules: []model.CORSRule{putOnly},
			req:    Request{Origin: "https://acme.slateo.ai", Method: "GET"},
			reason: "rule #1 allows origin https://acme.slateo.ai but not method GET"},
		{name: "headers need allowed headers", rules: []model.CORSRule{putOnly},
			req: Request{Origin: "https://acme.slateo.ai", Method: "PUT",
				Headers: []string{"x-amz-date"}}, reason: "not header x-amz-date"},
		{name: "header pattern case-insensitive", rules: []model.CORSRule{{
			AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"https://slateo.ai"},
			AllowedHeaders: []string{"X-Amz-*"}}},
			req: Request{Origin: "https://slateo.ai", Method: "GET",
				Headers: []string{"x-amz-date", "X-AMZ-USER-AGENT"}}, want: true,
			origin: "https://slateo.ai"},
		{name: "no rules", req: Request{Origin: "https://slateo.ai", Method: "GET"},
			reason: "not enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Match(tt.rules, tt.req)
			if got.Allowed != tt.want {
				t.Fatalf("Allowed = %t (%s), want %t", got.Allowed, got.Reason, tt.want)
			}
			if tt.want && (got.Rule != tt.rule || got.AllowOrigin != tt.origin) {
				t.Errorf("rule %d origin %q, want %d %q", got.Rule, got.AllowOrigin, tt.rule,
					tt.origin)
			}
			if !tt.want && !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("reason %q, want containing %q", got.Reason, tt.reason)
			}
		})
	}
}

// FuzzCORSMatch checks S3's matching invariants on arbitrary rules and requests. Run longer
// with go test ./diagnostics/cors -run '^$' -fuzz FuzzCORSMatch -fuzztime 20s
func FuzzCORSMatch(f *testing.F) {
	f.Add("https://*.slateo.ai", "https://acme.slateo.ai", "GET", "x-amz-*", "X-Amz-Date")
	f.Add("*", "null", "HEAD", "", "")
	f.Add("http://a*b*c", "http://abc", "PUT", "*", "content-type")
	f.Fuzz(func(t *testing.T, pattern, origin, method, header, reqHeader string) {
		rule := model.CORSRule{AllowedOrigins: []string{pattern},
			AllowedMethods: []string{method}, AllowedHeaders: []string{header}}
		req := Request{Origin: origin, Method: method}
		if reqHeader != "" {
			req.Headers = []string{reqHeader}
		}
		got := Match([]model.CORSRule{rule}, req)
		if got.Allowed != (got.Rule == 0) {
			t.Fatalf("allowed %t with rule %d", got.Allowed, got.Rule)
		}
		if !strings.Contains(pattern, "*") && got.Allowed && pattern != origin {
			t.Fatalf("literal origin %q matched %q", pattern, origin)
		}
		if pattern == origin && reqHeader == "" && !got.Allowed {
			t.Fatalf("identical origin %q refused: %s", origin, got.Reason)
		}
		open := model.CORSRule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{method},
			AllowedHeaders: []string{"*"}}
		all := Match([]model.CORSRule{open, rule}, req)
		if !all.Allowed || all.Rule != 0 || all.AllowOrigin != "*" {
			t.Fatalf("open first rule did not win: %+v", all)
		}
		if got.Allowed {
			again := Match([]model.CORSRule{rule, open}, req)
			if again.Rule != 0 {
				t.Fatalf("first matching rule did not win: %+v", again)
			}
		}
	})
}
