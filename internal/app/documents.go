package app

import (
	"context"
	"fmt"

	"github.com/clientela/clientela/internal/document"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// InvoiceDocument is an issued invoice as the printed documents show it: every fact from the
// invoice's own snapshots (shop, customer, group), never from the register as it is now, so a
// reprint years later is the invoice that was issued. Dates are in the records' time zone.
func InvoiceDocument(inv *domain.Invoice) document.Invoice {
	issued := inv.IssuedAt.In(verifactu.Madrid())
	d := document.Invoice{
		Number: inv.Number, Type: string(inv.Type), IssuedAt: issued,
		Shop: document.Shop{Name: inv.Issuer.Name, TaxID: inv.Issuer.TaxID, Address: documentAddress(inv.Issuer.Address)},
		DiscountCents: inv.DiscountCents, TotalCents: inv.TotalCents, ChangeCents: inv.ChangeCents,
		Fingerprint: inv.Fingerprint,
		QRURL:       document.QRCodeURL(inv.Issuer.TaxID, inv.Number, issued, inv.TotalCents),
	}
	if c := inv.Customer; c != nil {
		d.Customer = &document.Party{Kind: string(c.Kind), Title: string(c.Title), FirstName: c.FirstName, LastName: c.LastName,
			CompanyName: c.CompanyName, LegalForm: c.LegalForm, TaxID: c.TaxID, Address: documentAddress(c.Address),
			Email: c.Email, Reference: c.Reference}
	}
	if g := inv.Group; g != nil {
		d.Group = &document.Group{Name: g.Name, DiscountBasisPoints: g.DiscountBasisPoints}
	}
	for _, l := range inv.Lines {
		d.Lines = append(d.Lines, document.Line{Label: l.Label, Quantity: int64(l.Quantity), UnitPriceCents: l.UnitPriceCents,
			VATRateBasisPoints: l.VATRateBasisPoints, DiscountCents: l.DiscountCents, TotalCents: l.TotalCents})
	}
	for _, v := range inv.VAT {
		d.VAT = append(d.VAT, document.VAT{RateBasisPoints: v.RateBasisPoints, BaseCents: v.BaseCents, VATCents: v.VATCents})
	}
	for _, p := range inv.Payments {
		// The receipt shows what the customer handed over and, apart, the change.
		amount := p.AmountCents
		if p.TenderedCents != 0 {
			amount = p.TenderedCents
		}
		d.Payments = append(d.Payments, document.Payment{Method: string(p.Method), AmountCents: amount})
	}
	if inv.Rectifies != nil {
		d.Rectifies = inv.Rectifies.Number
	}
	return d
}

func documentAddress(a domain.Address) document.Address {
	return document.Address{Line1: a.Line1, Line2: a.Line2, PostalCode: a.PostalCode, City: a.City, Region: a.Region, Country: a.Country}
}

// documentLang is the documents' language for a page or API language ("en" or Spanish).
func documentLang(lang string) document.Lang {
	if lang == "en" {
		return document.English
	}
	return document.Spanish
}

// InvoiceReceipt is an invoice's 42-column receipt for 80 mm printers (a reprint: whoever may
// read invoices).
func (a *App) InvoiceReceipt(ctx context.Context, p domain.Principal, id, lang string) (string, error) {
	inv, err := a.Invoice(ctx, p, id)
	if err != nil {
		return "", err
	}
	return document.Receipt(InvoiceDocument(&inv), documentLang(lang)), nil
}

// InvoicePDF is an invoice as an A4 PDF, with the tax agency's QR code; it returns the
// invoice too, for the file's name.
func (a *App) InvoicePDF(ctx context.Context, p domain.Principal, id, lang string) ([]byte, domain.Invoice, error) {
	inv, err := a.Invoice(ctx, p, id)
	if err != nil {
		return nil, inv, err
	}
	pdf, err := document.InvoicePDF(InvoiceDocument(&inv), documentLang(lang))
	if err != nil {
		return nil, inv, fmt.Errorf("invoice %s as PDF: %w", inv.Number, err)
	}
	return pdf, inv, nil
}
