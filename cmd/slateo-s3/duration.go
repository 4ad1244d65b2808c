package main

import (
	"errors"
	"flag"
	"time"
)

// positiveDuration is a duration flag that refuses zero and negative values when parsed, so
// that "--timeout 0" is an input error (exit 2) rather than a run in which every AWS call
// times out at once and every check reads unknown.
type positiveDuration struct{ d *time.Duration }

func (p positiveDuration) String() string {
	if p.d == nil {
		return ""
	}
	return p.d.String()
}

func (p positiveDuration) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return errors.New("not a duration like 30s or 5m")
	}
	if d <= 0 {
		return errors.New("must be more than zero")
	}
	*p.d = d
	return nil
}

// timeoutVar binds a --timeout flag that must be positive.
func timeoutVar(fs *flag.FlagSet, d *time.Duration, value time.Duration, usage string) {
	*d = value
	fs.Var(positiveDuration{d}, "timeout", usage)
}
