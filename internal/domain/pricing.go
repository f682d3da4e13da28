package domain

import (
	"math/bits"
	"sort"
)

// Bounds of a ticket. With MaxQuantity they keep every amount of a ticket below 10^15 cents,
// so no sum or product of the pricing overflows int64 (mulDivRound works in 128 bits anyway).
const (
	MaxUnitPriceCents  = int64(100_000_000) // one million euros
	MaxVATRate         = int64(10000)       // 100 %
	MaxTicketLines     = 500
	MaxLineLabelLen    = 200
	MaxPaymentsPerSale = 20
)

// mulDivRound is a×b/d rounded half away from zero, for d > 0, computed in 128 bits so the
// product cannot overflow. The result must fit int64 (the bounds above see to it).
func mulDivRound(a, b, d int64) int64 {
	neg := (a < 0) != (b < 0)
	ua, ub := absU(a), absU(b)
	hi, lo := bits.Mul64(ua, ub)
	ud := uint64(d)
	if hi >= ud {
		panic("domain: amount out of range") // the bounds on tickets make this unreachable
	}
	q, r := bits.Div64(hi, lo, ud)
	if r >= ud-r { // r ≥ d/2: round the half away from zero
		q++
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

// LineGross is quantity × unit price (VAT included), rounded half away from zero to the cent.
func LineGross(q Quantity, unitPriceCents int64) int64 {
	return mulDivRound(int64(q), unitPriceCents, QuantityScale)
}

// Discount is amount × basis points, rounded half away from zero to the cent.
func Discount(amountCents, basisPoints int64) int64 {
	return mulDivRound(amountCents, basisPoints, 10000)
}

// VATBase is the base included in a VAT-inclusive total at a rate: total / (1 + rate),
// rounded half away from zero to the cent. The VAT is total − base, so the two add up to the
// total exactly.
func VATBase(totalCents, rateBasisPoints int64) int64 {
	return mulDivRound(totalCents, 10000, 10000+rateBasisPoints)
}

// PricedLine is a line with its amounts: gross = quantity × unit price, the discount, and
// total = gross − discount.
type PricedLine struct {
	GrossCents    int64
	DiscountCents int64
	TotalCents    int64
}

// VATLine is the VAT of one rate: the lines at that rate add up to TotalCents, which is
// BaseCents + VATCents.
type VATLine struct {
	RateBasisPoints int64
	BaseCents       int64
	VATCents        int64
	TotalCents      int64
}

// Totals are a ticket's or an invoice's amounts. Gross − Discount = Total = Σ base + Σ VAT.
type Totals struct {
	Lines         []PricedLine // in the order of the lines given
	GrossCents    int64
	DiscountCents int64
	TotalCents    int64
	VATCents      int64
	VAT           []VATLine // by rate, highest first
}

// PriceLine prices one line with a discount in basis points.
func PriceLine(q Quantity, unitPriceCents, discountBasisPoints int64) PricedLine {
	gross := LineGross(q, unitPriceCents)
	disc := Discount(gross, discountBasisPoints)
	return PricedLine{GrossCents: gross, DiscountCents: disc, TotalCents: gross - disc}
}

// SumTotals adds up priced lines (each with its VAT rate) into totals with the VAT per rate.
func SumTotals(lines []PricedLine, rates []int64) Totals {
	t := Totals{Lines: lines}
	perRate := map[int64]int64{}
	for i, l := range lines {
		t.GrossCents += l.GrossCents
		t.DiscountCents += l.DiscountCents
		t.TotalCents += l.TotalCents
		perRate[rates[i]] += l.TotalCents
	}
	for rate, total := range perRate {
		base := VATBase(total, rate)
		t.VAT = append(t.VAT, VATLine{RateBasisPoints: rate, BaseCents: base, VATCents: total - base, TotalCents: total})
		t.VATCents += total - base
	}
	sort.Slice(t.VAT, func(i, j int) bool { return t.VAT[i].RateBasisPoints > t.VAT[j].RateBasisPoints })
	return t
}
