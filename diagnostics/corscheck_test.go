package diagnostics

import (
	"testing"

	"slateo-s3/model"
)

func TestCORSCheck(t *testing.T) {
	P, F := model.Pass, model.Fail
	guide := guideCORS()[0]
	tests := []struct {
		name    string
		cache   model.Fact[[]model.CORSRule]
		uploads model.Fact[[]model.CORSRule]
		slug    string
		want    want
	}{
		{name: "guide rule", cache: model.Known(guideCORS()), want: want{P, "rule #1"}},
		{name: "no cors", cache: model.Absent[[]model.CORSRule]("NoSuchCORSConfiguration"),
			want: want{F, "has no CORS configuration"}},
		{name: "cors on uploads only",
			cache:   model.Absent[[]model.CORSRule]("NoSuchCORSConfiguration"),
			uploads: model.Known(guideCORS()),
			want:    want{F, "on the uploads bucket acme-slateo-uploads instead"}},
		{name: "apex origin missing", cache: model.Known([]model.CORSRule{{
			AllowedMethods: []string{"GET", "HEAD"},
			AllowedOrigins: []string{"https://*.slateo.ai"}}}),
			want: want{F, "GET from https://slateo.ai: no rule allows origin"}},
		{name: "head missing", cache: model.Known([]model.CORSRule{{
			AllowedMethods: []string{"GET"}, AllowedOrigins: model.CORSOrigins}}),
			want: want{F, "HEAD from https://acme.slateo.ai: rule #1 allows origin"}},
		{name: "http origins only", cache: model.Known([]model.CORSRule{{
			AllowedMethods: []string{"GET", "HEAD"},
			AllowedOrigins: []string{"http://*.slateo.ai", "http://slateo.ai"}}}),
			want: want{F, "4 browser requests"}},
		{name: "exact org origin plus apex", slug: "beta", cache: model.Known([]model.CORSRule{{
			AllowedMethods: []string{"HEAD", "GET", "PUT"},
			AllowedOrigins: []string{"https://beta.slateo.ai", "https://slateo.ai"}}}),
			want: want{P, "https://beta.slateo.ai"}},
		{name: "wrong org origin", cache: model.Known([]model.CORSRule{{
			AllowedMethods: []string{"GET", "HEAD"},
			AllowedOrigins: []string{"https://other.slateo.ai", "https://slateo.ai"}}}),
			want: want{F, "GET from https://acme.slateo.ai"}},
		{name: "any origin", cache: model.Known([]model.CORSRule{{
			AllowedMethods: []string{"GET", "HEAD"}, AllowedOrigins: []string{"*"}}}),
			want: want{P, ""}},
		{name: "second rule matches", cache: model.Known([]model.CORSRule{{ID: "uploads",
			AllowedMethods: []string{"PUT"}, AllowedOrigins: []string{"https://x.example"}},
			guide}), want: want{P, "rule #2"}},
		{name: "empty rule list", cache: model.Known([]model.CORSRule{}),
			want: want{F, "no rules"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := healthyState()
			if tt.slug != "" {
				s.Settings.OrgSlug = tt.slug
				s.Buckets[1].Policy = model.Known(guidePolicy(cacheBucket))
			}
			s.Buckets[1].CORS = tt.cache
			if tt.uploads.IsPresent() {
				s.Buckets[0].CORS = tt.uploads
			}
			checks := Checklist(s)
			assertCheck(t, find(t, checks, IDCORS, cacheBucket), tt.want)
			if up := find(t, checks, IDCORS, uploadsBucket); up.Status != model.Skip {
				t.Errorf("uploads cors: %s, want skip", up.Status)
			}
		})
	}
}

func TestCORSFixIsTheGuideRule(t *testing.T) {
	s := healthyState()
	s.Buckets[1].CORS = model.Absent[[]model.CORSRule]("NoSuchCORSConfiguration")
	c := find(t, Checklist(s), IDCORS, cacheBucket)
	want := `aws s3api put-bucket-cors --bucket acme-slateo-cache --cors-configuration ` +
		`'{"CORSRules":[{"AllowedHeaders":["*"],"AllowedMethods":["GET","HEAD"],` +
		`"AllowedOrigins":["https://*.slateo.ai","https://slateo.ai"],` +
		`"ExposeHeaders":["ETag"],"MaxAgeSeconds":3600}]}'`
	if c.Fix[:len(want)] != want {
		t.Errorf("fix:\n%s\nwant prefix:\n%s", c.Fix, want)
	}
}
