package awsops

import (
	"bytes"
	"encoding/json"
	"strings"

	"slateo-s3/model"
)

// cliCommand renders the AWS CLI v2 command that makes the same write as the change, with
// its document inline (shell-quoted, compact), so that it can be copied as it is.
func (a *Applier) cliCommand(c Change) string {
	parts := cliWords(c)
	if len(parts) == 0 {
		return ""
	}
	if c.Region != "" {
		parts = append(parts, "--region", model.ShellQuote(c.Region))
	}
	if a.Endpoint != "" {
		parts = append(parts, "--endpoint-url", model.ShellQuote(a.Endpoint))
	}
	return "aws " + strings.Join(parts, " ")
}

func cliWords(c Change) []string {
	target := model.ShellQuote(c.Target)
	doc := model.ShellQuote(compactDoc(c.After))
	bucket := []string{"--bucket", target}
	del := c.After == ""
	switch c.Kind {
	case KindCreateBucket:
		return createWords(c)
	case KindPublicAccessBlock:
		if del {
			return append([]string{"s3api", "delete-public-access-block"}, bucket...)
		}
		return append([]string{"s3api", "put-public-access-block"}, append(bucket,
			"--public-access-block-configuration", doc)...)
	case KindBucketPolicy:
		if del {
			return append([]string{"s3api", "delete-bucket-policy"}, bucket...)
		}
		return append([]string{"s3api", "put-bucket-policy"}, append(bucket, "--policy", doc)...)
	case KindCORS:
		if del {
			return append([]string{"s3api", "delete-bucket-cors"}, bucket...)
		}
		return append([]string{"s3api", "put-bucket-cors"}, append(bucket,
			"--cors-configuration", doc)...)
	}
	return otherWords(c, bucket, doc)
}

func otherWords(c Change, bucket []string, doc string) []string {
	switch c.Kind {
	case KindKeyPolicy:
		return []string{"kms", "put-key-policy", "--key-id", model.ShellQuote(c.Target),
			"--policy-name", "default", "--policy", doc}
	case KindVersioning:
		if c.After == "" {
			doc = model.ShellQuote(`{"Status":"Suspended"}`)
		}
		return append([]string{"s3api", "put-bucket-versioning"}, append(bucket,
			"--versioning-configuration", doc)...)
	case KindOwnership:
		if c.After == "" {
			return append([]string{"s3api", "delete-bucket-ownership-controls"}, bucket...)
		}
		return append([]string{"s3api", "put-bucket-ownership-controls"}, append(bucket,
			"--ownership-controls", doc)...)
	}
	return nil
}

func createWords(c Change) []string {
	if c.After == "" {
		return nil
	}
	words := []string{"s3api", "create-bucket", "--bucket", model.ShellQuote(c.Target)}
	if c.Region != "us-east-1" {
		words = append(words, "--create-bucket-configuration",
			"LocationConstraint="+model.ShellQuote(c.Region))
	}
	return words
}

// compactDoc removes the whitespace between JSON tokens, for a document on a command line;
// text that is not JSON is returned as it is.
func compactDoc(doc string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(doc)); err != nil {
		return doc
	}
	return b.String()
}
