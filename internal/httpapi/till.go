package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// The till: the shop's details, tickets, and closing them into invoices (invoices.go).

func toAddressJSON(a domain.Address) addressJSON {
	return addressJSON{Line1: a.Line1, Line2: a.Line2, PostalCode: a.PostalCode, City: a.City, Region: a.Region, Country: a.Country}
}

type shopJSON struct {
	Name          string      `json:"name"`
	TaxID         string      `json:"tax_id"`
	Address       addressJSON `json:"address"`
	InvoicePrefix string      `json:"invoice_prefix"`
	VATRates      []int64     `json:"vat_rates_basis_points"`
	UpdatedAt     string      `json:"updated_at"`
	Version       int64       `json:"version"`
}

func toShopJSON(s *domain.Shop) shopJSON {
	rates := s.VATRates
	if rates == nil {
		rates = []int64{}
	}
	return shopJSON{Name: s.Name, TaxID: s.TaxID, Address: toAddressJSON(s.Address), InvoicePrefix: s.InvoicePrefix,
		VATRates: rates, UpdatedAt: timeJSON(s.UpdatedAt), Version: s.Version}
}

func (s *Server) getShop(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	shop, err := s.app.Shop(r.Context(), p)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(shop.Version))
	writeJSON(w, http.StatusOK, toShopJSON(&shop))
	return nil
}

func (s *Server) updateShop(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	var ch domain.ShopChanges
	ch.Name, ch.TaxID, ch.InvoicePrefix = f.str("name"), f.str("tax_id"), f.str("invoice_prefix")
	addr, present := f.nested("address")
	if present {
		if isNull(obj["address"]) {
			empty := domain.Some("")
			ch.Line1, ch.Line2, ch.PostalCode, ch.City, ch.Region = empty, empty, empty, empty, empty
		} else {
			ch.Line1, ch.Line2 = addr.str("line1"), addr.str("line2")
			ch.PostalCode, ch.City = addr.str("postal_code"), addr.str("city")
			ch.Region, ch.Country = addr.str("region"), addr.str("country")
		}
	}
	if v, ok := f.raw("vat_rates_basis_points"); ok {
		var rates []int64
		if isNull(v) {
			ch.VATRates = domain.Some([]int64{})
		} else if err := json.Unmarshal(v, &rates); err != nil {
			f.fail("vat_rates_basis_points", domain.FieldWrongType, map[string]any{"expected": "array of integers"})
		} else {
			ch.VATRates = domain.Some(rates)
		}
	}
	for _, ro := range []string{"updated_at", "version"} {
		f.raw(ro)
	}
	if err := f.done(addr); err != nil {
		return err
	}
	shop, err := s.app.UpdateShop(r.Context(), p, match, ch)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(shop.Version))
	writeJSON(w, http.StatusOK, toShopJSON(&shop))
	return nil
}

type ticketLineJSON struct {
	ID                 string          `json:"id"`
	Label              string          `json:"label"`
	Quantity           domain.Quantity `json:"quantity"`
	UnitPriceCents     int64           `json:"unit_price_cents"`
	VATRateBasisPoints int64           `json:"vat_rate_basis_points"`
	GrossCents         int64           `json:"gross_cents"`
	DiscountCents      int64           `json:"discount_cents"`
	TotalCents         int64           `json:"total_cents"`
}

type vatJSON struct {
	RateBasisPoints int64 `json:"rate_basis_points"`
	BaseCents       int64 `json:"base_cents"`
	VATCents        int64 `json:"vat_cents"`
}

type ticketCustomerJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Reference string `json:"reference"`
}

type groupRefJSON struct {
	ID                  *string `json:"id"`
	Name                string  `json:"name"`
	DiscountBasisPoints int64   `json:"discount_basis_points"`
}

