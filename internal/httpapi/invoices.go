package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

type invoiceCustomerJSON struct {
	ID            *string     `json:"id"` // the customer's id then; they may have been deleted since
	Kind          string      `json:"kind"`
	Title         *string     `json:"title"`
	FirstName     string      `json:"first_name"`
	LastName      string      `json:"last_name"`
	CompanyName   string      `json:"company_name"`
	LegalForm     string      `json:"legal_form"`
	Name          string      `json:"name"`
	TaxID         string      `json:"tax_id"`
	Address       addressJSON `json:"address"`
	Email         string      `json:"email"`
	Reference     string      `json:"reference"`
	AccountNumber string      `json:"account_number"`
}

type issuerJSON struct {
	Name    string      `json:"name"`
	TaxID   string      `json:"tax_id"`
	Address addressJSON `json:"address"`
}

type invoiceLineJSON struct {
	Position            int             `json:"position"`
	Label               string          `json:"label"`
	Quantity            domain.Quantity `json:"quantity"`
	UnitPriceCents      int64           `json:"unit_price_cents"`
	VATRateBasisPoints  int64           `json:"vat_rate_basis_points"`
	DiscountBasisPoints int64           `json:"discount_basis_points"`
	GrossCents          int64           `json:"gross_cents"`
	DiscountCents       int64           `json:"discount_cents"`
	TotalCents          int64           `json:"total_cents"`
	RectifiedLine       *int            `json:"rectified_line"`
}

type paymentJSON struct {
	Method        string `json:"method"`
	AmountCents   int64  `json:"amount_cents"`
	TenderedCents int64  `json:"tendered_cents"`
}

type invoiceRefJSON struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Type   string `json:"type"`
}

// recordJSON is the chain record under the specification's own names.
type recordJSON struct {
	IDEmisorFactura          string `json:"IDEmisorFactura"`
	NumSerieFactura          string `json:"NumSerieFactura"`
	FechaExpedicionFactura   string `json:"FechaExpedicionFactura"`
	TipoFactura              string `json:"TipoFactura"`
	CuotaTotal               string `json:"CuotaTotal"`
	ImporteTotal             string `json:"ImporteTotal"`
	Huella                   string `json:"Huella"`
	FechaHoraHusoGenRegistro string `json:"FechaHoraHusoGenRegistro"`
}

// invoiceJSON is an invoice; the list leaves out lines, VAT and payments.
type invoiceJSON struct {
	ID            string               `json:"id"`
	Number        string               `json:"number"`
	Type          string               `json:"type"`
	IssuedAt      string               `json:"issued_at"`
	GrossCents    int64                `json:"gross_cents"`
	DiscountCents int64                `json:"discount_cents"`
	TotalCents    int64                `json:"total_cents"`
	VATCents      int64                `json:"vat_cents"`
	ChangeCents   int64                `json:"change_cents"`
	Issuer        issuerJSON           `json:"issuer"`
	Customer      *invoiceCustomerJSON `json:"customer"`
	Group         *groupRefJSON        `json:"group"`
	Lines         []invoiceLineJSON    `json:"lines,omitempty"`
	VAT           []vatJSON            `json:"vat,omitempty"`
	Payments      []paymentJSON        `json:"payments,omitempty"`
	Rectifies     *invoiceRefJSON      `json:"rectifies"`
	TicketID      *string              `json:"ticket_id"`
	Cashier       string               `json:"cashier"`
	Record        recordJSON           `json:"record"`
	Fingerprint   string               `json:"fingerprint"`
}

func toInvoiceSummaryJSON(inv *domain.Invoice) invoiceJSON {
	r := inv.Record
	out := invoiceJSON{ID: inv.ID, Number: inv.Number, Type: string(inv.Type), IssuedAt: timeJSON(inv.IssuedAt),
		GrossCents: inv.GrossCents, DiscountCents: inv.DiscountCents, TotalCents: inv.TotalCents, VATCents: inv.VATCents,
		ChangeCents: inv.ChangeCents, Issuer: issuerJSON{Name: inv.Issuer.Name, TaxID: inv.Issuer.TaxID, Address: toAddressJSON(inv.Issuer.Address)},
		TicketID: optional(inv.TicketID), Cashier: inv.Username, Fingerprint: inv.Fingerprint,
		Record: recordJSON{IDEmisorFactura: r.IDEmisorFactura, NumSerieFactura: r.NumSerieFactura, FechaExpedicionFactura: r.FechaExpedicionFactura,
			TipoFactura: r.TipoFactura, CuotaTotal: r.CuotaTotal, ImporteTotal: r.ImporteTotal, Huella: r.Huella,
			FechaHoraHusoGenRegistro: r.FechaHoraHusoGenRegistro}}
	if c := inv.Customer; c != nil {
		out.Customer = &invoiceCustomerJSON{ID: optional(c.ID), Kind: string(c.Kind), Title: optional(string(c.Title)),
			FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, LegalForm: c.LegalForm, Name: c.Name(),
			TaxID: c.TaxID, Address: toAddressJSON(c.Address), Email: c.Email, Reference: c.Reference, AccountNumber: c.AccountNumber}
	}
	if g := inv.Group; g != nil {
		out.Group = &groupRefJSON{ID: optional(g.ID), Name: g.Name, DiscountBasisPoints: g.DiscountBasisPoints}
	}
	if rf := inv.Rectifies; rf != nil {
		out.Rectifies = &invoiceRefJSON{ID: rf.ID, Number: rf.Number, Type: string(rf.Type)}
	}
	return out
}

