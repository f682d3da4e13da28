package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// exportWriteTime is how long an export may take to send: the server's write timeout is
// for ordinary answers; a year's journal streams for longer.
const exportWriteTime = 30 * time.Minute

type planAccountJSON struct {
	Number string `json:"number"`
	Label  string `json:"label"`
}

type rateAccountJSON struct {
	RateBasisPoints int64  `json:"rate_basis_points"`
	Number          string `json:"number"`
	Label           string `json:"label"`
}

type accountPlanJSON struct {
	AccountNumberLength int               `json:"account_number_length"`
	DefaultCustomer     planAccountJSON   `json:"default_customer"`
	Sales               []rateAccountJSON `json:"sales"`
	GeneralSales        planAccountJSON   `json:"general_sales"`
	OutputVAT           []rateAccountJSON `json:"output_vat"`
	GeneralOutputVAT    planAccountJSON   `json:"general_output_vat"`
	Cash                planAccountJSON   `json:"cash"`
	Card                planAccountJSON   `json:"card"`
	Bank                planAccountJSON   `json:"bank"`
	CustomerCredit      planAccountJSON   `json:"customer_credit"`
	Adjustments         planAccountJSON   `json:"adjustments"`
	UpdatedAt           *string           `json:"updated_at"`
	Version             int64             `json:"version"`
}

func toPlanAccountJSON(a domain.PlanAccount) planAccountJSON {
	return planAccountJSON{a.Number, a.Label}
}

func toRateAccountsJSON(rs []domain.RateAccount) []rateAccountJSON {
	out := make([]rateAccountJSON, len(rs))
	for i, r := range rs {
		out[i] = rateAccountJSON{r.RateBasisPoints, r.Number, r.Label}
	}
	return out
}

func toAccountPlanJSON(p *domain.AccountPlan) accountPlanJSON {
	var updated *string
	if !p.UpdatedAt.IsZero() {
		s := timeJSON(p.UpdatedAt)
		updated = &s
	}
	return accountPlanJSON{AccountNumberLength: p.Length, DefaultCustomer: toPlanAccountJSON(p.DefaultCustomer),
		Sales: toRateAccountsJSON(p.Sales), GeneralSales: toPlanAccountJSON(p.GeneralSales),
		OutputVAT: toRateAccountsJSON(p.OutputVAT), GeneralOutputVAT: toPlanAccountJSON(p.GeneralVAT),
		Cash: toPlanAccountJSON(p.Cash), Card: toPlanAccountJSON(p.Card), Bank: toPlanAccountJSON(p.Bank),
		CustomerCredit: toPlanAccountJSON(p.CustomerCredit), Adjustments: toPlanAccountJSON(p.Adjustments),
		UpdatedAt: updated, Version: p.Version}
}

func (s *Server) getAccountPlan(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	plan, err := s.app.AccountPlan(r.Context(), p)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(plan.Version))
	writeJSON(w, http.StatusOK, toAccountPlanJSON(&plan))
	return nil
}

// updateAccountPlan applies a merge patch: each account given is replaced whole (number and
// label), the lists per rate too.
func (s *Server) updateAccountPlan(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	var ch domain.AccountPlanChanges
	if n := f.integer("account_number_length"); n.Set {
		ch.Length = domain.Some(int(max(min(n.Value, 1000), -1000)))
	}
	var children []*fieldReader
	account := func(name string, dst *domain.Opt[domain.PlanAccount]) {
		sub, ok := f.nested(name)
		if !ok {
			return
		}
		children = append(children, sub)
		num, label := sub.str("number"), sub.str("label")
		*dst = domain.Some(domain.PlanAccount{Number: num.Value, Label: label.Value})
	}
	account("default_customer", &ch.DefaultCustomer)
	account("general_sales", &ch.GeneralSales)
	account("general_output_vat", &ch.GeneralVAT)
	account("cash", &ch.Cash)
	account("card", &ch.Card)
	account("bank", &ch.Bank)
	account("customer_credit", &ch.CustomerCredit)
	account("adjustments", &ch.Adjustments)
	rates := func(name string, dst *domain.Opt[[]domain.RateAccount]) {
		v, ok := f.raw(name)
		if !ok {
			return
		}
		var items []json.RawMessage
		if !isNull(v) && json.Unmarshal(v, &items) != nil {
			f.fail(name, domain.FieldWrongType, map[string]any{"expected": "array of objects"})
			return
		}
		out := make([]domain.RateAccount, 0, len(items))
		for i, item := range items {
			prefix := name + "[" + strconv.Itoa(i) + "]"
			o, err := parseObject(item, prefix)
			if err != nil {
				f.fail(prefix, domain.FieldWrongType, map[string]any{"expected": "object"})
				continue
			}
			sub := newFieldReader(o, prefix+".")
			children = append(children, sub)
			var ra domain.RateAccount
			rate := sub.integer("rate_basis_points")
			if !rate.Set {
				rate.Value = -1 // refused by the plan's rules as out of range
			}
			ra.RateBasisPoints, ra.Number, ra.Label = rate.Value, sub.str("number").Value, sub.str("label").Value
			out = append(out, ra)
		}
		*dst = domain.Some(out)
	}
	rates("sales", &ch.Sales)
	rates("output_vat", &ch.OutputVAT)
	for _, ro := range []string{"updated_at", "version"} {
		f.raw(ro)
	}
	if err := f.done(children...); err != nil {
		return err
	}
	plan, err := s.app.UpdateAccountPlan(r.Context(), p, match, ch)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(plan.Version))
	writeJSON(w, http.StatusOK, toAccountPlanJSON(&plan))
	return nil
}

// exportAccounting streams the journal of a period as a download. Once the first byte is
// sent a failure can no longer be answered with an error: the connection is cut instead, so
// the client sees an incomplete transfer rather than a short journal.
func (s *Server) exportAccounting(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	aq := app.AccountingQuery{From: q.Get("from"), To: q.Get("to"), Format: q.Get("format")}
	if aq.Format == "" {
		aq.Format = app.FormatCSV
	}
	started := false
	_, err := s.app.ExportAccounting(r.Context(), p, aq, func(name string) (io.Writer, error) {
		ctype := "text/csv; charset=utf-8"
		if aq.Format == app.FormatFEC {
			ctype = "text/plain; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Header().Set("Cache-Control", "no-store")
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime))
		w.WriteHeader(http.StatusOK)
		started = true
		return w, nil
	}, nil)
	if err != nil && started {
		s.log.Warn("accounting export cut short", slog.String("error", err.Error()))
		panic(http.ErrAbortHandler)
	}
	return err
}
