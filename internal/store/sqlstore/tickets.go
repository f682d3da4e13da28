package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

func (t *tx) Shop(ctx context.Context) (domain.Shop, error) {
	var s domain.Shop
	var rates string
	err := t.queryRow(ctx, `SELECT name, tax_id, line1, line2, postal_code, city, region, invoice_prefix, vat_rates,
		updated_at, version FROM shop WHERE id = 1`).Scan(&s.Name, &s.TaxID, &s.Address.Line1, &s.Address.Line2,
		&s.Address.PostalCode, &s.Address.City, &s.Address.Region, &s.InvoicePrefix, &rates, timeCol{&s.UpdatedAt}, &s.Version)
	if err != nil {
		return s, fmt.Errorf("read shop: %w", err)
	}
	for _, part := range strings.Split(rates, ",") {
		if part == "" {
			continue
		}
		r, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return s, fmt.Errorf("read shop: VAT rate %q: %w", part, err)
		}
		s.VATRates = append(s.VATRates, r)
	}
	return s, nil
}

func (t *tx) UpdateShop(ctx context.Context, s *domain.Shop, expectedVersion int64) error {
	rates := make([]string, len(s.VATRates))
	for i, r := range s.VATRates {
		rates[i] = strconv.FormatInt(r, 10)
	}
	res, err := t.exec(ctx, `UPDATE shop SET name = ?, tax_id = ?, line1 = ?, line2 = ?, postal_code = ?, city = ?,
		region = ?, invoice_prefix = ?, vat_rates = ?, updated_at = ?, version = ? WHERE id = 1 AND version = ?`,
		s.Name, s.TaxID, s.Address.Line1, s.Address.Line2, s.Address.PostalCode, s.Address.City, s.Address.Region,
		s.InvoicePrefix, strings.Join(rates, ","), t.d.ts(s.UpdatedAt), s.Version, expectedVersion)
	if err != nil {
		return fmt.Errorf("update shop: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update shop: %w", err)
	}
	if n != 1 {
		return domain.Errorf(domain.CodePreconditionFailed)
	}
	return nil
}

func (t *tx) CreateTicket(ctx context.Context, tk *domain.Ticket) error {
	_, err := t.exec(ctx, `INSERT INTO tickets (id, owner_id, customer_id, group_id, group_name, discount_basis_points,
		created_at, updated_at, version) VALUES (?, ?, NULL, '', '', 0, ?, ?, ?)`,
		tk.ID, tk.OwnerID, t.d.ts(tk.CreatedAt), t.d.ts(tk.UpdatedAt), tk.Version)
	if err != nil {
		return fmt.Errorf("insert ticket: %w", err)
	}
	return nil
}

const ticketColumns = `tk.id, tk.owner_id, tk.customer_id, tk.group_id, tk.group_name, tk.discount_basis_points,
	tk.created_at, tk.updated_at, tk.version,
	COALESCE(c.kind, ''), COALESCE(c.first_name, ''), COALESCE(c.last_name, ''), COALESCE(c.company_name, ''),
	COALESCE(c.legal_form, ''), COALESCE(c.reference, '')
	FROM tickets tk LEFT JOIN customers c ON c.id = tk.customer_id`

func scanTicket(s scanner) (domain.Ticket, error) {
	var tk domain.Ticket
	var customerID sql.NullString
	var tc domain.TicketCustomer
	var c domain.Customer
	var kind string
	err := s.Scan(&tk.ID, &tk.OwnerID, &customerID, &tc.GroupID, &tc.GroupName, &tc.DiscountBasisPoints,
		timeCol{&tk.CreatedAt}, timeCol{&tk.UpdatedAt}, &tk.Version,
		&kind, &c.FirstName, &c.LastName, &c.CompanyName, &c.LegalForm, &tc.Reference)
	if err != nil {
		return tk, err
	}
	if customerID.Valid {
		c.Kind = domain.Kind(kind)
		tc.ID, tc.Name = customerID.String, c.DisplayName()
		tk.Customer = &tc
	}
	return tk, nil
}

