// Package search turns customer data and what a user types into the same folded tokens, so
// that both storage backends index and query exactly the same words. It does no I/O.
//
// Folding: lower case, accents removed ("Muñoz" → "munoz"), a few letters that Unicode does not
// decompose mapped by hand (ß → ss, æ → ae, ø → o, ł → l, đ → d, œ → oe, þ → th). Everything that
// is not a letter or a digit separates tokens, so a token never carries query syntax.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what a query may ask for; longer input is cut, never rejected.
const (
	MaxQueryTerms = 8
	MaxTermLength = 64
)

// foldRune appends the folded form of r to b.
func foldRune(b *strings.Builder, r rune) {
	switch r {
	case 'ß', 'ẞ':
		b.WriteString("ss")
	case 'æ', 'Æ':
		b.WriteString("ae")
	case 'œ', 'Œ':
		b.WriteString("oe")
	case 'ø', 'Ø':
		b.WriteByte('o')
	case 'ł', 'Ł':
		b.WriteByte('l')
	case 'đ', 'Đ', 'ð', 'Ð':
		b.WriteByte('d')
	case 'þ', 'Þ':
		b.WriteString("th")
	case 'ı':
		b.WriteByte('i')
	default:
		b.WriteRune(unicode.ToLower(r))
	}
}

// Fold lower-cases s and strips its accents. Characters other than letters and digits are
// kept as they are (lower-cased), so Fold is also usable for unique keys such as group names.
func Fold(s string) string {
	if isPlainASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "")) {
		if unicode.Is(unicode.Mn, r) {
			continue // combining accent left over from the decomposition
		}
		foldRune(&b, r)
	}
	// Letters that NFD split and we did not rebuild are already single runes; NFC makes the
	// rest canonical so equal strings compare equal.
	return norm.NFC.String(b.String())
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Key is the comparison key of a name that must be unique "ignoring case and accents":
// folded, with runs of white space collapsed.
func Key(s string) string {
	return strings.Join(strings.Fields(Fold(s)), " ")
}

// Tokens folds s and splits it into words: runs of letters, and runs of digits. A word never
// mixes the two ("garcia84" gives "garcia" and "84"), so "garcia" stays one word of the
// vocabulary however many e-mail addresses add numbers to it.
func Tokens(s string) []string {
	var out []string
	for _, field := range strings.FieldsFunc(Fold(s), isSeparator) {
		start := 0
		prevDigit := false
		for i, r := range field {
			d := unicode.IsDigit(r)
			if i > 0 && d != prevDigit {
				out = append(out, field[start:i])
				start = i
			}
			prevDigit = d
		}
		out = append(out, field[start:])
	}
	return out
}

// IsPrefixTerm reports whether a search term matches words that start with it, or only the
// word itself: a single letter or digit matches only itself (an initial, a "B" of a tax id);
// asking for every word that starts with "m" would find everyone.
func IsPrefixTerm(term string) bool { return utf8.RuneCountInString(term) > 1 }

func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// QueryTerms turns what a user typed into search terms: folded tokens, each matched as the
// start of an indexed word, all of them required. Adjacent runs of digits are joined, so
// "+34 612 34 56 78" becomes the single term "34612345678" and finds the phone number however
// it was spaced. Duplicates are dropped, the number of terms and their length are capped.
func QueryTerms(q string) []string {
	if len(q) > MaxQueryTerms*(MaxTermLength+1)*4 {
		q = q[:MaxQueryTerms*(MaxTermLength+1)*4]
	}
	raw := Tokens(q)
	terms := make([]string, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		if isDigits(t) {
			for i+1 < len(raw) && isDigits(raw[i+1]) {
				t += raw[i+1]
				i++
			}
		}
		t = truncateRunes(t, MaxTermLength)
		if !contains(terms, t) {
			terms = append(terms, t)
		}
		if len(terms) == MaxQueryTerms {
			break
		}
	}
	return terms
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// Alternatives returns the forms a search term may match, a match on any of them counting:
//   - the term itself;
//   - for a long run of digits that starts with the international call prefix 00
//     ("0034 612…"), the number without it, since numbers are indexed with their country code
//     but no prefix;
//   - for a run of at least MinEndingLen digits, its reversed form, which finds phone numbers
//     ending with it.
func Alternatives(term string) []string {
	alts := []string{term}
	if !isDigits(term) {
		return alts
	}
	if len(term) > 8 && strings.HasPrefix(term, "00") {
		return append(alts, term[2:]) // a whole international number, not an ending
	}
	if len(term) >= MinEndingLen {
		alts = append(alts, Reversed(term))
	}
	return alts
}
