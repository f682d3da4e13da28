package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// PrivacyPackageVersion is the version of PrivacyPackage's JSON shape (docs/privacy.md).
// Fields may be added within a version; none is renamed or removed without a new one.
const PrivacyPackageVersion = 1

// PrivacyPackage is everything Clientela holds about one customer (GDPR arts. 15 and 20):
// the register's record, the history of their marketing consent, their invoices as issued,
// their account's entries, the messages sent to them or about their invoices, their
// opt-outs, and the audit trail's entries about them. Its JSON is the portable copy.
type PrivacyPackage struct {
	Version      int                 `json:"version"`
	GeneratedAt  time.Time           `json:"generated_at"`
	Customer     PrivacyCustomer     `json:"customer"`
	Consent      []ConsentEvent      `json:"consent_history"`
	Invoices     []PrivacyInvoice    `json:"invoices"`
	Ledger       []PrivacyLedger     `json:"ledger_entries"`
	Messages     []PrivacyMessage    `json:"messages"`
	Unsubscribes []Unsubscribe       `json:"unsubscribes"`
	History      []PrivacyAuditEntry `json:"history"`
}

// PrivacyCustomer is the register's record.
type PrivacyCustomer struct {
	ID                 string         `json:"id"`
	Kind               string         `json:"kind"`
	Title              string         `json:"title"`
	FirstName          string         `json:"first_name"`
	LastName           string         `json:"last_name"`
	CompanyName        string         `json:"company_name"`
	LegalForm          string         `json:"legal_form"`
	TaxID              string         `json:"tax_id"`
	Email              string         `json:"email"`
	Phone              string         `json:"phone"`
	Address            PrivacyAddress `json:"address"`
	Reference          string         `json:"reference"`
	AccountNumber      string         `json:"account_number"`
	Group              *PrivacyGroup  `json:"group"`
	Notes              string         `json:"notes"`
	InvoiceByEmail     bool           `json:"invoice_by_email"`
	MarketingConsent   bool           `json:"marketing_consent"`
	MarketingConsentAt *time.Time     `json:"marketing_consent_at"`
	CreditLimitCents   int64          `json:"credit_limit_cents"`
	BalanceCents       int64          `json:"balance_cents"`
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
	Name               string         `json:"display_name"`
}

// PrivacyAddress is a postal address.
type PrivacyAddress struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Region     string `json:"region"`
	Country    string `json:"country"`
}

// PrivacyGroup is the customer's group.
type PrivacyGroup struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	DiscountBasisPoints int64  `json:"discount_basis_points"`
}

// ConsentEvent is one change of the marketing consent: given or withdrawn, when, and how
// (created, updated, unsubscribe — the customer's own opt-out through a message's link).
type ConsentEvent struct {
	At         time.Time `json:"at"`
	Consent    bool      `json:"consent"`
	Via        string    `json:"via"`
	CampaignID string    `json:"campaign_id,omitempty"`
}

// PrivacyInvoice is an invoice as issued, with the customer as it holds them.
type PrivacyInvoice struct {
	ID          string               `json:"id"`
	Number      string               `json:"number"`
	Type        string               `json:"type"`
	IssuedAt    time.Time            `json:"issued_at"`
	Issuer      string               `json:"issuer_name"`
	IssuerTaxID string               `json:"issuer_tax_id"`
	Customer    PrivacySnapshot      `json:"customer"`
	GroupName   string               `json:"group_name"`
	Lines       []PrivacyInvoiceLine `json:"lines"`
	VAT         []PrivacyVAT         `json:"vat"`
	TotalCents  int64                `json:"total_cents"`
	VATCents    int64                `json:"vat_cents"`
	Payments    []PrivacyPayment     `json:"payments"`
	Rectifies   string               `json:"rectifies,omitempty"`
}

// PrivacySnapshot is an invoice's copy of the customer.
type PrivacySnapshot struct {
	Kind        string         `json:"kind"`
	Title       string         `json:"title"`
	FirstName   string         `json:"first_name"`
	LastName    string         `json:"last_name"`
	CompanyName string         `json:"company_name"`
	LegalForm   string         `json:"legal_form"`
	TaxID       string         `json:"tax_id"`
	Address     PrivacyAddress `json:"address"`
	Email       string         `json:"email"`
	Reference   string         `json:"reference"`
}

// PrivacyInvoiceLine is a line of an invoice; quantity in thousandths.
type PrivacyInvoiceLine struct {
	Label              string `json:"label"`
	QuantityThousandth int64  `json:"quantity_thousandths"`
	UnitPriceCents     int64  `json:"unit_price_cents"`
	VATRateBasisPoints int64  `json:"vat_rate_basis_points"`
	TotalCents         int64  `json:"total_cents"`
}

// PrivacyVAT is one VAT rate's base and amount.
type PrivacyVAT struct {
	RateBasisPoints int64 `json:"rate_basis_points"`
	BaseCents       int64 `json:"base_cents"`
	VATCents        int64 `json:"vat_cents"`
}

