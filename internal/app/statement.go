package app

import (
	"context"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/document"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// Statement is a customer's account over a period: the balance before it, every entry in it
// (each with the balance after it), and the balance at its end.
type Statement struct {
	Customer domain.Customer
	Shop     domain.Shop
	// From and To are the first and last days (both included), midnight shop time (Madrid).
	From, To     time.Time
	OpeningCents int64
	ClosingCents int64
	DebitCents   int64 // what the period's entries added to the debt (sales, credit used…)
	CreditCents  int64 // what they took off it (payments, deposits, credit notes…), > 0
	Entries      []domain.LedgerEntry
}

// Bounds of a statement.
const (
	DefaultStatementMonths = 3     // with no dates, the last three months
	MaxStatementEntries    = 10000 // a longer period is refused: ask for a shorter one
)

// Field error codes of a statement's period.
const (
	FieldBeforeFrom     = "before_from"      // "to" is before "from"
	FieldTooManyEntries = "too_many_entries" // the period holds more than MaxStatementEntries (Params "max")
)

// Statement returns a customer's statement from the day from to the day to (YYYY-MM-DD,
// both included, shop time); without to, up to today; without from, the
// DefaultStatementMonths months before to. The customer must be in the register.
func (a *App) Statement(ctx context.Context, p domain.Principal, customerID, from, to string) (Statement, error) {
	var st Statement
	if err := authorize(p, domain.PermAccountsRead); err != nil {
		return st, err
	}
	if !ValidID(customerID) {
		return st, domain.Errorf(domain.CodeNotFound)
	}
	madrid := verifactu.Madrid()
	var problems domain.Problems
	day := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, s, madrid)
		if err != nil {
			problems.Add(field, domain.FieldInvalid, map[string]any{"format": "YYYY-MM-DD"})
		}
		return d
	}
	st.From, st.To = day("from", from), day("to", to)
	if err := problems.Err(); err != nil {
		return st, err
	}
	if st.To.IsZero() {
		now := a.now().In(madrid)
		st.To = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, madrid)
	}
	if st.From.IsZero() {
		st.From = st.To.AddDate(0, -DefaultStatementMonths, 0)
	}
	if st.To.Before(st.From) {
		problems.Add("to", FieldBeforeFrom, map[string]any{"from": st.From.Format(time.DateOnly)})
		return st, problems.Err()
	}
	end := st.To.AddDate(0, 0, 1) // the instant after the last day
	err := a.store.Read(ctx, func(tx Tx) error {
		c, err := tx.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		st.Customer = c
		if st.Shop, err = a.shop(ctx, tx); err != nil {
			return err
		}
		if st.OpeningCents, err = tx.LedgerBalanceBefore(ctx, customerID, st.From); err != nil {
			return err
		}
		st.Entries, err = tx.LedgerEntries(ctx, LedgerFilter{CustomerID: customerID, From: st.From, To: end,
			Ascending: true, Limit: MaxStatementEntries + 1})
		return err
	})
	if err != nil {
		return Statement{}, err
	}
	if len(st.Entries) > MaxStatementEntries {
		problems.Add("from", FieldTooManyEntries, map[string]any{"max": MaxStatementEntries})
		return Statement{}, problems.Err()
	}
	st.ClosingCents = st.OpeningCents
	for _, e := range st.Entries {
		if e.AmountCents > 0 {
			st.DebitCents += e.AmountCents
		} else {
			st.CreditCents -= e.AmountCents
		}
		st.ClosingCents = e.BalanceCents
	}
	return st, nil
}

// StatementPDF is a customer's statement as an A4 PDF in lang ("en" or Spanish).
func (a *App) StatementPDF(ctx context.Context, p domain.Principal, customerID, from, to, lang string) ([]byte, Statement, error) {
	st, err := a.Statement(ctx, p, customerID, from, to)
	if err != nil {
		return nil, st, err
	}
	pdf, err := document.StatementPDF(StatementDocument(&st, a.now()), documentLang(lang))
	if err != nil {
		return nil, st, fmt.Errorf("statement as PDF: %w", err)
	}
	return pdf, st, nil
}

// StatementDocument is a statement as the printed document shows it, made at printed.
func StatementDocument(st *Statement, printed time.Time) document.Statement {
	madrid := verifactu.Madrid()
	c := &st.Customer
	d := document.Statement{
		Shop: document.Shop{Name: st.Shop.Name, TaxID: st.Shop.TaxID, Address: documentAddress(st.Shop.Address)},
		Customer: document.Party{Kind: string(c.Kind), Title: string(c.Title), FirstName: c.FirstName, LastName: c.LastName,
			CompanyName: c.CompanyName, LegalForm: c.LegalForm, TaxID: c.TaxID, Address: documentAddress(c.Address),
			Email: c.Email, Reference: c.Reference},
		AccountNumber: c.AccountNumber,
		From:          st.From, To: st.To, PrintedAt: printed.In(madrid),
		OpeningCents: st.OpeningCents, ClosingCents: st.ClosingCents, DebitCents: st.DebitCents, CreditCents: st.CreditCents,
	}
	for _, e := range st.Entries {
		d.Entries = append(d.Entries, document.StatementEntry{At: e.CreatedAt.In(madrid), Kind: string(e.Kind), Method: string(e.Method),
			Document: e.InvoiceNumber, Reason: e.Reason, AmountCents: e.AmountCents, BalanceCents: e.BalanceCents})
	}
	return d
}
