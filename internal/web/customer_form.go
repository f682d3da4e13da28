package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
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
	SharedKey string // set when the save waits for "save anyway" (app.CustomerCheck.SharedKey)
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

// HadEmail and SavedBox are what the invoice box follows in the page's script: the use case
// turns invoices by e-mail on when an e-mail is given to a customer who had none and off when
// it is removed (domain.CustomerChanges.Apply), so while the user has not touched the box,
// the script moves it as the e-mail field empties or fills, and the box shows what will be
// saved.
func (p customerFormPage) HadEmail() bool {
	return p.Saved != nil && strings.TrimSpace(p.Saved.Email) != ""
}

// SavedBox is the box as stored (off on a new customer).
func (p customerFormPage) SavedBox() bool { return p.Saved != nil && p.Saved.InvoiceByEmail }

// customerFields are the form's fields, by their form name: the API's field names without
// the "address." prefix, the credit limit in euros instead of cents, and the invoice box as
// it was shown.
var customerFields = []string{
	"kind", "title", "first_name", "last_name", "company_name", "legal_form", "tax_id", "email",
	"phone", "line1", "line2", "postal_code", "city", "region", "country", "reference",
	"account_number", "group_id", "notes", "credit_limit", "invoice_by_email", "invoice_by_email_shown",
	"marketing_consent",
}

// customerFormFields name the fields for the form's summaries, in the order of the page.
var customerFormFields = []formField{
	{"kind", "customer.kind", "kind-person"}, {"title", "customer.title", ""},
	{"first_name", "customer.first_name", ""}, {"last_name", "customer.last_name", ""},
	{"company_name", "customer.company_name", ""}, {"legal_form", "customer.legal_form", ""},
	{"tax_id", "customer.tax_id", ""}, {"email", "customer.email", ""}, {"phone", "customer.phone", ""},
	{"line1", "customer.line1", ""}, {"line2", "customer.line2", ""}, {"postal_code", "customer.postal_code", ""},
	{"city", "customer.city", ""}, {"region", "customer.region", ""}, {"country", "customer.country", ""},
	{"reference", "customer.reference", ""}, {"account_number", "customer.account_number", ""},
	{"group_id", "customer.group", ""}, {"credit_limit", "customer.credit_limit", ""},
	{"invoice_by_email", "customer.invoice_by_email", ""}, {"marketing_consent", "customer.marketing_consent", ""},
	{"notes", "customer.notes", ""},
}

func (s *Server) customerNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.URL.Query().Get("kind")
	if kind != string(domain.KindCompany) {
		kind = string(domain.KindPerson)
	}
	// The box is shown as a customer without an e-mail is saved: off.
	page := customerFormPage{New: true, form: form{Values: map[string]string{"kind": kind, "invoice_by_email_shown": "off"}}}
	return s.renderCustomerForm(w, r, rq, http.StatusOK, page)
}

func (s *Server) customerCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := customerFormPage{New: true, form: form{Values: formValues(r)}}
	return s.saveCustomer(w, r, rq, page, false)
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
	return s.saveCustomer(w, r, rq, page, saved.InvoiceByEmail)
}

