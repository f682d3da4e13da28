package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/verifactu"
)

// Idempotency scopes: a key is one request's within its scope.
const (
	idempotencyClose   = "ticket.close"
	idempotencyRectify = "invoice.rectify"
)

// MaxIdempotencyKeyLen bounds an Idempotency-Key.
const MaxIdempotencyKeyLen = 255

// FieldIdempotencyKey names the Idempotency-Key header in field errors.
const FieldIdempotencyKey = "Idempotency-Key"

func checkIdempotencyKey(key string) error {
	if key == "" {
		return nil
	}
	ok := len(key) <= MaxIdempotencyKeyLen
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > ' ' && key[i] < 0x7f
	}
	if !ok {
		var problems domain.Problems
		problems.Add(FieldIdempotencyKey, domain.FieldInvalid, map[string]any{"max": MaxIdempotencyKeyLen})
		return problems.Err()
	}
	return nil
}

// claim takes an Idempotency-Key for request in the transaction. It returns the id of the
// invoice an earlier request with the key issued ("" when this one is first, and will issue
// resultID), or CodeIdempotencyReused when the key was used for another request.
func claim(ctx context.Context, tx Tx, scope, key, request, resultID string, at time.Time) (string, error) {
	if key == "" {
		return "", nil
	}
	heldRequest, heldResult, err := tx.ClaimIdempotencyKey(ctx, scope, key, request, resultID, at)
	if err != nil {
		return "", err
	}
	if heldRequest != request {
		return "", &domain.Error{Code: domain.CodeIdempotencyReused}
	}
	if heldResult == resultID {
		return "", nil
	}
	return heldResult, nil
}

// shopReady reads the shop and refuses to issue an invoice while it has no name or tax id:
// the error's details carry the page where they are set.
func (a *App) shopReady(ctx context.Context, tx Tx) (domain.Shop, error) {
	shop, err := a.shop(ctx, tx)
	if err != nil {
		return shop, err
	}
	if !shop.ReadyToInvoice() {
		return shop, &domain.Error{Code: domain.CodeShopNotReady, Details: map[string]any{"settings_path": domain.ShopSettingsPath}}
	}
	return shop, nil
}

// CloseTicket closes one of the caller's tickets with the tenders given and issues its
// invoice, in one transaction: the number of its series and year, the chain record, the
// customer's and group's snapshot, the payments; the ticket is gone after it. An empty
// ticket, tenders that do not cover the total, or a shop without a name and tax id are
// refused and nothing changes. With an idempotency key, a retry of the same close returns the
// same invoice and books nothing again; the key used for another ticket is refused.
func (a *App) CloseTicket(ctx context.Context, p domain.Principal, ticketID string, tenders []domain.Tender, idempotencyKey string) (domain.Invoice, error) {
	return a.CloseTicketWith(ctx, p, ticketID, CloseRequest{Tenders: tenders}, idempotencyKey)
}

// CloseRequest is how a ticket is paid: the tenders, and whether a manager lets a sale on
// account pass the customer's credit limit.
type CloseRequest struct {
	Tenders             []domain.Tender
	OverrideCreditLimit bool
}

