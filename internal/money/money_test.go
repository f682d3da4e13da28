package money

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

const nb = "\u00a0" // the non-breaking space of Spanish formats

func TestFormatCents(t *testing.T) {
	cases := []struct {
		cents int64
		lang  string
		want  string
	}{
		{123456, "es", "1.234,56" + nb + "€"},
		{-5, "es", "-0,05" + nb + "€"},
		{0, "es", "0,00" + nb + "€"},
		{5, "es", "0,05" + nb + "€"},
		{100, "es", "1,00" + nb + "€"},
		{99999, "es", "999,99" + nb + "€"},
		{100000, "es", "1.000,00" + nb + "€"},
		{123456789, "es", "1.234.567,89" + nb + "€"},
		{-123456789, "es", "-1.234.567,89" + nb + "€"},
		{math.MaxInt64, "es", "92.233.720.368.547.758,07" + nb + "€"},
		{math.MinInt64, "es", "-92.233.720.368.547.758,08" + nb + "€"},
		{123456, "en", "€1,234.56"},
		{-5, "en", "-€0.05"},
		{0, "en", "€0.00"},
		{99999, "en", "€999.99"},
		{123456789, "en", "€1,234,567.89"},
		{math.MaxInt64, "en", "€92,233,720,368,547,758.07"},
		{math.MinInt64, "en", "-€92,233,720,368,547,758.08"},
		// Anything but "en" is Spanish.
		{123456, "", "1.234,56" + nb + "€"},
		{123456, "fr", "1.234,56" + nb + "€"},
		{123456, "EN", "1.234,56" + nb + "€"},
	}
	for _, c := range cases {
		if got := FormatCents(c.cents, c.lang); got != c.want {
			t.Errorf("FormatCents(%d, %q) = %q, want %q", c.cents, c.lang, got, c.want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	cases := []struct {
		cents int64
		lang  string
		want  string
	}{
		{123456, "es", "1234,56"},
		{123456, "en", "1234.56"},
		{0, "es", "0,00"},
		{0, "en", "0.00"},
		{7, "es", "0,07"},
		{-5, "es", "-0,05"},
		{-5, "en", "-0.05"},
		{1250, "es", "12,50"},
		{123456789, "es", "1234567,89"},
		{math.MaxInt64, "es", "92233720368547758,07"},
		{math.MinInt64, "es", "-92233720368547758,08"},
		{math.MinInt64, "en", "-92233720368547758.08"},
		{123456, "xx", "1234,56"},
	}
	for _, c := range cases {
		if got := FormatAmount(c.cents, c.lang); got != c.want {
			t.Errorf("FormatAmount(%d, %q) = %q, want %q", c.cents, c.lang, got, c.want)
		}
	}
}

// parseCase is one row of the ParseAmount and ParsePercent tables: either want or code.
type parseCase struct {
	in   string
	lang string // "" runs the row in both languages
	want int64
	code string
}

func (c parseCase) langs() []string {
	if c.lang == "" {
		return []string{"es", "en"}
	}
	return []string{c.lang}
}

func checkParse(t *testing.T, name string, in, lang string, got int64, err error, want int64, code string) {
	t.Helper()
	if code == "" {
		if err != nil || got != want {
			t.Errorf("%s(%q, %q) = %d, %v; want %d", name, in, lang, got, err, want)
		}
		return
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Code != code || got != 0 {
		t.Errorf("%s(%q, %q) = %d, %v; want error %q", name, in, lang, got, err, code)
	}
}

func TestParseAmount(t *testing.T) {
	cases := []parseCase{
		// The examples of the API.
		{in: "12", want: 1200},
		{in: "12,5", want: 1250},
		{in: "12,50", want: 1250},
		{in: "1.234,56", want: 123456},
		{in: "1234.56", want: 123456},
		{in: "1,234.56", want: 123456},
		{in: "€ 12", want: 1200},
		{in: "12 €", want: 1200},
		{in: "12€", want: 1200},
		{in: "€12", want: 1200},
		{in: "  12  ", want: 1200},
		{in: "\t12,5\n", want: 1250},
		{in: "0", want: 0},
		{in: "0,00", want: 0},
		{in: "007", want: 700},
		{in: "0,5", want: 50},
		{in: ",5", want: 50},
		{in: ".5", want: 50},
		{in: ".05", want: 5},

		// A single separator: the language's convention first.
		{in: "1,5", lang: "es", want: 150},
		{in: "1.5", lang: "es", want: 150}, // Spanish keypad types '.'
		{in: "1.5", lang: "en", want: 150},
		{in: "1,5", lang: "en", want: 150},
		{in: "1.234", lang: "es", want: 123400}, // grouping separator before 3 digits
		{in: "1,234", lang: "en", want: 123400},
		{in: "999.000", lang: "es", want: 99900000},
		{in: "1,234", lang: "es", code: CodeTooManyDecimals}, // decimal comma in Spanish
		{in: "1.234", lang: "en", code: CodeTooManyDecimals},
		{in: "0.123", lang: "es", code: CodeTooManyDecimals}, // "0" cannot lead a group
		{in: "01.234", lang: "es", code: CodeTooManyDecimals},
		{in: "1234.567", lang: "es", code: CodeTooManyDecimals}, // 4 digits cannot lead a group
		{in: "1,2345", lang: "en", code: CodeTooManyDecimals},

		// Repeated separators group; with both, the last is decimal.
		{in: "1.234.567", want: 123456700},
		{in: "1,234,567", want: 123456700},
		{in: "1.234.567,89", want: 123456789},
		{in: "1,234,567.89", want: 123456789},
		{in: "1.234,5", want: 123450},
		{in: "1 234", want: 123400},
		{in: "1 234 567,89", want: 123456789},
		{in: "1" + nb + "234,56", want: 123456},
		{in: "1\u202f234.56", want: 123456},

		// The output of FormatCents parses back.
		{in: "1.234,56" + nb + "€", want: 123456},
		{in: "€1,234.56", want: 123456},
		{in: "0,00" + nb + "€", want: 0},

		// Negative amounts.
		{in: "-12", want: -1200, lang: "es"},
		{in: "-0,05" + nb + "€", want: -5},
		{in: "-€0.05", want: -5},
		{in: "€-0.05", want: -5},
		{in: "- 12", want: -1200},
		{in: "\u221212", want: -1200}, // typographic minus
		{in: "-92233720368547758,08", lang: "es", want: math.MinInt64},
		{in: "-92.233.720.368.547.758,08" + nb + "€", lang: "es", want: math.MinInt64},

		// Limits.
		{in: "92233720368547758,07", lang: "es", want: math.MaxInt64},
		{in: "€92,233,720,368,547,758.07", want: math.MaxInt64},
		{in: "92233720368547758,08", lang: "es", code: CodeOutOfRange},
		{in: "92233720368547759", code: CodeOutOfRange},
		{in: "-92233720368547758,09", lang: "es", code: CodeOutOfRange},
		{in: "99999999999999999999999999", code: CodeOutOfRange},

		// Decimals.
		{in: "1,234", lang: "es", code: CodeTooManyDecimals},
		{in: "12,345", lang: "es", code: CodeTooManyDecimals},
		{in: "1.234,567", code: CodeTooManyDecimals},
		{in: "1,234.567", code: CodeTooManyDecimals},
		{in: "0,001", lang: "es", code: CodeTooManyDecimals},

		// Refused.
		{in: "", code: CodeInvalid},
		{in: "   ", code: CodeInvalid},
		{in: ".", code: CodeInvalid},
		{in: ",", code: CodeInvalid},
		{in: "€", code: CodeInvalid},
		{in: "-", code: CodeInvalid},
		{in: "-€", code: CodeInvalid},
		{in: "1.2.3", code: CodeInvalid},
		{in: "1,2,3", code: CodeInvalid},
		{in: "1.234.56", code: CodeInvalid},
		{in: "1,23.45", code: CodeInvalid},
		{in: "12.34,56", code: CodeInvalid},
		{in: "0.123.456", code: CodeInvalid},
		{in: "1.234,5,6", code: CodeInvalid},
		{in: "1,234.567.890", code: CodeInvalid},
		{in: "1 234.567,89", code: CodeInvalid},
		{in: "1..2", code: CodeInvalid},
		{in: "1,,2", code: CodeInvalid},
		{in: "1.,2", code: CodeInvalid},
		{in: "12,", code: CodeInvalid},
		{in: "12.", code: CodeInvalid},
		{in: "12 , 5", code: CodeInvalid},
		{in: "1 2", code: CodeInvalid},
		{in: "12 34", code: CodeInvalid},
		{in: "--1", code: CodeInvalid},
		{in: "-−1", code: CodeInvalid},
		{in: "+12", code: CodeInvalid},
		{in: "12-", code: CodeInvalid},
		{in: "(12)", code: CodeInvalid},
		{in: "1e3", code: CodeInvalid},
		{in: "1E3", code: CodeInvalid},
		{in: "NaN", code: CodeInvalid},
		{in: "Inf", code: CodeInvalid},
		{in: "0x10", code: CodeInvalid},
		{in: "1_000", code: CodeInvalid},
		{in: "€12€", code: CodeInvalid},
		{in: "€€12", code: CodeInvalid},
		{in: "12€€", code: CodeInvalid},
		{in: "$12", code: CodeInvalid},
		{in: "12 EUR", code: CodeInvalid},
		{in: "12%", code: CodeInvalid},
		{in: "１２", code: CodeInvalid},       // fullwidth digits
		{in: "١٢", code: CodeInvalid},       // Arabic-Indic digits
		{in: "१२", code: CodeInvalid},       // Devanagari digits
		{in: "12\u200b", code: CodeInvalid}, // zero-width space is not a space
		{in: "1\x002", code: CodeInvalid},
		{in: "\xff12", code: CodeInvalid},
		{in: "12\xff", code: CodeInvalid},

		// Very long input: linear time, sensible errors.
		{in: strings.Repeat("9", 100000), code: CodeOutOfRange},
		{in: strings.Repeat("0", 100000) + "1", want: 100},
		{in: "1" + strings.Repeat(".000", 100000), code: CodeOutOfRange},
		{in: strings.Repeat("1,", 100000), code: CodeInvalid},
		{in: strings.Repeat("-", 100000) + "1", code: CodeInvalid},
		{in: strings.Repeat(" ", 100000), code: CodeInvalid},
		{in: "1," + strings.Repeat("0", 100000), code: CodeTooManyDecimals},
	}
	for _, c := range cases {
		for _, lang := range c.langs() {
			got, err := ParseAmount(c.in, lang, true)
			checkParse(t, "ParseAmount", c.in, lang, got, err, c.want, c.code)
		}
	}
}

func TestParseAmountNegative(t *testing.T) {
	cases := []parseCase{
		{in: "-12", code: CodeNegative},
		{in: "-0,05" + nb + "€", code: CodeNegative},
		{in: "-€0.05", code: CodeNegative},
		{in: "-0", code: CodeNegative}, // a minus is refused even on zero
		{in: "-92233720368547758,08", lang: "es", code: CodeNegative},
		{in: "-abc", code: CodeInvalid}, // invalid wins over negative
		{in: "-1,234", lang: "es", code: CodeTooManyDecimals},
		{in: "12", want: 1200},
		{in: "0", want: 0},
	}
	for _, c := range cases {
		for _, lang := range c.langs() {
			got, err := ParseAmount(c.in, lang, false)
			checkParse(t, "ParseAmount", c.in, lang, got, err, c.want, c.code)
		}
	}
}

func TestFormatInt(t *testing.T) {
	cases := []struct {
		n    int64
		lang string
		want string
	}{
		{0, "es", "0"},
		{7, "es", "7"},
		{123, "es", "123"},
		{1234, "es", "1234"}, // minimumGroupingDigits=2
		{9999, "es", "9999"},
		{10000, "es", "10.000"},
		{123456, "es", "123.456"},
		{1234567, "es", "1.234.567"},
		{-1234, "es", "-1234"},
		{-12345, "es", "-12.345"},
		{math.MaxInt64, "es", "9.223.372.036.854.775.807"},
		{math.MinInt64, "es", "-9.223.372.036.854.775.808"},
		{0, "en", "0"},
		{123, "en", "123"},
		{1234, "en", "1,234"},
		{1234567, "en", "1,234,567"},
		{-1234, "en", "-1,234"},
		{math.MaxInt64, "en", "9,223,372,036,854,775,807"},
		{math.MinInt64, "en", "-9,223,372,036,854,775,808"},
		{1234567, "de", "1.234.567"},
	}
	for _, c := range cases {
		if got := FormatInt(c.n, c.lang); got != c.want {
			t.Errorf("FormatInt(%d, %q) = %q, want %q", c.n, c.lang, got, c.want)
		}
	}
}

func TestParseErrorMessage(t *testing.T) {
	for _, code := range []string{CodeInvalid, CodeTooManyDecimals, CodeOutOfRange, CodeNegative} {
		msg := (&ParseError{Code: code}).Error()
		if !strings.HasPrefix(msg, "money: ") {
			t.Errorf("ParseError{%q}.Error() = %q", code, msg)
		}
	}
}

// roundTripValues returns the boundaries, every value near zero and random values of every
// magnitude, both signs.
func roundTripValues() []int64 {
	vs := []int64{math.MinInt64, math.MinInt64 + 1, math.MaxInt64, math.MaxInt64 - 1,
		math.MaxInt64 / 100 * 100, math.MinInt64 / 100 * 100}
	for v := int64(-20000); v <= 20000; v++ {
		vs = append(vs, v)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		// A random bit length gives every number of digits a fair share.
		v := int64(r.Uint64() >> (1 + r.IntN(63)))
		if r.IntN(2) == 0 {
			v = -v
		}
		vs = append(vs, v)
	}
	return vs
}

func TestAmountRoundTrip(t *testing.T) {
	for _, v := range roundTripValues() {
		for _, lang := range []string{"es", "en"} {
			for _, s := range []string{FormatAmount(v, lang), FormatCents(v, lang)} {
				got, err := ParseAmount(s, lang, true)
				if err != nil || got != v {
					t.Fatalf("ParseAmount(%q, %q) = %d, %v; want %d", s, lang, got, err, v)
				}
			}
		}
	}
}
