package search

import "strings"

// DocumentVersion changes whenever Document writes different tokens for the same customer;
// storage rebuilds its index when the version it indexed with is not this one.
//   - 1: phone endings of 4, 5, 6 and 8 digits as tokens of their own.
//   - 2: one reversed token per phone number instead, so that any ending is a prefix of it.
//   - 3: name words marked with NameMark, so that name matches can be listed first.
const DocumentVersion = 3

// NameMark starts the indexed form of a word of the customer's name (first, last or company
// name): "García" is indexed as "¶garcia". Searches list customers whose name has every term
// first, and the mark gives name words posting lists of their own, so that "the names that
// start with bar" is a short list to walk instead of every "bar…" word filtered by where it
// came from. A word is indexed once: a name word that is also the city or part of the e-mail
// address is only the marked one. Like ReversedMark, it is neither a letter nor a digit (no
// query term can produce it) and it sits at the start, so that the prefix of a marked word is
// the marked prefix ("¶gar" starts "¶garcia").
const NameMark = "¶"

// NameForm returns the form a term or word takes among name words.
func NameForm(term string) string { return NameMark + term }

// ReversedMark starts the token that holds a phone number's digits backwards: "+34 612 34 56
// 78" gives "§87654321643", and the ending "5678" is found as the prefix "§8765". One token
// serves every ending, where a token per ending length would cost several index entries each.
// The mark is neither a letter nor a digit, so no typed term can produce it, and both
// backends index it as part of the word (SQLite's ascii tokenizer keeps non-ASCII characters
// in words).
const ReversedMark = "§"

// MinEndingLen is the shortest phone ending a search looks for: fewer digits match too many
// numbers to be of use.
const MinEndingLen = 4

// Reversed returns the reversed-ending form of a run of digits.
func Reversed(digits string) string {
	b := make([]byte, 0, len(ReversedMark)+len(digits))
	b = append(b, ReversedMark...)
	for i := len(digits) - 1; i >= 0; i-- {
		b = append(b, digits[i])
	}
	return string(b)
}

// Fields is what of a customer is searchable.
type Fields struct {
	// Name holds the names (first, last, company); their words are indexed marked (NameMark).
	Name []string
	// Text holds other free text (e-mail, reference, tax id, city); each word can be found by
	// any start of it.
	Text []string
	// Phones holds the digit forms of one phone number (international first, then national
	// forms). Each is indexed whole, and the first also reversed (see ReversedMark).
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
	for _, s := range f.Name {
		for _, t := range Tokens(s) {
			add(NameForm(truncateRunes(t, MaxTermLength)))
		}
	}
	for _, s := range f.Text {
		for _, t := range Tokens(s) {
			if t = truncateRunes(t, MaxTermLength); !contains(seen, NameForm(t)) {
				add(t)
			}
		}
	}
	for _, p := range f.Phones {
		add(digitsOnly(p))
	}
	if len(f.Phones) > 0 {
		if d := digitsOnly(f.Phones[0]); len(d) > MinEndingLen {
			add(Reversed(d))
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
