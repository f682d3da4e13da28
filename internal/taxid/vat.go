package taxid

import "errors"

// VAT is the kind of an EU VAT number of a country other than Spain (a Spanish one, "ES" and
// a NIF, is reported as the NIF's own kind).
const VAT Kind = "vat"

// ErrVATFormat means an EU VAT number (a known country prefix) whose number does not have
// that country's format.
var ErrVATFormat = errors.New("taxid: not in the country's VAT number format")

// vatFormat is one country's VAT number format, after its two-letter prefix. Each pattern
// spells one accepted shape: '9' is a digit, 'a' a letter, 'x' a letter or a digit, and an
// upper-case letter is itself. Example is shown to people who typed a number that fits none.
type vatFormat struct {
	patterns []string
	example  string
}

// formatOf returns the VAT number format (as VIES lists them) of the EU member state whose VAT
// prefix is prefix, or the zero format. Greece uses "EL", not its ISO code; "XI" is Northern
// Ireland. Only the shape is checked, not each country's check digits (the Spanish NIF's are,
// by ValidateSpanish). Old Irish numbers with "+" or "*" in second place are left out, so that
// a stored tax id stays letters and digits. A Belgian number has 10 digits ("0" first).
func formatOf(prefix string) vatFormat {
	switch prefix {
	case "AT":
		return vatFormat{[]string{"U99999999"}, "ATU12345678"}
	case "BE":
		return vatFormat{[]string{"0999999999", "1999999999"}, "BE0123456789"}
	case "BG":
		return vatFormat{[]string{"999999999", "9999999999"}, "BG123456789"}
	case "CY":
		return vatFormat{[]string{"99999999a"}, "CY12345678X"}
	case "CZ":
		return vatFormat{[]string{"99999999", "999999999", "9999999999"}, "CZ12345678"}
	case "DE":
		return vatFormat{[]string{"999999999"}, "DE123456789"}
	case "DK":
		return vatFormat{[]string{"99999999"}, "DK12345678"}
	case "EE":
		return vatFormat{[]string{"999999999"}, "EE123456789"}
	case "EL":
		return vatFormat{[]string{"999999999"}, "EL123456789"}
	case "FI":
		return vatFormat{[]string{"99999999"}, "FI12345678"}
	case "FR":
		return vatFormat{[]string{"xx999999999"}, "FR12345678901"}
	case "HR":
		return vatFormat{[]string{"99999999999"}, "HR12345678901"}
	case "HU":
		return vatFormat{[]string{"99999999"}, "HU12345678"}
	case "IE":
		return vatFormat{[]string{"9999999a", "9a99999a", "9999999aa"}, "IE1234567X"}
	case "IT":
		return vatFormat{[]string{"99999999999"}, "IT12345678901"}
	case "LT":
		return vatFormat{[]string{"999999999", "999999999999"}, "LT123456789"}
	case "LU":
		return vatFormat{[]string{"99999999"}, "LU12345678"}
	case "LV":
		return vatFormat{[]string{"99999999999"}, "LV12345678901"}
	case "MT":
		return vatFormat{[]string{"99999999"}, "MT12345678"}
	case "NL":
		return vatFormat{[]string{"999999999B99"}, "NL123456789B01"}
	case "PL":
		return vatFormat{[]string{"9999999999"}, "PL1234567890"}
	case "PT":
		return vatFormat{[]string{"999999999"}, "PT123456789"}
	case "RO":
		return vatFormat{[]string{"99", "999", "9999", "99999", "999999", "9999999", "99999999", "999999999", "9999999999"}, "RO12345678"}
	case "SE":
		return vatFormat{[]string{"999999999999"}, "SE123456789001"}
	case "SI":
		return vatFormat{[]string{"99999999"}, "SI12345678"}
	case "SK":
		return vatFormat{[]string{"9999999999"}, "SK1234567890"}
	case "XI":
		return vatFormat{[]string{"999999999", "999999999999", "GD999", "HA999"}, "XI123456789"}
	}
	return vatFormat{}
}

// InEU reports whether country (an ISO 3166-1 alpha-2 code) is an EU member state: customers
// whose address is in one of them may give an EU VAT number.
func InEU(country string) bool {
	switch country {
	case "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
		"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK":
		return true
	}
	return false
}

// VATPrefix returns the EU VAT country prefix id starts with ("FR", "EL", "ES"), or "" when
// it starts with none. id is a cleaned id (see Clean). No Spanish NIF starts with two letters,
// so a prefix is never mistaken for the start of one.
func VATPrefix(id string) string {
	if len(id) < 3 {
		return ""
	}
	if p := id[:2]; p == "ES" || formatOf(p).example != "" {
		return p
	}
	return ""
}

// VATExample returns an example number of the country whose VAT prefix is prefix, to show
// what the format looks like; "" for an unknown prefix.
func VATExample(prefix string) string {
	if prefix == "ES" {
		return "ESB12345674"
	}
	return formatOf(prefix).example
}

// ValidateVAT checks a cleaned EU VAT number (prefix and number, see Clean). A Spanish one is
// "ES" and a NIF, checked by ValidateSpanish, whose kind and errors it returns. Any other
// returns VAT, or ErrVATFormat when the number does not fit its country's format, or
// ErrFormat when the prefix is not an EU one.
func ValidateVAT(id string) (Kind, error) {
	prefix := VATPrefix(id)
	switch prefix {
	case "":
		return "", ErrFormat
	case "ES":
		return ValidateSpanish(id[2:])
	}
	number := id[2:]
	for _, pattern := range formatOf(prefix).patterns {
		if fits(number, pattern) {
			return VAT, nil
		}
	}
	return "", ErrVATFormat
}

// fits reports whether s has the shape of pattern (see vatFormat).
func fits(s, pattern string) bool {
	if len(s) != len(pattern) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch pattern[i] {
		case '9':
			if !isDigit(c) {
				return false
			}
		case 'a':
			if c < 'A' || c > 'Z' {
				return false
			}
		case 'x':
			if !isUpperAlnum(c) {
				return false
			}
		default:
			if c != pattern[i] {
				return false
			}
		}
	}
	return true
}
