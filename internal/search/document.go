package search

import "strings"

// MinSuffix is the shortest phone-number ending that search finds: typing the last four
// digits of a number is how people look a customer up at a counter.
const MinSuffix = 4

// Fields is what of a customer is searchable.
type Fields struct {
	// Text holds free text (names, company, e-mail, reference, tax id, city); each word can be
	// found by any start of it.
	Text []string
	// Phones holds the digit forms of phone numbers (international, national, national
	// significant). Each is indexed whole, and every ending of MinSuffix digits or more is indexed
	// too, so any run of digits ending the number finds it.
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
		for i := 1; len(d)-i >= MinSuffix; i++ {
			add(d[i:])
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
