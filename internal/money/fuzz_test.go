package money

import (
	"errors"
	"testing"
)

// parseFuzzSeeds are inputs near the edges of the separator rules.
var parseFuzzSeeds = []string{
	"", "12", "12,5", "12,50", "1.234,56", "1234.56", "1,234.56", "€ 12", "12 €", "12€",
	"-€0.05", "-0,05\u00a0€", "1.234", "1,234", "1 234,56", ",5", ".", ",", "1.2.3", "1,2,3",
	"--1", "1e3", "NaN", "１２", "10 %", "12.5%", "0,25", "-92233720368547758,08",
	"92233720368547758,07", "92233720368547758,08", "\xff", "1.234.567,89", "0.123",
}

func checkCode(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	switch pe.Code {
	case CodeInvalid, CodeTooManyDecimals, CodeOutOfRange, CodeNegative:
	default:
		t.Fatalf("unknown code %q", pe.Code)
	}
}

func langOf(en bool) string {
	if en {
		return "en"
	}
	return "es"
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range parseFuzzSeeds {
		f.Add(s, false, true)
		f.Add(s, true, false)
	}
	f.Fuzz(func(t *testing.T, s string, en, allowNegative bool) {
		lang := langOf(en)
		v, err := ParseAmount(s, lang, allowNegative)
		if err != nil {
			checkCode(t, err)
			if v != 0 {
				t.Fatalf("ParseAmount(%q) = %d with error %v", s, v, err)
			}
			return
		}
		if v < 0 && !allowNegative {
			t.Fatalf("ParseAmount(%q, %q, false) = %d", s, lang, v)
		}
		// Whatever was accepted formats, in both languages and both forms, to text that
		// parses back to the same cents.
		for _, l := range []string{"es", "en"} {
			for _, out := range []string{FormatAmount(v, l), FormatCents(v, l)} {
				back, err := ParseAmount(out, l, true)
				if err != nil || back != v {
					t.Fatalf("ParseAmount(%q, %q) = %d; %q -> %q -> %d, %v",
						s, lang, v, out, l, back, err)
				}
			}
		}
	})
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range parseFuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, en bool) {
		lang := langOf(en)
		v, err := ParsePercent(s, lang)
		if err != nil {
			checkCode(t, err)
			if v != 0 {
				t.Fatalf("ParsePercent(%q) = %d with error %v", s, v, err)
			}
			return
		}
		if v < 0 {
			t.Fatalf("ParsePercent(%q, %q) = %d", s, lang, v)
		}
		for _, l := range []string{"es", "en"} {
			for _, out := range []string{FormatPercentNumber(v, l), FormatPercent(v, l)} {
				back, err := ParsePercent(out, l)
				if err != nil || back != v {
					t.Fatalf("ParsePercent(%q, %q) = %d; %q -> %q -> %d, %v",
						s, lang, v, out, l, back, err)
				}
			}
		}
	})
}
