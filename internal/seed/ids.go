package seed

import (
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/taxid"
)

// dni sets c.TaxID to a valid DNI: 8 digits and the control letter.
func (g *Generator) dni(c *domain.Customer) {
	n := 1_000_000 + g.r.IntN(79_000_000)
	from := len(g.buf)
	g.buf = append(appendPadded(g.buf, uint64(n), 8), taxid.DNILetter(n))
	g.set(&c.TaxID, from)
}

// nie sets c.TaxID to a valid NIE: X, Y or Z, 7 digits and the control letter, where the
// letter counts as 0, 1 or 2.
func (g *Generator) nie(c *domain.Customer) {
	k := 1 // Y: most NIEs issued since 2008
	switch x := g.r.Uint32N(10); {
	case x < 3:
		k = 0
	case x == 9:
		k = 2
	}
	n := g.r.IntN(10_000_000)
	from := len(g.buf)
	g.buf = append(g.buf, "XYZ"[k])
	g.buf = append(appendPadded(g.buf, uint64(n), 7), taxid.DNILetter(k*10_000_000+n))
	g.set(&c.TaxID, from)
}

// cif sets c.TaxID to a valid CIF for organisation letter org, with the province code of pl
// when given: the letter control where the rules demand it (public bodies, associations of
// some kinds, non-residents), the digit where they demand that (S.A., S.L., C.B.), and either
// otherwise.
func (g *Generator) cif(c *domain.Customer, org byte, pl *place) {
	prov := 1 + g.r.IntN(52)
	if pl != nil && len(pl.codes) > 0 {
		prov = pl.codes[0].lo / 1000
	}
	var d [7]byte
	appendPadded(d[:0], uint64(prov*100_000+g.r.IntN(100_000)), 7) // fills d in place
	digit, letter := taxid.CIFControl(org, string(d[:]))
	control := digit
	switch {
	case strings.IndexByte("NPQRSW", org) >= 0:
		control = letter
	case strings.IndexByte("ABEH", org) < 0 && g.percent(20):
		control = letter // allowed either way
	}
	from := len(g.buf)
	g.buf = append(append(append(g.buf, org), d[:]...), control)
	g.set(&c.TaxID, from)
}

// frenchVAT sets c.TaxID to a French VAT number: "FR", the key, then a SIREN whose last digit
// is a Luhn check, the key being (12 + 3 × (SIREN mod 97)) mod 97.
func (g *Generator) frenchVAT(c *domain.Customer) {
	payload := uint64(10_000_000 + g.r.IntN(90_000_000))
	siren := payload*10 + luhnCheck(payload)
	from := len(g.buf)
	g.buf = append(g.buf, "FR"...)
	g.buf = appendPadded(g.buf, (12+3*(siren%97))%97, 2)
	g.buf = appendPadded(g.buf, siren, 9)
	g.set(&c.TaxID, from)
}

// luhnCheck returns the Luhn check digit to append to payload.
func luhnCheck(payload uint64) uint64 {
	sum, double := uint64(0), true
	for ; payload > 0; payload /= 10 {
		d := payload % 10
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

// britishVAT sets c.TaxID to a British VAT number: "GB", 7 digits and 2 check digits that
// bring the weighted sum (weights 8 to 2) to a multiple of 97.
func (g *Generator) britishVAT(c *domain.Customer) {
	body := uint64(1_000_000 + g.r.IntN(9_000_000))
	sum := uint64(0)
	for k, v := uint64(2), body; k <= 8; k, v = k+1, v/10 {
		sum += k * (v % 10)
	}
	from := len(g.buf)
	g.buf = append(g.buf, "GB"...)
	g.buf = appendPadded(g.buf, body, 7)
	g.buf = appendPadded(g.buf, (97-sum%97)%97, 2)
	g.set(&c.TaxID, from)
}

// accountNumber sets c.AccountNumber to a customer sub-account of the Spanish chart of
// accounts' 430 ("Clientes"): 8 digits.
func (g *Generator) accountNumber(c *domain.Customer) {
	from := len(g.buf)
	if g.percent(50) {
		g.buf = appendPadded(append(g.buf, "4300"...), uint64(1+g.r.IntN(9_999)), 4)
	} else {
		g.buf = appendPadded(append(g.buf, "430"...), uint64(10_000+g.r.IntN(90_000)), 5)
	}
	g.set(&c.AccountNumber, from)
}

// refSpace is the number of distinct loyalty-card numbers: 11 digits after the leading "2".
const refSpace = 100_000_000_000

// refNumber maps i to a number below refSpace, bijectively on [0, refSpace): consecutive
// customers get unrelated-looking cards, and no two customers the same one.
func refNumber(i uint64) uint64 {
	x := i % refSpace
	for {
		x = permute37(x)
		if x < refSpace { // cycle-walking: a permutation of [0, 2³⁷) restricted to [0, refSpace)
			return x
		}
	}
}

// permute37 is a bijection of [0, 2³⁷): xors with right shifts and multiplications by odd
// constants modulo 2³⁷ are each invertible.
func permute37(x uint64) uint64 {
	const mask = 1<<37 - 1
	x = (x ^ 0x15deece66d) & mask
	x = (x * 0x9e3779b97f4a7c15) & mask
	x ^= x >> 19
	x = (x * 0xbf58476d1ce4e5b9) & mask
	x ^= x >> 17
	x = (x * 0x94d049bb133111eb) & mask
	x ^= x >> 18
	return x
}

// appendEAN13 appends customer i's loyalty-card barcode: an EAN-13 in the in-store range
// (first digit 2), 11 digits from refNumber(i), then the check digit.
func appendEAN13(b []byte, i int) []byte {
	var d [13]byte
	d[0] = '2'
	appendPadded(d[1:1], refNumber(uint64(i)), 11) // fills d[1:12] in place
	d[12] = eanCheck(d[:12])
	return append(b, d[:]...)
}

// eanCheck returns the EAN-13 check digit of the first 12 digits: weights 1 and 3
// alternating from the left.
func eanCheck(digits []byte) byte {
	sum := 0
	for k, ch := range digits {
		v := int(ch - '0')
		if k%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}
