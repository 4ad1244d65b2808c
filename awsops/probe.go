package awsops

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Preflight is S3's answer to a browser's CORS preflight request.
type Preflight struct {
	// Status is the HTTP status: 200 when a CORS rule allowed the request, 403 otherwise.
	Status int `json:"status"`
	// AllowOrigin, AllowMethods, ExposeHeaders and MaxAge are the Access-Control-* headers
	// of the answer, exactly as S3 sent them (untrusted: sanitise before printing).
	AllowOrigin   string `json:"allow_origin,omitempty"`
	AllowMethods  string `json:"allow_methods,omitempty"`
	ExposeHeaders string `json:"expose_headers,omitempty"`
	MaxAge        string `json:"max_age,omitempty"`
	// ErrorCode and ErrorMessage come from the XML error body of a refused preflight, such
	// as AccessForbidden and "CORSResponse: CORS is not enabled for this bucket.".
	ErrorCode    string `json:"error_code,omitempty"`
	ErrorMessage string `json:"error_message,omitempty"`
}

// Allowed reports whether the preflight succeeded for the origin it was sent with: S3
// answered 200 and named that origin, or any origin, as allowed.
func (p Preflight) Allowed(origin string) bool {
	return p.Status == http.StatusOK && (p.AllowOrigin == origin || p.AllowOrigin == "*")
}

// HTTPDoer sends one HTTP request; *http.Client and the SDK's HTTP clients satisfy it.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// maxErrorBody bounds how much of an error body a probe reads.
const maxErrorBody = 64 << 10

// PreflightCORS sends the CORS preflight a browser on origin sends before a method request
// to the bucket: an unauthenticated OPTIONS with Origin and Access-Control-Request-Method, to
// the bucket's regional endpoint (region empty means the session's region), or path-style to
// the session's custom endpoint.
func (s *Session) PreflightCORS(ctx context.Context, bucket, region, origin, method string) (
	Preflight, error) {
	if region == "" {
		region = s.Region
	}
	var client HTTPDoer = http.DefaultClient
	if s.Config.HTTPClient != nil {
		client = s.Config.HTTPClient
	}
	return PreflightCORSAt(ctx, client, PreflightURL(s.Endpoint, bucket, region), origin, method)
}

// PreflightURL returns the URL a preflight for the bucket goes to: path-style under a custom
// endpoint, and on AWS the bucket's virtual host in its region (path-style when the name
// holds dots, which the wildcard certificate does not cover).
func PreflightURL(endpoint, bucket, region string) string {
	escaped := url.PathEscape(bucket)
	domain := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		domain = "amazonaws.com.cn"
	}
	switch {
	case endpoint != "":
		return strings.TrimRight(endpoint, "/") + "/" + escaped
	case strings.Contains(bucket, "."):
		return "https://s3." + region + "." + domain + "/" + escaped
	}
	return "https://" + bucket + ".s3." + region + "." + domain + "/"
}

// PreflightCORSAt sends a CORS preflight to rawURL with client, under DefaultTimeout, and
// reports S3's answer. An error means no answer came (or the request could not be built);
// a refusal is a Preflight with its status and error code.
func PreflightCORSAt(ctx context.Context, client HTTPDoer, rawURL, origin, method string) (
	Preflight, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodOptions, rawURL, nil)
	if err != nil {
		return Preflight{}, fmt.Errorf("building the CORS preflight to %s: %w", rawURL, err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)

	resp, err := client.Do(req)
	if err != nil {
		return Preflight{}, fmt.Errorf("sending the CORS preflight to %s: %w", rawURL, err)
	}
	defer resp.Body.Close()

	p := Preflight{
		Status:        resp.StatusCode,
		AllowOrigin:   resp.Header.Get("Access-Control-Allow-Origin"),
		AllowMethods:  resp.Header.Get("Access-Control-Allow-Methods"),
		ExposeHeaders: resp.Header.Get("Access-Control-Expose-Headers"),
		MaxAge:        resp.Header.Get("Access-Control-Max-Age"),
	}
	if resp.StatusCode >= http.StatusBadRequest {
		p.ErrorCode, p.ErrorMessage = s3ErrorBody(resp.Body)
	}
	return p, nil
}

// s3ErrorBody reads the code and message of an S3 XML error body; both are empty when the
// body is not one.
func s3ErrorBody(r io.Reader) (code, message string) {
	var body struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if err := xml.NewDecoder(io.LimitReader(r, maxErrorBody)).Decode(&body); err != nil {
		return "", ""
	}
	return body.Code, body.Message
}
