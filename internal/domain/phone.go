package domain

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ExtensionMark separates a stored number from its extension, as in an RFC 3966 "tel:" URI:
// "+34912345678;ext=25".
const ExtensionMark = ";ext="

// NormalizePhone parses a phone number as typed ("612 34 56 78", "+33 6 12…", "0044…",
// "91 234 56 78 ext. 25") with region as the country to assume when no international prefix is
// given, and returns it in E.164 form, followed by ExtensionMark and the extension's digits
// when it has one. ok is false when it is not a valid number.
func NormalizePhone(raw, region string) (stored string, ok bool) {
	if region == "" {
		region = "ZZ" // unknown: only international numbers parse
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	stored = phonenumbers.Format(n, phonenumbers.E164)
	// The extension may have been typed in any script's digits; it is stored in ASCII ones.
	if ext := phonenumbers.NormalizeDigitsOnly(n.GetExtension()); ext != "" {
		stored += ExtensionMark + ext
	}
	return stored, true
}

// splitExtension splits a stored number into its E.164 part and its extension.
func splitExtension(stored string) (e164, ext string) {
	e164, ext, _ = strings.Cut(stored, ExtensionMark)
	return e164, ext
}

// PhoneForms returns the digit strings a person may type to find a stored number: the whole
// number with its country code, the national significant number, and that number with the
// country's trunk prefix where it has one ("06 12 34 56 78" in France). An extension is left
// out: the number is found by its own digits. It reads only the calling-code tables, without
// parsing, which keeps it cheap enough for bulk loads.
func PhoneForms(stored string) []string {
	e164, _ := splitExtension(stored)
	digits := strings.TrimPrefix(e164, "+")
	if digits == "" || len(digits) == len(e164) {
		return nil
	}
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc, err := strconv.Atoi(digits[:l])
		if err != nil {
			return []string{digits}
		}
		if region := phonenumbers.GetRegionCodeForCountryCode(cc); region != "ZZ" {
			nsn := digits[l:]
			forms := []string{digits, nsn}
			if trunk := phonenumbers.GetNddPrefixForRegion(region, true); trunk != "" && !strings.HasPrefix(nsn, trunk) && trunk+nsn != digits {
				forms = append(forms, trunk+nsn)
			}
			return forms
		}
	}
	return []string{digits}
}

// PhoneDisplay formats a stored number for people to read: in national form ("612 34 56 78")
// when it belongs to the shop's region, in international form ("+33 6 12 34 56 78")
// otherwise; an extension follows as " ext. 25", which NormalizePhone reads back. Anything
// that does not parse is shown as stored.
func PhoneDisplay(stored, region string) string {
	if stored == "" {
		return ""
	}
	n, err := phonenumbers.Parse(stored, "ZZ")
	if err != nil {
		return stored
	}
	if phonenumbers.GetRegionCodeForNumber(n) == region {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