// PrivacyPayment is how an invoice was paid.
type PrivacyPayment struct {
	Method      string `json:"method"`
	AmountCents int64  `json:"amount_cents"`
}

// PrivacyLedger is one entry of the customer's account.
type PrivacyLedger struct {
	ID            string    `json:"id"`
	At            time.Time `json:"at"`
	Kind          string    `json:"kind"`
	AmountCents   int64     `json:"amount_cents"`
	BalanceCents  int64     `json:"balance_cents"`
	Method        string    `json:"method"`
	InvoiceNumber string    `json:"invoice_number"`
	Reason        string    `json:"reason"`
}

// PrivacyMessage is an e-mail message sent (or queued) to the customer or about one of
// their invoices.
type PrivacyMessage struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"`
	Recipient  string     `json:"recipient"`
	Subject    string     `json:"subject"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at"`
	InvoiceID  string     `json:"invoice_id,omitempty"`
	CampaignID string     `json:"campaign_id,omitempty"`
}

// PrivacyAuditEntry is an entry of the audit trail about the customer: what was done,
// when, and which fields it changed (never the staff member's name nor values).
type PrivacyAuditEntry struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	Fields []string  `json:"fields"`
}

// PrivacyExport gathers everything held about a customer (admin) and audits that it was
// handed out.
func (a *App) PrivacyExport(ctx context.Context, p domain.Principal, customerID string) (PrivacyPackage, error) {
	pkg := PrivacyPackage{Version: PrivacyPackageVersion}
	if err := authorize(p, domain.PermPrivacy); err != nil {
		return pkg, err
	}
	if !ValidID(customerID) {
		return pkg, domain.Errorf(domain.CodeNotFound)
	}
	pkg.GeneratedAt = a.now()
	err := a.store.Read(ctx, func(tx Tx) error {
		c, err := tx.Customer(ctx, customerID)
		if err != nil {
			return err
		}
		pkg.Customer = privacyCustomer(&c)
		if c.GroupID != "" {
			if g, err := tx.Group(ctx, c.GroupID); err == nil {
				pkg.Customer.Group = &PrivacyGroup{ID: g.ID, Name: g.Name, DiscountBasisPoints: g.DiscountBasisPoints}
			} else if domain.ErrorCode(err) != domain.CodeNotFound {
				return err
			}
		}
		if pkg.Customer.BalanceCents, err = tx.AccountBalance(ctx, customerID); err != nil {
			return err
		}
		if pkg.Invoices, err = privacyInvoices(ctx, tx, customerID); err != nil {
			return err
		}
		if pkg.Ledger, err = privacyLedger(ctx, tx, customerID); err != nil {
			return err
		}
		mails, err := tx.CustomerMail(ctx, customerID)
		if err != nil {
			return err
		}
		for _, m := range mails {
			pkg.Messages = append(pkg.Messages, PrivacyMessage{ID: m.ID, Kind: string(m.Kind), Status: string(m.Status),
				Recipient: m.Recipient, Subject: m.Subject, CreatedAt: m.CreatedAt, SentAt: m.SentAt,
				InvoiceID: m.InvoiceID, CampaignID: m.CampaignID})
		}
		if pkg.Unsubscribes, err = tx.CustomerUnsubscribes(ctx, customerID); err != nil {
			return err
		}
		var entries []domain.AuditEntry
		for before := int64(0); ; {
			rows, err := tx.AuditEntries(ctx, AuditFilter{EntityType: "customer", EntityID: customerID, BeforeID: before, Limit: 500})
			if err != nil {
				return err
			}
			entries = append(entries, rows...)
			if len(rows) < 500 {
				break
			}
			before = rows[len(rows)-1].ID
		}
		slices.Reverse(entries) // oldest first
		for _, e := range entries {
			pkg.History = append(pkg.History, PrivacyAuditEntry{At: e.At, Action: e.Action, Fields: orNone(e.Fields)})
		}
		pkg.Consent = consentHistory(&c, entries)
		return nil
	})
	if err != nil {
		return pkg, err
	}
	pkg.Invoices, pkg.Ledger, pkg.Messages = orNone(pkg.Invoices), orNone(pkg.Ledger), orNone(pkg.Messages)
	pkg.Unsubscribes, pkg.History, pkg.Consent = orNone(pkg.Unsubscribes), orNone(pkg.History), orNone(pkg.Consent)
	err = a.store.Write(ctx, func(tx Tx) error {
		return a.audit(ctx, tx, p, domain.ActionPrivacyExport, "customer", customerID, nil, map[string]any{
			"invoices": len(pkg.Invoices), "ledger_entries": len(pkg.Ledger), "messages": len(pkg.Messages)})
	})
	return pkg, err
}

