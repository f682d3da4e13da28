// Package taxid validates Spanish tax identification numbers (NIF): the DNI
// of Spanish citizens, the NIE of foreigners, the special K/L/M NIFs for
// persons and the CIF-style NIF of legal entities; and the format of EU VAT
// numbers (vat.go).
//
// The package is pure: no I/O, no global mutable state. Callers normally
// run input through Clean, check it for the person's country with Validate,
// and store Normalize's form, which is also the one searched for:
//
//	kind, err := taxid.Validate(taxid.Clean(userInput), country)
//	stored := taxid.Normalize(userInput)
//
// The rules follow the project's invoicing reference notes, which cite
// https://ordenacionjuego.es/gl/calculo-digito-control and python-stdnum
// (stdnum/es/*.py). Unlike python-stdnum, which accepts either form of a
// CIF control for every organisation letter, this package enforces the
// letter/digit form per organisation type (see CIFControl).
package taxid

import (
	"errors"
	"strings"
	"unicode"
)

// Kind tells which family of Spanish tax id a valid id belongs to.
type Kind string

// The kinds of id recognised by ValidateSpanish.
const (
	// DNI is a Spanish citizen's id: 8 digits and a control letter.
	DNI Kind = "dni"
	// NIE is a foreigner's id: X, Y or Z, 7 digits and a control letter.
	NIE Kind = "nie"
	// NIFSpecial is a special NIF for persons: K, L or M, 7 digits and a
	// control letter.
	NIFSpecial Kind = "nif_klm"
	// CIF is a legal entity's id: an organisation letter, 7 digits and a
	// control digit or letter.
	CIF Kind = "cif"
)

// Errors returned by ValidateSpanish. Callers should compare with
// errors.Is.
var (
	// ErrFormat means the input does not have the shape of any Spanish
	// id (wrong length, wrong leading letter, non-digits in the body, a
	// control position that is not an ASCII upper-case letter or digit).
	ErrFormat = errors.New("taxid: not a Spanish NIF/NIE/CIF")
	// ErrControl means the input has the right shape but its last
	// (control) character is not the one the checksum requires.
	ErrControl = errors.New("taxid: control character does not match")
)

// dniLetters is the DNI control alphabet, indexed by number mod 23.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// cifLetters is the letter form of the CIF control, indexed by digit D.
const cifLetters = "JABCDEFGHI"

// cifOrgLetters are the organisation letters a CIF may start with.
const cifOrgLetters = "ABCDEFGHJNPQRSUVW"

// idLen is the length of every normalised Spanish id.
const idLen = 9

// Clean upper-cases s and drops spaces (any Unicode white space), hyphens, dots and slashes:
// the form in which ids are compared and checked. It never fails: input that is not an id
// comes back cleaned but otherwise unchanged (invalid UTF-8 bytes become U+FFFD).
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '-' || r == '.' || r == '/' || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// Normalize is Clean, then drops a leading "ES" country prefix when what follows is a
// plausible Spanish id, i.e. exactly 9 ASCII letters or digits: a Spanish VAT number is
// stored and searched as its NIF. Other EU VAT numbers keep their prefix ("FR40303265045").
// Normalize is idempotent: Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	out := Clean(s)
	// Strip the VAT-style country prefix, but only when the rest looks like
	// an id. The result then has 9 characters, so a second pass never
	// strips again (it needs 11), which keeps Normalize idempotent.
	if len(out) == 2+idLen && strings.HasPrefix(out, "ES") && isAlnum(out[2:]) {
		out = out[2:]
	}
	return out
}

// Other is the kind of a tax id that Validate takes as it is: one of a country where no
// format is checked.
const Other Kind = "other"

// Validate checks a cleaned tax id (see Clean) of someone whose country is country (an ISO
// 3166-1 alpha-2 code):
//   - in an EU member state, an id that starts with an EU VAT prefix is an EU VAT number,
//     checked by ValidateVAT (so a Spanish shop's French customer may give "FR…");
//   - otherwise, in Spain, it must be a NIF, NIE or CIF (ValidateSpanish);
//   - anywhere else it is free: ASCII letters and digits, of kind Other, or ErrFormat.
func Validate(id, country string) (Kind, error) {
	if InEU(country) && VATPrefix(id) != "" {
		return ValidateVAT(id)
	}
	if country == "ES" {
		return ValidateSpanish(id)
	}
	if id == "" || !isAlnum(id) {
		return "", ErrFormat
	}
	return Other, nil
}

// ForPersons reports whether a Spanish id of kind k belongs to a natural person: a DNI, a NIE
// or a K, L or M NIF. A CIF belongs to a legal person; other kinds to either.
func (k Kind) ForPersons() bool { return k == DNI || k == NIE || k == NIFSpecial }

