package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
)

// shopRateInputs is how many VAT rate inputs the shop form offers: Spain's four rates and
// room for two more. Empty inputs are ignored.
const shopRateInputs = 6

type shopPage struct {
	form
	Version   int64
	Countries []option
	Message   string
	Conflict  bool
}

// RateInputs are the names of the VAT rate inputs, in order.
func (p shopPage) RateInputs() []string {
	n := shopRateInputs
	for p.Values[rateInput(n)] != "" && n < domain.MaxVATRates {
		n++
	}
	out := make([]string, n)
	for i := range out {
		out[i] = rateInput(i)
	}
	return out
}

func rateInput(i int) string { return fmt.Sprintf("vat_rate_%d", i) }

// shopFormFields name the shop form's fields for its summary, in the order of the page.
var shopFormFields = []formField{
	{"name", "shop.name", ""}, {"tax_id", "shop.tax_id", ""},
	{"line1", "customer.line1", ""}, {"line2", "customer.line2", ""}, {"postal_code", "customer.postal_code", ""},
	{"city", "customer.city", ""}, {"region", "customer.region", ""}, {"country", "shop.country", ""},
	{"invoice_prefix", "shop.invoice_prefix", ""}, {"vat_rates", "shop.vat_rates", "f-vat_rate_0"},
}

// shopForm is the admin's page of the shop's details: what every receipt and invoice prints
// (name, tax id, address), the invoices' series prefix, the VAT rates offered at the till,
// and the country, which also decides the tax-id checks of addresses without a country and
// how phone numbers are shown.
func (s *Server) shopForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	shop, err := s.app.Shop(r.Context(), rq.p)
	if err != nil {
		return err
	}
	page := shopPage{Version: shop.Version, form: form{Values: shopValues(shop, string(rq.lang))}}
	return s.renderShop(w, r, rq, http.StatusOK, page)
}

func shopValues(shop domain.Shop, lang string) map[string]string {
	v := map[string]string{
		"name": shop.Name, "tax_id": shop.TaxID, "line1": shop.Address.Line1, "line2": shop.Address.Line2,
		"postal_code": shop.Address.PostalCode, "city": shop.Address.City, "region": shop.Address.Region,
		"country": shop.Address.Country, "invoice_prefix": shop.InvoicePrefix,
	}
	for i, rate := range shop.VATRates {
		v[rateInput(i)] = money.FormatPercentNumber(rate, lang)
	}
	return v
}

func (s *Server) renderShop(w http.ResponseWriter, r *http.Request, rq *request, status int, page shopPage) error {
	page.Countries = s.countries[rq.lang][1:] // every country; no "default" entry here
	s.summarize(rq, &page.form, shopFormFields)
	return s.render(w, r, rq, status, "shop", page)
}

func (s *Server) shopSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	values := map[string]string{}
	for _, name := range []string{"name", "tax_id", "line1", "line2", "postal_code", "city", "region", "country", "invoice_prefix"} {
		values[name] = r.PostForm.Get(name)
	}
	for i := range domain.MaxVATRates {
		if v := r.PostForm.Get(rateInput(i)); v != "" {
			values[rateInput(i)] = v
		}
	}
	page := shopPage{form: form{Values: values}}
	page.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	ch := domain.ShopChanges{
		Name: domain.Some(values["name"]), TaxID: domain.Some(values["tax_id"]), Line1: domain.Some(values["line1"]),
		Line2: domain.Some(values["line2"]), PostalCode: domain.Some(values["postal_code"]), City: domain.Some(values["city"]),
		Region: domain.Some(values["region"]), Country: domain.Some(values["country"]),
		InvoicePrefix: domain.Some(values["invoice_prefix"]),
	}
	// The rates are read here; what they mean together (none, twice the same) is the use
	// case's to say, in the same answer as the form's own problems.
	var problems []domain.FieldError
	var rates []int64
	for i := range domain.MaxVATRates {
		text := strings.TrimSpace(values[rateInput(i)])
		if text == "" {
			continue
		}
		bp, err := money.ParsePercent(text, string(rq.lang))
		if err != nil {
			problems = append(problems, domain.FieldError{Field: rateInput(i), Code: amountErrorCode(err)})
			continue
		}
		rates = append(rates, bp)
	}
	if problems == nil {
		ch.VATRates = domain.Some(rates)
	}
	// Every problem in one answer: the form's own (a rate that is not a number) and the
	// domain's (a wrong tax id, a prefix with spaces), checked on a copy before any save.
	saved, err := s.app.Shop(r.Context(), rq.p)
	if err != nil {
		return err
	}
	candidate := saved
	candidate.VATRates = slices.Clone(saved.VATRates)
	ch.Apply(&candidate)
	if err := candidate.Prepare(); err != nil {
		more := fieldProblems(err)
		if more == nil {
			return err
		}
		if problems != nil { // the rates were not set: their check says nothing useful
			more = slices.DeleteFunc(more, func(f domain.FieldError) bool { return f.Field == "vat_rates_basis_points" })
		}
		problems = append(problems, more...)
	}
	if len(problems) > 0 {
		page.Errors = s.shopFieldMessages(rq, problems)
		return s.renderShop(w, r, rq, problemStatus(problems), page)
	}
	_, err = s.app.UpdateShop(r.Context(), rq.p, domain.IfVersion(page.Version), ch)
	switch {
	case err == nil:
		s.setFlash(w, r, "flash.shop_saved", nil)
		http.Redirect(w, r, "/settings/shop", http.StatusSeeOther)
		return nil
	case domain.ErrorCode(err) == domain.CodePreconditionFailed:
		// Someone saved in between: keep what this user typed, say so, and arm the form with
		// the saved version, so that saving again is a deliberate overwrite.
		page.Conflict, page.Version = true, saved.Version
		if now, serr := s.app.Shop(r.Context(), rq.p); serr == nil {
			page.Version = now.Version
		}
		page.Message = s.msgs.T(rq.lang, "web.shop_conflict", nil)
		return s.renderShop(w, r, rq, http.StatusConflict, page)
	}
	if problems = fieldProblems(err); problems == nil {
		return err
	}
	page.Errors = s.shopFieldMessages(rq, problems)
	return s.renderShop(w, r, rq, problemStatus(problems), page)
}

// shopFieldMessages names the rates' problems after the form's inputs.
func (s *Server) shopFieldMessages(rq *request, problems []domain.FieldError) map[string]string {
	for i, f := range problems {
		switch {
		case f.Field == "vat_rates_basis_points":
			problems[i].Field = "vat_rates"
			if f.Code == domain.FieldOutOfRange {
				problems[i].Params = map[string]any{"min": "0", "max": "100"}
			}
		case strings.HasPrefix(f.Field, "address."):
			problems[i].Field = strings.TrimPrefix(f.Field, "address.")
		}
	}
	return s.fieldMessages(rq, problems)
}
