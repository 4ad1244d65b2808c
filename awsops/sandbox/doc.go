// Package sandbox is a local AWS endpoint on loopback for the console and its tests. One
// listener answers S3, KMS, STS and CloudTrail, routed by the service named in each
// request's SigV4 credential scope, so that the AWS CLI v2 and the Go SDK work against it
// unchanged. It can start from a scenario or a saved state file, add seeded CloudTrail
// records, delay answers, inject faults and log every request as a JSON line.
//
// It imports only the standard library and its own simulated services, never the console's
// model or diagnostics, so a test of the checker against it is not the checker testing
// itself.
package sandbox
