// Package textout renders the console's results as plain text and JSON for the command line:
// output that reads well in a terminal and pasted into a support ticket. Every string that
// came from AWS passes through model.Clean or model.CleanLine before it is written.
package textout
