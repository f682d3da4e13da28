package search

import (
	"slices"
	"strings"
)

// Search results come in tiers (app.Tier): customers whose name has every term as a whole
// word, then those whose name has a word starting with every term, then the others that
// match. Each backend turns a term into the index words it stands for (TermForms, written in
// its own query syntax, with its own tricks for long prefixes), and TierQueries combines
// them into one query per tier, the same way for both.

// TermForms are the index words one search term stands for, each already written as an
// atom of a backend's query language (a quoted word, a prefix, …).
type TermForms struct {
	// Whole: the term as a whole name word. Empty when the backend knows no name has it.
	Whole []string
	// Prefix: name words the term starts. Empty when the backend knows there are none.
	Prefix []string
	// Strict: name words the term starts other than the term itself. A backend that cannot
	// tell them apart gives the same as Prefix (the tier query leaves out the whole-word
	// matches anyway); empty when there are none, as for a term that matches only itself.
	Strict []string
	// Other: words outside the name that match the term (and its Alternatives).
	Other []string
}

// Syntax is how a backend writes "and" and "or" between query expressions.
type Syntax struct{ And, Or string }

// TierQuery is the query of one tier: what a customer must match (Pos) and, when Neg is not
// empty, must not match (the customers of earlier tiers). OK is false when the tier cannot
// have any customer.
type TierQuery struct {
	Pos, Neg string
	OK       bool
}

// TierQueries returns the queries of the tiers name words, name prefixes and other, in this
// order, for terms described by forms (one per term, all required).
//
// A customer matches a term through the name or through the rest of their words. They are
// in the second tier when every term starts a name word but not every term is one; in the
// third when some term starts no name word: such a term must then match through Other. So
// each tier query asks for every term and, to keep the index from walking the customers of
// earlier tiers, for one term that matches in the way only this tier's customers can; Neg
// removes the few earlier-tier customers that also match that way (a customer called
// "Vela" with a "velasco" e-mail address).
func TierQueries(forms []TermForms, syn Syntax) [3]TierQuery {
	or := func(atoms []string) string { return "(" + strings.Join(atoms, syn.Or) + ")" }
	// every asks for each term through pick(term); "" when some term has nothing to match.
	every := func(pick func(TermForms) []string) string {
		parts := make([]string, len(forms))
		for i, f := range forms {
			atoms := pick(f)
			if len(atoms) == 0 {
				return ""
			}
			parts[i] = or(atoms)
		}
		return strings.Join(parts, syn.And)
	}
	// tier asks for every term through all(term) and for one term through one(term). When
	// some term's one is its all, every customer asked for already has that, and the query
	// is only the first part.
	tier := func(all, one func(TermForms) []string, neg string) TierQuery {
		required := every(all)
		if required == "" {
			return TierQuery{}
		}
		if len(forms) == 1 { // the one term's way to match this tier is the whole query
			if atoms := one(forms[0]); len(atoms) > 0 {
				return TierQuery{Pos: or(atoms), Neg: neg, OK: true}
			}
			return TierQuery{}
		}
		var parts []string
		for _, f := range forms {
			atoms := one(f)
			if slices.Equal(atoms, all(f)) {
				return TierQuery{Pos: required, Neg: neg, OK: true}
			}
			if len(atoms) > 0 {
				parts = append(parts, or(atoms))
			}
		}
		if len(parts) == 0 {
			return TierQuery{}
		}
		return TierQuery{Pos: required + syn.And + "(" + strings.Join(parts, syn.Or) + ")", Neg: neg, OK: true}
	}
	namePrefix := func(f TermForms) []string { return f.Prefix }
	matching := func(f TermForms) []string { return append(f.Prefix[:len(f.Prefix):len(f.Prefix)], f.Other...) }
	whole := every(func(f TermForms) []string { return f.Whole })
	var q [3]TierQuery
	if whole != "" {
		q[0] = TierQuery{Pos: whole, OK: true}
	}
	q[1] = tier(namePrefix, func(f TermForms) []string { return f.Strict }, whole)
	q[2] = tier(matching, func(f TermForms) []string { return f.Other }, every(namePrefix))
	return q
}
