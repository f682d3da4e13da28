package search

import "strings"

// phoneSuffixes are the lengths of phone-number endings that search finds: the last four to
// six digits ("56 78", "345 678"), and the last eight, which is how French numbers are read out
// in pairs ("12 34 56 78"). Every ending would cost twice the index for little use.
func phoneSuffixes() [4]int { return [...]int{4, 5, 6, 8} }

// Fields is what of a customer is searchable.
type Fields struct {
	// Text holds free text (names, company, e-mail, reference, tax id, city); each word can be
	// found by any start of it.
	Text []string
	// Phones holds the digit forms of phone numbers (international, national, national
	// significant). Each is indexed whole, and so are its endings of the lengths in
	// phoneSuffixes.
	Phones []string
}

// Document returns the space-separated folded tokens to index for one customer. Storage backends
// index these tokens as they are; QueryTerms produces terms of the same alphabet.
func Document(f Fields) string {
	var seen []string
	add := func(t string) {
		if t != "" && !contains(seen, t) {
			seen = append(seen, t)
		}
	}
	for _, s := range f.Text {
		for _, t := range Tokens(s) {
			add(truncateRunes(t, MaxTermLength))
		}
	}
	for _, p := range f.Phones {
		d := digitsOnly(p)
		add(d)
		for _, n := range phoneSuffixes() {
			if n < len(d) {
				add(d[len(d)-n:])
			}
		}
	}
	return strings.Join(seen, " ")
}

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