func toInvoiceJSON(inv *domain.Invoice) invoiceJSON {
	out := toInvoiceSummaryJSON(inv)
	out.Lines = make([]invoiceLineJSON, len(inv.Lines))
	for i, l := range inv.Lines {
		out.Lines[i] = invoiceLineJSON{Position: l.Position, Label: l.Label, Quantity: l.Quantity, UnitPriceCents: l.UnitPriceCents,
			VATRateBasisPoints: l.VATRateBasisPoints, DiscountBasisPoints: l.DiscountBasisPts, GrossCents: l.GrossCents,
			DiscountCents: l.DiscountCents, TotalCents: l.TotalCents}
		if l.RectifiedLine > 0 {
			out.Lines[i].RectifiedLine = &inv.Lines[i].RectifiedLine
		}
	}
	out.VAT = toVATJSON(inv.VAT)
	out.Payments = make([]paymentJSON, len(inv.Payments))
	for i, p := range inv.Payments {
		out.Payments[i] = paymentJSON{Method: string(p.Method), AmountCents: p.AmountCents, TenderedCents: p.TenderedCents}
	}
	return out
}

func (s *Server) getInvoice(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	inv, err := s.app.Invoice(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toInvoiceJSON(&inv))
	return nil
}

// invoicePDF answers the invoice as an A4 PDF, in the language the client asks for.
func (s *Server) invoicePDF(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	pdf, inv, err := s.app.InvoicePDF(r.Context(), p, r.PathValue("id"), string(s.msgs.Pick(r.Header.Get("Accept-Language"))))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": inv.Number + ".pdf"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf) // a client gone away is not our error
	return nil
}

// invoiceReceipt answers the invoice's 42-column receipt as plain text, for 80 mm printers.
func (s *Server) invoiceReceipt(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	text, err := s.app.InvoiceReceipt(r.Context(), p, r.PathValue("id"), string(s.msgs.Pick(r.Header.Get("Accept-Language"))))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, text)
	return nil
}

func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	page, err := s.app.Invoices(r.Context(), p, app.InvoiceQuery{CustomerID: q.Get("customer_id"), Rectifies: q.Get("rectifies"), From: q.Get("from"), To: q.Get("to"),
		Number: q.Get("number"), Type: q.Get("type"), Search: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	out := make([]invoiceJSON, len(page.Invoices))
	for i := range page.Invoices {
		out[i] = toInvoiceSummaryJSON(&page.Invoices[i])
	}
	writeJSON(w, http.StatusOK, newList(out, page.NextCursor))
	return nil
}

func (s *Server) rectifyInvoice(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	var rq app.RectifyRequest
	var problems domain.Problems
	var children []*fieldReader
	if v, ok := f.raw("lines"); ok && !isNull(v) {
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			f.fail("lines", domain.FieldWrongType, map[string]any{"expected": "array"})
		}
		for i, item := range items {
			name := "lines[" + strconv.Itoa(i) + "]"
			o, err := parseObject(bytes.TrimSpace(item), name)
			if err != nil {
				f.fail(name, domain.FieldWrongType, map[string]any{"expected": "object"})
				continue
			}
			c := newFieldReader(o, name+".")
			pos, q := c.integer("position"), c.quantity("quantity", &problems)
			if !pos.Set {
				problems.Add(name+".position", domain.FieldRequired, nil)
			}
			if !q.Set && !problems.Has(name+".quantity") {
				problems.Add(name+".quantity", domain.FieldRequired, nil)
			}
			rq.Lines = append(rq.Lines, domain.ReturnLine{Position: int(pos.Value), Quantity: q.Value})
			children = append(children, c)
		}
	}
	rq.RefundMethod = domain.TenderMethod(f.str("refund_method").Value)
	if err := f.done(children...); err != nil {
		return err
	}
	if err := problems.Err(); err != nil {
		return err
	}
	inv, err := s.app.RectifyInvoice(r.Context(), p, r.PathValue("id"), rq, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/invoices/"+inv.ID)
	writeJSON(w, http.StatusCreated, toInvoiceJSON(&inv))
	return nil
}
