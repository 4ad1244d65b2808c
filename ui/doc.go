// Package ui is the interactive console of slateo-s3: a Bubble Tea program that walks an
// admin through the Slateo S3 setup, shows the live checklist of both buckets, runs the
// troubleshooting runbooks and keeps a log of every AWS call it made.
//
// The root Model routes keys and messages to one child model per screen. Every AWS call
// runs inside a tea.Cmd under a context with a deadline and comes back as a message; no
// command touches model state. Every string that came from AWS passes through
// model.Clean or model.CleanLine before it is rendered.
package ui
