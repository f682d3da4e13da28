package document

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Seeds for the fuzzers: long words, emoji sequences, combining marks, right-to-left
// scripts, bidi overrides, wide characters, controls and broken UTF-8.
var fuzzSeeds = []string{
	"",
	"Pan",
	"Jamón ibérico de bellota loncheado a cuchillo",
	strings.Repeat("Supercalifragilístico", 5),
	"👩‍👩‍👧‍👦👨🏽‍🚀🇪🇸 familia",
	"e\u0301\u0301\u0301\u0301 " + "a" + strings.Repeat("\u0300", 60),
	"مرحبا بالعالم שלום עולם",
	"\u202eexe.txt\u202c \u2066isolate\u2069",
	"日本語のラベルはとても長いです日本語のラベルはとても長いです日本語のラベル",
	"tab\there\nnew line\r\x00\x1b[31mred",
	"\xff\xfe broken \xc3",
	strings.Repeat("€", 43),
	strings.Repeat(" ", 50) + "x",
	"\u00a0\u2028\u2029\u200b\u200d",
}

func FuzzReceipt(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i+1)%len(fuzzSeeds)], int64(i)*12345-50000, int64(i)*333)
	}
	f.Fuzz(func(t *testing.T, label, name string, cents, qty int64) {
		inv := sampleInvoice()
		inv.Shop.Name = name
		inv.Shop.Address.Line1 = label
		inv.Customer.FirstName = label
		inv.Customer.LastName = name
		inv.Customer.Address.City = name
		inv.Customer.Reference = label
		inv.Group.Name = name
		inv.Number = name
		inv.Rectifies = label
		inv.Type = TypeRectifying
		inv.Lines = append(inv.Lines, Line{Label: label, Quantity: qty, UnitPriceCents: cents, VATRateBasisPoints: cents, DiscountCents: cents, TotalCents: cents})
		inv.TotalCents, inv.DiscountCents, inv.ChangeCents = cents, cents, cents
		inv.VAT = append(inv.VAT, VAT{RateBasisPoints: qty, BaseCents: cents, VATCents: -cents})
		inv.Payments = append(inv.Payments, Payment{Method: label, AmountCents: cents})
		inv.Fingerprint = label
		inv.QRURL = name
		for _, lang := range []Lang{Spanish, English} {
			lines := receiptLines(t, Receipt(inv, lang))
			if len(lines) < 10 {
				t.Fatalf("only %d lines", len(lines))
			}
		}
	})
}

// FuzzWrap checks that wrapping keeps every character of the cleaned text, in order, and
// never makes a line wider than asked or empty.
func FuzzWrap(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, 1+i*3)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		if width < 1 || width > 200 {
			return
		}
		lines := wrap(s, width)
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n == 0 || n > width {
				t.Fatalf("line %q is %d runes, width %d", l, n, width)
			}
		}
		want := strings.ReplaceAll(clean(s), " ", "")
		got := strings.ReplaceAll(strings.Join(lines, ""), " ", "")
		if got != want {
			t.Fatalf("wrap(%q, %d) lost text: %q, want %q", s, width, got, want)
		}
	})
}
