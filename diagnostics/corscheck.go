package diagnostics

import (
	"fmt"
	"strings"

	"slateo-s3/diagnostics/cors"
	"slateo-s3/model"
)

// corsRequests are the browser requests Slateo's pages make to the cache bucket.
func corsRequests(slug string) []cors.Request {
	var out []cors.Request
	for _, o := range []string{model.OrgOrigin(slug), "https://slateo.ai"} {
		for _, m := range model.CORSMethods {
			out = append(out, cors.Request{Origin: o, Method: m})
		}
	}
	return out
}

func corsCheck(s model.State, b model.BucketState) model.Check {
	id := IDCORS
	if b.Purpose != model.Cache {
		return newCheck(id, b.Name, model.Skip,
			"skipped: the uploads bucket needs no CORS (browsers download from the cache bucket)")
	}
	f := b.CORS
	if f.IsUnreadable() {
		return unreadable(id, b.Name, "the CORS configuration", f)
	}
	reqs := corsRequests(s.Settings.OrgSlug)
	if !f.IsPresent() || len(f.Value) == 0 {
		return noCORS(s, b)
	}
	var failed, ok []string
	for _, r := range reqs {
		res := cors.Match(f.Value, r)
		line := fmt.Sprintf("%s from %s", r.Method, r.Origin)
		if res.Allowed {
			ok = append(ok, fmt.Sprintf("%s: allowed by rule #%d", line, res.Rule+1))
			continue
		}
		failed = append(failed, line+": "+res.Reason)
	}
	rules := "Rules: " + compactCORS(f.Value...)
	if len(failed) == 0 {
		return pass(id, b.Name, "browsers on "+model.OrgOrigin(s.Settings.OrgSlug)+
			" and https://slateo.ai may GET and HEAD", strings.Join(ok, "\n")+"\n"+rules)
	}
	c := newCheck(id, b.Name, model.Fail, fmt.Sprintf("CORS does not allow %d of the %d "+
		"browser requests Slateo makes", len(failed), len(reqs)))
	return withFix(c, strings.Join(failed, "\n")+"\n"+rules, corsFix(b.Name))
}

// noCORS fails the cache bucket's missing CORS, and says so when the rule sits on the
// uploads bucket instead: the classic mistake.
func noCORS(s model.State, b model.BucketState) model.Check {
	detail := "GetBucketCors: " + b.CORS.Reason + ". Browsers then fail query result " +
		"downloads with \"TypeError: Failed to fetch\"."
	if b.CORS.IsPresent() {
		detail = "The CORS configuration has no rules."
	}
	summary := "the cache bucket has no CORS configuration"
	up := findBucket(s, model.Uploads)
	if up.CORS.IsPresent() && len(up.CORS.Value) > 0 {
		summary = "CORS is configured on the uploads bucket " + up.Name +
			" instead of the cache bucket"
		detail += "\nThe uploads bucket has: " + compactCORS(up.CORS.Value...) +
			"\nSlateo's browser downloads come from the cache bucket; the uploads bucket " +
			"needs no CORS."
	}
	c := newCheck(IDCORS, b.Name, model.Fail, summary)
	return withFix(c, detail, corsFix(b.Name))
}
