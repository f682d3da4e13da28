package web

import (
	"net/http"
)

type shopPage struct {
	form
	Countries []option
	Message   string
}

// shopForm is the admin's page of the shop's own settings: for now its country, which decides
// the tax-id checks of addresses without a country and how phone numbers are shown.
func (s *Server) shopForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	code, err := s.app.ShopCountry(r.Context())
	if err != nil {
		return err
	}
	return s.renderShop(w, r, rq, http.StatusOK, shopPage{form: form{Values: map[string]string{"country": code}}})
}

func (s *Server) renderShop(w http.ResponseWriter, r *http.Request, rq *request, status int, page shopPage) error {
	page.Countries = s.countries[rq.lang][1:] // every country; no "default" entry here
	return s.render(w, r, rq, status, "shop", page)
}

func (s *Server) shopSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	values := map[string]string{"country": r.PostForm.Get("country")}
	err := s.app.SetShopCountry(r.Context(), rq.p, values["country"])
	if err == nil {
		s.setFlash(w, r, "flash.shop_saved", nil)
		http.Redirect(w, r, "/settings/shop", http.StatusSeeOther)
		return nil
	}
	problems := fieldProblems(err)
	if problems == nil {
		return err
	}
	page := shopPage{form: form{Values: values, Errors: s.fieldMessages(rq, problems)}}
	s.summarize(rq, &page.form, []formField{{"country", "shop.country", ""}})
	return s.renderShop(w, r, rq, problemStatus(problems), page)
}
