package sandboxtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/simcore"
)

// Secrets returns what a screen-share or a ticket must not show from a sandbox's data: the
// account ids (Slateo's own excepted, which is public), access key ids, IP addresses, role
// session names, IAM user names and email addresses found in its CloudTrail journal, in the
// trail log files of its buckets and in its bucket and key policies, plus the sandbox's own
// account and the loopback address it listens on.
func Secrets(t testing.TB, srv *sandbox.Server) []string {
	t.Helper()
	set := map[string]bool{srv.Account(): true, "127.0.0.1": true}
	var records []simcore.Record
	records = append(records, srv.Journal().NewestFirst()...)
	records = append(records, logFileRecords(t, srv)...)
	for _, r := range records {
		addIdentity(set, r.UserIdentity)
		set[r.SourceIPAddress] = true
		set[r.RecipientAccountID] = true
		raw, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("encoding a record: %v", err)
		}
		addMatches(set, string(raw))
	}
	for _, policy := range policies(srv) {
		addMatches(set, policy)
	}
	delete(set, "")
	delete(set, simcore.SlateoAccount)
	out := make([]string, 0, len(set))
	for v := range set {
		// Service principals such as cloudtrail.amazonaws.com are not secrets.
		if !strings.HasSuffix(v, ".amazonaws.com") {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func addIdentity(set map[string]bool, u simcore.UserIdentity) {
	set[u.AccountID] = true
	set[u.AccessKeyID] = true
	if u.Type == "IAMUser" {
		set[u.UserName] = true
	}
	if _, session, ok := strings.Cut(u.PrincipalID, ":"); ok {
		set[session] = true
	}
	if i := strings.Index(u.ARN, ":assumed-role/"); i >= 0 {
		parts := strings.Split(u.ARN[i:], "/")
		set[parts[len(parts)-1]] = true
	}
}

var (
	accountRE = regexp.MustCompile(`\b\d{12}\b`)
	emailRE   = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
)

// addMatches adds the account ids and emails a document mentions.
func addMatches(set map[string]bool, doc string) {
	for _, re := range []*regexp.Regexp{accountRE, emailRE} {
		for _, m := range re.FindAllString(doc, -1) {
			set[m] = true
		}
	}
}

// logFileRecords reads the CloudTrail records of every trail's log files.
func logFileRecords(t testing.TB, srv *sandbox.Server) []simcore.Record {
	t.Helper()
	var out []simcore.Record
	for _, tr := range srv.CloudTrail().Trails() {
		for _, key := range srv.S3().ListKeys(tr.Bucket, "") {
			if !strings.HasSuffix(key, ".json.gz") {
				continue
			}
			body, _ := srv.S3().Object(tr.Bucket, key)
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("reading log file %s: %v", key, err)
			}
			data, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("reading log file %s: %v", key, err)
			}
			var doc struct{ Records []simcore.Record }
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatalf("decoding log file %s: %v", key, err)
			}
			out = append(out, doc.Records...)
		}
	}
	return out
}

// policies are the key policies of the sandbox's keys.
func policies(srv *sandbox.Server) []string {
	var out []string
	for _, k := range srv.KMS().Keys() {
		out = append(out, k.Policy)
	}
	return out
}
