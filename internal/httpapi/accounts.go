package httpapi

import (
	"io"
	"net/http"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// accountJSON is a customer's account: the balance (> 0 the customer owes us, < 0 we owe
// them), its status in words, the credit limit, and a page of entries, newest first.
type accountJSON struct {
	CustomerID       string            `json:"customer_id"`
	BalanceCents     int64             `json:"balance_cents"`
	Status           string            `json:"status"` // debtor, creditor, settled
	CreditCents      int64             `json:"credit_cents"`
	CreditLimitCents int64             `json:"credit_limit_cents"`
	Entries          []ledgerEntryJSON `json:"entries"`
	NextCursor       *string           `json:"next_cursor"`
}

type ledgerEntryJSON struct {
	ID            string  `json:"id"`
	CustomerID    string  `json:"customer_id"`
	Kind          string  `json:"kind"`
	AmountCents   int64   `json:"amount_cents"`
	BalanceCents  int64   `json:"balance_cents"`
	Method        *string `json:"method"`
	InvoiceID     *string `json:"invoice_id"`
	InvoiceNumber *string `json:"invoice_number"`
	Reason        *string `json:"reason"`
	LimitOverride bool    `json:"limit_override"`
	Username      string  `json:"username"`
	CreatedAt     string  `json:"created_at"`
}

func toLedgerEntryJSON(e *domain.LedgerEntry) ledgerEntryJSON {
	return ledgerEntryJSON{ID: e.ID, CustomerID: e.CustomerID, Kind: string(e.Kind), AmountCents: e.AmountCents,
		BalanceCents: e.BalanceCents, Method: optional(string(e.Method)), InvoiceID: optional(e.InvoiceID),
		InvoiceNumber: optional(e.InvoiceNumber), Reason: optional(e.Reason), LimitOverride: e.LimitOverride,
		Username: e.Username, CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339Nano)}
}

func accountStatus(a domain.Account) string {
	switch {
	case a.Debtor():
		return "debtor"
	case a.Creditor():
		return "creditor"
	}
	return "settled"
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	page, err := s.app.Account(r.Context(), p, r.PathValue("id"), q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	out := accountJSON{CustomerID: page.Account.CustomerID, BalanceCents: page.Account.BalanceCents,
		Status: accountStatus(page.Account), CreditCents: page.Account.CreditCents(),
		CreditLimitCents: page.Account.CreditLimitCents, Entries: make([]ledgerEntryJSON, len(page.Entries)),
		NextCursor: optional(page.NextCursor)}
	for i := range page.Entries {
		out.Entries[i] = toLedgerEntryJSON(&page.Entries[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// postMovement reads a payment, deposit or adjustment and books it. Payments and deposits
// take amount_cents and method; adjustments amount_cents (signed) and reason.
func (s *Server) postMovement(kind domain.LedgerKind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
		obj, err := readObject(w, r)
		if err != nil {
			return err
		}
		f := newFieldReader(obj, "")
		m := domain.AccountMovement{Kind: kind}
		// A missing amount or method is the use case's to refuse (422, as any other value it
		// does not take), not a malformed request.
		m.AmountCents = f.integer("amount_cents").Value
		if kind == domain.LedgerAdjustment {
			m.Reason = f.str("reason").Value
		} else {
			m.Method = domain.TenderMethod(f.str("method").Value)
		}
		if err := f.done(); err != nil {
			return err
		}
		e, err := s.app.PostAccountMovement(r.Context(), p, r.PathValue("id"), m, r.Header.Get("Idempotency-Key"))
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/customers/"+e.CustomerID+"/account/entries/"+e.ID)
		writeJSON(w, http.StatusCreated, toLedgerEntryJSON(&e))
		return nil
	}
}

func (s *Server) getLedgerEntry(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	e, err := s.app.LedgerEntry(r.Context(), p, r.PathValue("id"), r.PathValue("entry_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLedgerEntryJSON(&e))
	return nil
}

func (s *Server) ledgerEntryReceipt(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	text, err := s.app.MovementReceipt(r.Context(), p, r.PathValue("id"), r.PathValue("entry_id"), string(s.msgs.Pick(r.Header.Get("Accept-Language"))))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, text)
	return nil
}
