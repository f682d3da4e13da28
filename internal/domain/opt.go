package domain

// Opt is a field that may or may not be given in a change: a PATCH that leaves out a field
// leaves it as it is, while one that sends it (even empty or null) sets it.
type Opt[T any] struct {
	Set   bool
	Value T
}

// Some returns a set Opt.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, Value: v} }

func (o Opt[T]) apply(dst *T) {
	if o.Set {
		*dst = o.Value
	}
}
