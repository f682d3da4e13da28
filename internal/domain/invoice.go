package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/verifactu"
)

// InvoiceType is the invoice's type as the tax agency's records name it.
type InvoiceType string

// Invoice types: a full invoice, a simplified one (a ticket), and the rectifying invoices of
// each (R1 corrects a full invoice, R5 a simplified one).
const (
	InvoiceFull                 InvoiceType = "F1"
	InvoiceSimplified           InvoiceType = "F2"
	InvoiceRectifying           InvoiceType = "R1"
	InvoiceRectifyingSimplified InvoiceType = "R5"
)

// ValidInvoiceType reports whether s is a type this shop issues.
func ValidInvoiceType(s string) bool {
	switch InvoiceType(s) {
	case InvoiceFull, InvoiceSimplified, InvoiceRectifying, InvoiceRectifyingSimplified:
		return true
	}
	return false
}

// Rectifying reports whether the type is a rectifying invoice's.
func (t InvoiceType) Rectifying() bool { return strings.HasPrefix(string(t), "R") }

// RectifyingType is the type of an invoice that corrects one of type t.
func (t InvoiceType) RectifyingType() InvoiceType {
	if t == InvoiceFull {
		return InvoiceRectifying
	}
	return InvoiceRectifyingSimplified
}

// CustomerSnapshot is an invoice's own copy of its customer as they were when it was issued.
// It outlives the customer: deleting them removes the register's record, not this.
type CustomerSnapshot struct {
	ID            string // the customer's id then; they may since have been deleted
	Kind          Kind
	Title         Title
	FirstName     string
	LastName      string
	CompanyName   string
	LegalForm     string
	TaxID         string
	Address       Address
	Email         string
	Reference     string
	AccountNumber string
}

// SnapshotOf copies what an invoice keeps of a customer; defaultCountry fills an address
// without a country.
func SnapshotOf(c *Customer, defaultCountry string) CustomerSnapshot {
	addr := c.Address
	if addr.Country == "" && addressGiven(addr) {
		addr.Country = defaultCountry
	}
	return CustomerSnapshot{ID: c.ID, Kind: c.Kind, Title: c.Title, FirstName: c.FirstName, LastName: c.LastName,
		CompanyName: c.CompanyName, LegalForm: c.LegalForm, TaxID: c.TaxID, Address: addr, Email: c.Email,
		Reference: c.Reference, AccountNumber: c.AccountNumber}
}

func addressGiven(a Address) bool {
	return a.Line1 != "" || a.PostalCode != "" || a.City != ""
}

// Name is the customer's name as the invoice shows it.
func (s *CustomerSnapshot) Name() string {
	c := Customer{Kind: s.Kind, FirstName: s.FirstName, LastName: s.LastName, CompanyName: s.CompanyName, LegalForm: s.LegalForm}
	return c.DisplayName()
}

// FullInvoice reports whether the customer has what a full invoice needs (RD 1619/2012
// art. 6): a name, a tax id and an address.
func (s *CustomerSnapshot) FullInvoice() bool {
	return s.Name() != "" && s.TaxID != "" && s.Address.Line1 != "" && s.Address.City != ""
}

// GroupSnapshot is an invoice's copy of the customer's group: past invoices keep its name and
// discount after the group is renamed or deleted.
type GroupSnapshot struct {
	ID                  string
	Name                string
	DiscountBasisPoints int64
}

// IssuerSnapshot is the shop as it was when the invoice was issued.
type IssuerSnapshot struct {
	Name    string
	TaxID   string
	Address Address
}

// InvoiceLine is a line as issued, with its amounts. On a rectifying invoice quantities and
// amounts are negative (goods returned), and RectifiedLine is the position of the original
// invoice's line it returns.
type InvoiceLine struct {
	Position           int // from 1
	Label              string
	Quantity           Quantity
	UnitPriceCents     int64
	VATRateBasisPoints int64
	DiscountBasisPts   int64
	GrossCents         int64
	DiscountCents      int64
	TotalCents         int64
	RectifiedLine      int // 0 on an ordinary invoice
}