// ValidateSpanish checks an already-normalised id (see Normalize) and
// reports which kind it is. It does not normalise: lower-case letters,
// separators or a country prefix make it return ErrFormat.
//
// The shape is 9 ASCII characters: a leading digit (DNI), X/Y/Z (NIE),
// K/L/M (special NIF) or a CIF organisation letter, then 7 digits (8 for a
// DNI counting the leading one), then a control character in [0-9A-Z].
// Any other shape yields ErrFormat; a right shape with a wrong control
// character yields ErrControl.
func ValidateSpanish(id string) (Kind, error) {
	if len(id) != idLen || !isDigits(id[1:idLen-1]) || !isUpperAlnum(id[idLen-1]) {
		return "", ErrFormat
	}
	first, body, control := id[0], id[1:idLen-1], id[idLen-1]
	switch {
	case isDigit(first):
		return checkDNI(DNI, atoi(id[:idLen-1]), control)
	case first == 'X' || first == 'Y' || first == 'Z':
		prefix := int(first-'X') * 10_000_000
		return checkDNI(NIE, prefix+atoi(body), control)
	case first == 'K' || first == 'L' || first == 'M':
		return checkDNI(NIFSpecial, atoi(body), control)
	case strings.IndexByte(cifOrgLetters, first) >= 0:
		digit, letter := CIFControl(first, body)
		ok := false
		switch cifForm(first, body) {
		case formLetter:
			ok = control == letter
		case formDigit:
			ok = control == digit
		default:
			ok = control == letter || control == digit
		}
		if !ok {
			return "", ErrControl
		}
		return CIF, nil
	default:
		return "", ErrFormat
	}
}

// checkDNI applies the DNI rule: control must equal DNILetter(n).
func checkDNI(kind Kind, n int, control byte) (Kind, error) {
	if control != DNILetter(n) {
		return "", ErrControl
	}
	return kind, nil
}

// DNILetter returns the DNI control letter for n, that is
// "TRWAGMYFPDXBNJZSQVHLCKE"[n mod 23]. It is also the control letter of a
// NIE (after replacing X, Y, Z by 0, 1, 2) and of a K/L/M NIF (over its 7
// digits). A negative n is reduced to the non-negative residue, so the
// function never panics.
func DNILetter(n int) byte {
	m := n % len(dniLetters)
	if m < 0 {
		m += len(dniLetters)
	}
	return dniLetters[m]
}

// CIFControl returns both forms of the control character of a CIF whose
// organisation letter is org and whose 7 central digits are digits7: the
// digit D and the letter "JABCDEFGHI"[D], where, over the 7 digits,
// A is the sum of the digits in (1-based) positions 2, 4, 6, B is the sum,
// for positions 1, 3, 5, 7, of the digits of twice the digit, and
// D = (10 - (A+B) mod 10) mod 10.
//
// The checksum does not depend on org; it is taken so that callers cannot
// mistake a non-CIF id for a CIF: if org is not one of the CIF organisation
// letters (ABCDEFGHJNPQRSUVW) or digits7 is not exactly 7 ASCII digits,
// CIFControl returns (0, 0). Which of the two forms a given CIF must use is
// checked by ValidateSpanish: P, Q, R, S, W, N and any CIF whose province
// code (first two digits) is "00" take the letter; A, B, E, H take the
// digit; the others accept either.
func CIFControl(org byte, digits7 string) (digit, letter byte) {
	if strings.IndexByte(cifOrgLetters, org) < 0 || len(digits7) != 7 || !isDigits(digits7) {
		return 0, 0
	}
	sum := 0
	for i := 0; i < 7; i++ {
		d := int(digits7[i] - '0')
		if i%2 == 0 { // positions 1, 3, 5, 7
			d *= 2
			d = d/10 + d%10
		}
		sum += d
	}
	d := (10 - sum%10) % 10
	return byte('0' + d), cifLetters[d]
}

// cifControlForm says which form(s) of control a CIF may use.
type cifControlForm int

const (
	formEither cifControlForm = iota
	formLetter
	formDigit
)

// cifForm returns the control form required for organisation letter org
// and 7-digit body digits7. Province code "00" (non-resident entities)
// takes precedence: an A/B/E/H CIF with province 00 must use the letter.
func cifForm(org byte, digits7 string) cifControlForm {
	switch {
	case strings.IndexByte("PQRSWN", org) >= 0 || strings.HasPrefix(digits7, "00"):
		return formLetter
	case strings.IndexByte("ABEH", org) >= 0:
		return formDigit
	default:
		return formEither
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUpperAlnum(c byte) bool { return isDigit(c) || (c >= 'A' && c <= 'Z') }

// isDigits reports whether s is non-empty and made only of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isAlnum reports whether s is made only of ASCII upper-case letters and
// digits (Normalize has already upper-cased it).
func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpperAlnum(s[i]) {
			return false
		}
	}
	return true
}

// atoi converts a string of ASCII digits (checked by the caller, at most 8
// of them) to an int.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
