package ui

import (
	"slateo-s3/diagnostics"
	"slateo-s3/model"
)

// checklist computes the checks of a state; it is pure and cheap, so commands call it.
func checklist(s model.State) []model.Check {
	return diagnostics.Checklist(s)
}

// describe says what a check verifies, for the detail pane.
func describe(id string) string {
	return diagnostics.Describe(id)
}

// missingActions lists, once each, the IAM actions the admin's credentials were denied.
func missingActions(s model.State) []string {
	var out []string
	for _, p := range diagnostics.MissingPermissions(s) {
		out = append(out, p.Action)
	}
	return out
}
