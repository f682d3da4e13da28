package taxid

import (
	"errors"
	"testing"
)

func TestValidateVAT(t *testing.T) {
	tests := []struct {
		id      string
		want    Kind
		wantErr error
	}{
		// One number of each shape VIES lists, and a near miss.
		{"ATU12345678", VAT, nil},
		{"AT12345678", "", ErrVATFormat}, // the U is part of the number
		{"BE0123456789", VAT, nil},
		{"BE1123456789", VAT, nil},
		{"BE123456789", "", ErrVATFormat}, // 9 digits: the leading 0 is required
		{"BE2123456789", "", ErrVATFormat},
		{"BG123456789", VAT, nil},
		{"BG1234567890", VAT, nil},
		{"CY12345678L", VAT, nil},
		{"CY123456789", "", ErrVATFormat},
		{"CZ12345678", VAT, nil},
		{"CZ1234567890", VAT, nil},
		{"CZ1234567", "", ErrVATFormat},
		{"DE123456789", VAT, nil},
		{"DE12345678", "", ErrVATFormat},
		{"DE12345678A", "", ErrVATFormat},
		{"DK12345678", VAT, nil},
		{"EE123456789", VAT, nil},
		{"EL123456789", VAT, nil},
		{"FI12345678", VAT, nil},
		{"FR40303265045", VAT, nil},
		{"FRK7399859412", VAT, nil},
		{"FR4030326504", "", ErrVATFormat},
		{"HR12345678901", VAT, nil},
		{"HU12345678", VAT, nil},
		{"IE6388047V", VAT, nil},
		{"IE8Z49289F", VAT, nil},
		{"IE3628739UA", VAT, nil},
		{"IE6388047", "", ErrVATFormat},
		{"IT12345678901", VAT, nil},
		{"LT123456789", VAT, nil},
		{"LT123456789012", VAT, nil},
		{"LT1234567890", "", ErrVATFormat},
		{"LU12345678", VAT, nil},
		{"LV12345678901", VAT, nil},
		{"MT12345678", VAT, nil},
		{"NL123456789B01", VAT, nil},
		{"NL123456789A01", "", ErrVATFormat},
		{"PL1234567890", VAT, nil},
		{"PT123456789", VAT, nil},
		{"RO12", VAT, nil},
		{"RO1234567890", VAT, nil},
		{"RO1", "", ErrVATFormat},
		{"RO12345678901", "", ErrVATFormat},
		{"SE123456789001", VAT, nil},
		{"SI12345678", VAT, nil},
		{"SK1234567890", VAT, nil},
		{"XI123456789", VAT, nil},
		{"XIGD123", VAT, nil},
		{"XIHA123", VAT, nil},
		{"XIHB123", "", ErrVATFormat},
		// Spain: the NIF after the prefix, with its control character checked.
		{"ES12345678Z", DNI, nil},
		{"ESX2482300W", NIE, nil},
		{"ESB58378431", CIF, nil},
		{"ES12345678A", "", ErrControl},
		{"ES1234", "", ErrFormat},
		// Not an EU prefix: Greece is EL, the United Kingdom left.
		{"GR123456789", "", ErrFormat},
		{"GB123456789", "", ErrFormat},
		{"FR", "", ErrFormat},
	}
	for _, tt := range tests {
		kind, err := ValidateVAT(tt.id)
		if kind != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("ValidateVAT(%q) = %q, %v; want %q, %v", tt.id, kind, err, tt.want, tt.wantErr)
		}
	}
}

// TestVATExamplesFit: the example shown to people fits its own format.
func TestVATExamplesFit(t *testing.T) {
	for _, prefix := range []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR",
		"HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"} {
		ex := VATExample(prefix)
		if ex[:2] != prefix {
			t.Errorf("%s: example %q has another prefix", prefix, ex)
		}
		if _, err := ValidateVAT(ex); err != nil {
			t.Errorf("%s: example %q does not validate: %v", prefix, ex, err)
		}
	}
	if VATExample("US") != "" {
		t.Error("an example for a country outside the EU")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		id, country string
		want        Kind
		wantErr     error
	}{
		// Spain: a NIF, or an EU VAT number.
		{"12345678Z", "ES", DNI, nil},
		{"B58378431", "ES", CIF, nil},
		{"ESB58378431", "ES", CIF, nil},
		{"FR40303265045", "ES", VAT, nil},
		{"DE12345678", "ES", "", ErrVATFormat},
		{"HELLO", "ES", "", ErrFormat},
		{"GB123456789", "ES", "", ErrFormat}, // not EU: no VAT number, not a NIF
		// Another EU country: VAT numbers are checked, anything else is free.
		{"FR40303265045", "FR", VAT, nil},
		{"FR403032650", "FR", "", ErrVATFormat},
		{"ES12345678Z", "FR", DNI, nil},
		{"ES12345678A", "FR", "", ErrControl},
		{"30326504500017", "FR", Other, nil}, // a SIRET
		{"12345678A", "FR", Other, nil},      // not a Spanish id there
		// Outside the EU: free, even with what looks like an EU prefix.
		{"ATCD561231GR8", "MX", Other, nil},
		{"GB123456789", "GB", Other, nil},
		{"FR12", "", Other, nil},
		// Free ids are still letters and digits.
		{"AB+12", "FR", "", ErrFormat},
		{"", "FR", "", ErrFormat},
	}
	for _, tt := range tests {
		kind, err := Validate(tt.id, tt.country)
		if kind != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("Validate(%q, %q) = %q, %v; want %q, %v", tt.id, tt.country, kind, err, tt.want, tt.wantErr)
		}
	}
}

func TestKindForPersons(t *testing.T) {
	for kind, want := range map[Kind]bool{DNI: true, NIE: true, NIFSpecial: true, CIF: false, VAT: false, Other: false} {
		if got := kind.ForPersons(); got != want {
			t.Errorf("%s.ForPersons() = %v, want %v", kind, got, want)
		}
	}
}

// TestCleanKeepsThePrefix: Clean is Normalize without dropping "ES", so that a Spanish VAT
// number is still told from a bare NIF; Normalize keeps its contract.
func TestCleanKeepsThePrefix(t *testing.T) {
	for in, want := range map[string][2]string{
		"es b58.378.431":    {"ESB58378431", "B58378431"},
		"fr 40 303 265 045": {"FR40303265045", "FR40303265045"},
		" 12345678-z ":      {"12345678Z", "12345678Z"},
	} {
		if got := Clean(in); got != want[0] {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want[0])
		}
		if got := Normalize(in); got != want[1] {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want[1])
		}
		if Normalize(Clean(in)) != Normalize(in) {
			t.Errorf("Normalize(Clean(%q)) differs from Normalize", in)
		}
	}
}
