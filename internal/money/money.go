// Package money formats and parses money amounts and percentages for the backoffice pages,
// in Spanish (the default) and English.
//
// Amounts are int64 cents and percentages int64 basis points (1 % = 100 bp), never float64:
// a binary float cannot hold 0.10 exactly, so sums drift by fractions of a cent and the
// ticket lines, discounts and VAT stop adding up to the total (see DESIGN.md, "Money and
// numbers"). Every function here works on integer digits only, so nothing is ever rounded.
//
// The parser is language aware because the same keystrokes mean different amounts: "1.234"
// is one thousand two hundred thirty-four euros to a Spanish reader and one euro and a
// fraction to an English one, and the numeric keypad of a Spanish keyboard often types '.' for
// the decimal point anyway. ParseAmount therefore follows the page's language first and
// falls back to the only reading that makes sense for cents; when a string has no sensible
// reading it is refused rather than guessed, because a wrong guess is a price off by a
// factor of a thousand.
//
// The language is a plain string: "en" is English and anything else is Spanish.
package money

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Codes of a ParseError; the pages map them to translated messages.
const (
	CodeInvalid         = "invalid"
	CodeTooManyDecimals = "too_many_decimals"
	CodeOutOfRange      = "out_of_range"
	CodeNegative        = "negative"
)

// ParseError is the error of ParseAmount and ParsePercent. Code is one of CodeInvalid,
// CodeTooManyDecimals, CodeOutOfRange or CodeNegative.
type ParseError struct {
	Code string
}

func (e *ParseError) Error() string {
	switch e.Code {
	case CodeTooManyDecimals:
		return "money: more than 2 decimals"
	case CodeOutOfRange:
		return "money: number out of range"
	case CodeNegative:
		return "money: negative number not allowed"
	}
	return "money: not a valid number"
}

// FormatCents formats cents as money in the language: es "1.234,56 €", "-0,05 €", "0,00 €";
// en "€1,234.56", "-€0.05". Uses a non-breaking space (U+00A0) between number and € in
// Spanish so that the sign never wraps to the next line on its own.
func FormatCents(cents int64, lang string) string {
	neg, units, frac := split(cents)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if isEnglish(lang) {
		b.WriteString("€")
		writeGrouped(&b, units, ',')
		b.WriteByte('.')
		write2(&b, frac)
	} else {
		// Money is grouped from 1.000 on, as on Spanish receipts and bank statements.
		writeGrouped(&b, units, '.')
		b.WriteByte(',')
		write2(&b, frac)
		b.WriteString("\u00a0€")
	}
	return b.String()
}

// FormatAmount formats cents without the currency sign, as a form field shows it: es
// "1234,56", en "1234.56" (no thousands separators, so it parses back).
func FormatAmount(cents int64, lang string) string {
	neg, units, frac := split(cents)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(utoa(units))
	b.WriteByte(decimalSep(lang))
	write2(&b, frac)
	return b.String()
}

// ParseAmount reads a money amount typed by a person into cents. It accepts "12", "12,5",
// "12,50", "1.234,56", "1234.56", "1,234.56", "€ 12", "12 €", "12€", the output of
// FormatCents and FormatAmount, spaces around, and a leading minus only when allowNegative.
//
// The decimal separator is decided as follows. When both '.' and ',' appear, the last one is
// decimal and the other groups thousands. A separator that appears more than once, or a
// space inside the number, groups thousands. A single separator is decimal when it is the
// language's decimal separator; when it is the language's grouping separator it groups
// thousands only if it is followed by exactly 3 digits and preceded by a valid first group
// ("1.234" in Spanish), and is decimal otherwise ("12.5" typed on a Spanish keypad).
// Grouping must be regular (1-3 digits, then groups of exactly 3) or the input is refused.
//
// The error is a *ParseError with Code "invalid", "too_many_decimals" (more than 2),
// "out_of_range" (beyond int64 cents) or "negative" (a minus sign without allowNegative).
func ParseAmount(s, lang string, allowNegative bool) (int64, error) {
	neg, body := stripAffixes(s, "€", true)
	v, code := parseNumber(body, lang, neg)
	if code == "" && neg && !allowNegative {
		code = CodeNegative
	}
	if code != "" {
		return 0, &ParseError{Code: code}
	}
	return v, nil
}

// FormatInt formats an integer with the language's thousands separator: es "1.234.567",
// en "1,234,567". Spanish leaves 4-digit numbers ungrouped ("1234", RAE and CLDR
// minimumGroupingDigits=2) while English groups them ("1,234").
func FormatInt(n int64, lang string) string {
	neg, mag := magnitude(n)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	writeNumberGrouped(&b, mag, lang)
	return b.String()
}

// writeNumberGrouped writes a plain number (not money) with the grouping rule of FormatInt.
func writeNumberGrouped(b *strings.Builder, mag uint64, lang string) {
	if isEnglish(lang) {
		writeGrouped(b, mag, ',')
		return
	}
	if mag < 10000 {
		b.WriteString(utoa(mag))
		return
	}
	writeGrouped(b, mag, '.')
}

func isEnglish(lang string) bool { return lang == "en" }

func decimalSep(lang string) byte {
	if isEnglish(lang) {
		return '.'
	}
	return ','
}

// magnitude returns the sign and absolute value of n; uint64 holds |math.MinInt64|.
func magnitude(n int64) (neg bool, mag uint64) {
	mag = uint64(n)
	if n < 0 {
		return true, -mag
	}
	return false, mag
}

