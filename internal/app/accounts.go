package app

import (
	"context"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/document"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

const idempotencyAccount = "account.movement"

// AccountPage is a customer's account with one page of its entries, newest first.
type AccountPage struct {
	Account    domain.Account
	Customer   domain.Customer
	Entries    []domain.LedgerEntry
	NextCursor string
}

// Account returns a customer's balance, credit limit and a page of their ledger, newest first.
func (a *App) Account(ctx context.Context, p domain.Principal, customerID, cursorText string, limit int) (AccountPage, error) {
	var page AccountPage
	if err := authorize(p, domain.PermAccountsRead); err != nil {
		return page, err
	}
	if !ValidID(customerID) {
		return page, domain.Errorf(domain.CodeNotFound)
	}
	var problems domain.Problems
	limit = pageLimit(limit, &problems)
	cur, err := decodeCursor(cursorText, cursorLedger, customerID)
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	if err := problems.Err(); err != nil {
		return page, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		c, err := tx.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		balance, err := tx.AccountBalance(ctx, customerID)
		if err != nil {
			return err
		}
		rows, err := tx.LedgerEntries(ctx, LedgerFilter{CustomerID: customerID, AfterSeq: cur.Seq, Limit: limit + 1})
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			page.NextCursor = encodeCursor(cursor{List: cursorLedger, Query: customerID, Seq: rows[limit-1].Seq})
		}
		page.Customer, page.Entries = c, rows
		page.Account = domain.Account{CustomerID: c.ID, BalanceCents: balance, CreditLimitCents: c.CreditLimitCents}
		return nil
	})
	return page, err
}

// PostAccountMovement books a payment on account or a deposit (cashiers and up), or a manual
// adjustment with its reason (managers), on a customer's account, and audits it. With an
// idempotency key, a retry returns the entry the first request booked and books nothing again.
func (a *App) PostAccountMovement(ctx context.Context, p domain.Principal, customerID string, m domain.AccountMovement, idempotencyKey string) (domain.LedgerEntry, error) {
	var e domain.LedgerEntry
	perm, action := domain.PermAccountsPay, domain.ActionAccountPayment
	switch m.Kind {
	case domain.LedgerDeposit:
		action = domain.ActionAccountDeposit
	case domain.LedgerAdjustment:
		perm, action = domain.PermAccountsAdjust, domain.ActionAccountAdjustment
	}
	if err := authorize(p, perm); err != nil {
		return e, err
	}
	if err := checkIdempotencyKey(idempotencyKey); err != nil {
		return e, err
	}
	if !ValidID(customerID) {
		return e, domain.Errorf(domain.CodeNotFound)
	}
	amount, err := m.Prepare()
	if err != nil {
		return e, err
	}
	id, err := newID()
	if err != nil {
		return e, err
	}
	now := a.now()
	// The request a key stands for: the same key sent again with other values is refused.
	request := fmt.Sprintf("%s|%s|%d|%s|%s", customerID, m.Kind, m.AmountCents, m.Method, m.Reason)
	err = a.store.Write(ctx, func(tx Tx) error {
		earlier, err := claim(ctx, tx, idempotencyAccount, idempotencyKey, request, id, now)
		if err != nil {
			return err
		}
		if earlier != "" {
			e, err = tx.LedgerEntry(ctx, earlier)
			return err
		}
		// The account first: a merge or a deletion that holds it ends before the customer is
		// read, so no entry lands on a customer just merged away or deleted (PostgreSQL).
		if _, err := tx.LockAccount(ctx, customerID, now); err != nil {
			return err
		}
		c, err := tx.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		e = domain.LedgerEntry{ID: id, CustomerID: c.ID, CustomerName: c.DisplayName(), AccountNumber: c.AccountNumber,
			Kind: m.Kind, AmountCents: amount, Method: m.Method, Reason: m.Reason,
			UserID: p.UserID, Username: p.Username, CreatedAt: now}
		if err := tx.PostLedgerEntry(ctx, &e); err != nil {
			return err
		}
		// The audit keeps amounts and ids, never the reason's text (it may name the customer).
		return a.audit(ctx, tx, p, action, "customer", c.ID, nil, map[string]any{
			"entry_id": e.ID, "amount_cents": e.AmountCents, "balance_cents": e.BalanceCents, "method": string(e.Method)})
	})
	if err != nil {
		return domain.LedgerEntry{}, err
	}
	return e, nil
}

