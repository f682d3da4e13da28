package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on text fields, in characters. They keep a single customer small enough for a
// receipt, an invoice and an index entry.
const (
	MaxNameLen        = 100
	MaxCompanyNameLen = 200
	MaxLegalFormLen   = 50
	MaxTaxIDLen       = 32
	MaxEmailLen       = 254
	MaxPhoneLen       = 40
	MaxAddressLineLen = 200
	MaxPostalCodeLen  = 20
	MaxCityLen        = 100
	MaxRegionLen      = 100
	MaxReferenceLen   = 64
	MaxAccountLen     = 20
	MaxNotesLen       = 10000
	MaxGroupNameLen   = 100
	MaxDescriptionLen = 1000
	MaxCreditLimit    = int64(100_000_000_000) // one billion in cents
)

// checkLine validates a one-line text field that is already trimmed: valid UTF-8, no control
// characters (a CR or LF in a name would end up in e-mail headers and CSV exports), no
// invisible or text-direction characters (see spoofs), bounded.
func checkLine(p *Problems, field, v string, max int) {
	checkText(p, field, v, max, false)
}

// checkText is checkLine that may allow line breaks and tabs (notes, descriptions), and
// holds such multi-line text to the looser rule of spoofs.
func checkText(p *Problems, field, v string, max int, multiline bool) {
	if !checkChars(p, field, v, multiline) {
		return
	}
	if utf8.RuneCountInString(v) > max {
		p.Add(field, FieldTooLong, map[string]any{"max": max})
	}
}

// checkChars reports the first character of v a field may not hold, and whether there was
// none.
func checkChars(p *Problems, field, v string, multiline bool) bool {
	if !utf8.ValidString(v) {
		p.Add(field, FieldBadEncoding, nil)
		return false
	}
	prev := rune(-1)
	for i, r := range v {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			p.Add(field, FieldBadControl, nil)
			return false
		case spoofs(r, multiline):
			next := rune(-1) // nothing
			if rest := v[i+utf8.RuneLen(r):]; rest != "" {
				next, _ = utf8.DecodeRuneInString(rest)
			}
			if !joins(r, prev, next) {
				p.Add(field, FieldInvisible, map[string]any{"char": fmt.Sprintf("U+%04X", r)})
				return false
			}
		}
		prev = r
	}
	return true
}

// spoofs reports whether r may make a text read differently from what it holds: reorder it
// (the bidi embeddings, overrides and isolates, U+202A–U+202E and U+2066–U+2069, as in
// "Trojan Source") or hide something in it (zero-width spaces and joiners, U+FEFF, the
// directional marks, tag characters: every format character, category Cf, and the few
// letters and marks that show as nothing, such as the Hangul fillers). In a one-line field —
// a name, an e-mail, a reference, shown on lists and receipts and compared with each other —
// all of them are refused.
//
// Multi-line text (notes, descriptions) is prose, where the directional marks (LRM, RLM),
// joiners and soft hyphens have their use in other scripts and emoji and can neither reorder
// nor hide a word: only the characters that reorder what follows them (embeddings, overrides,
// isolates) and the tag characters (which can carry a whole invisible text) are refused there.
func spoofs(r rune, multiline bool) bool {
	reorders := (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
	tag := r >= 0xE0000 && r <= 0xE007F
	if multiline {
		return reorders || tag
	}
	switch r {
	case '\u034F', '\u115F', '\u1160', '\u17B4', '\u17B5', '\u3164', '\uFFA0':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// joins reports whether r is a zero-width joiner or non-joiner used as scripts and emoji use
// it: between two characters of a script that needs it (Persian, Hindi…) or of an emoji
// sequence. Between Latin, Greek or Cyrillic letters, or next to ASCII, space or nothing, it
// only hides a difference ("Ana" and "A\u200Dna") and is refused.
func joins(r, prev, next rune) bool {
	if r != '\u200C' && r != '\u200D' {
		return false
	}
	return joinable(prev) && joinable(next)
}

func joinable(r rune) bool {
	if r <= unicode.MaxASCII || unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.So, unicode.Sk)
}

// clean trims surrounding white space.
func clean(s string) string { return strings.TrimSpace(s) }
