package domain

import (
	"slices"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		region string
		want   string
		ok     bool
	}{
		{"Spanish mobile", "612 34 56 78", "ES", "+34612345678", true},
		{"Spanish landline with dashes", "91-123-45-67", "ES", "+34911234567", true},
		{"Spanish with plus", "+34 612 34 56 78", "ES", "+34612345678", true},
		{"Spanish with 00 from Spain", "0034 612345678", "ES", "+34612345678", true},
		{"French trunk 0", "06 12 34 56 78", "FR", "+33612345678", true},
		{"French dotted", "06.12.34.56.78", "FR", "+33612345678", true},
		{"French international from Spain", "+33 6 12 34 56 78", "ES", "+33612345678", true},
		{"British mobile", "07911 123456", "GB", "+447911123456", true},
		{"already E.164", "+447911123456", "FR", "+447911123456", true},
		{"international without region", "+34612345678", "", "+34612345678", true},
		{"national without region", "612345678", "", "", false},
		{"French national read in Spain", "06 12 34 56 78", "ES", "", false},
		{"too short", "12", "ES", "", false},
		{"letters", "hello", "ES", "", false},
		{"empty", "", "ES", "", false},
		{"plus alone", "+", "ES", "", false},
		{"unknown country code", "+999 123 456 789", "ES", "", false},
		// Extensions are kept, as RFC 3966 writes them, in ASCII digits.
		{"extension written ext", "612345678 ext 5", "ES", "+34612345678;ext=5", true},
		{"extension written ext.", "91 234 56 78 ext. 25", "ES", "+34912345678;ext=25", true},
		{"extension written x", "+33 1 42 68 53 00 x123", "ES", "+33142685300;ext=123", true},
		{"extension as RFC 3966", "+34912345678;ext=25", "FR", "+34912345678;ext=25", true},
		{"extension with leading zeros", "912345678 ext. 007", "ES", "+34912345678;ext=007", true},
		{"extension in Arabic-Indic digits", "912345678 ext ٢٥", "ES", "+34912345678;ext=25", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizePhone(tt.raw, tt.region)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, %v", tt.raw, tt.region, got, ok, tt.want, tt.ok)
			}
			if ok {
				again, ok2 := NormalizePhone(got, tt.region)
				if again != got || !ok2 {
					t.Errorf("NormalizePhone(%q, %q) = %q, %v; want it unchanged", got, tt.region, again, ok2)
				}
			}
		})
	}
}

func TestPhoneForms(t *testing.T) {
	tests := []struct {
		name string
		e164 string
		want []string
	}{
		{"Spanish: no trunk prefix", "+34612345678", []string{"34612345678", "612345678"}},
		{"French: trunk 0 form", "+33612345678", []string{"33612345678", "612345678", "0612345678"}},
		{"GB: trunk 0 form", "+447911123456", []string{"447911123456", "7911123456", "07911123456"}},
		{"Germany: trunk 0 form", "+4930123456", []string{"4930123456", "30123456", "030123456"}},
		{"Italy: leading 0 is part of the number", "+390612345678", []string{"390612345678", "0612345678"}},
		{"three-digit country code", "+351912345678", []string{"351912345678", "912345678"}},
		// In North America the trunk prefix 1 equals the country code: the trunk form is the
		// whole number again and must not be listed twice.
		{"US: trunk prefix equals country code", "+12025550143", []string{"12025550143", "2025550143"}},
		{"unknown country code", "+999123456", []string{"999123456"}},
		{"only a country code digit", "+3", []string{"3"}},
		{"empty", "", nil},
		{"plus only", "+", nil},
		{"not E.164", "612345678", nil},
		{"extension left out", "+33612345678;ext=25", []string{"33612345678", "612345678", "0612345678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PhoneForms(tt.e164); !slices.Equal(got, tt.want) {
				t.Errorf("PhoneForms(%q) = %q, want %q", tt.e164, got, tt.want)
			}
		})
	}
}

func TestPhoneDisplay(t *testing.T) {
	for _, tc := range []struct{ in, region, want string }{
		{"+34612345678", "ES", "612 34 56 78"},
		{"+33612345678", "ES", "+33 6 12 34 56 78"},
		{"+34612345678", "FR", "+34 612 34 56 78"},
		{"", "ES", ""},
		{"garbage", "ES", "garbage"},
		{"+34912345678;ext=25", "ES", "912 34 56 78 ext. 25"},
		{"+34912345678;ext=25", "FR", "+34 912 34 56 78 ext. 25"},
	} {
		if got := PhoneDisplay(tc.in, tc.region); got != tc.want {
			t.Errorf("PhoneDisplay(%q, %q) = %q, want %q", tc.in, tc.region, got, tc.want)
		}
	}
}

// TestPhoneDisplayReadsBack: what PhoneDisplay shows, NormalizePhone reads back to the same
// stored number, extension included, so an edit form saved unchanged changes nothing.
func TestPhoneDisplayReadsBack(t *testing.T) {
	for _, stored := range []string{"+34612345678", "+34912345678;ext=25", "+33142685300;ext=123", "+12025550143;ext=9"} {
		for _, region := range []string{"ES", "FR", "US"} {
			shown := PhoneDisplay(stored, region)
			if got, ok := NormalizePhone(shown, region); !ok || got != stored {
				t.Errorf("%s shown in %s as %q reads back as %q, %v", stored, region, shown, got, ok)
			}
		}
	}
}
