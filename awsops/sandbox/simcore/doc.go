// Package simcore holds what the sandbox's simulated services share: the account they serve,
// the clock, the journal of CloudTrail records, the identity of the caller, and the writers
// of AWS-shaped error bodies.
package simcore
