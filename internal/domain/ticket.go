package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Ticket is a sale being rung up at the till. It is stored (an open ticket survives a
// restart) and belongs to the user who opened it; closing it issues an invoice and removes it.
type Ticket struct {
	ID      string
	OwnerID string
	// Customer is attached by id; nil without one (or once the customer was deleted).
	Customer *TicketCustomer
	Lines    []TicketLine // in the order they were added
	// CreatedAt and UpdatedAt are when it was opened and last changed; Version counts changes.
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// TicketCustomer is the customer on a ticket and the group discount captured when they were
// attached: a group's new rate is seen by the next ticket, not by one already rung up.
type TicketCustomer struct {
	ID   string
	Name string // the customer's display name, read with the ticket
	// Reference is the customer's loyalty card, read with the ticket.
	Reference           string
	GroupID             string // empty: no group
	GroupName           string
	DiscountBasisPoints int64
}

// TicketLine is one line of a ticket: a label, a quantity, a unit price VAT included and
// the VAT rate.
type TicketLine struct {
	ID                 string
	Label              string
	Quantity           Quantity
	UnitPriceCents     int64
	VATRateBasisPoints int64
}

// DiscountBasisPoints is the discount every line carries: the group's while a customer of a
// discounted group is attached, none otherwise.
func (t *Ticket) DiscountBasisPoints() int64 {
	if t.Customer == nil {
		return 0
	}
	return t.Customer.DiscountBasisPoints
}

// Totals prices the ticket: each line's discount, the totals and the VAT per rate.
func (t *Ticket) Totals() Totals {
	priced := make([]PricedLine, len(t.Lines))
	rates := make([]int64, len(t.Lines))
	d := t.DiscountBasisPoints()
	for i, l := range t.Lines {
		priced[i] = PriceLine(l.Quantity, l.UnitPriceCents, d)
		rates[i] = l.VATRateBasisPoints
	}
	return SumTotals(priced, rates)
}

// Line returns the line with id and its index, or -1.
func (t *Ticket) Line(id string) (TicketLine, int) {
	for i, l := range t.Lines {
		if l.ID == id {
			return l, i
		}
	}
	return TicketLine{}, -1
}

// LineChanges are the fields of a line that an add or a change sets. Quantity arrives as the
// JSON number's text, read exactly by ParseQuantity.
type LineChanges struct {
	Label              Opt[string]
	Quantity           Opt[Quantity]
	UnitPriceCents     Opt[int64]
	VATRateBasisPoints Opt[int64]
}

// Apply sets the given fields on l; call PrepareLine afterwards.
func (ch LineChanges) Apply(l *TicketLine) {
	ch.Label.apply(&l.Label)
	ch.Quantity.apply(&l.Quantity)
	ch.UnitPriceCents.apply(&l.UnitPriceCents)
	ch.VATRateBasisPoints.apply(&l.VATRateBasisPoints)
}

// PrepareLine trims and checks a line against the VAT rates the shop offers.
func PrepareLine(l *TicketLine, offeredRates []int64) error {
	var p Problems
	l.Label = strings.Join(strings.Fields(l.Label), " ")
	if l.Label == "" {
		p.Add("label", FieldRequired, nil)
	} else {
		checkLine(&p, "label", l.Label, MaxLineLabelLen)
	}
	if l.Quantity < MinQuantity || l.Quantity > MaxQuantity {
		p.Add("quantity", FieldOutOfRange, map[string]any{"min": MinQuantity.String(), "max": MaxQuantity.String()})
	}
	if l.UnitPriceCents < 0 || l.UnitPriceCents > MaxUnitPriceCents {
		p.Add("unit_price_cents", FieldOutOfRange, map[string]any{"min": 0, "max": MaxUnitPriceCents})
	}
	if !slices.Contains(offeredRates, l.VATRateBasisPoints) {
		p.Add("vat_rate_basis_points", FieldVATRateNotOffered, map[string]any{"allowed": joinRates(offeredRates)})
	}
	return p.Err()
}

// FieldVATRateNotOffered: the VAT rate is not one the shop offers (Params["allowed"]).
const FieldVATRateNotOffered = "vat_rate_not_offered"

func joinRates(rates []int64) string {
	parts := make([]string, len(rates))
	for i, r := range rates {
		parts[i] = fmt.Sprint(r)
	}
	return strings.Join(parts, ", ")
}

// TenderMethod is how a customer pays. Cash may exceed what is due (the change is given back
// from the cash); every other method pays at most what is due. "account" puts the amount on
// the customer's account (a sale on account: they owe it), "credit" spends the credit the
// customer holds with us; both need a customer on the ticket.
type TenderMethod string

// Tender methods.
const (
	TenderCash    TenderMethod = "cash"
	TenderCard    TenderMethod = "card"
	TenderAccount TenderMethod = "account"
	TenderCredit  TenderMethod = "credit"
)

// TenderMethods are the methods the till takes, in the order they are offered.
var TenderMethods = []TenderMethod{TenderCash, TenderCard, TenderAccount, TenderCredit}

// OnAccount reports whether the tender moves the customer's account rather than money.
func (m TenderMethod) OnAccount() bool { return m == TenderAccount || m == TenderCredit }

// GivesChange reports whether a tender of this method may exceed what is due.
func (m TenderMethod) GivesChange() bool { return m == TenderCash }

// Tender is one payment offered at close: a method and the amount handed over.
type Tender struct {
	Method      TenderMethod
	AmountCents int64
}

// Payment is a tender as booked on an invoice: AmountCents is what it paid of the invoice
// (a cash tender net of the change), TenderedCents what was handed over.
type Payment struct {
	Method        TenderMethod
	AmountCents   int64
	TenderedCents int64
}

// Field error codes of payments.
const (
	// FieldPaymentShort: the payments do not cover the total (Params "due_cents", "paid_cents").
	FieldPaymentShort = "payments_do_not_cover"
	// FieldPaymentExceeds: tenders that give no change add up to more than is due
	// (Params "due_cents", "method").
	FieldPaymentExceeds = "payment_exceeds_due"
)

// Settle books tenders against a total due (≥ 0): every amount positive, the tenders that
// give no change at most what is due, all of them at least what is due. The change comes out
// of the cash, the last cash tender first. It returns the payments and the change.
func Settle(dueCents int64, tenders []Tender) ([]Payment, int64, error) {
	var p Problems
	if len(tenders) > MaxPaymentsPerSale {
		p.Add("payments", FieldOutOfRange, map[string]any{"min": 0, "max": MaxPaymentsPerSale})
		return nil, 0, p.Err()
	}
	var paid, noChange int64
	for i, t := range tenders {
		field := fmt.Sprintf("payments[%d]", i)
		if !slices.Contains(TenderMethods, t.Method) {
			p.Add(field+".method", FieldInvalid, map[string]any{"allowed": "cash, card, account, credit"})
		}
		if t.AmountCents <= 0 || t.AmountCents > MaxCreditLimit {
			p.Add(field+".amount_cents", FieldOutOfRange, map[string]any{"min": 1, "max": MaxCreditLimit})
			continue
		}
		paid += t.AmountCents
		if !t.Method.GivesChange() {
			noChange += t.AmountCents
		}
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	if noChange > dueCents {
		p.Add("payments", FieldPaymentExceeds, map[string]any{"due_cents": dueCents, "paid_cents": noChange})
	} else if paid < dueCents {
		p.Add("payments", FieldPaymentShort, map[string]any{"due_cents": dueCents, "paid_cents": paid})
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	change := paid - dueCents
	out := make([]Payment, len(tenders))
	for i, t := range tenders {
		out[i] = Payment{Method: t.Method, AmountCents: t.AmountCents, TenderedCents: t.AmountCents}
	}
	left := change
	for i := len(out) - 1; i >= 0 && left > 0; i-- {
		if out[i].Method.GivesChange() {
			take := min(left, out[i].AmountCents)
			out[i].AmountCents -= take
			left -= take
		}
	}
	return out, change, nil
}
