package simcore

import (
	"net/http"
	"strings"
)

// Scope is the credential scope of a SigV4-signed request.
type Scope struct {
	AccessKeyID string
	Date        string
	Region      string
	Service     string
}

// CredentialScope reads the credential scope from a request's SigV4 Authorization header
// ("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/s3/aws4_request, ...") or, for a
// presigned URL, from its X-Amz-Credential query parameter. The signature is not checked:
// the sandbox accepts any credentials.
func CredentialScope(r *http.Request) (Scope, bool) {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		for _, part := range strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 "), ",") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(part), "Credential="); ok {
				cred = v
			}
		}
	}
	fields := strings.Split(cred, "/")
	if len(fields) != 5 || fields[4] != "aws4_request" {
		return Scope{}, false
	}
	return Scope{AccessKeyID: fields[0], Date: fields[1], Region: fields[2], Service: fields[3]}, true
}
