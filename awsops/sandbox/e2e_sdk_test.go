package sandbox_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"slateo-s3/awsops/sandbox"
	"slateo-s3/awsops/sandbox/sandboxtest"
)

// sdkClient builds an S3 client for the sandbox from static settings only, so nothing of
// the developer's environment reaches it.
func sdkClient(srv *sandbox.Server, region string) *s3.Client {
	cfg := aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String(srv.URL()),
		RetryMaxAttempts: 1,
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func apiCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// TestSDK drives the sandbox with the Go SDK the console uses: uploads with the SDK's
// default checksums, typed errors, bodiless HEAD errors and paging.
func TestSDK(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	srv := sandboxtest.Start(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := sdkClient(srv, "us-west-2")

	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(cache),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraintUsWest2}})
	if err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	body := bytes.Repeat([]byte("parquet"), 10000)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(cache),
		Key: aws.String("org-1/query-cache/parquet/r1"), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(cache),
		Key: aws.String("org-1/query-cache/parquet/r1"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	got, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("GetObject body: %d bytes, %v; want %d bytes", len(got), err, len(body))
	}

	t.Run("typed errors", func(t *testing.T) {
		_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("acme-missing")})
		var nf *types.NotFound
		if !errors.As(err, &nf) {
			t.Errorf("HeadBucket of a missing bucket: %v, want types.NotFound", err)
		}
		_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(cache)})
		if apiCode(err) != "NoSuchBucketPolicy" {
			t.Errorf("GetBucketPolicy: %v, want NoSuchBucketPolicy", err)
		}
		_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(cache)})
		if apiCode(err) != "NoSuchCORSConfiguration" {
			t.Errorf("GetBucketCors: %v, want NoSuchCORSConfiguration", err)
		}
	})

	t.Run("policy with checksum header", func(t *testing.T) {
		_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(cache),
			Policy: aws.String(guidePolicy(cache, roleARN))})
		if err != nil {
			t.Fatalf("PutBucketPolicy: %v", err)
		}
		p, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(cache)})
		if err != nil || !strings.Contains(aws.ToString(p.Policy), roleARN) {
			t.Errorf("GetBucketPolicy = %v, %v", p, err)
		}
	})

	t.Run("bucket in another region", func(t *testing.T) {
		if err := srv.S3().CreateBucket("acme-east", "us-east-1"); err != nil {
			t.Fatal(err)
		}
		head, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("acme-east")})
		if err == nil {
			t.Fatalf("HeadBucket across regions succeeded: %+v", head)
		}
		loc, err := c.GetBucketLocation(ctx,
			&s3.GetBucketLocationInput{Bucket: aws.String("acme-east")})
		if err != nil || loc.LocationConstraint != "" {
			t.Errorf("GetBucketLocation = %+v, %v; want the empty us-east-1 constraint",
				loc, err)
		}
		east := sdkClient(srv, "us-east-1")
		if _, err := east.HeadBucket(ctx,
			&s3.HeadBucketInput{Bucket: aws.String("acme-east")}); err != nil {
			t.Errorf("HeadBucket in the bucket's region: %v", err)
		}
	})

	t.Run("paging", func(t *testing.T) {
		for i := range 2500 {
			key := "org-1/uploads/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) +
				"/" + time.Duration(i).String()
			if err := srv.S3().PutObject(cache, key, nil); err != nil {
				t.Fatal(err)
			}
		}
		want := len(srv.S3().ListKeys(cache, "org-1/uploads/"))
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(cache),
			Prefix: aws.String("org-1/uploads/")})
		n, pages := 0, 0
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.Contents)
			pages++
		}
		if n != want || pages != 3 {
			t.Errorf("listed %d keys in %d pages, want %d in 3", n, pages, want)
		}
	})
}