// saveCustomer checks the posted form with the use case before saving, so that one submit
// reports every problem (the form's own, such as an amount that is not a number, and the use
// case's), and so that a tax id, e-mail or phone another customer has is shown with its
// holders and saved only when the user confirms ("save anyway", which posts back the check's
// key). boxShown is how the invoice box was shown when the form does not say.
func (s *Server) saveCustomer(w http.ResponseWriter, r *http.Request, rq *request, page customerFormPage, boxShown bool) error {
	ctx := r.Context()
	if v := page.Values["invoice_by_email_shown"]; v == "on" || v == "off" {
		boxShown = v == "on"
	}
	ch, problems := s.customerChanges(page.Values, rq, boxShown)
	check, err := s.app.CheckCustomer(ctx, rq.p, page.ID, ch)
	if err != nil {
		return err
	}
	problems = append(problems, check.Problems...)
	s.sharedWarnings(rq, &page, check)
	if len(problems) > 0 {
		return s.refuseCustomer(w, r, rq, page, problems, check.ReferenceHolder)
	}
	if key := check.SharedKey(); key != "" && r.PostForm.Get("shared_ok") != key {
		page.SharedKey = key
		return s.renderCustomerForm(w, r, rq, http.StatusConflict, page)
	}
	var c domain.Customer
	if page.New {
		c, err = s.app.CreateCustomer(ctx, rq.p, ch)
	} else {
		c, err = s.app.UpdateCustomer(ctx, rq.p, page.ID, domain.IfVersion(page.Version), ch)
	}
	switch {
	case err == nil:
		key := "flash.customer_saved"
		if page.New {
			key = "flash.customer_created"
		}
		s.setFlash(w, r, key, map[string]any{"name": c.DisplayName()})
		// A new customer goes back to the register, where "Nuevo" was pressed; an edited
		// one to the profile, where "Editar" was.
		to := "/customers"
		if !page.New {
			to = "/customers/" + c.ID
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	case !page.New && domain.ErrorCode(err) == domain.CodePreconditionFailed:
		// Someone saved in between. Keep what this user typed, say so, and arm the form
		// with the saved version: saving again is then a deliberate overwrite.
		saved, serr := s.app.Customer(ctx, rq.p, page.ID)
		if serr != nil {
			return serr
		}
		page.Conflict, page.Version, page.Saved = true, saved.Version, &saved
		page.Message = s.msgs.T(rq.lang, "web.customer_conflict", nil)
		return s.renderCustomerForm(w, r, rq, http.StatusConflict, page)
	}
	// Something changed since the check (a reference taken meanwhile).
	if problems = fieldProblems(err); problems == nil {
		return err
	}
	var holder *domain.Customer
	if h, herr := s.app.CustomerByReference(ctx, rq.p, page.Values["reference"]); herr == nil && h.ID != page.ID {
		holder = &h
	}
	return s.refuseCustomer(w, r, rq, page, problems, holder)
}

// refuseCustomer shows the form again with its problems, a taken reference naming the
// customer who has it.
func (s *Server) refuseCustomer(w http.ResponseWriter, r *http.Request, rq *request, page customerFormPage, problems []domain.FieldError, holder *domain.Customer) error {
	page.Errors = s.fieldMessages(rq, problems)
	if holder != nil && page.Errors["reference"] != "" {
		page.Errors["reference"] = s.msgs.T(rq.lang, "web.reference_taken_by", nil)
		page.addLink("reference", link{Href: "/customers/" + holder.ID, Text: holder.DisplayName()})
	}
	return s.renderCustomerForm(w, r, rq, problemStatus(problems), page)
}

// sharedWarnings puts what other customers have next to each field, naming them.
func (s *Server) sharedWarnings(rq *request, page *customerFormPage, check app.CustomerCheck) {
	for _, sh := range check.Shared {
		name := string(sh.Field)
		if page.Warnings == nil {
			page.Warnings = map[string]string{}
		}
		page.Warnings[name] = s.msgs.T(rq.lang, i18n.PluralKey("web.shared."+name, int64(len(sh.Holders))), nil)
		for _, h := range sh.Holders {
			page.addLink(name, link{Href: "/customers/" + h.ID, Text: h.DisplayName()})
		}
		if sh.More {
			page.addLink(name, link{Text: s.msgs.T(rq.lang, "web.shared_more", nil), More: true})
		}
	}
}

func (f *form) addLink(field string, l link) {
	if f.Links == nil {
		f.Links = map[string][]link{}
	}
	f.Links[field] = append(f.Links[field], l)
}

func (s *Server) renderCustomerForm(w http.ResponseWriter, r *http.Request, rq *request, status int, page customerFormPage) error {
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return err
	}
	page.Groups = []option{{Value: "", Label: s.msgs.T(rq.lang, "customer.no_group", nil)}}
	for _, g := range groups {
		page.Groups = append(page.Groups, option{Value: g.ID, Label: groupLabel(g, string(rq.lang))})
	}
	page.Countries = s.countries[rq.lang]
	page.CanDelete = !page.New && rq.p.Role.Can(domain.PermCustomersDelete)
	s.summarize(rq, &page.form, customerFormFields)
	return s.render(w, r, rq, status, "customer_form", page)
}

// ConsentNote says since when the saved customer agreed to marketing, if they do (after an
// unsubscribe link the date is the opt-out's, not shown here).
func (p customerFormPage) ConsentNote(l loc) string {
	if p.Saved == nil || !p.Saved.MarketingConsent || p.Saved.MarketingConsentAt == nil {
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
	v["invoice_by_email_shown"] = "off"
	if c.InvoiceByEmail {
		v["invoice_by_email"], v["invoice_by_email_shown"] = "on", "on"
	}
	if c.MarketingConsent {
		v["marketing_consent"] = "on"
	}
	return v
}

// customerChanges turns the form into the changes a use case takes. The form always sends
// every field, so every field is set, except two that the page holds but the user did not
// give: the other kind's section, hidden on the page (the use case clears those fields), and
// the invoice-by-e-mail box when it is as it was shown (boxShown: the form posts it back, as
// the page's script last set it), so that the use case's rule decides (on when an e-mail is
// given, off when it is removed, no error about a box nobody touched). It returns
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