// InvoiceRef names another invoice.
type InvoiceRef struct {
	ID     string
	Number string
	Type   InvoiceType
}

// Invoice is an issued invoice: immutable, numbered in its series, chained.
type Invoice struct {
	Seq         int64 // storage order; used for cursors, never shown
	ID          string
	Number      string // Series + Year + "-" + the number in six digits
	Series      string
	Year        int
	SeqInSeries int64
	Type        InvoiceType
	IssuedAt    time.Time
	TicketID    string // the ticket it closed; empty for a rectifying invoice
	UserID      string
	Username    string

	Issuer   IssuerSnapshot
	Customer *CustomerSnapshot // nil: no customer
	Group    *GroupSnapshot    // nil: no group, or no customer

	Lines         []InvoiceLine
	VAT           []VATLine
	GrossCents    int64
	DiscountCents int64
	TotalCents    int64
	VATCents      int64
	Payments      []Payment
	ChangeCents   int64

	Rectifies *InvoiceRef // the invoice this one corrects

	// ChainPosition is the record's place in the chain (from 1); Record its fields as hashed
	// and Fingerprint the result.
	ChainPosition int64
	Record        verifactu.Record
	Fingerprint   string
}

// InvoiceNumber writes a number of a series: "F2026-000042".
func InvoiceNumber(series string, year int, n int64) string {
	return fmt.Sprintf("%s%d-%06d", series, year, n)
}

// RectifyingSeries is the series of the rectifying invoices of a prefix: its own, so the
// numbers of each stay correlative.
func RectifyingSeries(prefix string) string { return prefix + "R" }

// ReturnLine asks to return a quantity of an invoice line (its position).
type ReturnLine struct {
	Position int
	Quantity Quantity
}

// Field error codes of returns.
const (
	// FieldReturnTooMuch: more than was sold minus what was already returned (Params "max").
	FieldReturnTooMuch = "return_exceeds_sold"
	// FieldNoSuchLine: the invoice has no line at this position.
	FieldNoSuchLine = "unknown_line"
)

// ReturnedLine prices the return of quantity q of an invoice line of which returnedBefore
// was already returned. The amounts are the line's own, in proportion, and cumulative: the
// returns of a line add up to exactly the line however it is split, and never more.
func ReturnedLine(orig *InvoiceLine, returnedBefore, q Quantity) InvoiceLine {
	cum := func(amount int64, qty Quantity) int64 {
		return mulDivRound(amount, int64(qty), int64(orig.Quantity))
	}
	after := returnedBefore + q
	gross := cum(orig.GrossCents, after) - cum(orig.GrossCents, returnedBefore)
	disc := cum(orig.DiscountCents, after) - cum(orig.DiscountCents, returnedBefore)
	return InvoiceLine{
		Label: orig.Label, Quantity: -q, UnitPriceCents: orig.UnitPriceCents, VATRateBasisPoints: orig.VATRateBasisPoints,
		DiscountBasisPts: orig.DiscountBasisPts, GrossCents: -gross, DiscountCents: -disc, TotalCents: -(gross - disc),
		RectifiedLine: orig.Position,
	}
}

// InvoiceTotals adds up invoice lines into the invoice's totals and VAT per rate.
func InvoiceTotals(lines []InvoiceLine) Totals {
	priced := make([]PricedLine, len(lines))
	rates := make([]int64, len(lines))
	for i, l := range lines {
		priced[i] = PricedLine{GrossCents: l.GrossCents, DiscountCents: l.DiscountCents, TotalCents: l.TotalCents}
		rates[i] = l.VATRateBasisPoints
	}
	return SumTotals(priced, rates)
}

// Audit actions of the till.
const (
	ActionInvoiceIssue   = "invoice.issue"
	ActionInvoiceRectify = "invoice.rectify"
	ActionShopUpdate     = "shop.update"
)
