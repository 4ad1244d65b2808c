// Package policy parses IAM policy documents (bucket policies, key policies) in their full
// JSON grammar and decides, for one principal calling one action on one resource, whether the
// policy allows it, denies it (and with which statement) or cannot tell (and why).
//
// Conditions are evaluated against a Context that says, per condition key, whether the
// value is known, absent, or unknown; a condition that depends on an unknown value makes the
// answer undecidable rather than allowed.
package policy