func (t *tx) Ticket(ctx context.Context, id string) (domain.Ticket, error) {
	tk, err := scanTicket(t.queryRow(ctx, "SELECT "+ticketColumns+" WHERE tk.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return tk, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return tk, fmt.Errorf("read ticket: %w", err)
	}
	tk.Lines, err = t.ticketLines(ctx, id)
	return tk, err
}

func (t *tx) ticketLines(ctx context.Context, ticketID string) ([]domain.TicketLine, error) {
	rows, err := t.query(ctx, `SELECT id, label, quantity, unit_price_cents, vat_rate_basis_points FROM ticket_lines
		WHERE ticket_id = ? ORDER BY seq`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("query ticket lines: %w", err)
	}
	defer rows.Close()
	var out []domain.TicketLine
	for rows.Next() {
		var l domain.TicketLine
		if err := rows.Scan(&l.ID, &l.Label, &l.Quantity, &l.UnitPriceCents, &l.VATRateBasisPoints); err != nil {
			return nil, fmt.Errorf("scan ticket line: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ticket lines: %w", err)
	}
	return out, nil
}

func (t *tx) OpenTickets(ctx context.Context, ownerID string) ([]domain.Ticket, error) {
	rows, err := t.query(ctx, "SELECT "+ticketColumns+" WHERE tk.owner_id = ? ORDER BY tk.seq", ownerID)
	if err != nil {
		return nil, fmt.Errorf("query tickets: %w", err)
	}
	var out []domain.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan ticket: %w", err)
		}
		out = append(out, tk)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("read tickets: %w", err)
	}
	for i := range out {
		if out[i].Lines, err = t.ticketLines(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *tx) LockTicket(ctx context.Context, id string, at time.Time) (int64, error) {
	var v int64
	err := t.queryRow(ctx, "UPDATE tickets SET version = version + 1, updated_at = ? WHERE id = ? RETURNING version", t.d.ts(at), id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("lock ticket: %w", err)
	}
	return v, nil
}

func (t *tx) SetTicketCustomer(ctx context.Context, ticketID string, c *domain.TicketCustomer) error {
	var err error
	if c == nil {
		_, err = t.exec(ctx, "UPDATE tickets SET customer_id = NULL, group_id = '', group_name = '', discount_basis_points = 0 WHERE id = ?", ticketID)
	} else {
		_, err = t.exec(ctx, "UPDATE tickets SET customer_id = ?, group_id = ?, group_name = ?, discount_basis_points = ? WHERE id = ?",
			c.ID, c.GroupID, c.GroupName, c.DiscountBasisPoints, ticketID)
	}
	if v, ok := constraintViolation(err); ok && v.foreignKey {
		return domain.Errorf(domain.CodeNotFound) // the customer was deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("set ticket customer: %w", err)
	}
	return nil
}

func (t *tx) AddTicketLine(ctx context.Context, ticketID string, l *domain.TicketLine) error {
	_, err := t.exec(ctx, `INSERT INTO ticket_lines (id, ticket_id, label, quantity, unit_price_cents, vat_rate_basis_points)
		VALUES (?, ?, ?, ?, ?, ?)`, l.ID, ticketID, l.Label, int64(l.Quantity), l.UnitPriceCents, l.VATRateBasisPoints)
	if err != nil {
		return fmt.Errorf("insert ticket line: %w", err)
	}
	return nil
}

func (t *tx) UpdateTicketLine(ctx context.Context, ticketID string, l *domain.TicketLine) error {
	res, err := t.exec(ctx, `UPDATE ticket_lines SET label = ?, quantity = ?, unit_price_cents = ?, vat_rate_basis_points = ?
		WHERE id = ? AND ticket_id = ?`, l.Label, int64(l.Quantity), l.UnitPriceCents, l.VATRateBasisPoints, l.ID, ticketID)
	if err != nil {
		return fmt.Errorf("update ticket line: %w", err)
	}
	return oneRow(res, "update ticket line")
}

func (t *tx) DeleteTicketLine(ctx context.Context, ticketID, lineID string) error {
	res, err := t.exec(ctx, "DELETE FROM ticket_lines WHERE id = ? AND ticket_id = ?", lineID, ticketID)
	if err != nil {
		return fmt.Errorf("delete ticket line: %w", err)
	}
	return oneRow(res, "delete ticket line")
}

func (t *tx) DeleteTicket(ctx context.Context, id string) error {
	res, err := t.exec(ctx, "DELETE FROM tickets WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete ticket: %w", err)
	}
	return oneRow(res, "delete ticket")
}

// oneRow turns a statement that touched no row into CodeNotFound.
func oneRow(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return domain.Errorf(domain.CodeNotFound)
	}
	return nil
}
