package policy

// Tri is a three-valued answer: no, maybe (undecidable), yes.
type Tri int

// The three answers, ordered so that a larger value is "more true".
const (
	No Tri = iota
	Maybe
	Yes
)

// String returns no, maybe or yes.
func (t Tri) String() string {
	switch t {
	case Yes:
		return "yes"
	case Maybe:
		return "maybe"
	}
	return "no"
}

// verdict is a Tri with the reasons behind a Maybe.
type verdict struct {
	t   Tri
	why []string
}

func yes() verdict                { return verdict{t: Yes} }
func no() verdict                 { return verdict{t: No} }
func maybe(why ...string) verdict { return verdict{t: Maybe, why: why} }

func fromBool(b bool) verdict {
	if b {
		return yes()
	}
	return no()
}

// and combines verdicts that must all hold.
func and(vs ...verdict) verdict {
	out := yes()
	for _, v := range vs {
		switch v.t {
		case No:
			return no()
		case Maybe:
			out.t = Maybe
			out.why = append(out.why, v.why...)
		}
	}
	return out
}

// or combines verdicts of which one must hold.
func or(vs ...verdict) verdict {
	out := no()
	for _, v := range vs {
		switch v.t {
		case Yes:
			return yes()
		case Maybe:
			out.t = Maybe
			out.why = append(out.why, v.why...)
		}
	}
	return out
}

func not(v verdict) verdict {
	switch v.t {
	case Yes:
		return no()
	case No:
		return yes()
	}
	return v
}
