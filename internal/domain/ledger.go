package domain

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// LedgerKind is what moved a customer's account.
type LedgerKind string

// Ledger entry kinds. The sign of an entry's amount follows from its kind, except for
// adjustments: > 0 the customer owes us more.
const (
	LedgerSale       LedgerKind = "sale"        // an invoice paid (partly) with the account tender: +
	LedgerPayment    LedgerKind = "payment"     // the customer pays what they owe: −
	LedgerDeposit    LedgerKind = "deposit"     // the customer leaves money with us: −
	LedgerCreditUse  LedgerKind = "credit_use"  // an invoice paid (partly) with the customer's credit: +
	LedgerCreditNote LedgerKind = "credit_note" // a rectifying invoice refunded to the account: −
	LedgerAdjustment LedgerKind = "adjustment"  // a manager's correction, with a reason: ±
)

// LedgerKinds lists the kinds in the order pages offer them.
var LedgerKinds = []LedgerKind{LedgerSale, LedgerPayment, LedgerDeposit, LedgerCreditUse, LedgerCreditNote, LedgerAdjustment}

// ValidLedgerKind reports whether s names a kind.
func ValidLedgerKind(s string) bool {
	for _, k := range LedgerKinds {
		if string(k) == s {
			return true
		}
	}
	return false
}

// TenderTransfer: a bank transfer, taken for payments and deposits on account (not at the
// till, where the money must be in hand).
const TenderTransfer TenderMethod = "transfer"

// AccountPaymentMethods are how a customer pays on account or leaves a deposit.
var AccountPaymentMethods = []TenderMethod{TenderCash, TenderCard, TenderTransfer}

// LedgerEntry is one movement of a customer's account. Entries are never changed nor deleted;
// a mistake is corrected by another entry.
type LedgerEntry struct {
	Seq        int64 // storage order; cursors
	ID         string
	CustomerID string // the customer's id then; they may since have been deleted
	// CustomerName and AccountNumber are the customer's as they were at the entry: the
	// accounting export needs them after the customer is gone. AccountNumber "" means the
	// default customer account.
	CustomerName  string
	AccountNumber string
	Kind          LedgerKind
	AmountCents   int64 // > 0: the customer owes us more
	BalanceCents  int64 // the balance after this entry
	Method        TenderMethod
	InvoiceID     string // sale, credit use, credit note: the invoice
	InvoiceNumber string
	Reason        string // adjustments
	LimitOverride bool   // a sale let past the credit limit by a manager
	UserID        string
	Username      string
	CreatedAt     time.Time
}

// Account is a customer's account as its page shows it.
type Account struct {
	CustomerID       string
	BalanceCents     int64 // > 0 the customer owes us; < 0 we owe the customer
	CreditLimitCents int64 // how far a sale on account may take the balance
}

// Debtor reports whether the customer owes us.
func (a Account) Debtor() bool { return a.BalanceCents > 0 }

// Creditor reports whether we owe the customer (they hold credit with us).
func (a Account) Creditor() bool { return a.BalanceCents < 0 }

// CreditCents is what the customer may spend of their credit: what we owe them.
func (a Account) CreditCents() int64 { return max(0, -a.BalanceCents) }

// Codes of the account's refusals.
const (
	// CodeCreditLimit: a sale on account would take the balance over the customer's credit
	// limit (Details "balance_cents", "limit_cents", "amount_cents"). A manager may override.
	CodeCreditLimit Code = "credit_limit_exceeded"
	// CodeInsufficientCredit: the credit tender is more than the customer holds
	// (Details "credit_cents", "amount_cents").
	CodeInsufficientCredit Code = "insufficient_credit"
	// CodeBalanceNotZero: a customer whose balance is not zero cannot be deleted
	// (Details "balance_cents").
	CodeBalanceNotZero Code = "balance_not_zero"
)

// Field error code: an account or credit tender on a ticket without a customer.
const FieldNeedsCustomer = "requires_customer"

// Audit actions of accounts.
const (
	ActionAccountPayment    = "account.payment"
	ActionAccountDeposit    = "account.deposit"
	ActionAccountAdjustment = "account.adjustment"
	ActionAccountOverride   = "account.limit_override"
	ActionAccountPlanUpdate = "account_plan.update"
	ActionExportAccounting  = "export.accounting"
)

// MaxReasonLen bounds an adjustment's reason.
const MaxReasonLen = 500

