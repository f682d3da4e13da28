package domain

import "slices"

// Precondition is what an update requires of the record's current version: the client's
// If-Match (RFC 9110 §13.1.1). Either any version of an existing record ("*"), or one of a
// list of versions the client has seen. The use case checks it inside the transaction that
// writes, against the version it is about to replace, so no other write can slip in between
// the check and the update. The zero Precondition holds for no version.
type Precondition struct {
	anyVersion bool
	versions   []int64
}

// IfVersion holds when the current version is one of versions (the form and the CLI pass the
// one they read).
func IfVersion(versions ...int64) Precondition {
	return Precondition{versions: slices.Clone(versions)}
}

// IfAnyVersion holds for every version of a record that exists ("If-Match: *").
func IfAnyVersion() Precondition { return Precondition{anyVersion: true} }

// Holds reports whether a record at version current may be changed.
func (p Precondition) Holds(current int64) bool {
	return p.anyVersion || slices.Contains(p.versions, current)
}
