package web

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/verifactu"
)

// statementPage is a customer's statement for a period: the opening balance, each movement
// with the balance after it, the closing balance.
type statementPage struct {
	form
	Customer  domain.Customer
	Name      string // the customer's, as people say it
	St        app.Statement
	Rows      []statementRow
	PDFURL    string
	Refused   bool // the period was refused: only the form and its errors show
	ProfileOK bool
}

// statementRow is one movement as the page shows it.
type statementRow struct {
	At            time.Time
	Concept       string
	InvoiceID     string
	InvoiceNumber string
	DebitCents    int64 // > 0 on a charge
	CreditCents   int64 // > 0 on a payment or credit
	BalanceCents  int64
}

// statementConcept describes a movement: its kind, the method of a payment or deposit, the
// reason of an adjustment.
func statementConcept(l loc, e *domain.LedgerEntry) string {
	s := l.T("statement.kind." + string(e.Kind))
	switch {
	case e.Method != "":
		s += " (" + strings.ToLower(l.T("invoices.payment."+string(e.Method))) + ")"
	case e.Reason != "":
		s += ": " + e.Reason
	}
	return s
}

// customerStatement is GET /customers/{id}/statement?from=YYYY-MM-DD&to=YYYY-MM-DD; without
// dates, the last three months.
func (s *Server) customerStatement(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	l := loc{b: s.msgs, Lang: rq.lang}
	id := r.PathValue("id")
	q := r.URL.Query()
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	page := statementPage{form: form{Values: map[string]string{"from": from, "to": to}}}
	st, err := s.app.Statement(ctx, rq.p, id, from, to)
	status := http.StatusOK
	if err != nil {
		problems := fieldProblems(err)
		if problems == nil {
			return err
		}
		if page.Customer, err = s.app.Customer(ctx, rq.p, id); err != nil {
			return err
		}
		page.Name = page.Customer.DisplayName()
		page.Errors = s.fieldMessages(rq, problems)
		page.Refused = true
		status = http.StatusUnprocessableEntity
		return s.render(w, r, rq, status, "statement", page)
	}
	page.Customer, page.St, page.Name = st.Customer, st, st.Customer.DisplayName()
	page.Values["from"], page.Values["to"] = st.From.Format(time.DateOnly), st.To.Format(time.DateOnly)
	for i := range st.Entries {
		e := &st.Entries[i]
		row := statementRow{At: e.CreatedAt.In(verifactu.Madrid()), Concept: statementConcept(l, e), InvoiceID: e.InvoiceID, InvoiceNumber: e.InvoiceNumber,
			BalanceCents: e.BalanceCents}
		if e.AmountCents > 0 {
			row.DebitCents = e.AmountCents
		} else {
			row.CreditCents = -e.AmountCents
		}
		page.Rows = append(page.Rows, row)
	}
	page.PDFURL = "/customers/" + url.PathEscape(st.Customer.ID) + "/statement.pdf?" +
		url.Values{"from": {page.Values["from"]}, "to": {page.Values["to"]}}.Encode()
	return s.render(w, r, rq, status, "statement", page)
}

// customerStatementPDF is GET /customers/{id}/statement.pdf, in the page's language.
func (s *Server) customerStatementPDF(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	pdf, st, err := s.app.StatementPDF(r.Context(), rq.p, r.PathValue("id"), strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to")), string(rq.lang))
	if err != nil {
		return err
	}
	name := "statement-" + st.From.Format(time.DateOnly) + "-" + st.To.Format(time.DateOnly) + ".pdf"
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf) // a client gone away is not our error
	return nil
}

// OwnDay formats the day of t in t's own location (Day uses the server's): the statement's
// days are the shop's (Madrid).
func (l loc) OwnDay(t time.Time) string {
	if l.Lang == i18n.English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// OwnDate is Date in t's own location.
func (l loc) OwnDate(t time.Time) string {
	if l.Lang == i18n.English {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// customerStatementMail is POST /customers/{id}/statement/mail: the statement of the period
// shown is e-mailed to the customer, with its PDF; back to the statement, saying so.
func (s *Server) customerStatementMail(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	from, to := strings.TrimSpace(r.PostForm.Get("from")), strings.TrimSpace(r.PostForm.Get("to"))
	if _, err := s.app.SendStatement(r.Context(), rq.p, id, from, to); err != nil {
		if fieldProblems(err) == nil {
			return err
		}
		s.setFlash(w, r, "flash.statement_not_mailed", nil)
	} else {
		s.setFlash(w, r, "flash.statement_mailed", nil)
	}
	http.Redirect(w, r, "/customers/"+url.PathEscape(id)+"/statement?"+url.Values{"from": {from}, "to": {to}}.Encode(), http.StatusSeeOther)
	return nil
}
