package model

import "time"

// Event is one CloudTrail record of a denied call, with the console's diagnosis. Every string
// in it came from AWS and is untrusted: sanitise before printing to a terminal.
type Event struct {
	Time time.Time `json:"time"`
	// Source is the event source, such as s3.amazonaws.com.
	Source string `json:"source"`
	// Name is the API call, such as GetObject.
	Name string `json:"name"`
	// Principal is the caller's ARN (for a role session, the assumed-role ARN).
	Principal string `json:"principal"`
	// Resource is the bucket, object or key ARN the call was about.
	Resource     string `json:"resource"`
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
	SourceIP     string `json:"source_ip"`
	// Check is the id of the check that explains the event, or empty.
	Check string `json:"check"`
	// Diagnosis says in one line what setting caused the denial.
	Diagnosis string `json:"diagnosis"`
	// ID is CloudTrail's eventID, used to deduplicate.
	ID string `json:"-"`
	// Record is the whole CloudTrail record as read.
	Record string `json:"-"`
	// Data is true for a data event read from a trail's log files.
	Data bool `json:"-"`
}
