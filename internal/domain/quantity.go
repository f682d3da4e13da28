package domain

import (
	"strconv"
	"strings"
)

// Quantity is an amount of goods in thousandths of a unit (1000 = one unit, 350 = 0.350 kg).
// It is read exactly from the decimal text a client sends, never through a float.
type Quantity int64

// QuantityScale is one unit.
const QuantityScale = 1000

// Bounds of a line's quantity: at least a thousandth, at most a million units. With
// MaxUnitPriceCents they keep every product of a ticket far inside int64.
const (
	MinQuantity Quantity = 1
	MaxQuantity Quantity = 1_000_000 * QuantityScale
)

// FieldTooManyDecimals: a quantity with more decimals than it keeps (Params["max"]). (The
// pages have their own "too_many_decimals" for money typed in a form.)
const FieldTooManyDecimals = "quantity_decimals"

// QuantityDecimals is how many decimals a quantity keeps.
const QuantityDecimals = 3

// ParseQuantity reads a JSON number's text ("2", "0.350", "1.5e2", "-1") exactly. The code
// returned is "" when it is a whole number of thousandths within ±MaxQuantity,
// FieldWrongType when the text is not a JSON number, FieldTooManyDecimals when it has a
// non-zero digit past the third decimal (after the exponent is applied: "1234e-3" is 1.234,
// "1e-4" is refused), and FieldOutOfRange when it is larger than MaxQuantity in magnitude.
// Signs and zero are left to the caller.
func ParseQuantity(text string) (Quantity, string) {
	s := text
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	intPart := s
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			intPart = s[:i]
			break
		}
	}
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return 0, FieldWrongType
	}
	s = s[len(intPart):]
	frac := ""
	if strings.HasPrefix(s, ".") {
		s = s[1:]
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 {
			return 0, FieldWrongType
		}
		frac, s = s[:n], s[n:]
	}
	exp := int64(0)
	if s != "" {
		if s[0] != 'e' && s[0] != 'E' {
			return 0, FieldWrongType
		}
		s = s[1:]
		expNeg := false
		if s != "" && (s[0] == '+' || s[0] == '-') {
			expNeg, s = s[0] == '-', s[1:]
		}
		if s == "" {
			return 0, FieldWrongType
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, FieldWrongType
			}
			if exp < 1_000_000 { // far past any exponent that can give an exact quantity
				exp = exp*10 + int64(s[i]-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	// The value is digits × 10^shift thousandths.
	digits := strings.TrimLeft(intPart+frac, "0")
	shift := exp - int64(len(frac)) + QuantityDecimals
	trimmed := strings.TrimRight(digits, "0")
	shift += int64(len(digits) - len(trimmed))
	digits = trimmed
	if digits == "" {
		return 0, ""
	}
	if shift < 0 {
		return 0, FieldTooManyDecimals
	}
	// MaxQuantity has 10 digits: anything longer is out of range.
	if int64(len(digits))+shift > 10 {
		return 0, FieldOutOfRange
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, FieldOutOfRange
	}
	for ; shift > 0; shift-- {
		v *= 10
	}
	if v > int64(MaxQuantity) {
		return 0, FieldOutOfRange
	}
	if neg {
		v = -v
	}
	return Quantity(v), ""
}

// String writes the quantity as a decimal number with no trailing zeros: "2", "0.35", "-1.5".
// It is valid JSON number text, and ParseQuantity reads it back to the same value.
func (q Quantity) String() string {
	v := int64(q)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/QuantityScale, v%QuantityScale
	if frac == 0 {
		return sign + strconv.FormatInt(whole, 10)
	}
	f := strconv.FormatInt(frac+QuantityScale, 10)[1:] // three digits, leading zeros kept
	return sign + strconv.FormatInt(whole, 10) + "." + strings.TrimRight(f, "0")
}

// MarshalJSON writes the quantity as a JSON number.
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(q.String()), nil }
