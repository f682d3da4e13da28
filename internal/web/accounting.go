package web

import (
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
	"github.com/clientela/clientela/internal/verifactu"
)

// planRow is one account of the plan's form: what it is for, and its number and label.
type planRow struct {
	Title       string
	Name        string // inputs Name+".number" and Name+".label"
	NumberErr   string
	LabelErr    string
	Number      string
	Label       string
	RateAccount bool
}

type accountPlanPage struct {
	form
	Version  int64
	Rows     []planRow
	Message  string
	Conflict bool
}

// planFixed are the plan's accounts that are not per rate, in the order of the form.
var planFixed = []string{"default_customer", "cash", "card", "bank", "customer_credit", "adjustments", "general_sales", "general_output_vat"}

func planAccountOf(p *domain.AccountPlan, key string) *domain.PlanAccount {
	switch key {
	case "default_customer":
		return &p.DefaultCustomer
	case "cash":
		return &p.Cash
	case "card":
		return &p.Card
	case "bank":
		return &p.Bank
	case "customer_credit":
		return &p.CustomerCredit
	case "adjustments":
		return &p.Adjustments
	case "general_sales":
		return &p.GeneralSales
	case "general_output_vat":
		return &p.GeneralVAT
	}
	return nil
}

// rateName names a per-rate row's inputs: "sales.2100", "output_vat.2100".
func rateName(list string, rate int64) string { return list + "." + strconv.FormatInt(rate, 10) }

// accountPlanForm is the admin's page of the account plan: the accounts the accounting
// export writes to, and how many digits they have.
func (s *Server) accountPlanForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	plan, err := s.app.AccountPlan(r.Context(), rq.p)
	if err != nil {
		return err
	}
	page := accountPlanPage{Version: plan.Version, form: form{Values: planValues(&plan)}}
	return s.renderAccountPlan(w, r, rq, http.StatusOK, &plan, page)
}

func planValues(p *domain.AccountPlan) map[string]string {
	v := map[string]string{"account_number_length": strconv.Itoa(p.Length)}
	for _, key := range planFixed {
		a := planAccountOf(p, key)
		v[key+".number"], v[key+".label"] = a.Number, a.Label
	}
	for _, ra := range p.Sales {
		v[rateName("sales", ra.RateBasisPoints)+".number"], v[rateName("sales", ra.RateBasisPoints)+".label"] = ra.Number, ra.Label
	}
	for _, ra := range p.OutputVAT {
		v[rateName("output_vat", ra.RateBasisPoints)+".number"], v[rateName("output_vat", ra.RateBasisPoints)+".label"] = ra.Number, ra.Label
	}
	return v
}

func (s *Server) renderAccountPlan(w http.ResponseWriter, r *http.Request, rq *request, status int, plan *domain.AccountPlan, page accountPlanPage) error {
	row := func(title, name string, rate bool) planRow {
		return planRow{Title: title, Name: name, Number: page.Values[name+".number"], Label: page.Values[name+".label"],
			NumberErr: page.Errors[name+".number"], LabelErr: page.Errors[name+".label"], RateAccount: rate}
	}
	var fields []formField
	for _, key := range planFixed {
		page.Rows = append(page.Rows, row(s.msgs.T(rq.lang, "accounting.plan."+key, nil), key, false))
		fields = append(fields, formField{key + ".number", "accounting.plan." + key, ""}, formField{key + ".label", "accounting.plan." + key, ""})
	}
	for _, ra := range plan.Sales {
		pct := money.FormatPercentNumber(ra.RateBasisPoints, string(rq.lang))
		page.Rows = append(page.Rows, row(s.msgs.T(rq.lang, "accounting.plan.sales_rate", map[string]any{"rate": pct}), rateName("sales", ra.RateBasisPoints), true))
	}
	for _, ra := range plan.OutputVAT {
		pct := money.FormatPercentNumber(ra.RateBasisPoints, string(rq.lang))
		page.Rows = append(page.Rows, row(s.msgs.T(rq.lang, "accounting.plan.vat_rate", map[string]any{"rate": pct}), rateName("output_vat", ra.RateBasisPoints), true))
	}
	fields = append(fields, formField{"account_number_length", "accounting.plan.length", ""})
	s.summarize(rq, &page.form, fields)
	return s.render(w, r, rq, status, "account_plan", page)
}

