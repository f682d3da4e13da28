package domain

import (
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseQuantity(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Quantity
		code string
	}{
		{"1", 1000, ""},
		{"0.35", 350, ""},
		{"0.350", 350, ""},
		{"0.3500000", 350, ""},
		{"2.125", 2125, ""},
		{"1234e-3", 1234, ""},
		{"1.5e2", 150000, ""},
		{"1E+1", 10000, ""},
		{"0", 0, ""},
		{"-0", 0, ""},
		{"0e999999999999", 0, ""},
		{"-2.5", -2500, ""},
		{"1000000", MaxQuantity, ""},
		{"1000000.001", 0, FieldOutOfRange},
		{"1e7", 0, FieldOutOfRange},
		{"1e999999999999999", 0, FieldOutOfRange},
		{"99999999999999999999999", 0, FieldOutOfRange},
		{"0.0001", 0, FieldTooManyDecimals},
		{"1.2345", 0, FieldTooManyDecimals},
		{"1e-4", 0, FieldTooManyDecimals},
		{"1e-999999999999", 0, FieldTooManyDecimals},
		{"0.1e-2", 1, ""},
		{"0.1e-3", 0, FieldTooManyDecimals},
		{"", 0, FieldWrongType},
		{"01", 0, FieldWrongType},
		{"1.", 0, FieldWrongType},
		{".5", 0, FieldWrongType},
		{"+1", 0, FieldWrongType},
		{"1e", 0, FieldWrongType},
		{"1e+", 0, FieldWrongType},
		{"0x10", 0, FieldWrongType},
		{`"1"`, 0, FieldWrongType},
		{"1 ", 0, FieldWrongType},
		{"NaN", 0, FieldWrongType},
	} {
		got, code := ParseQuantity(tc.text)
		if got != tc.want || code != tc.code {
			t.Errorf("ParseQuantity(%q) = %d %q, want %d %q", tc.text, got, code, tc.want, tc.code)
		}
	}
}

func TestQuantityString(t *testing.T) {
	for q, want := range map[Quantity]string{0: "0", 1000: "1", 350: "0.35", 1: "0.001", -2500: "-2.5", 1_000_000_000: "1000000", 1010: "1.01"} {
		if got := q.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", q, got, want)
		}
	}
}

// exactThousandths is the reference reading of a JSON number: big.Rat, exact by construction.
func exactThousandths(text string) (*big.Rat, bool) {
	if !json.Valid([]byte(text)) || strings.ContainsAny(text, "\"tfn[{") {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, true // a number big.Rat refuses (an exponent past its limit): nil, not judged
	}
	return r.Mul(r, big.NewRat(QuantityScale, 1)), true
}

// FuzzParseQuantity checks ParseQuantity against big.Rat on any text: a JSON number is read to
// its exact value or refused for the right reason, anything else refused as the wrong type.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"1", "0.350", "1e-3", "1.5E+2", "-0.001", "1000000", "1e7", "0.0001", "123456789012345678901234567890e-27", "1.", "--1", "1e-99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 64 {
			return // big.Rat on a huge exponent is slow; ParseQuantity is not
		}
		q, code := ParseQuantity(text)
		want, isNumber := exactThousandths(text)
		if !isNumber {
			if code != FieldWrongType {
				t.Fatalf("ParseQuantity(%q) = %d %q, want wrong_type", text, q, code)
			}
			return
		}
		if want == nil {
			if code == "" && q != 0 { // only zero has a value whatever its exponent
				t.Fatalf("ParseQuantity(%q) = %d, a value for a number with a huge exponent", text, q)
			}
			return
		}
		switch {
		case !want.IsInt():
			if code != FieldTooManyDecimals {
				t.Fatalf("ParseQuantity(%q) = %d %q, want too_many_decimals", text, q, code)
			}
		case new(big.Int).Abs(want.Num()).Cmp(big.NewInt(int64(MaxQuantity))) > 0:
			if code != FieldOutOfRange {
				t.Fatalf("ParseQuantity(%q) = %d %q, want out_of_range", text, q, code)
			}
		default:
			if code != "" || big.NewInt(int64(q)).Cmp(want.Num()) != 0 {
				t.Fatalf("ParseQuantity(%q) = %d %q, want %s", text, q, code, want.Num())
			}
			if back, c := ParseQuantity(q.String()); back != q || c != "" {
				t.Fatalf("%q → %d → %q → %d", text, q, q.String(), back)
			}
		}
	})
}

