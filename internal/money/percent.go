package money

import "strings"

// FormatPercent formats basis points as a percentage: es "10 %", "12,5 %", "0,25 %" (with a
// non-breaking space U+00A0 before %, as Spanish writes it), en "10%", "12.5%", "0.25%".
// Trailing zeros of the decimals are dropped; the whole part is grouped like FormatInt.
func FormatPercent(bp int64, lang string) string {
	neg, units, frac := split(bp)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	writeNumberGrouped(&b, units, lang)
	writePercentDecimals(&b, frac, lang)
	if isEnglish(lang) {
		b.WriteByte('%')
	} else {
		b.WriteString("\u00a0%")
	}
	return b.String()
}

// FormatPercentNumber is FormatPercent without the % sign and without grouping, for form
// fields: es "12,5", en "12.5".
func FormatPercentNumber(bp int64, lang string) string {
	neg, units, frac := split(bp)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(utoa(units))
	writePercentDecimals(&b, frac, lang)
	return b.String()
}

// ParsePercent reads "10", "10 %", "12,5", "12.5%", "0,25" into basis points, with at most
// 2 decimals. It decides the decimal separator like ParseAmount and returns the same
// *ParseError codes; a minus sign is refused with "negative" since no rate in the product
// is negative. Upper bounds such as 100 % are for the caller, which knows what the rate is.
func ParsePercent(s, lang string) (int64, error) {
	neg, body := stripAffixes(s, "%", false)
	v, code := parseNumber(body, lang, neg)
	if code == "" && neg {
		code = CodeNegative
	}
	if code != "" {
		return 0, &ParseError{Code: code}
	}
	return v, nil
}

// writePercentDecimals writes the hundredths of a percentage without trailing zeros.
func writePercentDecimals(b *strings.Builder, frac uint64, lang string) {
	if frac == 0 {
		return
	}
	b.WriteByte(decimalSep(lang))
	b.WriteByte(byte('0' + frac/10))
	if frac%10 != 0 {
		b.WriteByte(byte('0' + frac%10))
	}
}
