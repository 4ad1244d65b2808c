package awsops

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"slateo-s3/model"
)

func TestPreflightURL(t *testing.T) {
	tests := []struct {
		name, endpoint, bucket, region, want string
	}{
		{"aws", "", "acme-slateo-cache", "us-west-2",
			"https://acme-slateo-cache.s3.us-west-2.amazonaws.com/"},
		{"dotted name", "", "acme.cache", "eu-west-1",
			"https://s3.eu-west-1.amazonaws.com/acme.cache"},
		{"china", "", "acme-slateo-cache", "cn-north-1",
			"https://acme-slateo-cache.s3.cn-north-1.amazonaws.com.cn/"},
		{"custom endpoint", "http://127.0.0.1:4566/", "acme-slateo-cache", "us-west-2",
			"http://127.0.0.1:4566/acme-slateo-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PreflightURL(tt.endpoint, tt.bucket, tt.region); got != tt.want {
				t.Errorf("PreflightURL = %q, want %q", got, tt.want)
			}
		})
	}
}

// corsServer answers preflights as S3 does for a bucket whose one rule allows GET and HEAD
// from https://*.slateo.ai, and counts the requests that carried credentials.
func corsServer(signed *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			signed.Add(1)
		}
		origin, method := r.Header.Get("Origin"), r.Header.Get("Access-Control-Request-Method")
		switch {
		case r.Method != http.MethodOptions || r.URL.Path != "/acme-slateo-cache":
			s3Error(rw, http.StatusForbidden, "AccessForbidden", "CORSResponse: Bucket not found")
		case strings.HasSuffix(origin, ".slateo.ai") && (method == "GET" || method == "HEAD"):
			rw.Header().Set("Access-Control-Allow-Origin", origin)
			rw.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
			rw.Header().Set("Access-Control-Expose-Headers", "ETag")
			rw.Header().Set("Access-Control-Max-Age", "3600")
		default:
			s3Error(rw, http.StatusForbidden, "AccessForbidden",
				"CORSResponse: This CORS request is not allowed.")
		}
	}))
}

func TestPreflightCORS(t *testing.T) {
	isolateAWS(t)
	var signed atomic.Int32
	srv := corsServer(&signed)
	defer srv.Close()
	s, err := Connect(context.Background(), model.Settings{EndpointURL: srv.URL},
		ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, bucket, origin, method string
		want                         Preflight
		allowed                      bool
	}{
		{"allowed", "acme-slateo-cache", "https://acme.slateo.ai", "GET", Preflight{
			Status: 200, AllowOrigin: "https://acme.slateo.ai", AllowMethods: "GET, HEAD",
			ExposeHeaders: "ETag", MaxAge: "3600"}, true},
		{"method refused", "acme-slateo-cache", "https://acme.slateo.ai", "PUT", Preflight{
			Status: 403, ErrorCode: "AccessForbidden",
			ErrorMessage: "CORSResponse: This CORS request is not allowed."}, false},
		{"origin refused", "acme-slateo-cache", "https://evil.example", "GET", Preflight{
			Status: 403, ErrorCode: "AccessForbidden",
			ErrorMessage: "CORSResponse: This CORS request is not allowed."}, false},
		{"no bucket", "nope", "https://acme.slateo.ai", "GET", Preflight{
			Status: 403, ErrorCode: "AccessForbidden",
			ErrorMessage: "CORSResponse: Bucket not found"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.PreflightCORS(context.Background(), tt.bucket, "", tt.origin, tt.method)

			if err != nil || got != tt.want {
				t.Errorf("PreflightCORS = %+v, %v; want %+v", got, err, tt.want)
			}
			if got.Allowed(tt.origin) != tt.allowed {
				t.Errorf("Allowed = %v, want %v", got.Allowed(tt.origin), tt.allowed)
			}
		})
	}
	if n := signed.Load(); n != 0 {
		t.Errorf("%d preflights carried credentials, want none", n)
	}
}

func TestPreflightCORSNoAnswer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()

	_, err := PreflightCORSAt(context.Background(), http.DefaultClient, url+"/b",
		"https://a", "GET")

	if err == nil || !strings.Contains(err.Error(), "sending the CORS preflight") {
		t.Errorf("err = %v, want a send error", err)
	}
}

func TestPreflightCORSNotXML(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(rw, "<html>proxy error</html>")
	}))
	defer srv.Close()

	got, err := PreflightCORSAt(context.Background(), srv.Client(), srv.URL+"/b", "https://a",
		"GET")

	if err != nil || got.Status != http.StatusBadGateway || got.ErrorCode != "" {
		t.Errorf("PreflightCORSAt = %+v, %v; want status 502 without an error code", got, err)
	}
}
