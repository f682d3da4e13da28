package httpapi

import (
	"net/http"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// ageingJSON is a debt spread over its ages, in cents.
type ageingJSON struct {
	Days0To30  int64 `json:"days_0_30"`
	Days31To60 int64 `json:"days_31_60"`
	Days61To90 int64 `json:"days_61_90"`
	Over90     int64 `json:"days_over_90"`
}

func toAgeingJSON(a [domain.AgeBuckets]int64) ageingJSON {
	return ageingJSON{Days0To30: a[domain.Age0To30], Days31To60: a[domain.Age31To60], Days61To90: a[domain.Age61To90], Over90: a[domain.AgeOver90]}
}

type debtorJSON struct {
	CustomerID       string     `json:"customer_id"`
	Name             string     `json:"name"`
	Reference        string     `json:"reference"`
	AccountNumber    string     `json:"account_number"`
	BalanceCents     int64      `json:"balance_cents"`
	CreditLimitCents int64      `json:"credit_limit_cents"`
	Ageing           ageingJSON `json:"ageing"`
}

type debtorsJSON struct {
	AsOf       string       `json:"as_of"`
	Count      int64        `json:"count"`
	TotalCents int64        `json:"total_cents"`
	Ageing     ageingJSON   `json:"ageing"`
	Data       []debtorJSON `json:"data"`
	NextCursor *string      `json:"next_cursor"`
}

type creditorJSON struct {
	CustomerID    string `json:"customer_id"`
	Name          string `json:"name"`
	Reference     string `json:"reference"`
	AccountNumber string `json:"account_number"`
	CreditCents   int64  `json:"credit_cents"`
}

type creditorsJSON struct {
	Count      int64          `json:"count"`
	TotalCents int64          `json:"total_cents"`
	Data       []creditorJSON `json:"data"`
	NextCursor *string        `json:"next_cursor"`
}

func optionalCursor(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func reportQuery(r *http.Request) (app.ReportQuery, error) {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	return app.ReportQuery{Limit: limit, Cursor: q.Get("cursor")}, err
}

func (s *Server) debtorsReport(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	rep, err := s.app.Debtors(r.Context(), p, q)
	if err != nil {
		return err
	}
	out := debtorsJSON{AsOf: rep.Today.Format(time.DateOnly), Count: rep.Count, TotalCents: rep.TotalCents,
		Ageing: toAgeingJSON(rep.Aged), Data: []debtorJSON{}, NextCursor: optionalCursor(rep.NextCursor)}
	for i := range rep.Rows {
		d := &rep.Rows[i]
		out.Data = append(out.Data, debtorJSON{CustomerID: d.Customer.ID, Name: d.Customer.DisplayName(), Reference: d.Customer.Reference,
			AccountNumber: d.Customer.AccountNumber, BalanceCents: d.BalanceCents, CreditLimitCents: d.Customer.CreditLimitCents,
			Ageing: toAgeingJSON(d.Aged)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) creditorsReport(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	rep, err := s.app.Creditors(r.Context(), p, q)
	if err != nil {
		return err
	}
	out := creditorsJSON{Count: rep.Count, TotalCents: rep.TotalCents, Data: []creditorJSON{}, NextCursor: optionalCursor(rep.NextCursor)}
	for i := range rep.Rows {
		c := &rep.Rows[i]
		out.Data = append(out.Data, creditorJSON{CustomerID: c.Customer.ID, Name: c.Customer.DisplayName(), Reference: c.Customer.Reference,
			AccountNumber: c.Customer.AccountNumber, CreditCents: c.CreditCents})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type statementEntryJSON struct {
	ID            string  `json:"id"`
	CreatedAt     string  `json:"created_at"`
	Kind          string  `json:"kind"`
	AmountCents   int64   `json:"amount_cents"`
	BalanceCents  int64   `json:"balance_cents"`
	Method        *string `json:"method"`
	InvoiceID     *string `json:"invoice_id"`
	InvoiceNumber *string `json:"invoice_number"`
	Reason        *string `json:"reason"`
}

type statementJSON struct {
	CustomerID          string               `json:"customer_id"`
	Name                string               `json:"name"`
	AccountNumber       string               `json:"account_number"`
	From                string               `json:"from"`
	To                  string               `json:"to"`
	OpeningBalanceCents int64                `json:"opening_balance_cents"`
	ClosingBalanceCents int64                `json:"closing_balance_cents"`
	DebitCents          int64                `json:"debit_cents"`
	CreditCents         int64                `json:"credit_cents"`
	Entries             []statementEntryJSON `json:"entries"`
}

func (s *Server) customerStatement(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	st, err := s.app.Statement(r.Context(), p, r.PathValue("id"), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	out := statementJSON{CustomerID: st.Customer.ID, Name: st.Customer.DisplayName(), AccountNumber: st.Customer.AccountNumber,
		From: st.From.Format(time.DateOnly), To: st.To.Format(time.DateOnly),
		OpeningBalanceCents: st.OpeningCents, ClosingBalanceCents: st.ClosingCents, DebitCents: st.DebitCents, CreditCents: st.CreditCents,
		Entries: []statementEntryJSON{}}
	for _, e := range st.Entries {
		out.Entries = append(out.Entries, statementEntryJSON{ID: e.ID, CreatedAt: timeJSON(e.CreatedAt), Kind: string(e.Kind),
			AmountCents: e.AmountCents, BalanceCents: e.BalanceCents, Method: optional(string(e.Method)), InvoiceID: optional(e.InvoiceID),
			InvoiceNumber: optional(e.InvoiceNumber), Reason: optional(e.Reason)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