func (s *Server) accountPlanSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	plan, err := s.app.AccountPlan(r.Context(), rq.p)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for name := range planValues(&plan) {
		values[name] = r.PostForm.Get(name)
	}
	page := accountPlanPage{form: form{Values: values}}
	page.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	var ch domain.AccountPlanChanges
	var problems []domain.FieldError
	if n, err := strconv.Atoi(strings.TrimSpace(values["account_number_length"])); err != nil {
		problems = append(problems, domain.FieldError{Field: "account_number_length", Code: "not_a_number"})
	} else {
		ch.Length = domain.Some(n)
	}
	acct := func(name string) domain.PlanAccount {
		return domain.PlanAccount{Number: values[name+".number"], Label: values[name+".label"]}
	}
	for _, key := range planFixed {
		a := domain.Some(acct(key))
		switch key {
		case "default_customer":
			ch.DefaultCustomer = a
		case "cash":
			ch.Cash = a
		case "card":
			ch.Card = a
		case "bank":
			ch.Bank = a
		case "customer_credit":
			ch.CustomerCredit = a
		case "adjustments":
			ch.Adjustments = a
		case "general_sales":
			ch.GeneralSales = a
		case "general_output_vat":
			ch.GeneralVAT = a
		}
	}
	rates := func(list string, rs []domain.RateAccount) []domain.RateAccount {
		out := make([]domain.RateAccount, len(rs))
		for i, ra := range rs {
			out[i] = domain.RateAccount{RateBasisPoints: ra.RateBasisPoints, PlanAccount: acct(rateName(list, ra.RateBasisPoints))}
		}
		return out
	}
	ch.Sales, ch.OutputVAT = domain.Some(rates("sales", plan.Sales)), domain.Some(rates("output_vat", plan.OutputVAT))
	if problems == nil {
		_, err = s.app.UpdateAccountPlan(r.Context(), rq.p, domain.IfVersion(page.Version), ch)
		switch {
		case err == nil:
			s.setFlash(w, r, "flash.account_plan_saved", nil)
			http.Redirect(w, r, "/settings/accounts", http.StatusSeeOther)
			return nil
		case domain.ErrorCode(err) == domain.CodePreconditionFailed:
			page.Conflict, page.Version = true, plan.Version
			page.Message = s.msgs.T(rq.lang, "accounting.plan_conflict", nil)
			return s.renderAccountPlan(w, r, rq, http.StatusConflict, &plan, page)
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	// The domain names the per-rate accounts by their place in the lists: name them after
	// the form's inputs.
	for i, f := range problems {
		for _, list := range []struct {
			name string
			rs   []domain.RateAccount
		}{{"sales", plan.Sales}, {"output_vat", plan.OutputVAT}} {
			for j, ra := range list.rs {
				prefix := fmt.Sprintf("%s[%d].", list.name, j)
				if rest, ok := strings.CutPrefix(f.Field, prefix); ok {
					problems[i].Field = rateName(list.name, ra.RateBasisPoints) + "." + rest
				}
			}
		}
	}
	page.Errors = s.fieldMessages(rq, problems)
	return s.renderAccountPlan(w, r, rq, problemStatus(problems), &plan, page)
}

type exportsPage struct {
	form
	Message string
	Totals  *app.ExportSummary
	CSVHref string
	FECHref string
}

// exportsPage is the manager's page of the accounting export: a period, its totals (entries,
// Σ debit and credit per account) and the downloads of its journal as CSV and as FEC.
func (s *Server) exportsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	today := time.Now().In(verifactu.Madrid())
	from, to := q.Get("from"), q.Get("to")
	page := exportsPage{form: form{Values: map[string]string{"from": from, "to": to}}}
	if from == "" && to == "" {
		page.Values["from"] = today.AddDate(0, 0, 1-today.Day()).Format(time.DateOnly)
		page.Values["to"] = today.Format(time.DateOnly)
		return s.renderExports(w, r, rq, http.StatusOK, page)
	}
	sum, err := s.app.AccountingTotals(r.Context(), rq.p, app.AccountingQuery{From: from, To: to})
	if domain.ErrorCode(err) == domain.CodeBusy {
		return s.renderExportsBusy(w, r, rq, page)
	}
	if err != nil {
		problems := fieldProblems(err)
		if problems == nil {
			return err
		}
		page.Errors = s.fieldMessages(rq, problems)
		return s.renderExports(w, r, rq, http.StatusUnprocessableEntity, page)
	}
	page.Totals = &sum
	v := url.Values{"from": {from}, "to": {to}}
	v.Set("format", app.FormatCSV)
	page.CSVHref = "/exports/accounting?" + v.Encode()
	v.Set("format", app.FormatFEC)
	page.FECHref = "/exports/accounting?" + v.Encode()
	return s.renderExports(w, r, rq, http.StatusOK, page)
}

func (s *Server) renderExports(w http.ResponseWriter, r *http.Request, rq *request, status int, page exportsPage) error {
	s.summarize(rq, &page.form, []formField{{"from", "accounting.export.from", ""}, {"to", "accounting.export.to", ""}})
	return s.render(w, r, rq, status, "exports", page)
}

// exportDownload streams a period's journal as a download; once sent has begun a failure
// cuts the connection, so a browser shows a failed download rather than a short file.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	aq := app.AccountingQuery{From: q.Get("from"), To: q.Get("to"), Format: q.Get("format")}
	started := false
	_, err := s.app.ExportAccounting(r.Context(), rq.p, aq, func(name string) (io.Writer, error) {
		ctype := "text/csv; charset=utf-8"
		if aq.Format == app.FormatFEC {
			ctype = "text/plain; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Header().Set("Cache-Control", "no-store")
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
		w.WriteHeader(http.StatusOK)
		started = true
		return w, nil
	}, nil)
	if err != nil && started {
		s.log.Warn("accounting export cut short", slog.String("error", err.Error()))
		panic(http.ErrAbortHandler)
	}
	if domain.ErrorCode(err) == domain.CodeBusy {
		return s.renderExportsBusy(w, r, rq, exportsPage{form: form{Values: map[string]string{"from": aq.From, "to": aq.To}}})
	}
	return err
}

// renderExportsBusy answers 503 with the period's form and why: too many exports run now.
func (s *Server) renderExportsBusy(w http.ResponseWriter, r *http.Request, rq *request, page exportsPage) error {
	w.Header().Set("Retry-After", "5")
	page.Message = s.msgs.T(rq.lang, "error.busy.exports", nil)
	return s.renderExports(w, r, rq, http.StatusServiceUnavailable, page)
}
