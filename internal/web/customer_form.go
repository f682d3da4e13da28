package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
)

// customerFormPage is the form to create or edit a customer. Values are kept as typed, so a
// refused form comes back with everything the user entered.
type customerFormPage struct {
	New     bool
	ID      string
	Version int64
	Name    string           // the saved name, for the heading
	Saved   *domain.Customer // the customer as stored, when editing
	form
	Message   string // an error about the whole form
	Conflict  bool   // someone else saved the customer in between
	Groups    []option
	Countries []option
	CanDelete bool
}

type option struct {
	Value string
	Label string
}

// Titles are the forms of address a person may have, for the title select.
func (p customerFormPage) Titles(l loc) []option {
	return []option{
		{Value: "", Label: l.T("title.none")},
		{Value: string(domain.TitleMr), Label: l.T("title.mr")},
		{Value: string(domain.TitleMrs), Label: l.T("title.mrs")},
		{Value: string(domain.TitleMs), Label: l.T("title.ms")},
	}
}

// customerFields are the form's text fields, by their form name: the API's field names
// without the "address." prefix, and the credit limit in euros instead of cents.
var customerFields = []string{
	"kind", "title", "first_name", "last_name", "company_name", "legal_form", "tax_id", "email",
	"phone", "line1", "line2", "postal_code", "city", "region", "country", "reference",
	"account_number", "group_id", "notes", "credit_limit", "invoice_by_email", "marketing_consent",
}

func (s *Server) customerNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.URL.Query().Get("kind")
	if kind != string(domain.KindCompany) {
		kind = string(domain.KindPerson)
	}
	page := customerFormPage{New: true, form: form{Values: map[string]string{"kind": kind, "invoice_by_email": "on"}}}
	return s.renderCustomerForm(w, r, rq, http.StatusOK, page)
}

