package domain

import (
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
// characters (a CR or LF in a name would end up in e-mail headers and CSV exports), bounded.
func checkLine(p *Problems, field, v string, max int) {
	checkText(p, field, v, max, false)
}

// checkText is checkLine that may allow line breaks and tabs (notes, descriptions).
func checkText(p *Problems, field, v string, max int, multiline bool) {
	if !utf8.ValidString(v) {
		p.Add(field, FieldBadEncoding, nil)
		return
	}
	for _, r := range v {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			p.Add(field, FieldBadControl, nil)
			return
		}
	}
	if utf8.RuneCountInString(v) > max {
		p.Add(field, FieldTooLong, map[string]any{"max": max})
	}
}

// clean trims surrounding white space.
func clean(s string) string { return strings.TrimSpace(s) }