// CheckSaleOnAccount refuses a sale of amount on account when it would take balance over
// limit. override: a manager lets it pass (the entry records it).
func CheckSaleOnAccount(balance, limit, amount int64, override bool) error {
	if override || balance+amount <= limit {
		return nil
	}
	return &Error{Code: CodeCreditLimit, Details: map[string]any{
		"balance_cents": balance, "limit_cents": limit, "amount_cents": amount}}
}

// CheckCreditUse refuses spending more credit than the customer holds: their credit never
// goes below zero.
func CheckCreditUse(balance, amount int64) error {
	credit := max(0, -balance)
	if amount <= credit {
		return nil
	}
	return &Error{Code: CodeInsufficientCredit, Details: map[string]any{"credit_cents": credit, "amount_cents": amount}}
}

// AccountMovement is a payment, deposit or adjustment asked for by a user.
type AccountMovement struct {
	Kind        LedgerKind // LedgerPayment, LedgerDeposit or LedgerAdjustment
	AmountCents int64      // payments and deposits > 0; adjustments ≠ 0 (> 0: the customer owes more)
	Method      TenderMethod
	Reason      string
}

// Prepare checks the movement and returns the signed amount it books.
func (m *AccountMovement) Prepare() (int64, error) {
	var p Problems
	m.Reason = clean(m.Reason)
	switch m.Kind {
	case LedgerPayment, LedgerDeposit:
		if m.AmountCents <= 0 || m.AmountCents > MaxCreditLimit {
			p.Add("amount_cents", FieldOutOfRange, map[string]any{"min": 1, "max": MaxCreditLimit})
		}
		if !validAccountMethod(m.Method) {
			p.Add("method", FieldInvalid, map[string]any{"allowed": "cash, card, transfer"})
		}
	case LedgerAdjustment:
		if m.AmountCents == 0 || m.AmountCents > MaxCreditLimit || m.AmountCents < -MaxCreditLimit {
			p.Add("amount_cents", FieldOutOfRange, map[string]any{"min": -MaxCreditLimit, "max": MaxCreditLimit})
		}
		checkText(&p, "reason", m.Reason, MaxReasonLen, true)
		if m.Reason == "" {
			p.Add("reason", FieldRequired, nil)
		}
		m.Method = ""
	default:
		p.Add("kind", FieldInvalid, nil)
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	if m.Kind == LedgerAdjustment {
		return m.AmountCents, nil
	}
	return -m.AmountCents, nil
}

func validAccountMethod(m TenderMethod) bool {
	for _, a := range AccountPaymentMethods {
		if a == m {
			return true
		}
	}
	return false
}

// Ageing buckets of the debtors report: days since the sale still owed.
const (
	Age0To30 = iota
	Age31To60
	Age61To90
	AgeOver90
	AgeBuckets
)

// AgeBucket returns the bucket of a debt incurred at `at`, seen on day `today` (both dates
// in the shop's time zone; only the calendar days count).
func AgeBucket(at, today time.Time) int {
	days := int(civilDay(today).Sub(civilDay(at)).Hours() / 24)
	switch {
	case days <= 30:
		return Age0To30
	case days <= 60:
		return Age31To60
	case days <= 90:
		return Age61To90
	}
	return AgeOver90
}

func civilDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AgeDebt spreads a positive balance over the entries that raised it, newest first (payments
// settle the oldest debts first), and sums what is left owed by age. increases are the
// entries with a positive amount, in any order of time; balance ≤ 0 owes nothing. What the
// entries cannot explain (a balance larger than their sum) counts as the oldest debt.
func AgeDebt(balance int64, increases []LedgerEntry, today time.Time) [AgeBuckets]int64 {
	var out [AgeBuckets]int64
	if balance <= 0 {
		return out
	}
	sorted := slices.Clone(increases)
	slices.SortFunc(sorted, func(a, b LedgerEntry) int { return cmp.Compare(b.Seq, a.Seq) }) // newest first
	left := balance
	for _, e := range sorted {
		if left == 0 {
			break
		}
		if e.AmountCents <= 0 {
			continue
		}
		take := min(left, e.AmountCents)
		out[AgeBucket(e.CreatedAt, today)] += take
		left -= take
	}
	out[AgeOver90] += left
	return out
}

// String shows an entry in logs and test failures (no names).
func (e LedgerEntry) String() string {
	return fmt.Sprintf("%s %s %+d → %d", e.CreatedAt.Format(time.RFC3339), e.Kind, e.AmountCents, e.BalanceCents)
}