// CloseTicketWith is CloseTicket with the account tenders' options. The account and credit
// tenders need a customer on the ticket; they are booked on the customer's account in the
// same transaction (postTenders), after the invoice has its number.
func (a *App) CloseTicketWith(ctx context.Context, p domain.Principal, ticketID string, rq CloseRequest, idempotencyKey string) (domain.Invoice, error) {
	var inv domain.Invoice
	if err := authorize(p, domain.PermTillUse); err != nil {
		return inv, err
	}
	if rq.OverrideCreditLimit {
		if err := authorize(p, domain.PermAccountsOverride); err != nil {
			return inv, err
		}
	}
	tenders := rq.Tenders
	if err := checkIdempotencyKey(idempotencyKey); err != nil {
		return inv, err
	}
	if !ValidID(ticketID) {
		return inv, domain.Errorf(domain.CodeNotFound)
	}
	invoiceID, err := newID()
	if err != nil {
		return inv, err
	}
	now := a.now()
	err = a.store.Write(ctx, func(tx Tx) error {
		earlier, err := claim(ctx, tx, idempotencyClose, idempotencyKey, ticketID, invoiceID, now)
		if err != nil {
			return err
		}
		if earlier != "" {
			inv, err = tx.Invoice(ctx, earlier)
			return err
		}
		if _, err := tx.LockTicket(ctx, ticketID, now); err != nil {
			return err
		}
		tk, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return err
		}
		if tk.OwnerID != p.UserID {
			return domain.Errorf(domain.CodeNotFound)
		}
		if len(tk.Lines) == 0 {
			return domain.Errorf(domain.CodeTicketEmpty)
		}
		shop, err := a.shopReady(ctx, tx)
		if err != nil {
			return err
		}
		if tk.Customer == nil {
			var problems domain.Problems
			for i, t := range tenders {
				if t.Method.OnAccount() {
					problems.Add(fmt.Sprintf("payments[%d].method", i), domain.FieldNeedsCustomer, nil)
				}
			}
			if err := problems.Err(); err != nil {
				return err
			}
		}
		totals := tk.Totals()
		payments, change, err := domain.Settle(totals.TotalCents, tenders)
		if err != nil {
			return err
		}
		inv = domain.Invoice{ID: invoiceID, Type: domain.InvoiceSimplified, IssuedAt: now, TicketID: tk.ID,
			UserID: p.UserID, Username: p.Username, Issuer: shop.Issuer(), Payments: payments, ChangeCents: change}
		var c domain.Customer
		if tk.Customer != nil {
			c, err = tx.Customer(ctx, tk.Customer.ID)
			if err != nil {
				return err
			}
			snap := domain.SnapshotOf(&c, shop.Address.Country)
			inv.Customer = &snap
			if snap.FullInvoice() {
				inv.Type = domain.InvoiceFull
			}
			if tk.Customer.GroupID != "" {
				inv.Group = &domain.GroupSnapshot{ID: tk.Customer.GroupID, Name: tk.Customer.GroupName, DiscountBasisPoints: tk.Customer.DiscountBasisPoints}
			}
		}
		discount := tk.DiscountBasisPoints()
		for i, l := range tk.Lines {
			pl := totals.Lines[i]
			inv.Lines = append(inv.Lines, domain.InvoiceLine{Position: i + 1, Label: l.Label, Quantity: l.Quantity,
				UnitPriceCents: l.UnitPriceCents, VATRateBasisPoints: l.VATRateBasisPoints, DiscountBasisPts: discount,
				GrossCents: pl.GrossCents, DiscountCents: pl.DiscountCents, TotalCents: pl.TotalCents})
		}
		setTotals(&inv, totals)
		// What needs no number comes first: the counter and the chain's head, which every
		// close waits for, are held for as short a time as possible.
		if err := tx.DeleteTicket(ctx, tk.ID); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, p, domain.ActionInvoiceIssue, "invoice", inv.ID, nil,
			map[string]any{"ticket_id": tk.ID, "total_cents": inv.TotalCents}); err != nil {
			return err
		}
		previous, err := a.reserve(ctx, tx, &inv, shop.InvoicePrefix)
		if err != nil {
			return err
		}
		if err := a.issue(ctx, tx, &inv, previous); err != nil {
			return err
		}
		if tk.Customer == nil {
			return nil
		}
		// The invoice by e-mail, written to the outbox with the invoice (its PDF is drawn by
		// the mail worker, not here).
		if err := a.queueInvoiceMail(ctx, tx, &inv, &c); err != nil {
			return err
		}
		// The account last: every transaction that takes the invoice counter and an account
		// takes them in this order (rectifications too), so none waits for the other in turn.
		return a.postTenders(ctx, tx, p, &inv, &c, rq.OverrideCreditLimit, now)
	})
	if err != nil {
		return domain.Invoice{}, err
	}
	return inv, nil
}

func setTotals(inv *domain.Invoice, t domain.Totals) {
	inv.VAT = t.VAT
	inv.GrossCents, inv.DiscountCents, inv.TotalCents, inv.VATCents = t.GrossCents, t.DiscountCents, t.TotalCents, t.VATCents
}