func TestRounding(t *testing.T) {
	for _, tc := range []struct {
		q           Quantity
		price, disc int64
		gross, d    int64
	}{
		{1000, 1000, 1000, 1000, 100},
		{350, 1299, 0, 455, 0},  // 454.65 → 455
		{1500, 1, 0, 2, 0},      // 1.5 → 2, half away from zero
		{500, 1, 0, 1, 0},       // 0.5 → 1
		{1000, 15, 1000, 15, 2}, // discount 1.5 → 2
		{1000, 25, 1000, 25, 3}, // 2.5 → 3
		{1000, 14, 1000, 14, 1}, // 1.4 → 1
		{-1500, 1, 0, -2, 0},    // negatives round away from zero too
		{MaxQuantity, MaxUnitPriceCents, 10000, int64(MaxQuantity) / 1000 * MaxUnitPriceCents, int64(MaxQuantity) / 1000 * MaxUnitPriceCents},
	} {
		l := PriceLine(tc.q, tc.price, tc.disc)
		if l.GrossCents != tc.gross || l.DiscountCents != tc.d || l.TotalCents != tc.gross-tc.d {
			t.Errorf("PriceLine(%d, %d, %d) = %+v, want gross %d discount %d", tc.q, tc.price, tc.disc, l, tc.gross, tc.d)
		}
	}
	for _, tc := range []struct{ total, rate, base int64 }{
		{121, 2100, 100}, {100, 2100, 83}, {1, 2100, 1}, {-121, 2100, -100}, {-100, 2100, -83}, {500, 0, 500}, {1050, 1000, 955}, {104, 400, 100},
		{605, 2100, 500}, // 500.0
		{1815, 2100, 1500},
	} {
		if got := VATBase(tc.total, tc.rate); got != tc.base {
			t.Errorf("VATBase(%d, %d) = %d, want %d", tc.total, tc.rate, got, tc.base)
		}
	}
}

// TestTicketsReconcile: random tickets (lines, rates, quantities, discounts) add up to the
// cent: Σ gross − Σ discount = total = Σ base + Σ VAT, and each amount is the rounding of its
// exact value, checked with big.Rat.
func TestTicketsReconcile(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2026))
	rates := []int64{2100, 1000, 400, 0, 550, 2000}
	for n := 0; n < 20000; n++ {
		tk := Ticket{}
		if rng.IntN(3) > 0 {
			tk.Customer = &TicketCustomer{ID: "c", DiscountBasisPoints: rng.Int64N(MaxDiscountBasisPoints + 1)}
		}
		for i := rng.IntN(30); i >= 0; i-- {
			q := Quantity(1 + rng.Int64N(20000))
			if rng.IntN(10) == 0 {
				q = Quantity(1 + rng.Int64N(int64(MaxQuantity)))
			}
			price := rng.Int64N(100000)
			if rng.IntN(20) == 0 {
				price = rng.Int64N(MaxUnitPriceCents + 1)
			}
			tk.Lines = append(tk.Lines, TicketLine{Quantity: q, UnitPriceCents: price, VATRateBasisPoints: rates[rng.IntN(len(rates))]})
		}
		tot := tk.Totals()
		var gross, disc, lines, bases, vat int64
		for i, l := range tot.Lines {
			src := tk.Lines[i]
			exact := new(big.Rat).SetFrac64(int64(src.Quantity)*1, 1000)
			exact.Mul(exact, new(big.Rat).SetInt64(src.UnitPriceCents))
			if want := roundRat(exact); l.GrossCents != want {
				t.Fatalf("line %+v: gross %d, want %d", src, l.GrossCents, want)
			}
			d := new(big.Rat).Mul(new(big.Rat).SetInt64(l.GrossCents), big.NewRat(tk.DiscountBasisPoints(), 10000))
			if want := roundRat(d); l.DiscountCents != want {
				t.Fatalf("line %+v: discount %d, want %d", src, l.DiscountCents, want)
			}
			if l.TotalCents != l.GrossCents-l.DiscountCents {
				t.Fatalf("line total %d ≠ %d − %d", l.TotalCents, l.GrossCents, l.DiscountCents)
			}
			gross, disc, lines = gross+l.GrossCents, disc+l.DiscountCents, lines+l.TotalCents
		}
		for _, v := range tot.VAT {
			b := new(big.Rat).Mul(new(big.Rat).SetInt64(v.TotalCents), big.NewRat(10000, 10000+v.RateBasisPoints))
			if want := roundRat(b); v.BaseCents != want {
				t.Fatalf("rate %d total %d: base %d, want %d", v.RateBasisPoints, v.TotalCents, v.BaseCents, want)
			}
			if v.BaseCents+v.VATCents != v.TotalCents {
				t.Fatalf("rate %d: %d + %d ≠ %d", v.RateBasisPoints, v.BaseCents, v.VATCents, v.TotalCents)
			}
			bases, vat = bases+v.BaseCents, vat+v.VATCents
		}
		if gross != tot.GrossCents || disc != tot.DiscountCents || lines != tot.TotalCents ||
			gross-disc != tot.TotalCents || bases+vat != tot.TotalCents || vat != tot.VATCents {
			t.Fatalf("ticket does not reconcile: lines %d gross %d discount %d total %d bases %d vat %d (%+v)", lines, gross, disc, tot.TotalCents, bases, vat, tot)
		}
	}
}

