// Package model holds the plain data that every other package shares: the user's settings,
// the documents Slateo needs, what was observed in AWS, the checks and the CloudTrail events.
// It has no SDK imports and does no I/O.
package model
