package trailsim

import (
	"strings"
	"testing"
	"time"
)

const trailARNWest = "arn:aws:cloudtrail:us-west-2:111122223333:trail/acme-audit"

func createAudit(t *testing.T, f *fixture) {
	t.Helper()
	out := mustOK(t, f.call(t, "us-west-2", "CreateTrail", map[string]any{
		"Name": "acme-audit", "S3BucketName": "acme-trail-logs", "IsMultiRegionTrail": true}))
	if out["TrailARN"] != trailARNWest || out["IsMultiRegionTrail"] != true ||
		out["IncludeGlobalServiceEvents"] != true {
		t.Fatalf("created %v", out)
	}
}

func trailNames(out map[string]any) string {
	var names []string
	for _, tr := range out["trailList"].([]any) {
		m := tr.(map[string]any)
		names = append(names, m["Name"].(string)+"@"+m["HomeRegion"].(string))
	}
	return strings.Join(names, " ")
}

func TestDescribeTrailsShadows(t *testing.T) {
	f := newFixture(t)
	createAudit(t, f)
	mustOK(t, f.call(t, "eu-west-1", "CreateTrail", map[string]any{
		"Name": "eu-only", "S3BucketName": "eu-logs"}))
	tests := []struct {
		name, region string
		in           map[string]any
		want         string
	}{
		{"home region", "us-west-2", nil, "acme-audit@us-west-2"},
		{"shadow elsewhere", "eu-west-1", nil, "eu-only@eu-west-1 acme-audit@us-west-2"},
		{"without shadows", "eu-west-1", map[string]any{"includeShadowTrails": false},
			"eu-only@eu-west-1"},
		{"shadow by name is not found", "eu-west-1",
			map[string]any{"trailNameList": []string{"acme-audit"}}, ""},
		{"shadow by ARN", "eu-west-1",
			map[string]any{"trailNameList": []string{trailARNWest}}, "acme-audit@us-west-2"},
		{"single-region trail stays home", "us-east-1", nil, "acme-audit@us-west-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustOK(t, f.call(t, tt.region, "DescribeTrails", tt.in))
			if got := trailNames(out); got != tt.want {
				t.Fatalf("trails %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrailLogging(t *testing.T) {
	f := newFixture(t)
	createAudit(t, f)
	status := mustOK(t, f.call(t, "us-west-2", "GetTrailStatus",
		map[string]any{"Name": "acme-audit"}))
	if status["IsLogging"] != false || status["StartLoggingTime"] != nil {
		t.Fatalf("new trail status %v", status)
	}
	wantError(t, f.call(t, "eu-west-1", "StartLogging", map[string]any{"Name": trailARNWest}),
		"InvalidHomeRegionException", "")
	mustOK(t, f.call(t, "us-west-2", "StartLogging", map[string]any{"Name": "acme-audit"}))
	status = mustOK(t, f.call(t, "eu-west-1", "GetTrailStatus", map[string]any{"Name": trailARNWest}))
	if status["IsLogging"] != true || status["StartLoggingTime"] != float64(testStart.Unix()) ||
		status["TimeLoggingStarted"] != "2026-12-04T12:00:00Z" {
		t.Fatalf("status after StartLogging %v", status)
	}
	f.clock.advance(time.Hour)
	mustOK(t, f.call(t, "us-west-2", "StopLogging", map[string]any{"Name": trailARNWest}))
	status = mustOK(t, f.call(t, "us-west-2", "GetTrailStatus", map[string]any{"Name": "acme-audit"}))
	if status["IsLogging"] != false || status["TimeLoggingStopped"] != "2026-12-04T13:00:00Z" {
		t.Fatalf("status after StopLogging %v", status)
	}

	recs := f.journal.NewestFirst()
	if len(recs) != 4 || recs[0].EventName != "StopLogging" ||
		recs[0].EventSource != "cloudtrail.amazonaws.com" ||
		recs[0].Resources[0].ARN != trailARNWest {
		t.Fatalf("journal %+v", recs)
	}
	failed := recs[len(recs)-2]
	if failed.EventName != "StartLogging" || failed.ErrorCode != "InvalidHomeRegionException" {
		t.Fatalf("failed write record %+v", failed)
	}
}

func TestTrailErrors(t *testing.T) {
	f := newFixture(t)
	createAudit(t, f)
	tests := []struct {
		name, region, op string
		in               map[string]any
		code, message    string
	}{
		{"unknown trail by name", "us-west-2", "GetTrailStatus", map[string]any{"Name": "nope"},
			"TrailNotFoundException", "Unknown trail: arn:aws:cloudtrail:us-west-2:111122223333:" +
				"trail/nope for the user: 111122223333"},
		{"shadow by name", "eu-west-1", "GetTrailStatus", map[string]any{"Name": "acme-audit"},
			"TrailNotFoundException", ""},
		{"duplicate", "us-west-2", "CreateTrail",
			map[string]any{"Name": "acme-audit", "S3BucketName": "b"}, "TrailAlreadyExistsException", ""},
		{"duplicate of a shadow", "eu-west-1", "CreateTrail",
			map[string]any{"Name": "acme-audit", "S3BucketName": "b"}, "TrailAlreadyExistsException", ""},
		{"short name", "us-west-2", "CreateTrail",
			map[string]any{"Name": "ab", "S3BucketName": "b"}, "InvalidTrailNameException", ""},
		{"multi-region without global events", "us-west-2", "CreateTrail",
			map[string]any{"Name": "x-trail", "S3BucketName": "b", "IsMultiRegionTrail": true,
				"IncludeGlobalServiceEvents": false}, "InvalidParameterCombinationException", ""},
		{"unknown operation", "us-west-2", "DeleteEverything", nil, "UnknownOperationException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.call(t, tt.region, tt.op, tt.in), tt.code, tt.message)
		})
	}
}

func TestCreateTrailChecksBucket(t *testing.T) {
	f := newFixture(t)
	f.s.UseBuckets(func(b string) bool { return b == "exists" })
	wantError(t, f.call(t, "us-west-2", "CreateTrail",
		map[string]any{"Name": "t-one", "S3BucketName": "missing"}),
		"S3BucketDoesNotExistException", "")
	mustOK(t, f.call(t, "us-west-2", "CreateTrail",
		map[string]any{"Name": "t-one", "S3BucketName": "exists"}))
}

func TestEventSelectors(t *testing.T) {
	f := newFixture(t)
	createAudit(t, f)
	def := mustOK(t, f.call(t, "us-west-2", "GetEventSelectors",
		map[string]any{"TrailName": "acme-audit"}))
	sel := def["EventSelectors"].([]any)[0].(map[string]any)
	if sel["ReadWriteType"] != "All" || sel["IncludeManagementEvents"] != true ||
		def["AdvancedEventSelectors"] != nil {
		t.Fatalf("default selectors %v", def)
	}
	basic := []map[string]any{{"ReadWriteType": "All", "DataResources": []map[string]any{
		{"Type": "AWS::S3::Object", "Values": []string{"arn:aws:s3:::acme-slateo-uploads/"}}}}}
	advanced := []map[string]any{{"Name": "s3 data", "FieldSelectors": []map[string]any{
		{"Field": "eventCategory", "Equals": []string{"Data"}},
		{"Field": "resources.type", "Equals": []string{"AWS::S3::Object"}},
		{"Field": "resources.ARN", "StartsWith": []string{"arn:aws:s3:::acme-slateo-cache/"}}}}}
	tests := []struct {
		name string
		in   map[string]any
		code string
		want string
	}{
		{"basic", map[string]any{"EventSelectors": basic}, "", "EventSelectors"},
		{"advanced replaces basic", map[string]any{"AdvancedEventSelectors": advanced}, "",
			"AdvancedEventSelectors"},
		{"both", map[string]any{"EventSelectors": basic, "AdvancedEventSelectors": advanced},
			"InvalidParameterCombinationException", ""},
		{"neither", map[string]any{}, "InvalidParameterCombinationException", ""},
		{"bad read-write type", map[string]any{"EventSelectors": []map[string]any{
			{"ReadWriteType": "read-only"}}}, "InvalidEventSelectorsException", ""},
		{"six selectors", map[string]any{"EventSelectors": []map[string]any{
			{}, {}, {}, {}, {}, {}}}, "InvalidEventSelectorsException", ""},
		{"advanced without category", map[string]any{"AdvancedEventSelectors": []map[string]any{
			{"FieldSelectors": []map[string]any{
				{"Field": "eventName", "Equals": []string{"GetObject"}}}}}},
			"InvalidEventSelectorsException", ""},
		{"resources.type with StartsWith", map[string]any{"AdvancedEventSelectors": []map[string]any{
			{"FieldSelectors": []map[string]any{
				{"Field": "eventCategory", "Equals": []string{"Data"}},
				{"Field": "resources.type", "StartsWith": []string{"AWS::S3"}}}}}},
			"InvalidEventSelectorsException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in["TrailName"] = "acme-audit"
			a := f.call(t, "us-west-2", "PutEventSelectors", tt.in)
			if tt.code != "" {
				wantError(t, a, tt.code, "")
				return
			}
			mustOK(t, a)
			got := mustOK(t, f.call(t, "eu-west-1", "GetEventSelectors",
				map[string]any{"TrailName": trailARNWest}))
			other := map[string]string{
				"EventSelectors": "AdvancedEventSelectors", "AdvancedEventSelectors": "EventSelectors"}
			if got[tt.want] == nil || got[other[tt.want]] != nil {
				t.Fatalf("selectors %v", got)
			}
		})
	}
	d := mustOK(t, f.call(t, "us-west-2", "DescribeTrails", nil))
	if d["trailList"].([]any)[0].(map[string]any)["HasCustomEventSelectors"] != true {
		t.Fatalf("describe %v", d)
	}
}

func TestStateRoundTrip(t *testing.T) {
	f := newFixture(t)
	arn, err := f.s.CreateTrail("us-west-2", TrailSpec{Name: "saved", S3BucketName: "logs",
		MultiRegion: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.StartLogging("us-west-2", arn); err != nil {
		t.Fatal(err)
	}
	err = f.s.PutEventSelectors("us-west-2", "saved", []EventSelector{{ReadWriteType: "All",
		IncludeManagementEvents: true, DataResources: []DataResource{
			{Type: "AWS::S3::Object", Values: []string{"arn:aws:s3:::a/"}}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.s.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	g := newFixture(t)
	if err := g.s.LoadState(raw); err != nil {
		t.Fatal(err)
	}
	trails := g.s.Trails()
	if len(trails) != 1 || trails[0].ARN != arn || !trails[0].Logging ||
		trails[0].Basic[0].DataResources[0].Values[0] != "arn:aws:s3:::a/" {
		t.Fatalf("loaded %+v", trails)
	}
	if g.journal.Len() != 0 {
		t.Fatalf("the Go API recorded %d events", g.journal.Len())
	}
}

func TestGetListDeleteTrail(t *testing.T) {
	f := newFixture(t)
	createAudit(t, f)
	got := mustOK(t, f.call(t, "eu-west-1", "GetTrail", map[string]any{"Name": trailARNWest}))
	if got["Trail"].(map[string]any)["HomeRegion"] != "us-west-2" {
		t.Fatalf("GetTrail %v", got)
	}
	list := mustOK(t, f.call(t, "eu-west-1", "ListTrails", nil))
	if trails := list["Trails"].([]any); len(trails) != 1 ||
		trails[0].(map[string]any)["TrailARN"] != trailARNWest {
		t.Fatalf("ListTrails %v", list)
	}
	wantError(t, f.call(t, "eu-west-1", "DeleteTrail", map[string]any{"Name": trailARNWest}),
		"InvalidHomeRegionException", "")
	mustOK(t, f.call(t, "us-west-2", "DeleteTrail", map[string]any{"Name": "acme-audit"}))
	wantError(t, f.call(t, "us-west-2", "GetTrail", map[string]any{"Name": "acme-audit"}),
		"TrailNotFoundException", "")
	if n := len(f.s.Trails()); n != 0 {
		t.Fatalf("%d trails after DeleteTrail", n)
	}
}
