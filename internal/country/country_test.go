package country

import (
	"sort"
	"testing"
)

func TestCodesTable(t *testing.T) {
	if len(codes)%2 != 0 {
		t.Fatalf("codes has odd length %d", len(codes))
	}
	if count != 249 {
		t.Errorf("count = %d, want 249", count)
	}
	var list []string
	for i := 0; i < len(codes); i += 2 {
		c := codes[i : i+2]
		if c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			t.Errorf("bad code %q in table", c)
		}
		list = append(list, c)
	}
	if !sort.StringsAreSorted(list) {
		t.Error("codes is not sorted")
	}
	for i := 1; i < len(list); i++ {
		if list[i] == list[i-1] {
			t.Errorf("duplicate code %q", list[i])
		}
	}
	// Every code in the table is found by Valid (exercises the search at
	// both ends and everywhere in between).
	for _, c := range list {
		if !Valid(c) {
			t.Errorf("Valid(%q) = false for a code in the table", c)
		}
	}
}

func TestValidCountsAllPairs(t *testing.T) {
	n := 0
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			if Valid(string([]byte{a, b})) {
				n++
			}
		}
	}
	if n != 249 {
		t.Errorf("%d two-letter codes are valid, want 249", n)
	}
}

func TestValid(t *testing.T) {
	for _, c := range []string{
		"AD", "AE", "ES", "FR", "GB", "PT", "GI", "DE", "IT", "US", "MA", "AX",
		"BQ", "CW", "SS", "SX", "ZW", "AQ", "BV", "HM", "UM", "PS", "TW",
	} {
		if !Valid(c) {
			t.Errorf("Valid(%q) = false, want true", c)
		}
	}
	for _, c := range []string{
		"", "E", "ESP", "es", "Es", "eS", " ES", "ES ",
		"XK", "UK", "EU", "EL", "AA", "ZZ", "QZ", "XX", "AN", "CS", "YU", "SU", "TP", "ZR",
		"00", "E1", "É S", "\x00\x00", "ÉS",
	} {
		if Valid(c) {
			t.Errorf("Valid(%q) = true, want false", c)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"es", "ES"},
		{" fr\t", "FR"},
		{"\nGb\n", "GB"},
		{"pt", "PT"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !Valid(Normalize(" es ")) {
		t.Error(`Valid(Normalize(" es ")) = false`)
	}
}

func TestCodes(t *testing.T) {
	all := Codes()
	if len(all) != 249 {
		t.Fatalf("Codes() has %d codes, want 249", len(all))
	}
	for i, c := range all {
		if !Valid(c) || (i > 0 && all[i-1] >= c) {
			t.Fatalf("Codes()[%d] = %q: not valid or out of order", i, c)
		}
	}
}
