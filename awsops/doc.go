// Package awsops is everything that talks to AWS through the SDK: connecting with the default
// credential chain, inspecting the buckets and key, applying changes, reading CloudTrail and
// probing CORS. It returns model values and never imports diagnostics or ui.
package awsops
