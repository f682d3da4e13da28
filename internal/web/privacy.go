package web

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// Privacy requests (issue 11, docs/privacy.md): a customer's data to read or download, their
// erasure behind a confirmation, and the retention period (admins).

// customerPrivacyPage is everything held about a customer, readable.
type customerPrivacyPage struct {
	P app.PrivacyPackage
}

// customerPrivacy is GET /customers/{id}/privacy: the package as a page (audited, as the
// download is).
func (s *Server) customerPrivacy(w http.ResponseWriter, r *http.Request, rq *request) error {
	pkg, err := s.app.PrivacyExport(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, rq, http.StatusOK, "customer_privacy", customerPrivacyPage{P: pkg})
}

// customerPrivacyJSON is GET /customers/{id}/privacy.json: the package to download.
func (s *Server) customerPrivacyJSON(w http.ResponseWriter, r *http.Request, rq *request) error {
	pkg, err := s.app.PrivacyExport(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "customer-" + pkg.Customer.ID + ".json"}))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// customerErasePage asks to confirm an erasure, naming the customer and what stays.
type customerErasePage struct {
	ID           string
	Name         string
	BalanceCents int64
}

func (s *Server) customerEraseForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.app.Customer(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	page := customerErasePage{ID: c.ID, Name: c.DisplayName()}
	acc, err := s.app.Account(r.Context(), rq.p, c.ID, "", 1)
	if err != nil {
		return err
	}
	page.BalanceCents = acc.Account.BalanceCents
	return s.render(w, r, rq, http.StatusOK, "customer_erase", page)
}

func (s *Server) customerErase(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.app.EraseCustomer(r.Context(), rq.p, r.PathValue("id")); err != nil {
		return err
	}
	// The message names nobody: the flash travels in a cookie.
	s.setFlash(w, r, "flash.customer_erased", nil)
	http.Redirect(w, r, "/customers", http.StatusSeeOther)
	return nil
}

// privacySettingsPage is the retention period with what a run would anonymise now.
type privacySettingsPage struct {
	form
	R       app.RetentionReport
	Version int // the period read, sent back with the form
}

var privacyFormFields = []formField{{"retention_years", "privacy.retention_years", ""}}

func (s *Server) privacySettings(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderPrivacySettings(w, r, rq, http.StatusOK, privacySettingsPage{})
}

func (s *Server) renderPrivacySettings(w http.ResponseWriter, r *http.Request, rq *request, status int, page privacySettingsPage) error {
	rep, err := s.app.RunRetention(r.Context(), rq.p, true)
	if err != nil {
		return err
	}
	page.R, page.Version = rep, rep.Years
	if page.Values == nil {
		page.Values = map[string]string{"retention_years": strconv.Itoa(rep.Years)}
	}
	s.summarize(rq, &page.form, privacyFormFields)
	return s.render(w, r, rq, status, "privacy_settings", page)
}

func (s *Server) privacySettingsSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	values := map[string]string{"retention_years": strings.TrimSpace(r.PostForm.Get("retention_years"))}
	years, perr := strconv.Atoi(values["retention_years"])
	if perr != nil {
		years = -1
	}
	match := domain.IfAnyVersion()
	if v, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64); err == nil {
		match = domain.IfVersion(v)
	}
	err := s.app.SetRetentionYears(r.Context(), rq.p, match, years)
	if err == nil {
		s.setFlash(w, r, "flash.privacy_saved", nil)
		http.Redirect(w, r, "/settings/privacy", http.StatusSeeOther)
		return nil
	}
	if domain.ErrorCode(err) == domain.CodePreconditionFailed {
		page := privacySettingsPage{form: form{Values: values, Errors: map[string]string{"retention_years": s.msgs.T(rq.lang, "privacy.changed_meanwhile", nil)}}}
		return s.renderPrivacySettings(w, r, rq, http.StatusConflict, page)
	}
	problems := fieldProblems(err)
	if problems == nil {
		return err
	}
	page := privacySettingsPage{form: form{Values: values, Errors: s.fieldMessages(rq, problems)}}
	return s.renderPrivacySettings(w, r, rq, problemStatus(problems), page)
}

// privacyRun anonymises what is past the period now (the daily run does it too).
func (s *Server) privacyRun(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	rep, err := s.app.RunRetention(r.Context(), rq.p, false)
	if err != nil {
		return err
	}
	s.setFlash(w, r, "flash.retention_ran", map[string]any{"invoices": rep.Invoices, "entries": rep.LedgerEntries})
	http.Redirect(w, r, "/settings/privacy", http.StatusSeeOther)
	return nil
}
