package simcore

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// DefaultAccount is the account the sandbox serves unless told otherwise.
const DefaultAccount = "111122223333"

// Env is what every simulated service is given when it is made.
type Env struct {
	// Account is the 12-digit id of the simulated account.
	Account string
	// Now returns the current time; tests inject a fixed clock.
	Now func() time.Time
	// Journal receives a CloudTrail record for every write served, and holds seeded records.
	Journal *Journal
	// Changed is called after every change of state, so the sandbox can save it; never nil.
	Changed func()
	// OrgRoles are the org slugs whose Slateo storage role exists.
	OrgRoles []string
}

// WithDefaults returns e with its zero fields filled in for a service made on its own, as
// tests do: the system clock, a Changed that does nothing, and an empty journal.
func (e Env) WithDefaults() Env {
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Changed == nil {
		e.Changed = func() {}
	}
	if e.Journal == nil {
		e.Journal = &Journal{}
	}
	return e
}

// CallerARN is the identity every request is served as: the sandbox accepts any credentials
// and treats them all as this IAM user of the account.
func (e Env) CallerARN() string {
	return "arn:aws:iam::" + e.Account + ":user/sandbox-admin"
}

// CallerUserID is the unique id that goes with CallerARN.
const CallerUserID = "AIDASANDBOXADMIN0000X"

// RequestID returns a fresh request id in AWS's upper-case hex style.
func RequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hexUpper(b[:])
}

// EventID returns a fresh GUID for a CloudTrail record.
func EventID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func hexUpper(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
