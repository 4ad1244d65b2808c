package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"slateo-s3/awsops/sandbox/simcore"
)

// String gives the fault as a --fail value: OP[:BUCKET]=CODE[@RATE].
func (f Fault) String() string {
	s := f.Operation
	if f.Bucket != "" {
		s += ":" + f.Bucket
	}
	s += "=" + f.Code
	if f.Rate != 0 {
		s += "@" + strconv.FormatFloat(f.Rate, 'g', -1, 64)
	}
	return s
}

// checkFaultOperations refuses the first fault whose operation no service answers, since
// such a fault would never fire. The error names the --fail value and, when a known
// operation differs only in case or by a small edit, suggests it.
func checkFaultOperations(faults []Fault, services map[string]simcore.Service) error {
	known := knownOperations(services)
	for _, f := range faults {
		if _, ok := slices.BinarySearch(known, f.Operation); ok {
			continue
		}
		if guess := closestOperation(f.Operation, known); guess != "" {
			return fmt.Errorf("--fail %s: no sandbox operation is named %q; did you mean %s?",
				f, f.Operation, guess)
		}
		return fmt.Errorf("--fail %s: no sandbox operation is named %q; operation names "+
			"are case-sensitive API names such as GetBucketPolicy or DescribeKey", f,
			f.Operation)
	}
	return nil
}

// knownOperations lists, sorted and without repeats, every operation the services answer.
func knownOperations(services map[string]simcore.Service) []string {
	var ops []string
	for _, svc := range services {
		ops = append(ops, svc.Operations()...)
	}
	slices.Sort(ops)
	return slices.Compact(ops)
}

// closestOperation returns the known operation nearest to name, ignoring case, when it is
// within a small edit distance (more for longer names); else "". Ties go to the first in
// known's order.
func closestOperation(name string, known []string) string {
	limit := min(1+len(name)/6, 3)
	best, bestDist := "", limit+1
	lower := strings.ToLower(name)
	for _, op := range known {
		if d := editDistance(lower, strings.ToLower(op)); d < bestDist {
			best, bestDist = op, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in bytes (operation
// names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
