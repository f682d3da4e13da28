package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/clientela/clientela/internal/domain"
)

// receiptPage is an invoice as an 80 mm till printer prints it.
type receiptPage struct {
	Inv domain.Invoice
	// Tendered is what the customer handed over, all tenders together.
	Tendered int64
}

// TypeKey is the catalog key of the invoice's kind as the receipt heads it.
func (p receiptPage) TypeKey() string {
	switch p.Inv.Type {
	case domain.InvoiceFull:
		return "receipt.type_full"
	case domain.InvoiceRectifying, domain.InvoiceRectifyingSimplified:
		return "receipt.type_rectifying"
	}
	return "receipt.type_simplified"
}

// Address is an address as the receipt prints it, line by line.
func (p receiptPage) Address(a domain.Address) []string {
	var out []string
	for _, line := range []string{a.Line1, a.Line2} {
		if line != "" {
			out = append(out, line)
		}
	}
	city := a.PostalCode
	if a.City != "" {
		if city != "" {
			city += " "
		}
		city += a.City
	}
	if a.Region != "" && a.Region != a.City {
		if city != "" {
			city += " "
		}
		city += "(" + a.Region + ")"
	}
	if city != "" {
		out = append(out, city)
	}
	return out
}

// invoiceReceipt is the receipt's print view: the page prints the receipt alone, about
// 72 mm wide, and shows on screen the change to give, a button that prints and the way back
// to the till.
func (s *Server) invoiceReceipt(w http.ResponseWriter, r *http.Request, rq *request) error {
	inv, err := s.app.Invoice(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	page := receiptPage{Inv: inv}
	for _, p := range inv.Payments {
		page.Tendered += p.TenderedCents
	}
	return s.renderTemplate(w, rq, http.StatusOK, "receipt", "receipt-page", view{L: loc{b: s.msgs, Lang: rq.lang}, User: rq.p, Path: r.URL.Path, Data: page})
}

// invoicePDF answers the invoice as an A4 PDF in the page's language, shown in the browser
// (inline) and named after its number when saved.
func (s *Server) invoicePDF(w http.ResponseWriter, r *http.Request, rq *request) error {
	pdf, inv, err := s.app.InvoicePDF(r.Context(), rq.p, r.PathValue("id"), string(rq.lang))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": inv.Number + ".pdf"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf) // a browser gone away is not our error
	return nil
}