// roundRat rounds half away from zero.
func roundRat(r *big.Rat) int64 {
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

func TestSettle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		due     int64
		tenders []Tender
		change  int64
		applied []int64
		field   string
	}{
		{"exact cash", 1000, []Tender{{TenderCash, 1000}}, 0, []int64{1000}, ""},
		{"cash with change", 1234, []Tender{{TenderCash, 2000}}, 766, []int64{1234}, ""},
		{"card exact", 1234, []Tender{{TenderCard, 1234}}, 0, []int64{1234}, ""},
		{"split", 1000, []Tender{{TenderCard, 600}, {TenderCash, 500}}, 100, []int64{600, 400}, ""},
		{"change from the last cash", 1000, []Tender{{TenderCash, 500}, {TenderCard, 200}, {TenderCash, 500}}, 200, []int64{500, 200, 300}, ""},
		{"change over two cash tenders", 100, []Tender{{TenderCash, 500}, {TenderCash, 50}}, 450, []int64{100, 0}, ""},
		{"zero due, nothing paid", 0, nil, 0, []int64{}, ""},
		{"short", 1000, []Tender{{TenderCash, 999}}, 0, nil, "payments:" + FieldPaymentShort},
		{"none", 1000, nil, 0, nil, "payments:" + FieldPaymentShort},
		{"card over", 1000, []Tender{{TenderCard, 1001}}, 0, nil, "payments:" + FieldPaymentExceeds},
		{"cards over", 1000, []Tender{{TenderCard, 600}, {TenderCard, 600}}, 0, nil, "payments:" + FieldPaymentExceeds},
		{"zero amount", 1000, []Tender{{TenderCash, 0}}, 0, nil, "payments[0].amount_cents:" + FieldOutOfRange},
		{"negative", 1000, []Tender{{TenderCash, 2000}, {TenderCard, -5}}, 0, nil, "payments[1].amount_cents:" + FieldOutOfRange},
		{"unknown method", 1000, []Tender{{"cheque", 1000}}, 0, nil, "payments[0].method:" + FieldInvalid},
	} {
		pays, change, err := Settle(tc.due, tc.tenders)
		if tc.field != "" {
			var e *Error
			if !asError(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field+":"+e.Fields[0].Code != tc.field {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.field)
			}
			continue
		}
		if err != nil || change != tc.change || len(pays) != len(tc.applied) {
			t.Errorf("%s: %v %d %v", tc.name, err, change, pays)
			continue
		}
		var sum int64
		for i, p := range pays {
			if p.AmountCents != tc.applied[i] || p.TenderedCents != tc.tenders[i].AmountCents {
				t.Errorf("%s: payment %d %+v, want applied %d", tc.name, i, p, tc.applied[i])
			}
			sum += p.AmountCents
		}
		if sum != tc.due {
			t.Errorf("%s: payments apply %d, due %d", tc.name, sum, tc.due)
		}
	}
}