type ticketJSON struct {
	ID            string              `json:"id"`
	Lines         []ticketLineJSON    `json:"lines"`
	Customer      *ticketCustomerJSON `json:"customer"`
	Group         *groupRefJSON       `json:"group"`
	GrossCents    int64               `json:"gross_cents"`
	DiscountCents int64               `json:"discount_cents"`
	TotalCents    int64               `json:"total_cents"`
	VAT           []vatJSON           `json:"vat"`
	CreatedAt     string              `json:"created_at"`
	UpdatedAt     string              `json:"updated_at"`
	Version       int64               `json:"version"`
}

func toVATJSON(lines []domain.VATLine) []vatJSON {
	out := make([]vatJSON, len(lines))
	for i, v := range lines {
		out[i] = vatJSON{RateBasisPoints: v.RateBasisPoints, BaseCents: v.BaseCents, VATCents: v.VATCents}
	}
	return out
}

func toTicketJSON(tk *domain.Ticket) ticketJSON {
	tot := tk.Totals()
	out := ticketJSON{ID: tk.ID, Lines: make([]ticketLineJSON, len(tk.Lines)), GrossCents: tot.GrossCents,
		DiscountCents: tot.DiscountCents, TotalCents: tot.TotalCents, VAT: toVATJSON(tot.VAT),
		CreatedAt: timeJSON(tk.CreatedAt), UpdatedAt: timeJSON(tk.UpdatedAt), Version: tk.Version}
	for i, l := range tk.Lines {
		pl := tot.Lines[i]
		out.Lines[i] = ticketLineJSON{ID: l.ID, Label: l.Label, Quantity: l.Quantity, UnitPriceCents: l.UnitPriceCents,
			VATRateBasisPoints: l.VATRateBasisPoints, GrossCents: pl.GrossCents, DiscountCents: pl.DiscountCents, TotalCents: pl.TotalCents}
	}
	if c := tk.Customer; c != nil {
		out.Customer = &ticketCustomerJSON{ID: c.ID, Name: c.Name, Reference: c.Reference}
		if c.GroupID != "" {
			out.Group = &groupRefJSON{ID: optional(c.GroupID), Name: c.GroupName, DiscountBasisPoints: c.DiscountBasisPoints}
		}
	}
	return out
}

// writeTicket answers with a ticket and its ETag.
func writeTicket(w http.ResponseWriter, status int, tk *domain.Ticket) {
	w.Header().Set("ETag", etag(tk.Version))
	writeJSON(w, status, toTicketJSON(tk))
}