func orNone[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func privacyCustomer(c *domain.Customer) PrivacyCustomer {
	return PrivacyCustomer{ID: c.ID, Kind: string(c.Kind), Title: string(c.Title), FirstName: c.FirstName, LastName: c.LastName,
		CompanyName: c.CompanyName, LegalForm: c.LegalForm, TaxID: c.TaxID, Email: c.Email, Phone: c.Phone,
		Address: privacyAddress(c.Address), Reference: c.Reference, AccountNumber: c.AccountNumber, Notes: c.Notes,
		InvoiceByEmail: c.InvoiceByEmail, MarketingConsent: c.MarketingConsent, MarketingConsentAt: c.MarketingConsentAt,
		CreditLimitCents: c.CreditLimitCents, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Name: c.DisplayName()}
}

func privacyAddress(a domain.Address) PrivacyAddress {
	return PrivacyAddress{Line1: a.Line1, Line2: a.Line2, PostalCode: a.PostalCode, City: a.City, Region: a.Region, Country: a.Country}
}

func privacyInvoices(ctx context.Context, tx Tx, customerID string) ([]PrivacyInvoice, error) {
	var out []PrivacyInvoice
	f := InvoiceFilter{CustomerID: customerID, Limit: 200}
	for {
		page, err := tx.ListInvoices(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, head := range page {
			inv, err := tx.Invoice(ctx, head.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, privacyInvoice(&inv))
		}
		if len(page) < f.Limit {
			break
		}
		last := page[len(page)-1]
		f.BeforeAt, f.BeforeSeq = last.IssuedAt, last.Seq
	}
	slices.Reverse(out) // oldest first
	return out, nil
}

func privacyInvoice(inv *domain.Invoice) PrivacyInvoice {
	pi := PrivacyInvoice{ID: inv.ID, Number: inv.Number, Type: string(inv.Type), IssuedAt: inv.IssuedAt, Issuer: inv.Issuer.Name,
		IssuerTaxID: inv.Issuer.TaxID, TotalCents: inv.TotalCents, VATCents: inv.VATCents,
		Lines: []PrivacyInvoiceLine{}, VAT: []PrivacyVAT{}, Payments: []PrivacyPayment{}}
	if s := inv.Customer; s != nil {
		pi.Customer = PrivacySnapshot{Kind: string(s.Kind), Title: string(s.Title), FirstName: s.FirstName, LastName: s.LastName,
			CompanyName: s.CompanyName, LegalForm: s.LegalForm, TaxID: s.TaxID, Address: privacyAddress(s.Address),
			Email: s.Email, Reference: s.Reference}
	}
	if inv.Group != nil {
		pi.GroupName = inv.Group.Name
	}
	if inv.Rectifies != nil {
		pi.Rectifies = inv.Rectifies.Number
	}
	for _, l := range inv.Lines {
		pi.Lines = append(pi.Lines, PrivacyInvoiceLine{Label: l.Label, QuantityThousandth: int64(l.Quantity),
			UnitPriceCents: l.UnitPriceCents, VATRateBasisPoints: l.VATRateBasisPoints, TotalCents: l.TotalCents})
	}
	for _, v := range inv.VAT {
		pi.VAT = append(pi.VAT, PrivacyVAT{RateBasisPoints: v.RateBasisPoints, BaseCents: v.BaseCents, VATCents: v.VATCents})
	}
	for _, p := range inv.Payments {
		pi.Payments = append(pi.Payments, PrivacyPayment{Method: string(p.Method), AmountCents: p.AmountCents})
	}
	return pi
}

func privacyLedger(ctx context.Context, tx Tx, customerID string) ([]PrivacyLedger, error) {
	var out []PrivacyLedger
	f := LedgerFilter{CustomerID: customerID, Ascending: true, Limit: 500}
	for {
		rows, err := tx.LedgerEntries(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, e := range rows {
			out = append(out, PrivacyLedger{ID: e.ID, At: e.CreatedAt, Kind: string(e.Kind), AmountCents: e.AmountCents,
				BalanceCents: e.BalanceCents, Method: string(e.Method), InvoiceNumber: e.InvoiceNumber, Reason: e.Reason})
		}
		if len(rows) < f.Limit {
			return out, nil
		}
		f.AfterSeq = rows[len(rows)-1].Seq
	}
}

// consentHistory reads the consent's changes from the audit trail (oldest first), which
// names the field changed but never its value: each change of marketing_consent flipped it,
// so walking back from the value it has now gives each change's value.
func consentHistory(c *domain.Customer, entries []domain.AuditEntry) []ConsentEvent {
	var events []ConsentEvent
	for _, e := range entries {
		if !slices.Contains(e.Fields, "marketing_consent") {
			continue
		}
		ev := ConsentEvent{At: e.At, Via: strings.TrimPrefix(e.Action, "customer.")}
		if id, ok := e.Details["campaign_id"].(string); ok {
			ev.CampaignID = id
		}
		events = append(events, ev)
	}
	value := c.MarketingConsent
	for i := len(events) - 1; i >= 0; i-- {
		events[i].Consent = value
		if events[i].Via == "create" {
			break
		}
		value = !value
	}
	return events
}