// split returns the sign, whole units and hundredths of n (cents or basis points).
func split(n int64) (neg bool, units, hundredths uint64) {
	neg, mag := magnitude(n)
	return neg, mag / 100, mag % 100
}

func utoa(u uint64) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			return string(buf[i:])
		}
	}
}

// writeGrouped writes u with sep between groups of 3 digits.
func writeGrouped(b *strings.Builder, u uint64, sep byte) {
	digits := utoa(u)
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteByte(sep)
		b.WriteString(digits[i : i+3])
	}
}

// write2 writes a value below 100 as exactly two digits.
func write2(b *strings.Builder, u uint64) {
	b.WriteByte(byte('0' + u/10))
	b.WriteByte(byte('0' + u%10))
}

func isMinus(r rune) bool {
	// U+2212 is the typographic minus some systems paste instead of '-'.
	return r == '-' || r == '\u2212'
}

// isGroupSpace reports whether r is a space people and formatters use to group digits.
func isGroupSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009'
}

// stripAffixes trims spaces, one leading minus and one symbol (before the number when
// symbolFirst, otherwise only after it) and returns the sign and the number left between.
func stripAffixes(s, symbol string, symbolFirst bool) (neg bool, body string) {
	s = strings.TrimSpace(s)
	sawSymbol := false
prefix:
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case isMinus(r) && !neg:
			neg = true
		case symbolFirst && !sawSymbol && strings.HasPrefix(s, symbol):
			sawSymbol = true
			n = len(symbol)
		default:
			break prefix
		}
		s = strings.TrimLeftFunc(s[n:], unicode.IsSpace)
	}
	if !sawSymbol {
		if t, ok := strings.CutSuffix(s, symbol); ok {
			s = strings.TrimRightFunc(t, unicode.IsSpace)
		}
	}
	return neg, s
}

// parseNumber reads body (digits, separators, nothing else) as a decimal with at most 2
// decimals and returns it in hundredths, negated when neg, or a ParseError code.
func parseNumber(body, lang string, neg bool) (int64, string) {
	// Split into runs of digits and the separators between them.
	var groups []string
	var seps []byte // '.', ',' or ' ' for any grouping space
	var count [3]int
	start := 0
	for i := 0; i < len(body); {
		c := body[i]
		if c >= '0' && c <= '9' {
			i++
			continue
		}
		kind, size := c, 1
		if c != '.' && c != ',' {
			r, n := utf8.DecodeRuneInString(body[i:])
			if !isGroupSpace(r) {
				return 0, CodeInvalid // letters, signs, exponents, non-ASCII digits
			}
			kind, size = ' ', n
		}
		groups = append(groups, body[start:i])
		seps = append(seps, kind)
		count[sepIndex(kind)]++
		i += size
		start = i
	}
	groups = append(groups, body[start:])

	dec := -1 // index in seps of the decimal separator, -1 for none
	if len(seps) > 0 {
		last := seps[len(seps)-1]
		kinds := 0
		for _, c := range count {
			if c > 0 {
				kinds++
			}
		}
		switch {
		case kinds > 1:
			// "1.234,56": the last is decimal, and the rest must all be one grouping kind.
			if kinds > 2 || last == ' ' || count[sepIndex(last)] != 1 {
				return 0, CodeInvalid
			}
			dec = len(seps) - 1
		case last == ' ' || len(seps) > 1:
			// "1 234" or "1.234.567": only grouping, no decimals.
		case last == decimalSep(lang):
			dec = 0
		case len(groups[1]) == 3 && validFirstGroup(groups[0]):
			// The language's grouping separator before 3 digits: "1.234" in Spanish.
		default:
			// The grouping separator used as a decimal point: "12.5" in Spanish.
			dec = 0
		}
	}

	intGroups, frac := groups, ""
	if dec >= 0 {
		intGroups, frac = groups[:dec+1], groups[dec+1]
		if frac == "" {
			return 0, CodeInvalid // "12," or a lone separator
		}
	}
	var whole string
	if len(intGroups) == 1 {
		whole = intGroups[0]
	} else {
		if !validFirstGroup(intGroups[0]) {
			return 0, CodeInvalid
		}
		for _, g := range intGroups[1:] {
			if len(g) != 3 {
				return 0, CodeInvalid
			}
		}
		whole = strings.Join(intGroups, "")
	}
	if whole == "" && frac == "" {
		return 0, CodeInvalid
	}
	if len(frac) > 2 {
		return 0, CodeTooManyDecimals
	}

	limit := uint64(1<<63 - 1)
	if neg {
		limit = 1 << 63 // |math.MinInt64|
	}
	var mag uint64
	digits := whole + frac + "00"[len(frac):]
	for i := 0; i < len(digits); i++ {
		d := uint64(digits[i] - '0')
		if mag > (limit-d)/10 {
			return 0, CodeOutOfRange
		}
		mag = mag*10 + d
	}
	if neg {
		return int64(-mag), ""
	}
	return int64(mag), ""
}

func sepIndex(kind byte) int {
	switch kind {
	case '.':
		return 0
	case ',':
		return 1
	}
	return 2
}

// validFirstGroup reports whether g can lead a grouped number: 1-3 digits, no leading zero.
func validFirstGroup(g string) bool {
	return len(g) >= 1 && len(g) <= 3 && g[0] != '0'
}
