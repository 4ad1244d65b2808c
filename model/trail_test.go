package model

import "testing"

func TestLogsDataEventsFor(t *testing.T) {
	basic := func(rw string, values ...string) EventSelectors {
		return EventSelectors{Basic: []BasicSelector{{ReadWriteType: rw,
			IncludeManagementEvents: true,
			DataResources:           []DataResource{{Type: "AWS::S3::Object", Values: values}}}}}
	}
	advanced := func(fs ...FieldSelector) EventSelectors {
		base := []FieldSelector{{Field: "eventCategory", Equals: []string{"Data"}},
			{Field: "resources.type", Equals: []string{"AWS::S3::Object"}}}
		return EventSelectors{Advanced: []AdvancedSelector{{FieldSelectors: append(base, fs...)}}}
	}
	tests := []struct {
		name string
		sel  Fact[EventSelectors]
		want bool
	}{
		{name: "management only", sel: Known(EventSelectors{Basic: []BasicSelector{{
			ReadWriteType: "All", IncludeManagementEvents: true}}})},
		{name: "all buckets short", sel: Known(basic("All", "arn:aws:s3")), want: true},
		{name: "all buckets", sel: Known(basic("ReadOnly", "arn:aws:s3:::")), want: true},
		{name: "this bucket", sel: Known(basic("All", "arn:aws:s3:::acme-slateo-cache/")),
			want: true},
		{name: "a prefix of this bucket", sel: Known(basic("All",
			"arn:aws:s3:::acme-slateo-cache/org-1/")), want: true},
		{name: "another bucket", sel: Known(basic("All", "arn:aws:s3:::other/"))},
		{name: "bucket name prefix is not the bucket", sel: Known(basic("All",
			"arn:aws:s3:::acme-slateo-cache-old/"))},
		{name: "writes only", sel: Known(basic("WriteOnly", "arn:aws:s3"))},
		{name: "lambda data events", sel: Known(EventSelectors{Basic: []BasicSelector{{
			ReadWriteType: "All", DataResources: []DataResource{{Type: "AWS::Lambda::Function",
				Values: []string{"arn:aws:lambda"}}}}}})},
		{name: "advanced all s3", sel: Known(advanced()), want: true},
		{name: "advanced starts with bucket", sel: Known(advanced(FieldSelector{
			Field: "resources.ARN", StartsWith: []string{"arn:aws:s3:::acme-slateo-cache/"}})),
			want: true},
		{name: "advanced other bucket", sel: Known(advanced(FieldSelector{
			Field: "resources.ARN", StartsWith: []string{"arn:aws:s3:::other/"}}))},
		{name: "advanced excludes bucket", sel: Known(advanced(FieldSelector{
			Field: "resources.ARN", NotStartsWith: []string{"arn:aws:s3:::acme-slateo-cache/"}}))},
		{name: "advanced equals an object", sel: Known(advanced(FieldSelector{
			Field: "resources.ARN", Equals: []string{"arn:aws:s3:::acme-slateo-cache/a.csv"}})),
			want: true},
		{name: "advanced writes only", sel: Known(advanced(FieldSelector{
			Field: "readOnly", Equals: []string{"false"}}))},
		{name: "advanced management", sel: Known(EventSelectors{Advanced: []AdvancedSelector{{
			FieldSelectors: []FieldSelector{{Field: "eventCategory",
				Equals: []string{"Management"}}}}}})},
		{name: "selectors unread", sel: Unreadable[EventSelectors]("AccessDenied",
			"cloudtrail:GetEventSelectors")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := Trail{Name: "t", Selectors: tt.sel}
			if got := tr.LogsDataEventsFor("acme-slateo-cache"); got != tt.want {
				t.Errorf("LogsDataEventsFor = %t, want %t", got, tt.want)
			}
		})
	}
}
