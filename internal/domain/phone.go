package domain

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone parses a phone number as typed ("612 34 56 78", "+33 6 12…", "0044…") with
// region as the country to assume when no international prefix is given, and returns it in
// E.164 form. ok is false when it is not a valid number.
func NormalizePhone(raw, region string) (e164 string, ok bool) {
	if region == "" {
		region = "ZZ" // unknown: only international numbers parse
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// PhoneForms returns the digit strings a person may type to find an E.164 number: the whole
// number with its country code, the national significant number, and that number with the
// country's trunk prefix where it has one ("06 12 34 56 78" in France). It reads only the
// calling-code tables, without parsing, which keeps it cheap enough for bulk loads.
func PhoneForms(e164 string) []string {
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

// PhoneDisplay formats an E.164 number for people to read: in national form ("612 34 56 78")
// when it belongs to the shop's region, in international form ("+33 6 12 34 56 78")
// otherwise. Anything that does not parse is shown as stored.
func PhoneDisplay(e164, region string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(n) == region {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
