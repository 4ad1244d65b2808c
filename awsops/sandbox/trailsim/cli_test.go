package trailsim_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
	"slateo-s3/awsops/sandbox/simcore"
)

// seedEvents adds n management events of us-west-2, a minute apart, the newest a minute ago.
func seedEvents(srv *sandbox.Server, n int) {
	now := time.Now().UTC()
	for i := range n {
		srv.Journal().Add(simcore.Record{
			EventVersion: "1.11", EventID: fmt.Sprintf("seed-%04d", i),
			EventTime: now.Add(-time.Duration(i+1) * time.Minute).Format(time.RFC3339),
			EventName: "PutBucketTagging", EventSource: "s3.amazonaws.com",
			AWSRegion: "us-west-2", ReadOnly: false, EventType: "AwsApiCall",
			UserIdentity: simcore.UserIdentity{Type: "IAMUser", UserName: "sandbox-admin",
				AccessKeyID: "AKIASEED"},
			RequestParameters: json.RawMessage("null"), ResponseElements: json.RawMessage("null"),
			ManagementEvent: true, EventCategory: "Management", RecipientAccountID: srv.Account(),
		})
	}
}

// TestCLILookupEventsPages lets the CLI page through more events than fit on two pages; it
// retries the pages the rate limit refuses, as it does against AWS.
func TestCLILookupEventsPages(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	seedEvents(srv, 130)
	retry := []string{"AWS_MAX_ATTEMPTS=10", "AWS_RETRY_MODE=standard"}
	out, errOut, code := sandboxtest.CLIWithEnv(t, srv, retry, "cloudtrail", "lookup-events",
		"--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Events []struct{ EventId, ReadOnly, Username, CloudTrailEvent string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("lookup-events printed %.200q: %v", out, err)
	}
	if len(got.Events) != 130 {
		t.Fatalf("%d events, want 130", len(got.Events))
	}
	first := got.Events[0]
	if first.EventId != "seed-0000" || first.ReadOnly != "false" ||
		first.Username != "sandbox-admin" || !strings.Contains(first.CloudTrailEvent, `"seed-0000"`) {
		t.Fatalf("newest event %+v", first)
	}
}

func TestCLILookupEventsThrottled(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	seedEvents(srv, 10)
	_, errOut, code := sandboxtest.CLIWithEnv(t, srv, []string{"AWS_MAX_ATTEMPTS=1"}, "cloudtrail",
		"lookup-events", "--page-size", "1", "--max-items", "8")
	want := "An error occurred (ThrottlingException) when calling the LookupEvents operation"
	if code == 0 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "Rate exceeded") {
		t.Fatalf("exit %d, stderr %q; want %q", code, errOut, want)
	}
}

func TestCLITrail(t *testing.T) {
	srv := sandboxtest.Start(t, sandbox.Options{})
	if err := srv.S3().CreateBucket("acme-trail-logs", "us-west-2"); err != nil {
		t.Fatal(err)
	}
	sandboxtest.MustCLI(t, srv, "cloudtrail", "create-trail", "--name", "acme-audit",
		"--s3-bucket-name", "acme-trail-logs", "--is-multi-region-trail")
	sandboxtest.MustCLI(t, srv, "cloudtrail", "put-event-selectors", "--trail-name", "acme-audit",
		"--event-selectors", `[{"ReadWriteType":"All","IncludeManagementEvents":true,`+
			`"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::acme-slateo-uploads/"]}]}]`)
	sandboxtest.MustCLI(t, srv, "cloudtrail", "start-logging", "--name", "acme-audit")

	arn := "arn:aws:cloudtrail:us-west-2:111122223333:trail/acme-audit"
	status := sandboxtest.MustCLI(t, srv, "--region", "eu-west-1", "cloudtrail",
		"get-trail-status", "--name", arn, "--query", "IsLogging")
	if strings.TrimSpace(status) != "true" {
		t.Fatalf("get-trail-status printed %q", status)
	}
	shadow := sandboxtest.MustCLI(t, srv, "--region", "eu-west-1", "cloudtrail", "describe-trails",
		"--query", "trailList[].[Name,HomeRegion,IsMultiRegionTrail]", "--output", "text")
	if strings.TrimSpace(shadow) != "acme-audit\tus-west-2\tTrue" {
		t.Fatalf("describe-trails printed %q", shadow)
	}
	selectors := sandboxtest.MustCLI(t, srv, "cloudtrail", "get-event-selectors",
		"--trail-name", arn, "--query", "EventSelectors[0].DataResources[0].Values[0]",
		"--output", "text")
	if strings.TrimSpace(selectors) != "arn:aws:s3:::acme-slateo-uploads/" {
		t.Fatalf("get-event-selectors printed %q", selectors)
	}
	_, errOut, code := sandboxtest.CLI(t, srv, "cloudtrail", "create-trail", "--name", "other",
		"--s3-bucket-name", "no-such-bucket")
	if code == 0 || !strings.Contains(errOut, "(S3BucketDoesNotExistException)") {
		t.Fatalf("create-trail on a missing bucket: exit %d, %q", code, errOut)
	}
	_, errOut, code = sandboxtest.CLI(t, srv, "cloudtrail", "get-trail-status", "--name", "nope")
	if code == 0 || !strings.Contains(errOut, "(TrailNotFoundException)") {
		t.Fatalf("get-trail-status of a missing trail: exit %d, %q", code, errOut)
	}

	writes := sandboxtest.MustCLI(t, srv, "cloudtrail", "lookup-events", "--lookup-attributes",
		"AttributeKey=EventSource,AttributeValue=cloudtrail.amazonaws.com",
		"--query", "Events[].EventName", "--output", "text")
	names := strings.Fields(writes)
	sort.Strings(names)
	if strings.Join(names, " ") != "CreateTrail CreateTrail PutEventSelectors StartLogging" {
		t.Fatalf("recorded writes %q", writes)
	}
}
