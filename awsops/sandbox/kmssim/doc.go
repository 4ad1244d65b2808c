// Package kmssim is the sandbox's AWS KMS: customer-managed keys with their key policies,
// aliases and key states, and the AWS-managed key behind alias/aws/s3, answered over the
// JSON 1.1 protocol (X-Amz-Target: TrentService.<Op>) the way KMS answers.
//
// Every key lives in one region, the region of the request that created it; a request is
// served in the region of its SigV4 credential scope. The AWS-managed aws/s3 key exists in
// every region from the first time that region is asked about, with a key id derived from
// the account and region so that it stays the same across restarts.
//
// Writes served over HTTP are recorded in the journal as CloudTrail management events
// (eventSource kms.amazonaws.com), failed ones with their error code. The Go methods that
// scenarios call (CreateKey, CreateAlias, PutKeyPolicy, DisableKey, ScheduleKeyDeletion)
// change state without recording anything: a scenario writes the history it wants.
package kmssim