// reserve numbers inv in its series (prefix, or its rectifying series) and year and takes
// its place in the chain, returning the previous record's fingerprint. The counter and the
// chain's head are held until the transaction ends, always in this order, so concurrent
// closes take turns without deadlock.
func (a *App) reserve(ctx context.Context, tx Tx, inv *domain.Invoice, prefix string) (string, error) {
	inv.Series = prefix
	if inv.Type.Rectifying() {
		inv.Series = domain.RectifyingSeries(prefix)
	}
	inv.Year = inv.IssuedAt.In(verifactu.Madrid()).Year()
	n, err := tx.NextInvoiceNumber(ctx, inv.Series, inv.Year)
	if err != nil {
		return "", err
	}
	inv.SeqInSeries, inv.Number = n, domain.InvoiceNumber(inv.Series, inv.Year, n)
	pos, previous, err := tx.AdvanceChain(ctx)
	if err != nil {
		return "", err
	}
	inv.ChainPosition = pos
	return previous, nil
}

// issue writes inv's chain record after previous, moves the chain's head to it and stores
// the invoice.
func (a *App) issue(ctx context.Context, tx Tx, inv *domain.Invoice, previous string) error {
	inv.Record = verifactu.NewRecord(inv.Issuer.TaxID, inv.Number, inv.IssuedAt, string(inv.Type), inv.VATCents, inv.TotalCents, previous, inv.IssuedAt)
	inv.Fingerprint = inv.Record.Fingerprint()
	if err := tx.SetChainHead(ctx, inv.Fingerprint); err != nil {
		return err
	}
	return tx.CreateInvoice(ctx, inv)
}

// Invoice returns an issued invoice whole.
func (a *App) Invoice(ctx context.Context, p domain.Principal, id string) (domain.Invoice, error) {
	var inv domain.Invoice
	if err := authorize(p, domain.PermInvoicesRead); err != nil {
		return inv, err
	}
	if !ValidID(id) {
		return inv, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		inv, err = tx.Invoice(ctx, id)
		return err
	})
	return inv, err
}

// InvoiceQuery selects invoices, newest first. From and To are dates (YYYY-MM-DD, both
// included) in the shop's time (Madrid); Number matches the start of invoice numbers; Search
// finds words of the customer's name (as the invoice keeps it).
type InvoiceQuery struct {
	CustomerID string
	// Rectifies: only the rectifying invoices of this invoice.
	Rectifies string
	From, To  string
	Number    string
	Type      string
	Search    string
	Limit     int
	Cursor    string
}

// InvoicePage is one page of invoices, without their lines.
type InvoicePage struct {
	Invoices   []domain.Invoice
	NextCursor string
}

// Invoices lists invoices, newest first.
func (a *App) Invoices(ctx context.Context, p domain.Principal, q InvoiceQuery) (InvoicePage, error) {
	var page InvoicePage
	if err := authorize(p, domain.PermInvoicesRead); err != nil {
		return page, err
	}
	var problems domain.Problems
	limit := pageLimit(q.Limit, &problems)
	f := InvoiceFilter{CustomerID: q.CustomerID, RectifiesID: q.Rectifies, Number: q.Number, Type: domain.InvoiceType(q.Type)}
	if q.CustomerID != "" && !ValidID(q.CustomerID) {
		problems.Add("customer_id", domain.FieldInvalid, nil)
	}
	if q.Rectifies != "" && !ValidID(q.Rectifies) {
		problems.Add("rectifies", domain.FieldInvalid, nil)
	}
	if q.Type != "" && !domain.ValidInvoiceType(q.Type) {
		problems.Add("type", domain.FieldInvalid, map[string]any{"allowed": "F1, F2, R1, R5"})
	}
	day := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, s, verifactu.Madrid())
		if err != nil {
			problems.Add(field, domain.FieldInvalid, map[string]any{"format": "YYYY-MM-DD"})
			return time.Time{}
		}
		return d
	}
	f.From = day("from", q.From)
	if to := day("to", q.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if len(q.Number) > 64 {
		problems.Add("number", domain.FieldTooLong, map[string]any{"max": 64})
	}
	if len(q.Search) > 200 {
		problems.Add("q", domain.FieldTooLong, map[string]any{"max": 200})
	}
	f.NameTerms = search.Tokens(q.Search)
	cur, err := decodeCursor(q.Cursor, cursorInvoices, "")
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	if err := problems.Err(); err != nil {
		return page, err
	}
	f.Limit = limit + 1
	if cur.Seq > 0 {
		f.BeforeAt, f.BeforeSeq = time.UnixMicro(cur.ID).UTC(), cur.Seq
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		rows, err := tx.ListInvoices(ctx, f)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			page.NextCursor = encodeCursor(cursor{List: cursorInvoices, Seq: last.Seq, ID: last.IssuedAt.UnixMicro()})
		}
		page.Invoices = rows
		return nil
	})
	return page, err
}

