package model

// Status is the outcome of one check.
type Status string

// The five outcomes of a check.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Warn    Status = "warn"
	Unknown Status = "unknown"
	Skip    Status = "skip"
)

// Statuses lists every status in the order the summaries print them.
var Statuses = []Status{Pass, Fail, Warn, Unknown, Skip}

// Check is one line of the checklist.
type Check struct {
	ID string `json:"id"`
	// Bucket is empty for account-level checks.
	Bucket string `json:"bucket"`
	Status Status `json:"status"`
	// Summary is one line that says what was found.
	Summary string `json:"summary"`
	// Detail is the exact offending value (a statement, a rule, a flag), or what was read.
	Detail string `json:"detail"`
	// Fix is a command or document that fixes the failure; empty on pass.
	Fix string `json:"fix"`
}

// Summary counts checks by status.
type Summary struct {
	Pass    int `json:"pass"`
	Fail    int `json:"fail"`
	Warn    int `json:"warn"`
	Unknown int `json:"unknown"`
	Skip    int `json:"skip"`
}

// Summarize counts the checks by status.
func Summarize(checks []Check) Summary {
	var s Summary
	for _, c := range checks {
		switch c.Status {
		case Pass:
			s.Pass++
		case Fail:
			s.Fail++
		case Warn:
			s.Warn++
		case Unknown:
			s.Unknown++
		case Skip:
			s.Skip++
		}
	}
	return s
}
