package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// invoicePageSize is how many invoices one page of the history shows.
const invoicePageSize = 50

// invoiceFilters are the history's filters, by their query parameter: the API's names, with
// q for the customer's name.
var invoiceFilters = []string{"q", "customer_id", "from", "to", "number", "type"}

// invoiceListPage is Facturas: the invoice history, newest first, narrowed by the filters.
type invoiceListPage struct {
	form
	Customer string // the name of the customer the list is narrowed to
	// InRegister says the customer is still in the register, so their profile can be linked.
	InRegister bool
	Types      []option
	Rows       []invoiceRow
	NextURL    string // the next (older) page, or empty on the last one
	FirstURL   string // the first page, when this is a later one
	Filtered   bool
}

// invoiceRow is one invoice of a list.
type invoiceRow struct {
	ID, Number, Customer string
	Type                 domain.InvoiceType
	IssuedAt             time.Time
	TotalCents           int64
}

func rowOf(inv *domain.Invoice) invoiceRow {
	row := invoiceRow{ID: inv.ID, Number: inv.Number, Type: inv.Type, IssuedAt: inv.IssuedAt, TotalCents: inv.TotalCents}
	if inv.Customer != nil {
		row.Customer = inv.Customer.Name()
	}
	return row
}

// invoiceTypes are the type filter's choices.
func invoiceTypes(l loc) []option {
	out := []option{{Value: "", Label: l.T("invoices.all_types")}}
	for _, t := range []domain.InvoiceType{domain.InvoiceFull, domain.InvoiceSimplified, domain.InvoiceRectifying, domain.InvoiceRectifyingSimplified} {
		out = append(out, option{Value: string(t), Label: l.T("invoices.type." + string(t))})
	}
	return out
}

// invoiceList is GET /invoices. A filter the use case refuses (a date typed by hand in the
// address) is shown next to its field, with no rows; a stale cursor shows the first page.
func (s *Server) invoiceList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	q := r.URL.Query()
	l := loc{b: s.msgs, Lang: rq.lang}
	page := invoiceListPage{form: form{Values: map[string]string{}}, Types: invoiceTypes(l)}
	for _, name := range invoiceFilters {
		v := strings.TrimSpace(q.Get(name))
		page.Values[name] = v
		page.Filtered = page.Filtered || v != ""
	}
	v := page.Values
	query := app.InvoiceQuery{CustomerID: v["customer_id"], From: v["from"], To: v["to"], Number: v["number"],
		Type: v["type"], Search: v["q"], Limit: invoicePageSize, Cursor: q.Get("cursor")}
	res, err := s.app.Invoices(ctx, rq.p, query)
	if err != nil && query.Cursor != "" && onlyCursorProblem(err) {
		query.Cursor = ""
		res, err = s.app.Invoices(ctx, rq.p, query)
	}
	status := http.StatusOK
	if err != nil {
		problems := fieldProblems(err)
		if problems == nil {
			return err
		}
		page.Errors = s.fieldMessages(rq, problems)
		status = http.StatusUnprocessableEntity
	}
	for i := range res.Invoices {
		page.Rows = append(page.Rows, rowOf(&res.Invoices[i]))
	}
	if id := v["customer_id"]; id != "" && err == nil {
		page.Customer, page.InRegister = s.customerName(ctx, rq, id, res.Invoices)
	}
	if res.NextCursor != "" {
		page.NextURL = invoiceListURL(v, res.NextCursor)
	}
	if query.Cursor != "" {
		page.FirstURL = invoiceListURL(v, "")
	}
	return s.render(w, r, rq, status, "invoices", page)
}

// onlyCursorProblem reports whether err refuses the cursor and nothing else.
func onlyCursorProblem(err error) bool {
	problems := fieldProblems(err)
	for _, p := range problems {
		if p.Field != "cursor" {
			return false
		}
	}
	return len(problems) > 0
}

