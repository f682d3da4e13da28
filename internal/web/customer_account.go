package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
)

// customerAccountPage is a customer's account: the balance in words (owes us / we owe), the credit
// limit, the entries a page at a time, and the forms that move it: a payment on account or a
// deposit (cashiers and up), an adjustment (managers).
type customerAccountPage struct {
	C          domain.Customer
	Name       string
	Account    domain.Account
	Entries    []domain.LedgerEntry
	NextCursor string
	Return     string // where "back" goes: the till's ticket, or the customer's profile

	PayForm    form
	AdjustForm form
	CanAdjust  bool
	Methods    []option
	Key        string // the idempotency key of the forms: a second press books nothing twice
	Focus      string
}

// accountEntries is how many entries the account page shows at a time.
const accountEntries = 25

// safeReturn keeps only the backoffice's own paths as the way back.
func safeReturn(v, fallback string) string {
	if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && !strings.ContainsAny(v, "\\\r\n") {
		return v
	}
	return fallback
}

// customerAccount is GET /customers/{id}/account.
func (s *Server) customerAccount(w http.ResponseWriter, r *http.Request, rq *request) error {
	page := &customerAccountPage{Return: r.URL.Query().Get("return"), Focus: r.URL.Query().Get("focus")}
	return s.renderAccount(w, r, rq, http.StatusOK, page, r.URL.Query().Get("cursor"))
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, rq *request, status int, page *customerAccountPage, cursor string) error {
	acct, err := s.app.Account(r.Context(), rq.p, r.PathValue("id"), cursor, accountEntries)
	if err != nil {
		return err
	}
	page.C, page.Name, page.Account = acct.Customer, acct.Customer.DisplayName(), acct.Account
	page.Entries, page.NextCursor = acct.Entries, acct.NextCursor
	page.Return = safeReturn(page.Return, "/customers/"+page.C.ID)
	page.CanAdjust = rq.p.Role.Can(domain.PermAccountsAdjust)
	l := loc{b: s.msgs, Lang: rq.lang}
	for _, m := range domain.AccountPaymentMethods {
		page.Methods = append(page.Methods, option{Value: string(m), Label: l.T("invoices.payment." + string(m))})
	}
	if page.PayForm.Values == nil {
		page.PayForm.Values = map[string]string{"method": string(domain.TenderCash)}
	}
	if page.AdjustForm.Values == nil {
		page.AdjustForm.Values = map[string]string{}
	}
	if page.Key == "" {
		page.Key = uuid.NewString()
	}
	return s.render(w, r, rq, status, "customer_account", page)
}

// accountMove is POST /customers/{id}/account/payments (a payment on account or a deposit,
// as the button pressed says) and POST /customers/{id}/account/adjustments. A booked movement
// goes to its receipt; a refused one shows the page again with what was typed and why.
func (s *Server) accountMove(adjust bool) func(w http.ResponseWriter, r *http.Request, rq *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		id := r.PathValue("id")
		page := &customerAccountPage{Return: r.PostForm.Get("return"), Key: r.PostForm.Get("key")}
		values := map[string]string{"amount": r.PostForm.Get("amount"), "method": r.PostForm.Get("method"), "reason": r.PostForm.Get("reason")}
		m := domain.AccountMovement{Kind: domain.LedgerPayment, Method: domain.TenderMethod(values["method"]), Reason: values["reason"]}
		f := &page.PayForm
		switch {
		case adjust:
			m.Kind, f = domain.LedgerAdjustment, &page.AdjustForm
		case r.PostForm.Get("kind") == string(domain.LedgerDeposit):
			m.Kind = domain.LedgerDeposit
		}
		f.Values = values
		var problems []domain.FieldError
		cents, perr := money.ParseAmount(values["amount"], string(rq.lang), adjust)
		switch {
		case strings.TrimSpace(values["amount"]) == "":
			problems = append(problems, domain.FieldError{Field: "amount", Code: domain.FieldRequired})
		case perr != nil:
			problems = append(problems, domain.FieldError{Field: "amount", Code: amountErrorCode(perr)})
		}
		m.AmountCents = cents
		if problems == nil {
			e, err := s.app.PostAccountMovement(r.Context(), rq.p, id, m, page.Key)
			if err == nil {
				target := "/customers/" + e.CustomerID + "/account/entries/" + e.ID + "/receipt?return=" + url.QueryEscape(safeReturn(page.Return, "/customers/"+id))
				http.Redirect(w, r, target, http.StatusSeeOther)
				return nil
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
				return err
			}
			for _, fe := range de.Fields {
				if fe.Field == "amount_cents" {
					fe.Field = "amount"
				}
				problems = append(problems, fe)
			}
		}
		f.Errors = s.fieldMessages(rq, problems)
		page.Focus = "account-errors"
		if adjust {
			page.Focus = "adjust-errors"
		}
		return s.renderAccount(w, r, rq, http.StatusUnprocessableEntity, page, "")
	}
}

// movementReceiptPage is a payment's, deposit's or adjustment's receipt, as an 80 mm printer
// prints it (the 42-column text the API gives), with the way back.
type movementReceiptPage struct {
	Text   string
	Return string
	Entry  domain.LedgerEntry
}

// accountReceipt is GET /customers/{id}/account/entries/{entry}/receipt.
func (s *Server) accountReceipt(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, entry := r.PathValue("id"), r.PathValue("entry")
	e, err := s.app.LedgerEntry(r.Context(), rq.p, id, entry)
	if err != nil {
		return err
	}
	text, err := s.app.MovementReceipt(r.Context(), rq.p, id, entry, string(rq.lang))
	if err != nil {
		return err
	}
	page := movementReceiptPage{Text: text, Entry: e, Return: safeReturn(r.URL.Query().Get("return"), "/customers/"+id+"/account")}
	return s.renderTemplate(w, rq, http.StatusOK, "account_receipt", "account-receipt-page",
		view{L: loc{b: s.msgs, Lang: rq.lang}, User: rq.p, Path: r.URL.Path, Data: page})
}

// accountSummary is what the profile and the till show of an account, for those who may read
// it: nil otherwise.
func (s *Server) accountSummary(r *http.Request, rq *request, customerID string, entries int) (*app.AccountPage, error) {
	if !rq.p.Role.Can(domain.PermAccountsRead) {
		return nil, nil
	}
	page, err := s.app.Account(r.Context(), rq.p, customerID, "", entries)
	if err != nil {
		return nil, err
	}
	return &page, nil
}
