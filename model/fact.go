package model

// Availability says whether a fact read from AWS has a value.
type Availability string

// The three outcomes of reading one fact from AWS.
const (
	// Present means the fact was read and Value holds it.
	Present Availability = "present"
	// NotConfigured means AWS answered that the setting does not exist (NoSuchBucketPolicy,
	// NoSuchCORSConfiguration, ...); Reason holds that error code.
	NotConfigured Availability = "not-configured"
	// CouldNotRead means the fact could not be read (the caller's own AccessDenied, throttling,
	// a timeout, the network); Reason says why.
	CouldNotRead Availability = "could-not-read"
)

// Fact is one value read from AWS, or the reason there is none.
// The zero Fact is CouldNotRead with an empty reason, so a fact nobody read is never taken for
// a configured value.
type Fact[T any] struct {
	Availability Availability `json:"availability"`
	Value        T            `json:"value,omitempty"`
	// Reason is the error code of a NotConfigured fact, or what went wrong for a CouldNotRead one.
	Reason string `json:"reason,omitempty"`
	// MissingAction is the IAM action the caller's credentials lack, when AWS denied the read.
	MissingAction string `json:"missing_action,omitempty"`
}

// Known returns a present fact.
func Known[T any](v T) Fact[T] {
	return Fact[T]{Availability: Present, Value: v}
}

// Absent returns a fact that AWS reported as not configured, with the error code it gave.
func Absent[T any](code string) Fact[T] {
	return Fact[T]{Availability: NotConfigured, Reason: code}
}

// Unreadable returns a fact that could not be read, with the reason and, when the caller was
// denied, the IAM action it lacks.
func Unreadable[T any](reason, missingAction string) Fact[T] {
	return Fact[T]{Availability: CouldNotRead, Reason: reason, MissingAction: missingAction}
}

// IsPresent reports whether the fact holds a value.
func (f Fact[T]) IsPresent() bool {
	return f.Availability == Present
}

// IsAbsent reports whether AWS said the setting is not configured.
func (f Fact[T]) IsAbsent() bool {
	return f.Availability == NotConfigured
}

// IsUnreadable reports whether the fact could not be read.
func (f Fact[T]) IsUnreadable() bool {
	return f.Availability == CouldNotRead || f.Availability == ""
}