// customerName names the customer a list is narrowed to: as the register has them (inRegister),
// or, once they are deleted, as their invoices keep them.
func (s *Server) customerName(ctx context.Context, rq *request, id string, invoices []domain.Invoice) (name string, inRegister bool) {
	if c, err := s.app.Customer(ctx, rq.p, id); err == nil {
		return c.DisplayName(), true
	}
	for _, inv := range invoices {
		if inv.Customer != nil && inv.Customer.ID == id {
			return inv.Customer.Name(), false
		}
	}
	return "", false
}

// invoiceListURL is the history with the filters v, at cursor.
func invoiceListURL(v map[string]string, cursor string) string {
	q := url.Values{}
	for _, name := range invoiceFilters {
		if v[name] != "" {
			q.Set(name, v[name])
		}
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if len(q) == 0 {
		return "/invoices"
	}
	return "/invoices?" + q.Encode()
}

// invoicePage is one invoice as it was issued: everything on it comes from its own
// snapshots, never from today's customer, group or shop.
type invoicePage struct {
	Inv             domain.Invoice
	IssuerAddress   []string
	CustomerAddress []string
	// CustomerID links the customer's profile while they are still in the register.
	CustomerID  string
	RectifiedBy []invoiceRow
	// The print views, linked when the server has them.
	ReceiptURL, PDFURL string
	// Mails are the e-mails that carried the invoice, newest first; CanMail: it has a
	// customer still in the register, with an e-mail, to send it to.
	Mails   []domain.OutboxMessage
	CanMail bool
	Focus   string
}

// invoiceShow is GET /invoices/{id}.
func (s *Server) invoiceShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	inv, err := s.app.Invoice(ctx, rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	shop, err := s.app.ShopCountry(ctx)
	if err != nil {
		return err
	}
	page := invoicePage{Inv: inv, IssuerAddress: s.addressLines(inv.Issuer.Address, rq.lang, shop)}
	if c := inv.Customer; c != nil {
		page.CustomerAddress = s.addressLines(c.Address, rq.lang, shop)
		if c.ID != "" && rq.p.Role.Can(domain.PermCustomersRead) {
			if cur, err := s.app.Customer(ctx, rq.p, c.ID); err == nil {
				page.CustomerID = c.ID
				page.CanMail = cur.Email != ""
			} else if domain.ErrorCode(err) != domain.CodeNotFound {
				return err
			}
		}
	}
	if !inv.Type.Rectifying() {
		if page.RectifiedBy, err = s.rectificationsOf(ctx, rq, &inv); err != nil {
			return err
		}
	}
	if page.Mails, err = s.app.InvoiceMails(ctx, rq.p, inv.ID); err != nil {
		return err
	}
	page.Focus = r.URL.Query().Get("focus")
	page.ReceiptURL = "/invoices/" + inv.ID + "/receipt"
	page.PDFURL = "/invoices/" + inv.ID + "/pdf"
	return s.render(w, r, rq, http.StatusOK, "invoice", page)
}

// rectificationsOf finds the invoices that rectify inv, oldest first (a page of them: an
// invoice is returned a line or two at a time, never hundreds).
func (s *Server) rectificationsOf(ctx context.Context, rq *request, inv *domain.Invoice) ([]invoiceRow, error) {
	page, err := s.app.Invoices(ctx, rq.p, app.InvoiceQuery{Rectifies: inv.ID, Limit: app.MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := make([]invoiceRow, 0, len(page.Invoices))
	for i := len(page.Invoices) - 1; i >= 0; i-- {
		out = append(out, rowOf(&page.Invoices[i]))
	}
	return out, nil
}

// invoiceMail is POST /invoices/{id}/mail: the invoice is sent by e-mail (again) to its
// customer's address, and the page says it is on its way.
func (s *Server) invoiceMail(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := s.app.SendInvoiceMail(r.Context(), rq.p, id); err != nil {
		if domain.ErrorCode(err) != domain.CodeInvalid {
			return err
		}
		s.setFlash(w, r, "flash.invoice_no_email", nil)
	} else {
		s.setFlash(w, r, "flash.invoice_mailed", nil)
	}
	http.Redirect(w, r, "/invoices/"+id+"?focus=mails", http.StatusSeeOther)
	return nil
}
