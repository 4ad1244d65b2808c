package textout

import (
	"fmt"
	"strings"

	"slateo-s3/model"
)

// trailDocuments writes what was read of the account's trails: where each delivers, whether
// it logs, and its event selectors.
func (p *printer) trailDocuments(f model.Fact[[]model.Trail]) {
	p.line("")
	p.line(p.st.title.Render("CloudTrail trails"))
	if !f.IsPresent() {
		p.fact("trails", describeFact(f, func([]model.Trail) string { return "" }))
		return
	}
	if len(f.Value) == 0 {
		p.fact("trails", "none")
		return
	}
	for _, t := range f.Value {
		region := "single-region"
		if t.MultiRegion {
			region = "multi-region"
		}
		p.fact("trail", fmt.Sprintf("%s (%s, home %s) to s3://%s/%s", t.Name, region,
			t.HomeRegion, t.Bucket, t.KeyPrefix))
		p.fact("  logging", describeFact(t.IsLogging, func(v bool) string {
			return map[bool]string{true: "on", false: "off"}[v]
		}))
		p.fact("  selectors", describeFact(t.Selectors, selectorsText))
	}
}

// selectorsText renders a trail's event selectors, one per line.
func selectorsText(s model.EventSelectors) string {
	var lines []string
	for _, b := range s.Basic {
		line := fmt.Sprintf("basic: %s, management events %t", b.ReadWriteType,
			b.IncludeManagementEvents)
		for _, d := range b.DataResources {
			line += fmt.Sprintf(", %s %s", d.Type, strings.Join(d.Values, " "))
		}
		lines = append(lines, line)
	}
	for _, a := range s.Advanced {
		var conds []string
		for _, f := range a.FieldSelectors {
			conds = append(conds, fieldSelectorText(f))
		}
		lines = append(lines, fmt.Sprintf("advanced %q: %s", a.Name, strings.Join(conds, "; ")))
	}
	if len(lines) == 0 {
		return "none"
	}
	return strings.Join(lines, "\n")
}

func fieldSelectorText(f model.FieldSelector) string {
	parts := []string{f.Field}
	for _, c := range []struct {
		op     string
		values []string
	}{{"=", f.Equals}, {"starts with", f.StartsWith}, {"ends with", f.EndsWith},
		{"!=", f.NotEquals}, {"not starts with", f.NotStartsWith},
		{"not ends with", f.NotEndsWith}} {
		if len(c.values) > 0 {
			parts = append(parts, c.op+" "+strings.Join(c.values, ","))
		}
	}
	return strings.Join(parts, " ")
}
