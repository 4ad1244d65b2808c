package textout

import (
	"bytes"
	"strings"
	"testing"

	"slateo-s3/model"
)

func TestReportTextTrails(t *testing.T) {
	trail := model.Trail{Name: "audit\x1b[2J", HomeRegion: "us-west-2", MultiRegion: true,
		Bucket: "acme-logs", KeyPrefix: "ct", IsLogging: model.Known(false),
		Selectors: model.Known(model.EventSelectors{Advanced: []model.AdvancedSelector{{
			Name: "s3 data", FieldSelectors: []model.FieldSelector{
				{Field: "eventCategory", Equals: []string{"Data"}},
				{Field: "resources.ARN", StartsWith: []string{"arn:aws:s3:::acme-slateo-cache/"}},
			}}}})}
	tests := []struct {
		name   string
		trails model.Fact[[]model.Trail]
		want   []string
	}{
		{"advanced selectors", model.Known([]model.Trail{trail}), []string{
			"trail:               audit[2J (multi-region, home us-west-2) to s3://acme-logs/ct",
			"logging:           off",
			`advanced "s3 data": eventCategory = Data; resources.ARN starts with ` +
				"arn:aws:s3:::acme-slateo-cache/"}},
		{"none", model.Known([]model.Trail{}), []string{"trails:              none"}},
		{"unreadable", model.Unreadable[[]model.Trail]("AccessDenied",
			"cloudtrail:DescribeTrails"), []string{
			"could not read (AccessDenied; needs cloudtrail:DescribeTrails)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleFullReport()
			r.State.Trails = tt.trails
			var b bytes.Buffer
			if err := ReportText(&b, r, false); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !strings.Contains(out, "CloudTrail trails") || strings.Contains(out, "\x1b") {
				t.Errorf("no clean trails section:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