func (s *Server) customerCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := customerFormPage{New: true, form: form{Values: formValues(r)}}
	ch, problems := s.customerChanges(page.Values, rq, true) // a new form shows the box ticked
	if problems == nil {
		c, err := s.app.CreateCustomer(r.Context(), rq.p, ch)
		if err == nil {
			s.setFlash(w, r, "flash.customer_created", map[string]any{"name": c.DisplayName()})
			http.Redirect(w, r, "/customers", http.StatusSeeOther)
			return nil
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.Errors = s.fieldMessages(rq, problems)
	page.Message = s.msgs.T(rq.lang, "error.validation_failed", nil)
	return s.renderCustomerForm(w, r, rq, problemStatus(problems), page)
}

func (s *Server) customerEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.app.Customer(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	shop, err := s.app.ShopCountry(r.Context())
	if err != nil {
		return err
	}
	page := customerFormPage{ID: c.ID, Version: c.Version, Name: c.DisplayName(), Saved: &c, form: form{Values: customerValues(c, string(rq.lang), shop)}}
	return s.renderCustomerForm(w, r, rq, http.StatusOK, page)
}

func (s *Server) customerUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	saved, err := s.app.Customer(r.Context(), rq.p, id)
	if err != nil {
		return err
	}
	page := customerFormPage{ID: id, Name: saved.DisplayName(), Saved: &saved, form: form{Values: formValues(r)}}
	page.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	ch, problems := s.customerChanges(page.Values, rq, saved.InvoiceByEmail)
	if problems == nil {
		c, err := s.app.UpdateCustomer(r.Context(), rq.p, id, domain.IfVersion(page.Version), ch)
		switch {
		case err == nil:
			s.setFlash(w, r, "flash.customer_saved", map[string]any{"name": c.DisplayName()})
			http.Redirect(w, r, "/customers", http.StatusSeeOther)
			return nil
		case domain.ErrorCode(err) == domain.CodePreconditionFailed:
			// Someone saved in between. Keep what this user typed, say so, and arm the form
			// with the saved version: saving again is then a deliberate overwrite.
			page.Conflict = true
			page.Version = saved.Version
			page.Message = s.msgs.T(rq.lang, "web.customer_conflict", nil)
			return s.renderCustomerForm(w, r, rq, http.StatusConflict, page)
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.Errors = s.fieldMessages(rq, problems)
	page.Message = s.msgs.T(rq.lang, "error.validation_failed", nil)
	return s.renderCustomerForm(w, r, rq, problemStatus(problems), page)
}

func (s *Server) renderCustomerForm(w http.ResponseWriter, r *http.Request, rq *request, status int, page customerFormPage) error {
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return err
	}
	page.Groups = []option{{Value: "", Label: s.msgs.T(rq.lang, "customer.no_group", nil)}}
	for _, g := range groups {
		label := g.Name
		if g.DiscountBasisPoints > 0 {
			label += " (−" + money.FormatPercent(g.DiscountBasisPoints, string(rq.lang)) + ")"
		}
		page.Groups = append(page.Groups, option{Value: g.ID, Label: label})
	}
	page.Countries = s.countries[rq.lang]
	page.CanDelete = !page.New && rq.p.Role.Can(domain.PermCustomersDelete)
	page.ReadOnly = !page.New && !rq.p.Role.Can(domain.PermCustomersUpdate)
	return s.render(w, r, rq, status, "customer_form", page)
}

// ConsentNote says since when the saved customer agreed to marketing, if they did.
func (p customerFormPage) ConsentNote(l loc) string {
	if p.Saved == nil || p.Saved.MarketingConsentAt == nil {
		return ""
	}
	return l.T("customer.marketing_consent_since", "date", l.Date(*p.Saved.MarketingConsentAt))
}

// CreditHint explains the credit limit field, and on a saved customer says what is saved, in
// the language's money format ("Guardado: 1.234,56 €").
func (p customerFormPage) CreditHint(l loc) string {
	hint := l.T("customer.credit_limit_hint")
	if p.Saved != nil && p.Saved.CreditLimitCents > 0 {
		hint += " " + l.T("customer.credit_limit_saved", "amount", l.Money(p.Saved.CreditLimitCents))
	}
	return hint
}

// formValues collects the customer fields of a posted form, as typed.
func formValues(r *http.Request) map[string]string {
	v := make(map[string]string, len(customerFields))
	for _, name := range customerFields {
		v[name] = r.PostForm.Get(name)
	}
	return v
}

// customerValues fills the form from a saved customer. The phone is shown as people write it:
// in national form when it belongs to the country the form's phone is read in (the address's,
// else the shop's), so that saving the form unchanged reads back the same number.
func customerValues(c domain.Customer, lang, shopCountry string) map[string]string {
	region := c.Address.Country
	if region == "" {
		region = shopCountry
	}
	v := map[string]string{
		"kind": string(c.Kind), "title": string(c.Title), "first_name": c.FirstName,
		"last_name": c.LastName, "company_name": c.CompanyName, "legal_form": c.LegalForm,
		"tax_id": c.TaxID, "email": c.Email, "phone": domain.PhoneDisplay(c.Phone, region), "line1": c.Address.Line1,
		"line2": c.Address.Line2, "postal_code": c.Address.PostalCode, "city": c.Address.City,
		"region": c.Address.Region, "country": c.Address.Country, "reference": c.Reference,
		"account_number": c.AccountNumber, "group_id": c.GroupID, "notes": c.Notes,
	}
	if c.CreditLimitCents != 0 {
		v["credit_limit"] = money.FormatAmount(c.CreditLimitCents, lang)
	}
	if c.InvoiceByEmail {
		v["invoice_by_email"] = "on"
	}
	if c.MarketingConsent {
		v["marketing_consent"] = "on"
	}
	return v
}

// customerChanges turns the form into the changes a use case takes. The form always sends
// every field, so every field is set, except two that the page holds but the user did not
// give: the other kind's section, hidden on the page (the use case clears those fields), and
// the invoice-by-e-mail box when it is as it was shown (boxShown), so that the use case's rule
// decides (on with an e-mail, off without, no error about a box nobody touched). It returns
// problems it finds on its own (an amount that is not a number); the use case checks the rest.
func (s *Server) customerChanges(v map[string]string, rq *request, boxShown bool) (domain.CustomerChanges, []domain.FieldError) {
	kind := domain.Kind(v["kind"])
	ch := domain.CustomerChanges{
		Kind: domain.Some(kind), TaxID: domain.Some(v["tax_id"]), Email: domain.Some(v["email"]),
		Phone: domain.Some(v["phone"]), Line1: domain.Some(v["line1"]), Line2: domain.Some(v["line2"]),
		PostalCode: domain.Some(v["postal_code"]), City: domain.Some(v["city"]),
		Region: domain.Some(v["region"]), Country: domain.Some(v["country"]),
		Reference: domain.Some(v["reference"]), AccountNumber: domain.Some(v["account_number"]),
		GroupID: domain.Some(v["group_id"]), Notes: domain.Some(v["notes"]),
		MarketingConsent: domain.Some(v["marketing_consent"] == "on"),
	}
	if kind == domain.KindCompany {
		ch.CompanyName, ch.LegalForm = domain.Some(v["company_name"]), domain.Some(v["legal_form"])
	} else {
		ch.FirstName, ch.LastName = domain.Some(v["first_name"]), domain.Some(v["last_name"])
		ch.Title = domain.Some(domain.Title(v["title"]))
	}
	if box := v["invoice_by_email"] == "on"; box != boxShown {
		ch.InvoiceByEmail = domain.Some(box)
	}
	var problems []domain.FieldError
	if limit := strings.TrimSpace(v["credit_limit"]); limit == "" {
		ch.CreditLimitCents = domain.Some(int64(0))
	} else if cents, err := money.ParseAmount(limit, string(rq.lang), false); err != nil {
		problems = append(problems, domain.FieldError{Field: "credit_limit", Code: amountErrorCode(err)})
	} else {
		ch.CreditLimitCents = domain.Some(cents)
	}
	return ch, problems
}

// amountErrorCode maps a money parse error to a field error code of the catalog.
func amountErrorCode(err error) string {
	var pe *money.ParseError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "too_many_decimals":
			return "too_many_decimals"
		case "negative":
			return "negative"
		case "out_of_range":
			return domain.FieldOutOfRange
		}
	}
	return "not_a_number"
}