// RectifyRequest is a return: the lines and quantities given back (none: everything not yet
// returned), and how the money goes back (cash when empty).
type RectifyRequest struct {
	Lines        []domain.ReturnLine
	RefundMethod domain.TenderMethod
}

// Reasons of refused rectifications (CodeConflict, Details["reason"]).
const (
	ReasonRectifiesRectifying = "rectifying_invoice" // a rectifying invoice is not rectified again
	ReasonNothingToReturn     = "nothing_to_return"  // everything was already returned
)

// RectifyInvoice issues a rectifying invoice (manager): a whole or partial return of an
// invoice's lines, never more of a line than was sold minus what was already returned. It is
// R1 for a full invoice and R5 for a simplified one, numbered in the rectifying series,
// chained like every record, with the original's customer and group, and negative amounts.
func (a *App) RectifyInvoice(ctx context.Context, p domain.Principal, invoiceID string, rq RectifyRequest, idempotencyKey string) (domain.Invoice, error) {
	var inv domain.Invoice
	if err := authorize(p, domain.PermInvoicesRectify); err != nil {
		return inv, err
	}
	if err := checkIdempotencyKey(idempotencyKey); err != nil {
		return inv, err
	}
	if !ValidID(invoiceID) {
		return inv, domain.Errorf(domain.CodeNotFound)
	}
	method := rq.RefundMethod
	if method == "" {
		method = domain.TenderCash
	}
	var problems domain.Problems
	if !slices.Contains(refundMethods, method) {
		problems.Add("refund_method", domain.FieldInvalid, map[string]any{"allowed": "cash, card, account"})
	}
	seen := map[int]bool{}
	for i, l := range rq.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		if seen[l.Position] {
			problems.Add(field+".position", domain.FieldInvalid, map[string]any{"reason": "duplicate"})
		}
		seen[l.Position] = true
		if l.Quantity < domain.MinQuantity {
			problems.Add(field+".quantity", domain.FieldOutOfRange, map[string]any{"min": domain.MinQuantity.String(), "max": domain.MaxQuantity.String()})
		}
	}
	if err := problems.Err(); err != nil {
		return inv, err
	}
	newInvoiceID, err := newID()
	if err != nil {
		return inv, err
	}
	now := a.now()
	err = a.store.Write(ctx, func(tx Tx) error {
		earlier, err := claim(ctx, tx, idempotencyRectify, idempotencyKey, invoiceID, newInvoiceID, now)
		if err != nil {
			return err
		}
		if earlier != "" {
			inv, err = tx.Invoice(ctx, earlier)
			return err
		}
		orig, err := tx.Invoice(ctx, invoiceID)
		if err != nil {
			return err
		}
		if orig.Type.Rectifying() {
			return &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": ReasonRectifiesRectifying}}
		}
		shop, err := a.shopReady(ctx, tx)
		if err != nil {
			return err
		}
		inv = domain.Invoice{ID: newInvoiceID, Type: orig.Type.RectifyingType(), IssuedAt: now, UserID: p.UserID,
			Username: p.Username, Issuer: shop.Issuer(), Customer: orig.Customer, Group: orig.Group,
			Rectifies: &domain.InvoiceRef{ID: orig.ID, Number: orig.Number, Type: orig.Type}}
		// The number and the chain are taken before the earlier returns are summed: holding
		// them, two returns of one invoice take turns and the second sees the first's lines.
		previous, err := a.reserve(ctx, tx, &inv, shop.InvoicePrefix)
		if err != nil {
			return err
		}
		returned, err := tx.ReturnedQuantities(ctx, orig.ID)
		if err != nil {
			return err
		}
		lines, err := returnLines(&orig, returned, rq.Lines)
		if err != nil {
			return err
		}
		inv.Lines = lines
		setTotals(&inv, domain.InvoiceTotals(lines))
		inv.Payments = []domain.Payment{{Method: method, AmountCents: inv.TotalCents, TenderedCents: inv.TotalCents}}
		if err := a.issue(ctx, tx, &inv, previous); err != nil {
			return err
		}
		if method == domain.TenderAccount {
			if err := a.creditNote(ctx, tx, p, &inv, now); err != nil {
				return err
			}
		}
		return a.audit(ctx, tx, p, domain.ActionInvoiceRectify, "invoice", inv.ID, nil,
			map[string]any{"rectifies": orig.ID, "total_cents": inv.TotalCents})
	})
	if err != nil {
		return domain.Invoice{}, err
	}
	return inv, nil
}

