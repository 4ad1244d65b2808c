package awsops

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"slateo-s3/model"
)

func TestCallLogRecordsEveryService(t *testing.T) {
	isolateAWS(t)
	srv := httptest.NewServer(&wireFake{})
	defer srv.Close()
	log := &CallLog{}
	s, err := Connect(context.Background(), model.Settings{EndpointURL: srv.URL},
		ConnectOptions{Log: log, RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}

	s.Inspect(context.Background(), testSettings())
	_, _ = s.CloudTrail.DescribeTrails(context.Background(), &cloudtrail.DescribeTrailsInput{})
	_, _ = s.S3.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: &[]string{cache}[0]})

	seen := map[string]bool{}
	for _, c := range log.Calls() {
		if c.Service == "" || c.Operation == "" || c.Result == "" {
			t.Errorf("call %+v lacks service, operation or result", c)
		}
		seen[c.Service+" "+c.Operation] = true
	}
	for _, want := range []string{"STS GetCallerIdentity", "S3 HeadBucket", "KMS DescribeKey",
		"CloudTrail DescribeTrails", "S3 GetBucketPolicy"} {
		if !seen[want] {
			t.Errorf("no %s in the log: %v", want, seen)
		}
	}
}