// LedgerEntry returns one entry of a customer's account (for its receipt).
func (a *App) LedgerEntry(ctx context.Context, p domain.Principal, customerID, entryID string) (domain.LedgerEntry, error) {
	var e domain.LedgerEntry
	if err := authorize(p, domain.PermAccountsRead); err != nil {
		return e, err
	}
	if !ValidID(customerID) || !ValidID(entryID) {
		return e, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.ReadOne(ctx, func(tx Tx) (err error) {
		e, err = tx.LedgerEntry(ctx, entryID)
		return err
	})
	if err == nil && e.CustomerID != customerID {
		return domain.LedgerEntry{}, domain.Errorf(domain.CodeNotFound)
	}
	return e, err
}

// postTenders books the account and credit tenders of a closed ticket's invoice on the
// customer's account, after the invoice is numbered (so the entries name it). A sale on
// account over the credit limit is refused unless override (a manager's, checked by the
// caller) lets it pass, and recorded; credit beyond what the customer holds is refused. Both
// checks run on the balance as this transaction holds it (LockAccount), so two tills cannot
// both pass a limit only one of them fits.
func (a *App) postTenders(ctx context.Context, tx Tx, p domain.Principal, inv *domain.Invoice, c *domain.Customer, override bool, now time.Time) error {
	for _, pay := range inv.Payments {
		if !pay.Method.OnAccount() || pay.AmountCents == 0 {
			continue
		}
		id, err := newID()
		if err != nil {
			return err
		}
		e := domain.LedgerEntry{ID: id, CustomerID: c.ID, CustomerName: c.DisplayName(), AccountNumber: c.AccountNumber,
			Kind: domain.LedgerSale, AmountCents: pay.AmountCents, InvoiceID: inv.ID, InvoiceNumber: inv.Number,
			UserID: p.UserID, Username: p.Username, CreatedAt: now}
		balance, err := tx.LockAccount(ctx, c.ID, now)
		if err != nil {
			return err
		}
		if pay.Method == domain.TenderCredit {
			e.Kind = domain.LedgerCreditUse
			if err := domain.CheckCreditUse(balance, e.AmountCents); err != nil {
				return err
			}
		} else if err := domain.CheckSaleOnAccount(balance, c.CreditLimitCents, e.AmountCents, false); err != nil {
			if !override {
				return err
			}
			// Let past by a manager: the entry says so, and so does the audit log.
			e.LimitOverride = true
			if err := a.audit(ctx, tx, p, domain.ActionAccountOverride, "customer", c.ID, nil, map[string]any{
				"invoice_id": inv.ID, "amount_cents": e.AmountCents, "balance_cents": balance + e.AmountCents,
				"limit_cents": c.CreditLimitCents}); err != nil {
				return err
			}
		}
		if err := tx.PostLedgerEntry(ctx, &e); err != nil {
			return err
		}
	}
	return nil
}

// MovementReceipt prints a payment, deposit or adjustment of a customer's account as a
// 42-column till receipt, with the balance after it.
func (a *App) MovementReceipt(ctx context.Context, p domain.Principal, customerID, entryID, lang string) (string, error) {
	if err := authorize(p, domain.PermAccountsRead); err != nil {
		return "", err
	}
	if !ValidID(customerID) || !ValidID(entryID) {
		return "", domain.Errorf(domain.CodeNotFound)
	}
	var m document.Movement
	err := a.store.Read(ctx, func(tx Tx) error {
		e, err := tx.LedgerEntry(ctx, entryID)
		if err != nil {
			return err
		}
		if e.CustomerID != customerID || e.InvoiceID != "" {
			// Sales and credit notes print as their invoices.
			return domain.Errorf(domain.CodeNotFound)
		}
		shop, err := a.shop(ctx, tx)
		if err != nil {
			return err
		}
		m = document.Movement{Shop: document.Shop{Name: shop.Name, TaxID: shop.TaxID, Address: documentAddress(shop.Address)},
			Kind: string(e.Kind), At: e.CreatedAt.In(verifactu.Madrid()), CustomerName: e.CustomerName,
			Method: string(e.Method), AmountCents: e.AmountCents, BalanceCents: e.BalanceCents, Reason: e.Reason,
			Cashier: e.Username, EntryID: e.ID}
		if c, err := tx.Customer(ctx, customerID); err == nil {
			m.Reference = c.Reference
		} else if domain.ErrorCode(err) != domain.CodeNotFound {
			return err
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return document.MovementReceipt(m, documentLang(lang)), nil
}
