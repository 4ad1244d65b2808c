package sandbox_test

import (
	"testing"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

func TestRequestLogWrites(t *testing.T) {
	var log sandboxtest.RequestLog
	srv := sandboxtest.Start(t, sandbox.Options{Log: &log})
	do(t, signed(t, srv, "PUT", "/acme-slateo-cache", "s3", "us-east-1", ""))
	do(t, signed(t, srv, "GET", "/acme-slateo-cache?policy", "s3", "us-east-1", ""))
	do(t, signed(t, srv, "DELETE", "/acme-slateo-cache?cors", "s3", "us-east-1", ""))
	do(t, signed(t, srv, "GET", "/", "s3", "us-east-1", ""))

	if got := len(log.Requests(t)); got != 4 {
		t.Fatalf("logged %d requests, want 4", got)
	}
	writes := log.Writes(t)
	if len(writes) != 2 || writes[0].Operation != "CreateBucket" ||
		writes[1].Operation != "DeleteBucketCors" || writes[1].Status != 204 {
		t.Errorf("writes = %+v, want CreateBucket and DeleteBucketCors", writes)
	}
}