func (s *Server) openTicket(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	tk, err := s.app.OpenTicket(r.Context(), p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/tickets/"+tk.ID)
	writeTicket(w, http.StatusCreated, &tk)
	return nil
}

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	list, err := s.app.Tickets(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]ticketJSON, len(list))
	for i := range list {
		out[i] = toTicketJSON(&list[i])
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	tk, err := s.app.Ticket(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeTicket(w, http.StatusOK, &tk)
	return nil
}

func (s *Server) discardTicket(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	if err := s.app.DiscardTicket(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// quantity reads a JSON number member exactly (domain.ParseQuantity), never through a float.
// A number with more decimals than a quantity keeps, or too large, is a validation problem.
func (f *fieldReader) quantity(name string, problems *domain.Problems) domain.Opt[domain.Quantity] {
	v, ok := f.raw(name)
	if !ok {
		return domain.Opt[domain.Quantity]{}
	}
	q, code := domain.ParseQuantity(string(bytes.TrimSpace(v)))
	switch code {
	case "":
		return domain.Some(q)
	case domain.FieldWrongType:
		f.fail(name, domain.FieldWrongType, map[string]any{"expected": "number"})
	case domain.FieldTooManyDecimals:
		problems.Add(f.prefix+name, code, map[string]any{"max": domain.QuantityDecimals})
	default:
		problems.Add(f.prefix+name, code, map[string]any{"min": domain.MinQuantity.String(), "max": domain.MaxQuantity.String()})
	}
	return domain.Opt[domain.Quantity]{}
}

// readLine reads a line's fields; creating one, all four are required.
func readLine(w http.ResponseWriter, r *http.Request, create bool) (domain.LineChanges, error) {
	var ch domain.LineChanges
	obj, err := readObject(w, r)
	if err != nil {
		return ch, err
	}
	f := newFieldReader(obj, "")
	var problems domain.Problems
	ch.Label = f.str("label")
	ch.Quantity = f.quantity("quantity", &problems)
	ch.UnitPriceCents = f.integer("unit_price_cents")
	ch.VATRateBasisPoints = f.integer("vat_rate_basis_points")
	for _, ro := range []string{"id", "gross_cents", "discount_cents", "total_cents"} {
		f.raw(ro)
	}
	if err := f.done(); err != nil {
		return ch, err
	}
	if create {
		for name, set := range map[string]bool{"label": ch.Label.Set, "quantity": ch.Quantity.Set || problems.Has("quantity"),
			"unit_price_cents": ch.UnitPriceCents.Set, "vat_rate_basis_points": ch.VATRateBasisPoints.Set} {
			if !set {
				problems.Add(name, domain.FieldRequired, nil)
			}
		}
	}
	return ch, problems.Err()
}

func (s *Server) addTicketLine(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	ch, err := readLine(w, r, true)
	if err != nil {
		return err
	}
	tk, err := s.app.AddTicketLine(r.Context(), p, r.PathValue("id"), ch)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/tickets/"+tk.ID)
	writeTicket(w, http.StatusCreated, &tk)
	return nil
}

func (s *Server) updateTicketLine(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	ch, err := readLine(w, r, false)
	if err != nil {
		return err
	}
	tk, err := s.app.UpdateTicketLine(r.Context(), p, r.PathValue("id"), r.PathValue("line_id"), match, ch)
	if err != nil {
		return err
	}
	writeTicket(w, http.StatusOK, &tk)
	return nil
}

func (s *Server) removeTicketLine(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	tk, err := s.app.RemoveTicketLine(r.Context(), p, r.PathValue("id"), r.PathValue("line_id"))
	if err != nil {
		return err
	}
	writeTicket(w, http.StatusOK, &tk)
	return nil
}

func (s *Server) attachCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	ref, id := f.str("reference"), f.str("customer_id")
	if err := f.done(); err != nil {
		return err
	}
	tk, err := s.app.AttachCustomer(r.Context(), p, r.PathValue("id"), app.CustomerChoice{Reference: ref.Value, CustomerID: id.Value})
	if err != nil {
		return err
	}
	writeTicket(w, http.StatusOK, &tk)
	return nil
}

func (s *Server) detachCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	tk, err := s.app.DetachCustomer(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeTicket(w, http.StatusOK, &tk)
	return nil
}

func (s *Server) closeTicket(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	var tenders []domain.Tender
	var children []*fieldReader
	if v, ok := f.raw("payments"); ok && !isNull(v) {
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			f.fail("payments", domain.FieldWrongType, map[string]any{"expected": "array"})
		}
		for i, item := range items {
			name := "payments[" + strconv.Itoa(i) + "]"
			o, err := parseObject(item, name)
			if err != nil {
				f.fail(name, domain.FieldWrongType, map[string]any{"expected": "object"})
				continue
			}
			c := newFieldReader(o, name+".")
			m, amount := c.str("method"), c.integer("amount_cents")
			tenders = append(tenders, domain.Tender{Method: domain.TenderMethod(m.Value), AmountCents: amount.Value})
			children = append(children, c)
		}
	}
	override := f.boolean("override_credit_limit")
	if err := f.done(children...); err != nil {
		return err
	}
	inv, err := s.app.CloseTicketWith(r.Context(), p, r.PathValue("id"),
		app.CloseRequest{Tenders: tenders, OverrideCreditLimit: override.Value}, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/invoices/"+inv.ID)
	writeJSON(w, http.StatusCreated, toInvoiceJSON(&inv))
	return nil
}
