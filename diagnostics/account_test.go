package diagnostics

import (
	"testing"

	"slateo-s3/model"
)

func TestCloudTrailCheck(t *testing.T) {
	P, W, U := model.Pass, model.Warn, model.Unknown
	mgmtOnly := model.Known(model.EventSelectors{Basic: []model.BasicSelector{{
		ReadWriteType: "All", IncludeManagementEvents: true}}})
	tests := []struct {
		name   string
		trails func() model.Fact[[]model.Trail]
		want   want
		fix    string
	}{
		{name: "data events for both", want: want{P, "trail audit records"},
			trails: func() model.Fact[[]model.Trail] {
				return model.Known([]model.Trail{dataTrail()})
			}},
		{name: "no trails", want: want{W, "no CloudTrail trail covers us-west-2"},
			fix: "aws cloudtrail create-trail --region us-west-2 --name slateo-s3-audit " +
				"--s3-bucket-name acme-cloudtrail-logs",
			trails: func() model.Fact[[]model.Trail] { return model.Known([]model.Trail{}) }},
		{name: "trail of another region", want: want{W, "no CloudTrail trail covers"},
			trails: func() model.Fact[[]model.Trail] {
				tr := dataTrail()
				tr.MultiRegion, tr.HomeRegion = false, "eu-west-1"
				return model.Known([]model.Trail{tr})
			}},
		{name: "not logging", want: want{W, "exists but is not logging"},
			fix: "aws cloudtrail start-logging --region us-west-2 --name " +
				"arn:aws:cloudtrail:us-west-2:111122223333:trail/audit",
			trails: func() model.Fact[[]model.Trail] {
				tr := dataTrail()
				tr.IsLogging = model.Known(false)
				return model.Known([]model.Trail{tr})
			}},
		{name: "management events only", want: want{W, "no trail records S3 data events"},
			fix: `"resources.ARN","StartsWith":["arn:aws:s3:::acme-slateo-uploads/",` +
				`"arn:aws:s3:::acme-slateo-cache/"]`,
			trails: func() model.Fact[[]model.Trail] {
				tr := dataTrail()
				tr.Selectors = mgmtOnly
				return model.Known([]model.Trail{tr})
			}},
		{name: "one bucket only", want: want{W, "for both buckets"},
			trails: func() model.Fact[[]model.Trail] {
				tr := dataTrail()
				tr.Selectors.Value.Basic[0].DataResources[0].Values =
					[]string{"arn:aws:s3:::acme-slateo-cache/"}
				return model.Known([]model.Trail{tr})
			}},
		{name: "second trail has the data events", want: want{P, "trail audit"},
			trails: func() model.Fact[[]model.Trail] {
				first := dataTrail()
				first.Name, first.Selectors = "mgmt", mgmtOnly
				return model.Known([]model.Trail{first, dataTrail()})
			}},
		{name: "trails unreadable", want: want{U, "cloudtrail:DescribeTrails"},
			trails: func() model.Fact[[]model.Trail] {
				return model.Unreadable[[]model.Trail]("AccessDenied", "cloudtrail:DescribeTrails")
			}},
		{name: "status unreadable", want: want{U, "whether any trail is logging"},
			trails: func() model.Fact[[]model.Trail] {
				tr := dataTrail()
				tr.IsLogging = model.Unreadable[bool]("AccessDenied", "cloudtrail:GetTrailStatus")
				return model.Known([]model.Trail{tr})
			}},
		{name: "selectors unreadable", want: want{U, "event selectors"},
			trails: func() model.Fact[[]model.Trail] {
				tr := dataTrail()
				tr.Selectors = model.Unreadable[model.EventSelectors]("AccessDenied",
					"cloudtrail:GetEventSelectors")
				return model.Known([]model.Trail{tr})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := healthyState()
			s.Trails = tt.trails()
			c := find(t, Checklist(s), IDCloudTrail, "")
			if tt.want.status == U {
				if c.Status != U || !contains(c.Summary+c.Detail, tt.want.text) {
					t.Errorf("got %s %q %q", c.Status, c.Summary, c.Detail)
				}
				return
			}
			assertCheck(t, c, tt.want)
			if !contains(c.Fix, tt.fix) {
				t.Errorf("fix lacks %q:\n%s", tt.fix, c.Fix)
			}
		})
	}
}

func TestDescribeAndRunbooks(t *testing.T) {
	all := append(append([]string{}, BucketCheckIDs...), AccountCheckIDs...)
	for _, id := range all {
		if Describe(id) == "" {
			t.Errorf("Describe(%q) is empty", id)
		}
	}
	if Describe("no-such-check") != "" {
		t.Error("Describe of an unknown id is not empty")
	}
	known := map[string]bool{}
	for _, id := range all {
		known[id] = true
	}
	books := Runbooks()
	var titles []string
	for _, rb := range books {
		titles = append(titles, rb.Title)
		for _, st := range rb.Steps {
			if st.Title == "" || (len(st.Checks) == 0 && st.Manual == "") {
				t.Errorf("%s: step %q neither links a check nor says what to do", rb.ID, st.Title)
			}
			for _, id := range st.Checks {
				if !known[id] {
					t.Errorf("%s: step %q names unknown check %q", rb.ID, st.Title, id)
				}
			}
			if st.Probe != "" && st.Probe != ProbeCORSPreflight && st.Probe != ProbeCloudTrail {
				t.Errorf("%s: unknown probe %q", rb.ID, st.Probe)
			}
		}
	}
	wantSteps := []int{4, 4, 3, 3}
	for i, rb := range books {
		if len(rb.Steps) != wantSteps[i] {
			t.Errorf("%s has %d steps, want %d (the guide's)", rb.ID, len(rb.Steps), wantSteps[i])
		}
	}
	if len(books) != 4 || !contains(titles[0], "Access denied") ||
		!contains(titles[1], "Browser download") || !contains(titles[2], "KMS") ||
		titles[3] != "General" {
		t.Errorf("runbooks out of the guide's order: %v", titles)
	}
}