// fieldProblems returns the field errors of a validation or duplicate error, nil for any
// other error.
func fieldProblems(err error) []domain.FieldError {
	var de *domain.Error
	if !errors.As(err, &de) || (de.Code != domain.CodeInvalid && de.Code != domain.CodeDuplicate) || len(de.Fields) == 0 {
		return nil
	}
	return de.Fields
}

// problemStatus is the status of a refused form: 409 when a value is taken by another record,
// 422 for anything else wrong with it.
func problemStatus(problems []domain.FieldError) int {
	for _, f := range problems {
		if f.Code == domain.FieldTaken {
			return http.StatusConflict
		}
	}
	return http.StatusUnprocessableEntity
}

// fieldMessages translates field errors and keys them by form field name.
func (s *Server) fieldMessages(rq *request, problems []domain.FieldError) map[string]string {
	out := make(map[string]string, len(problems))
	for _, f := range problems {
		name := strings.TrimPrefix(f.Field, "address.")
		if name == "credit_limit_cents" {
			name = "credit_limit"
		}
		params := f.Params
		if name == "credit_limit" && f.Code == domain.FieldOutOfRange {
			params = map[string]any{"min": money.FormatCents(0, string(rq.lang)), "max": money.FormatCents(domain.MaxCreditLimit, string(rq.lang))}
		}
		msg := s.msgs.T(rq.lang, "field."+f.Code, params)
		if prev, ok := out[name]; ok {
			msg = prev + " " + msg
		}
		out[name] = msg
	}
	return out
}
