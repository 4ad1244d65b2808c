package stssim

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox/simcore"
)

func post(t *testing.T, srv *httptest.Server, form url.Values) (int, string) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+"/", "application/x-www-form-urlencoded; charset=utf-8",
		strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestGetCallerIdentity(t *testing.T) {
	srv := httptest.NewServer(New(simcore.Env{Account: "444455556666"}))
	defer srv.Close()
	status, body := post(t, srv, url.Values{
		"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var got struct {
		XMLName xml.Name
		Arn     string `xml:"GetCallerIdentityResult>Arn"`
		UserID  string `xml:"GetCallerIdentityResult>UserId"`
		Account string `xml:"GetCallerIdentityResult>Account"`
		Request string `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.XMLName.Space != namespace || got.XMLName.Local != "GetCallerIdentityResponse" ||
		got.Account != "444455556666" || got.UserID != simcore.CallerUserID ||
		got.Arn != "arn:aws:iam::444455556666:user/sandbox-admin" || got.Request == "" {
		t.Fatalf("answer %+v from %s", got, body)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		fault  string
		form   url.Values
		status int
		code   string
	}{
		{"unknown action", "", url.Values{"Action": {"AssumeRole"}}, 400, "InvalidAction"},
		{"injected throttle", "Throttling", nil, 400, "Throttling"},
		{"injected failure", "InternalFailure", nil, 500, "InternalFailure"},
	}
	s := New(simcore.Env{Account: simcore.DefaultAccount})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Handler(s)
			if tt.fault != "" {
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					s.WriteFault(w, r, tt.fault)
				})
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			status, body := post(t, srv, tt.form)
			var e struct {
				Code    string `xml:"Error>Code"`
				Request string `xml:"RequestId"`
			}
			if err := xml.Unmarshal([]byte(body), &e); err != nil {
				t.Fatal(err)
			}
			if status != tt.status || e.Code != tt.code || e.Request == "" {
				t.Fatalf("got %d %s", status, body)
			}
		})
	}
}
