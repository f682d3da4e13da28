package document

import (
	"time"
)

// sampleInvoice is a full invoice to a person in a discounted group, with a weighed line,
// two VAT rates, and cash with change. Its amounts add up as the till computes them.
func sampleInvoice() Invoice {
	madrid := time.FixedZone("CET", 3600)
	return Invoice{
		Number:   "T2026-000123",
		Type:     TypeFull,
		IssuedAt: time.Date(2026, 11, 29, 10, 15, 42, 0, madrid),
		Shop: Shop{
			Name:  "Ultramarinos Peña & Hijos",
			TaxID: "B58378431",
			Address: Address{
				Line1: "Calle de la Cañada 12", PostalCode: "28001", City: "Madrid",
				Region: "Madrid", Country: "ES",
			},
		},
		Customer: &Party{
			Kind: KindPerson, Title: "mr", FirstName: "José", LastName: "Núñez Ibáñez",
			TaxID: "12345678Z", Email: "jose@example.com", Reference: "2000000001234",
			Address: Address{
				Line1: "Avenida de Andalucía 7, 3º B", PostalCode: "41001", City: "Sevilla",
				Region: "Sevilla", Country: "ES",
			},
		},
		Group: &Group{Name: "Socios Oro", DiscountBasisPoints: 1000},
		Lines: []Line{
			// 2 × 1,25 € = 2,50 €, 10 % off = 0,25 €
			{Label: "Pan de pueblo", Quantity: 2000, UnitPriceCents: 125, VATRateBasisPoints: 400, DiscountCents: 25, TotalCents: 225},
			// 0,350 × 18,90 € = 6,615 → 6,62 €, 10 % off = 0,662 → 0,66 €
			{Label: "Jamón ibérico de bellota loncheado a cuchillo, bandeja", Quantity: 350, UnitPriceCents: 1890, VATRateBasisPoints: 1000, DiscountCents: 66, TotalCents: 596},
			// 1 × 12,00 €, 10 % off = 1,20 €
			{Label: "Vino tinto crianza", Quantity: 1000, UnitPriceCents: 1200, VATRateBasisPoints: 2100, DiscountCents: 120, TotalCents: 1080},
		},
		DiscountCents: 211,
		TotalCents:    1901,
		VAT: []VAT{
			{RateBasisPoints: 400, BaseCents: 216, VATCents: 9},    // 225 / 1.04 = 216.3
			{RateBasisPoints: 1000, BaseCents: 542, VATCents: 54},  // 596 / 1.10 = 541.8
			{RateBasisPoints: 2100, BaseCents: 893, VATCents: 187}, // 1080 / 1.21 = 892.6
		},
		Payments:    []Payment{{Method: MethodCash, AmountCents: 5000}},
		ChangeCents: 3099,
		Fingerprint: "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60",
		QRURL:       QRCodeURL("B58378431", "T2026-000123", time.Date(2026, 11, 29, 10, 15, 42, 0, madrid), 1901),
	}
}
