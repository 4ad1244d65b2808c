// Package diagnostics turns what was read from AWS (model.State, with the user's settings in
// it) into the checklist: for each bucket and for the account, what is right, what is wrong,
// the exact offending value and the exact fix. It also holds the troubleshooting runbooks
// and the descriptions of every check. It is pure: no I/O, no SDK, no clock.
package diagnostics