// refundMethods are how a return gives the money back: cash, card, or onto the customer's
// account (a credit note: it lowers what they owe, or becomes credit they can spend).
var refundMethods = []domain.TenderMethod{domain.TenderCash, domain.TenderCard, domain.TenderAccount}

// creditNote books a return refunded to the customer's account. The customer must still be
// in the register: a deleted customer's account is closed.
func (a *App) creditNote(ctx context.Context, tx Tx, p domain.Principal, inv *domain.Invoice, now time.Time) error {
	refuse := func() error {
		var problems domain.Problems
		problems.Add("refund_method", domain.FieldNeedsCustomer, nil)
		return problems.Err()
	}
	if inv.Customer == nil || inv.TotalCents == 0 {
		return refuse()
	}
	c, err := tx.Customer(ctx, inv.Customer.ID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return refuse()
	}
	if err != nil {
		return err
	}
	id, err := newID()
	if err != nil {
		return err
	}
	e := domain.LedgerEntry{ID: id, CustomerID: c.ID, CustomerName: c.DisplayName(), AccountNumber: c.AccountNumber,
		Kind: domain.LedgerCreditNote, AmountCents: inv.TotalCents, InvoiceID: inv.ID, InvoiceNumber: inv.Number,
		UserID: p.UserID, Username: p.Username, CreatedAt: now}
	return tx.PostLedgerEntry(ctx, &e)
}

