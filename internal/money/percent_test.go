package money

import (
	"math"
	"testing"
)

func TestFormatPercent(t *testing.T) {
	cases := []struct {
		bp   int64
		lang string
		want string
	}{
		{1000, "es", "10" + nb + "%"},
		{1250, "es", "12,5" + nb + "%"},
		{25, "es", "0,25" + nb + "%"},
		{0, "es", "0" + nb + "%"},
		{1, "es", "0,01" + nb + "%"},
		{10, "es", "0,1" + nb + "%"},
		{2100, "es", "21" + nb + "%"},
		{10000, "es", "100" + nb + "%"},
		{123456, "es", "1234,56" + nb + "%"}, // grouped like FormatInt
		{1234567, "es", "12.345,67" + nb + "%"},
		{-1250, "es", "-12,5" + nb + "%"},
		{math.MaxInt64, "es", "92.233.720.368.547.758,07" + nb + "%"},
		{math.MinInt64, "es", "-92.233.720.368.547.758,08" + nb + "%"},
		{1000, "en", "10%"},
		{1250, "en", "12.5%"},
		{25, "en", "0.25%"},
		{0, "en", "0%"},
		{10, "en", "0.1%"},
		{123456, "en", "1,234.56%"},
		{-1250, "en", "-12.5%"},
		{math.MinInt64, "en", "-92,233,720,368,547,758.08%"},
		{1250, "it", "12,5" + nb + "%"},
	}
	for _, c := range cases {
		if got := FormatPercent(c.bp, c.lang); got != c.want {
			t.Errorf("FormatPercent(%d, %q) = %q, want %q", c.bp, c.lang, got, c.want)
		}
	}
}

func TestFormatPercentNumber(t *testing.T) {
	cases := []struct {
		bp   int64
		lang string
		want string
	}{
		{1250, "es", "12,5"},
		{1250, "en", "12.5"},
		{1000, "es", "10"},
		{25, "es", "0,25"},
		{25, "en", "0.25"},
		{0, "en", "0"},
		{1234567, "es", "12345,67"}, // never grouped, so it parses back
		{1234567, "en", "12345.67"},
		{-1250, "es", "-12,5"},
		{math.MaxInt64, "es", "92233720368547758,07"},
		{math.MinInt64, "en", "-92233720368547758.08"},
	}
	for _, c := range cases {
		if got := FormatPercentNumber(c.bp, c.lang); got != c.want {
			t.Errorf("FormatPercentNumber(%d, %q) = %q, want %q", c.bp, c.lang, got, c.want)
		}
	}
}

func TestParsePercent(t *testing.T) {
	cases := []parseCase{
		{in: "10", want: 1000},
		{in: "10 %", want: 1000},
		{in: "10%", want: 1000},
		{in: "12,5", want: 1250},
		{in: "12.5%", want: 1250},
		{in: "0,25", want: 25},
		{in: "0.25%", want: 25},
		{in: "12,5" + nb + "%", want: 1250},
		{in: " 21 % ", want: 2100},
		{in: "0", want: 0},
		{in: ",5", want: 50},
		{in: "1.000 %", lang: "es", want: 100000},
		{in: "12.345,67" + nb + "%", want: 1234567},
		{in: "1,234.56%", want: 123456},
		{in: "92233720368547758,07", lang: "es", want: math.MaxInt64},

		{in: "0,125", lang: "es", code: CodeTooManyDecimals},
		{in: "12.345", lang: "en", code: CodeTooManyDecimals},
		{in: "92233720368547758,08", lang: "es", code: CodeOutOfRange},
		{in: "-5", code: CodeNegative},
		{in: "-12,5 %", code: CodeNegative},
		{in: "\u22125", code: CodeNegative},
		{in: "-0", code: CodeNegative},
		{in: "-92233720368547758,08", lang: "es", code: CodeNegative},

		{in: "", code: CodeInvalid},
		{in: "%", code: CodeInvalid},
		{in: "%5", code: CodeInvalid},
		{in: "5%%", code: CodeInvalid},
		{in: "5 €", code: CodeInvalid},
		{in: "€5", code: CodeInvalid},
		{in: ".", code: CodeInvalid},
		{in: ",", code: CodeInvalid},
		{in: "1.2.3", code: CodeInvalid},
		{in: "1,2,3", code: CodeInvalid},
		{in: "--1", code: CodeInvalid},
		{in: "1e3", code: CodeInvalid},
		{in: "NaN", code: CodeInvalid},
		{in: "+5", code: CodeInvalid},
		{in: "５", code: CodeInvalid},
		{in: "5‰", code: CodeInvalid},
	}
	for _, c := range cases {
		for _, lang := range c.langs() {
			got, err := ParsePercent(c.in, lang)
			checkParse(t, "ParsePercent", c.in, lang, got, err, c.want, c.code)
		}
	}
}

func TestPercentRoundTrip(t *testing.T) {
	for _, v := range roundTripValues() {
		if v < 0 {
			continue // ParsePercent refuses negatives
		}
		for _, lang := range []string{"es", "en"} {
			for _, s := range []string{FormatPercentNumber(v, lang), FormatPercent(v, lang)} {
				got, err := ParsePercent(s, lang)
				if err != nil || got != v {
					t.Fatalf("ParsePercent(%q, %q) = %d, %v; want %d", s, lang, got, err, v)
				}
			}
		}
	}
}
