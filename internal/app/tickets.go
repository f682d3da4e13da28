package app

import (
	"context"

	"github.com/clientela/clientela/internal/domain"
)

// Tickets at the till. A ticket belongs to the user who opened it: another user's ticket is
// not found. Every change moves the ticket's version on (its ETag).

// OpenTicket opens an empty ticket for the caller; a till may keep several open.
func (a *App) OpenTicket(ctx context.Context, p domain.Principal) (domain.Ticket, error) {
	var tk domain.Ticket
	if err := authorize(p, domain.PermTillUse); err != nil {
		return tk, err
	}
	id, err := newID()
	if err != nil {
		return tk, err
	}
	now := a.now()
	tk = domain.Ticket{ID: id, OwnerID: p.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	err = a.store.Write(ctx, func(tx Tx) error { return tx.CreateTicket(ctx, &tk) })
	return tk, err
}

// Tickets lists the caller's open tickets, oldest first.
func (a *App) Tickets(ctx context.Context, p domain.Principal) ([]domain.Ticket, error) {
	if err := authorize(p, domain.PermTillUse); err != nil {
		return nil, err
	}
	var out []domain.Ticket
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.OpenTickets(ctx, p.UserID)
		return err
	})
	return out, err
}

// Ticket returns one of the caller's open tickets.
func (a *App) Ticket(ctx context.Context, p domain.Principal, id string) (domain.Ticket, error) {
	var tk domain.Ticket
	if err := authorize(p, domain.PermTillUse); err != nil {
		return tk, err
	}
	if !ValidID(id) {
		return tk, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		tk, err = tx.Ticket(ctx, id)
		if err == nil && tk.OwnerID != p.UserID {
			err = domain.Errorf(domain.CodeNotFound)
		}
		return err
	})
	return tk, err
}

// DiscardTicket deletes an open ticket of the caller's without issuing anything.
func (a *App) DiscardTicket(ctx context.Context, p domain.Principal, id string) error {
	return a.changeTicket(ctx, p, id, nil, func(tx Tx, tk *domain.Ticket) error {
		return tx.DeleteTicket(ctx, tk.ID)
	})
}

// changeTicket runs fn on one of the caller's open tickets in a write transaction, after
// taking the ticket's row (LockTicket: changes of one ticket take turns) and checking the
// precondition, when there is one, against the version before this change. It returns the
// ticket as fn left it, read again.
func (a *App) changeTicket(ctx context.Context, p domain.Principal, id string, match *domain.Precondition, fn func(Tx, *domain.Ticket) error) error {
	_, err := a.changeTicketRead(ctx, p, id, match, false, fn)
	return err
}

func (a *App) changeTicketRead(ctx context.Context, p domain.Principal, id string, match *domain.Precondition, reread bool, fn func(Tx, *domain.Ticket) error) (domain.Ticket, error) {
	var tk domain.Ticket
	if err := authorize(p, domain.PermTillUse); err != nil {
		return tk, err
	}
	if !ValidID(id) {
		return tk, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		version, err := tx.LockTicket(ctx, id, a.now())
		if err != nil {
			return err
		}
		tk, err = tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		if tk.OwnerID != p.UserID {
			return domain.Errorf(domain.CodeNotFound)
		}
		if match != nil && !match.Holds(version-1) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		if err := fn(tx, &tk); err != nil {
			return err
		}
		if reread {
			tk, err = tx.Ticket(ctx, id)
		}
		return err
	})
	return tk, err
}

// AddTicketLine adds a line to a ticket. The VAT rate must be one the shop offers.
func (a *App) AddTicketLine(ctx context.Context, p domain.Principal, ticketID string, ch domain.LineChanges) (domain.Ticket, error) {
	id, err := newID()
	if err != nil {
		return domain.Ticket{}, err
	}
	return a.changeTicketRead(ctx, p, ticketID, nil, true, func(tx Tx, tk *domain.Ticket) error {
		if len(tk.Lines) >= domain.MaxTicketLines {
			var problems domain.Problems
			problems.Add("lines", domain.FieldOutOfRange, map[string]any{"min": 0, "max": domain.MaxTicketLines})
			return problems.Err()
		}
		l := domain.TicketLine{ID: id}
		ch.Apply(&l)
		if err := a.prepareLine(ctx, tx, &l); err != nil {
			return err
		}
		return tx.AddTicketLine(ctx, tk.ID, &l)
	})
}

func (a *App) prepareLine(ctx context.Context, tx Tx, l *domain.TicketLine) error {
	shop, err := tx.Shop(ctx)
	if err != nil {
		return err
	}
	return domain.PrepareLine(l, shop.VATRates)
}