// returnLines prices the lines of a return: those asked for, or everything not yet returned.
func returnLines(orig *domain.Invoice, returned map[int]domain.Quantity, asked []domain.ReturnLine) ([]domain.InvoiceLine, error) {
	var problems domain.Problems
	var out []domain.InvoiceLine
	add := func(l *domain.InvoiceLine, q domain.Quantity) {
		r := domain.ReturnedLine(l, returned[l.Position], q)
		r.Position = len(out) + 1
		out = append(out, r)
	}
	if len(asked) == 0 {
		for i := range orig.Lines {
			l := &orig.Lines[i]
			if left := l.Quantity - returned[l.Position]; left > 0 {
				add(l, left)
			}
		}
		if len(out) == 0 {
			return nil, &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": ReasonNothingToReturn}}
		}
		return out, nil
	}
	for i, rl := range asked {
		field := fmt.Sprintf("lines[%d]", i)
		if rl.Position < 1 || rl.Position > len(orig.Lines) {
			problems.Add(field+".position", domain.FieldNoSuchLine, nil)
			continue
		}
		l := &orig.Lines[rl.Position-1]
		if left := l.Quantity - returned[l.Position]; rl.Quantity > left {
			problems.Add(field+".quantity", domain.FieldReturnTooMuch, map[string]any{"max": left.String()})
			continue
		}
		add(l, rl.Quantity)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ChainReport is what VerifyChain found.
type ChainReport struct {
	Checked int64 // records found sound, from the first
	Length  int64 // records the chain's head counts
	// Break is the first broken link; nil when the whole chain holds.
	Break *verifactu.BreakError
}

// chainBatch is how many records VerifyChain reads at once.
const chainBatch = 1000

// VerifyChain walks every invoice record in chain order (admin) and checks that each follows
// the previous one, that its fingerprint is its own, and that the invoice's stored number,
// type and amounts are still those its record holds; then that the head stored for the chain
// is the last record's. It stops at the first break.
func (a *App) VerifyChain(ctx context.Context, p domain.Principal) (ChainReport, error) {
	var rep ChainReport
	if err := authorize(p, domain.PermAuditRead); err != nil {
		return rep, err
	}
	var v verifactu.Verifier
	var after int64
	for {
		var batch []ChainRecord
		err := a.store.Read(ctx, func(tx Tx) (err error) {
			if after == 0 {
				if _, rep.Length, err = tx.ChainHead(ctx); err != nil {
					return err
				}
			}
			batch, err = tx.ChainRecords(ctx, after, chainBatch)
			return err
		})
		if err != nil {
			return rep, err
		}
		for _, c := range batch {
			err := v.Next(c.Record, c.Fingerprint)
			if err == nil && (c.Position != int64(v.Checked()) || !c.matchesRecord()) {
				err = &verifactu.BreakError{Position: v.Checked(), Number: c.Record.NumSerieFactura, Reason: "invoice"}
			}
			var brk *verifactu.BreakError
			if errors.As(err, &brk) {
				rep.Checked, rep.Break = int64(v.Checked()), brk
				if brk.Reason == "invoice" {
					rep.Checked--
				}
				return rep, nil
			}
			if err != nil {
				return rep, err
			}
			after = c.Position
		}
		if len(batch) < chainBatch {
			break
		}
	}
	rep.Checked = int64(v.Checked())
	var head string
	var length int64
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		head, length, err = tx.ChainHead(ctx)
		return err
	})
	if err != nil {
		return rep, err
	}
	// Fewer records than the head counted when the walk began: the last ones are gone. The
	// same number as the head counts now, but another fingerprint: the head is not the last
	// record's. (Records added during the walk are checked next time.)
	if rep.Checked < rep.Length || (length == rep.Checked && head != v.Head()) {
		rep.Break = &verifactu.BreakError{Position: int(rep.Checked) + 1, Reason: "link"}
	}
	rep.Length = max(rep.Length, length)
	return rep, nil
}

// CustomerSales are a customer's key figures for their profile.
type CustomerSales struct {
	TotalCents   int64 // every invoice, returns subtracted
	InvoiceCount int64 // invoices, rectifying ones not counted
	LastPurchase *time.Time
	// Months are the last 12 months' totals, oldest first, the current month last.
	Months []MonthSales
}

// MonthSales is one month's total (months in the shop's time, Madrid).
type MonthSales struct {
	Year       int
	Month      time.Month
	TotalCents int64
}

// CustomerSales sums a customer's invoices: total spend, how many, the last purchase, and
// the last 12 months' totals. Invoices keep the customer's id after the customer is
// deleted, so the figures of an id nobody has any more are still answered.
func (a *App) CustomerSales(ctx context.Context, p domain.Principal, customerID string) (CustomerSales, error) {
	var out CustomerSales
	if err := authorize(p, domain.PermInvoicesRead); err != nil {
		return out, err
	}
	if !ValidID(customerID) {
		return out, domain.Errorf(domain.CodeNotFound)
	}
	loc := verifactu.Madrid()
	now := a.now().In(loc)
	first := time.Date(now.Year(), now.Month()-11, 1, 0, 0, 0, 0, loc)
	var sum CustomerInvoiceSummary
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		sum, err = tx.CustomerInvoiceTotals(ctx, customerID, first)
		return err
	})
	if err != nil {
		return out, err
	}
	out.TotalCents, out.InvoiceCount, out.LastPurchase = sum.TotalCents, sum.InvoiceCount, sum.LastIssuedAt
	for i := 0; i < 12; i++ {
		m := first.AddDate(0, i, 0)
		out.Months = append(out.Months, MonthSales{Year: m.Year(), Month: m.Month()})
	}
	for _, r := range sum.Recent {
		t := r.IssuedAt.In(loc)
		i := (t.Year()-first.Year())*12 + int(t.Month()) - int(first.Month())
		if i >= 0 && i < len(out.Months) {
			out.Months[i].TotalCents += r.TotalCents
		}
	}
	return out, nil
}