// TestReturnsNeverExceedTheLine: however a line is returned in parts, the parts add up to the
// line exactly when all is returned, and never to more.
func TestReturnsNeverExceedTheLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for n := 0; n < 5000; n++ {
		q := Quantity(1 + rng.Int64N(5000))
		pl := PriceLine(q, rng.Int64N(10000), rng.Int64N(5000))
		orig := InvoiceLine{Position: 1, Quantity: q, GrossCents: pl.GrossCents, DiscountCents: pl.DiscountCents, TotalCents: pl.TotalCents}
		var returned Quantity
		var gross, disc, total int64
		for returned < q {
			part := Quantity(1 + rng.Int64N(int64(q-returned)))
			r := ReturnedLine(&orig, returned, part)
			returned += part
			gross, disc, total = gross-r.GrossCents, disc-r.DiscountCents, total-r.TotalCents
			if r.Quantity != -part || r.TotalCents != r.GrossCents-r.DiscountCents || gross > orig.GrossCents || total > orig.TotalCents {
				t.Fatalf("return %d of %+v: %+v (so far gross %d total %d)", part, orig, r, gross, total)
			}
		}
		if gross != orig.GrossCents || disc != orig.DiscountCents || total != orig.TotalCents {
			t.Fatalf("all of %+v returned: gross %d discount %d total %d", orig, gross, disc, total)
		}
	}
}

func TestShopPrepare(t *testing.T) {
	s := Shop{Name: " Ultramarinos  Pepa ", TaxID: "b-58378431", Address: Address{Line1: "Calle Mayor 1", City: "Madrid", Country: "es"},
		InvoicePrefix: "t1", VATRates: []int64{400, 2100, 0, 1000}}
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	if s.Name != "Ultramarinos Pepa" || s.TaxID != "B58378431" || s.InvoicePrefix != "T1" || s.Address.Country != "ES" || s.VATRates[0] != 2100 || s.VATRates[3] != 0 {
		t.Errorf("prepared %+v", s)
	}
	for _, tc := range []struct {
		change func(*Shop)
		want   string
	}{
		{func(s *Shop) { s.TaxID = "B58378432" }, "tax_id:" + FieldTaxIDControl},
		{func(s *Shop) { s.InvoicePrefix = "F-" }, "invoice_prefix:" + FieldInvalid},
		{func(s *Shop) { s.InvoicePrefix = "" }, "invoice_prefix:" + FieldRequired},
		{func(s *Shop) { s.InvoicePrefix = "ABCDEFGHI" }, "invoice_prefix:" + FieldTooLong},
		{func(s *Shop) { s.VATRates = nil }, "vat_rates_basis_points:" + FieldRequired},
		{func(s *Shop) { s.VATRates = []int64{2100, 2100} }, "vat_rates_basis_points:" + FieldInvalid},
		{func(s *Shop) { s.VATRates = []int64{10001} }, "vat_rates_basis_points:" + FieldOutOfRange},
		{func(s *Shop) { s.Address.Country = "XX" }, "address.country:" + FieldInvalid},
		{func(s *Shop) { s.Name = "a\u202Eb" }, "name:" + FieldInvisible},
	} {
		c := s
		c.VATRates = append([]int64(nil), s.VATRates...)
		tc.change(&c)
		var e *Error
		if err := c.Prepare(); !asError(err, &e) || e.Fields[0].Field+":"+e.Fields[0].Code != tc.want {
			t.Errorf("%+v: %v, want %s", c, err, tc.want)
		}
	}
}

func asError(err error, target **Error) bool { return errors.As(err, target) }