// UpdateTicketLine changes the given fields of a line when the ticket's version meets match.
func (a *App) UpdateTicketLine(ctx context.Context, p domain.Principal, ticketID, lineID string, match domain.Precondition, ch domain.LineChanges) (domain.Ticket, error) {
	return a.changeTicketRead(ctx, p, ticketID, &match, true, func(tx Tx, tk *domain.Ticket) error {
		l, i := tk.Line(lineID)
		if i < 0 {
			return domain.Errorf(domain.CodeNotFound)
		}
		ch.Apply(&l)
		if err := a.prepareLine(ctx, tx, &l); err != nil {
			return err
		}
		return tx.UpdateTicketLine(ctx, tk.ID, &l)
	})
}

// RemoveTicketLine removes a line from a ticket.
func (a *App) RemoveTicketLine(ctx context.Context, p domain.Principal, ticketID, lineID string) (domain.Ticket, error) {
	return a.changeTicketRead(ctx, p, ticketID, nil, true, func(tx Tx, tk *domain.Ticket) error {
		if _, i := tk.Line(lineID); i < 0 {
			return domain.Errorf(domain.CodeNotFound)
		}
		return tx.DeleteTicketLine(ctx, tk.ID, lineID)
	})
}

// CustomerChoice names the customer to attach: by the reference scanned from a loyalty card,
// or by id (one of the two).
type CustomerChoice struct {
	Reference  string
	CustomerID string
}

// FieldUnknownReference: no customer has the reference given.
const FieldUnknownReference = "unknown_reference"

// FieldUnknownCustomer: no customer has the id given.
const FieldUnknownCustomer = "unknown_customer"

// AttachCustomer puts a customer on a ticket, with their group's discount as it is now; the
// discount applies to every line while they stay attached. An unknown reference or id is a
// not-found error naming the field, and the ticket is left as it was.
func (a *App) AttachCustomer(ctx context.Context, p domain.Principal, ticketID string, choice CustomerChoice) (domain.Ticket, error) {
	if err := authorize(p, domain.PermTillUse); err != nil {
		return domain.Ticket{}, err
	}
	var problems domain.Problems
	switch {
	case choice.Reference != "" && choice.CustomerID != "":
		problems.Add("customer_id", domain.FieldNotAllowed, map[string]any{"with": "reference"})
	case choice.Reference == "" && choice.CustomerID == "":
		problems.Add("reference", domain.FieldRequired, nil)
	}
	if err := problems.Err(); err != nil {
		return domain.Ticket{}, err
	}
	customerID, field, code := choice.CustomerID, "customer_id", FieldUnknownCustomer
	if choice.Reference != "" {
		field, code = "reference", FieldUnknownReference
		// The barcode lookup's cache: the scan at the till is the hot path.
		c, err := a.CustomerByReference(ctx, p, choice.Reference)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return domain.Ticket{}, unknownCustomer(field, code)
		}
		if err != nil {
			return domain.Ticket{}, err
		}
		customerID = c.ID
	} else if !ValidID(customerID) {
		return domain.Ticket{}, unknownCustomer(field, code)
	}
	return a.changeTicketRead(ctx, p, ticketID, nil, true, func(tx Tx, tk *domain.Ticket) error {
		c, err := tx.Customer(ctx, customerID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return unknownCustomer(field, code)
		}
		if err != nil {
			return err
		}
		tc := domain.TicketCustomer{ID: c.ID}
		if c.GroupID != "" {
			g, err := tx.Group(ctx, c.GroupID)
			if err != nil {
				return err
			}
			tc.GroupID, tc.GroupName, tc.DiscountBasisPoints = g.ID, g.Name, g.DiscountBasisPoints
		}
		if err := tx.SetTicketCustomer(ctx, tk.ID, &tc); domain.ErrorCode(err) == domain.CodeNotFound {
			return unknownCustomer(field, code)
		} else if err != nil {
			return err
		}
		return nil
	})
}

func unknownCustomer(field, code string) error {
	return &domain.Error{Code: domain.CodeNotFound, Fields: []domain.FieldError{{Field: field, Code: code}}}
}

// DetachCustomer takes the customer off a ticket, and with them the group discount.
func (a *App) DetachCustomer(ctx context.Context, p domain.Principal, ticketID string) (domain.Ticket, error) {
	return a.changeTicketRead(ctx, p, ticketID, nil, true, func(tx Tx, tk *domain.Ticket) error {
		return tx.SetTicketCustomer(ctx, tk.ID, nil)
	})
}
