// Package accounting turns invoices and customer-account movements into a balanced double-entry
// journal mapped to the shop's account plan, and writes it as a CSV journal or as a French FEC.
// It does no I/O of its own beyond the io.Writer it is given: the export streams, one entry
// at a time, so a year of invoices never sits in memory.
package accounting

import (
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// JournalCode is the journal an entry belongs to (FEC JournalCode).
type JournalCode string

// Journals: sales (invoices), cash, bank (card and transfers), and miscellaneous operations
// (use of a customer's credit, adjustments).
const (
	JournalSales JournalCode = "VT"
	JournalCash  JournalCode = "CA"
	JournalBank  JournalCode = "BQ"
	JournalMisc  JournalCode = "OD"
)

// Line is one line of an entry: an amount on the debit or the credit side of an account,
// never both, never negative.
type Line struct {
	Account domain.PlanAccount
	// Aux is the customer's sub-account on the lines that move what a customer owes or holds
	// (their receivable account and the customer-credit liability): FEC CompAuxNum/CompAuxLib.
	Aux domain.PlanAccount
	// CustomerID is the customer whose account the line moves ("" for the other lines and for
	// sales without a customer); not written, it lets totals be checked per customer.
	CustomerID  string
	DebitCents  int64
	CreditCents int64
}

// Entry is one balanced journal entry.
type Entry struct {
	Number   int64 // from 1, continuous in the order entries are built
	Date     time.Time
	Journal  JournalCode
	Document string // the invoice number, or "L" + the ledger entry's storage number
	Label    string
	Lines    []Line
}

// Balanced reports whether the entry's debits equal its credits.
func (e *Entry) Balanced() bool {
	var d, c int64
	for _, l := range e.Lines {
		d += l.DebitCents
		c += l.CreditCents
	}
	return d == c
}

// Labels are the words entries are labelled with, in the language of the books.
type Labels struct {
	Invoice, Rectifying, Payment, Refund, CreditUse string // + " " + invoice number
	AccountPayment, Deposit, Adjustment             string // + " " + customer's name (+ ": " + reason)
	// JournalNames by journal code (FEC JournalLib).
	JournalNames map[JournalCode]string
}

// SpanishLabels are the labels of Spanish books.
func SpanishLabels() Labels {
	return Labels{
		Invoice: "Factura", Rectifying: "Factura rectificativa", Payment: "Cobro", Refund: "Devolución",
		CreditUse: "Uso de anticipo", AccountPayment: "Cobro a cuenta", Deposit: "Anticipo", Adjustment: "Ajuste",
		JournalNames: map[JournalCode]string{JournalSales: "Ventas", JournalCash: "Caja", JournalBank: "Bancos",
			JournalMisc: "Operaciones diversas"},
	}
}

// Builder numbers entries and builds them from invoices and ledger entries, given in
// chronological order. Entries passed to emit are reused: emit must not keep them.
type Builder struct {
	plan   domain.AccountPlan
	loc    *time.Location
	labels Labels
	next   int64
	e      Entry
}

// NewBuilder builds entries on plan; dates are shown in loc (the shop's time zone).
func NewBuilder(plan domain.AccountPlan, loc *time.Location, labels Labels) *Builder {
	return &Builder{plan: plan, loc: loc, labels: labels, next: 1}
}

// Entries is how many entries were built so far.
func (b *Builder) Entries() int64 { return b.next - 1 }

func (b *Builder) start(at time.Time, j JournalCode, doc, label string) *Entry {
	b.e = Entry{Date: at.In(b.loc), Journal: j, Document: doc, Label: label, Lines: b.e.Lines[:0]}
	return &b.e
}

// add puts signed on the account: > 0 on the debit side, < 0 on the credit side; 0 adds no line.
func (b *Builder) add(e *Entry, account, aux domain.PlanAccount, customerID string, signed int64) {
	if signed == 0 {
		return
	}
	l := Line{Account: account, Aux: aux, CustomerID: customerID}
	if signed > 0 {
		l.DebitCents = signed
	} else {
		l.CreditCents = -signed
	}
	e.Lines = append(e.Lines, l)
}

func (b *Builder) emit(e *Entry, emit func(*Entry) error) error {
	if len(e.Lines) == 0 {
		return nil
	}
	e.Number = b.next
	b.next++
	return emit(e)
}

// Invoice builds an invoice's entry — debit the customer's account (their own or the
// default) with the total, credit sales and output VAT per rate — and one entry per payment
// that moved money or credit: cash and card (debit cash or bank, credit the customer), the
// customer's credit (debit the customer-credit liability, credit the customer). A payment
// with the account tender makes no entry: the customer keeps owing it. A rectifying invoice
// has negative amounts, which turn the sides.
func (b *Builder) Invoice(inv *domain.Invoice, emit func(*Entry) error) error {
	var id, own, name string
	if inv.Customer != nil {
		id, own, name = inv.Customer.ID, inv.Customer.AccountNumber, inv.Customer.Name()
	}
	cust := b.plan.CustomerAccount(own, name)
	label := b.labels.Invoice
	if inv.Type.Rectifying() {
		label = b.labels.Rectifying
	}
	e := b.start(inv.IssuedAt, JournalSales, inv.Number, label+" "+inv.Number)
	b.add(e, cust, cust, id, inv.TotalCents)
	for _, v := range inv.VAT {
		b.add(e, b.plan.SalesAccount(v.RateBasisPoints), domain.PlanAccount{}, "", -v.BaseCents)
		if v.RateBasisPoints != 0 {
			b.add(e, b.plan.VATAccount(v.RateBasisPoints), domain.PlanAccount{}, "", -v.VATCents)
		}
	}
	if err := b.emit(e, emit); err != nil {
		return err
	}
	for _, p := range inv.Payments {
		label := b.labels.Payment
		if p.AmountCents < 0 {
			label = b.labels.Refund
		}
		if money, ok := b.plan.MethodAccount(p.Method); ok {
			e := b.start(inv.IssuedAt, journalOf(p.Method), inv.Number, label+" "+inv.Number)
			b.add(e, money, domain.PlanAccount{}, "", p.AmountCents)
			b.add(e, cust, cust, id, -p.AmountCents)
			if err := b.emit(e, emit); err != nil {
				return err
			}
			continue
		}
		if p.Method == domain.TenderCredit {
			e := b.start(inv.IssuedAt, JournalMisc, inv.Number, b.labels.CreditUse+" "+inv.Number)
			b.add(e, b.plan.CustomerCredit, cust, id, p.AmountCents)
			b.add(e, cust, cust, id, -p.AmountCents)
			if err := b.emit(e, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

func journalOf(m domain.TenderMethod) JournalCode {
	if m == domain.TenderCash {
		return JournalCash
	}
	return JournalBank
}

// Ledger builds the entry of a customer-account movement that no invoice carries: a payment
// on account (debit cash or bank, credit the customer), a deposit (debit cash or bank,
// credit the customer-credit liability), an adjustment (> 0: debit the customer, credit the
// adjustments account; < 0 the reverse). Sales, uses of credit and credit notes are the
// invoices' entries already: they build nothing here.
func (b *Builder) Ledger(le *domain.LedgerEntry, emit func(*Entry) error) error {
	cust := b.plan.CustomerAccount(le.AccountNumber, le.CustomerName)
	doc := "L" + strconv.FormatInt(le.Seq, 10)
	switch le.Kind {
	case domain.LedgerPayment, domain.LedgerDeposit:
		money, ok := b.plan.MethodAccount(le.Method)
		if !ok {
			money = b.plan.Bank
		}
		if le.Kind == domain.LedgerPayment {
			e := b.start(le.CreatedAt, journalOf(le.Method), doc, b.labels.AccountPayment+" "+le.CustomerName)
			b.add(e, money, domain.PlanAccount{}, "", -le.AmountCents)
			b.add(e, cust, cust, le.CustomerID, le.AmountCents)
			return b.emit(e, emit)
		}
		e := b.start(le.CreatedAt, journalOf(le.Method), doc, b.labels.Deposit+" "+le.CustomerName)
		b.add(e, money, domain.PlanAccount{}, "", -le.AmountCents)
		b.add(e, b.plan.CustomerCredit, cust, le.CustomerID, le.AmountCents)
		return b.emit(e, emit)
	case domain.LedgerAdjustment:
		label := b.labels.Adjustment + " " + le.CustomerName
		if le.Reason != "" {
			label += ": " + le.Reason
		}
		e := b.start(le.CreatedAt, JournalMisc, doc, label)
		b.add(e, cust, cust, le.CustomerID, le.AmountCents)
		b.add(e, b.plan.Adjustments, domain.PlanAccount{}, "", -le.AmountCents)
		return b.emit(e, emit)
	}
	return nil
}

// JournalKinds are the ledger kinds that make entries of their own.
var JournalKinds = []domain.LedgerKind{domain.LedgerPayment, domain.LedgerDeposit, domain.LedgerAdjustment}
