package httpapi

import (
	"net/http"
	"strconv"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// customerJSON is a customer as the API shows it.
type customerJSON struct {
	ID                 string      `json:"id"`
	Kind               string      `json:"kind"`
	Title              *string     `json:"title"`
	FirstName          string      `json:"first_name"`
	LastName           string      `json:"last_name"`
	CompanyName        string      `json:"company_name"`
	LegalForm          string      `json:"legal_form"`
	DisplayName        string      `json:"display_name"`
	TaxID              string      `json:"tax_id"`
	Email              string      `json:"email"`
	Phone              string      `json:"phone"`
	Address            addressJSON `json:"address"`
	Reference          string      `json:"reference"`
	AccountNumber      string      `json:"account_number"`
	GroupID            *string     `json:"group_id"`
	Notes              string      `json:"notes"`
	InvoiceByEmail     bool        `json:"invoice_by_email"`
	MarketingConsent   bool        `json:"marketing_consent"`
	MarketingConsentAt *string     `json:"marketing_consent_at"`
	CreditLimitCents   int64       `json:"credit_limit_cents"`
	CreatedAt          string      `json:"created_at"`
	UpdatedAt          string      `json:"updated_at"`
	Version            int64       `json:"version"`
}

type addressJSON struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Region     string `json:"region"`
	Country    string `json:"country"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toCustomerJSON(c *domain.Customer) customerJSON {
	out := customerJSON{
		ID: c.ID, Kind: string(c.Kind), Title: optional(string(c.Title)),
		FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, LegalForm: c.LegalForm,
		DisplayName: c.DisplayName(), TaxID: c.TaxID, Email: c.Email, Phone: c.Phone,
		Address: addressJSON{Line1: c.Address.Line1, Line2: c.Address.Line2, PostalCode: c.Address.PostalCode,
			City: c.Address.City, Region: c.Address.Region, Country: c.Address.Country},
		Reference: c.Reference, AccountNumber: c.AccountNumber, GroupID: optional(c.GroupID), Notes: c.Notes,
		InvoiceByEmail: c.InvoiceByEmail, MarketingConsent: c.MarketingConsent, CreditLimitCents: c.CreditLimitCents,
		CreatedAt: timeJSON(c.CreatedAt), UpdatedAt: timeJSON(c.UpdatedAt), Version: c.Version,
	}
	if c.MarketingConsentAt != nil {
		at := timeJSON(*c.MarketingConsentAt)
		out.MarketingConsentAt = &at
	}
	return out
}

// readCustomerChanges reads a customer body: every field for a create, a JSON merge patch
// (RFC 7396) for an update. null clears a field. Unknown fields and wrong types are refused,
// naming the field.
func readCustomerChanges(w http.ResponseWriter, r *http.Request) (domain.CustomerChanges, error) {
	var ch domain.CustomerChanges
	obj, err := readObject(w, r)
	if err != nil {
		return ch, err
	}
	f := newFieldReader(obj, "")
	kind := f.str("kind")
	ch.Kind = domain.Opt[domain.Kind]{Set: kind.Set, Value: domain.Kind(kind.Value)}
	title := f.str("title")
	ch.Title = domain.Opt[domain.Title]{Set: title.Set, Value: domain.Title(title.Value)}
	ch.FirstName, ch.LastName = f.str("first_name"), f.str("last_name")
	ch.CompanyName, ch.LegalForm = f.str("company_name"), f.str("legal_form")
	ch.TaxID, ch.Email, ch.Phone = f.str("tax_id"), f.str("email"), f.str("phone")
	ch.Reference, ch.AccountNumber = f.str("reference"), f.str("account_number")
	ch.GroupID, ch.Notes = f.str("group_id"), f.str("notes")
	ch.InvoiceByEmail, ch.MarketingConsent = f.boolean("invoice_by_email"), f.boolean("marketing_consent")
	ch.CreditLimitCents = f.integer("credit_limit_cents")
	addr, present := f.nested("address")
	if present {
		if isNull(obj["address"]) {
			empty := domain.Some("")
			ch.Line1, ch.Line2, ch.PostalCode, ch.City, ch.Region, ch.Country = empty, empty, empty, empty, empty, empty
		} else {
			ch.Line1, ch.Line2 = addr.str("line1"), addr.str("line2")
			ch.PostalCode, ch.City = addr.str("postal_code"), addr.str("city")
			ch.Region, ch.Country = addr.str("region"), addr.str("country")
		}
	}
	// Read-only fields a client may send back unchanged from a GET are ignored.
	for _, ro := range []string{"id", "display_name", "created_at", "updated_at", "version", "marketing_consent_at"} {
		f.raw(ro)
	}
	return ch, f.done(addr)
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	ch, err := readCustomerChanges(w, r)
	if err != nil {
		return err
	}
	c, err := s.app.CreateCustomer(r.Context(), p, ch)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/customers/"+c.ID)
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusCreated, toCustomerJSON(&c))
	return nil
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	c, err := s.app.Customer(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, toCustomerJSON(&c))
	return nil
}

func (s *Server) customerByReference(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	c, err := s.app.CustomerByReference(r.Context(), p, r.PathValue("reference"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, toCustomerJSON(&c))
	return nil
}

func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	ch, err := readCustomerChanges(w, r)
	if err != nil {
		return err
	}
	c, err := s.app.UpdateCustomer(r.Context(), p, r.PathValue("id"), match, ch)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, toCustomerJSON(&c))
	return nil
}

func (s *Server) deleteCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	if err := s.app.DeleteCustomer(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	page, err := s.app.Customers(r.Context(), p, app.CustomerQuery{
		Q: q.Get("q"), GroupID: q.Get("group_id"), Balance: app.BalanceSide(q.Get("balance")), Limit: limit, Cursor: q.Get("cursor"),
	})
	if err != nil {
		return err
	}
	out := make([]customerJSON, len(page.Customers))
	for i := range page.Customers {
		out[i] = toCustomerJSON(&page.Customers[i])
	}
	writeJSON(w, http.StatusOK, newList(out, page.NextCursor))
	return nil
}

func queryInt(s, field string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badField(field, domain.FieldWrongType, map[string]any{"expected": "integer"})
	}
	if n == 0 {
		n = -1 // an explicit 0 is out of range, not "the default"
	}
	return n, nil
}
