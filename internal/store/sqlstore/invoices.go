package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
)

// ClaimIdempotencyKey inserts the claim unless the key has one and reads what the key holds.
// On PostgreSQL a second INSERT of the same key waits for the first transaction and then
// does nothing; the SELECT, a new statement, sees the committed claim.
func (t *tx) ClaimIdempotencyKey(ctx context.Context, scope, key, request, result string, at time.Time) (string, string, error) {
	if _, err := t.exec(ctx, `INSERT INTO idempotency_keys (scope, key, request, result, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scope, key) DO NOTHING`, scope, key, request, result, t.d.ts(at)); err != nil {
		return "", "", fmt.Errorf("claim idempotency key: %w", err)
	}
	var heldRequest, heldResult string
	if err := t.queryRow(ctx, "SELECT request, result FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key).Scan(&heldRequest, &heldResult); err != nil {
		return "", "", fmt.Errorf("read idempotency key: %w", err)
	}
	return heldRequest, heldResult, nil
}

func (t *tx) NextInvoiceNumber(ctx context.Context, series string, year int) (int64, error) {
	const next = "UPDATE invoice_counters SET last_number = last_number + 1 WHERE series = ? AND year = ? RETURNING last_number"
	var n int64
	err := t.queryRow(ctx, next, series, year).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		// The series' first number this year. Two transactions may both get here: the second
		// INSERT waits for the first (PostgreSQL) and does nothing, and its UPDATE then takes
		// the row after the first's number.
		if _, err := t.exec(ctx, `INSERT INTO invoice_counters (series, year, last_number) VALUES (?, ?, 0)
			ON CONFLICT (series, year) DO NOTHING`, series, year); err != nil {
			return 0, fmt.Errorf("add invoice counter: %w", err)
		}
		err = t.queryRow(ctx, next, series, year).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("take invoice number: %w", err)
	}
	return n, nil
}

func (t *tx) AdvanceChain(ctx context.Context) (int64, string, error) {
	var n int64
	var head string
	err := t.queryRow(ctx, "UPDATE invoice_chain SET length = length + 1 WHERE id = 1 RETURNING length, head").Scan(&n, &head)
	if err != nil {
		return 0, "", fmt.Errorf("advance invoice chain: %w", err)
	}
	return n, head, nil
}

func (t *tx) SetChainHead(ctx context.Context, fingerprint string) error {
	if _, err := t.exec(ctx, "UPDATE invoice_chain SET head = ? WHERE id = 1", fingerprint); err != nil {
		return fmt.Errorf("set invoice chain head: %w", err)
	}
	return nil
}

func (t *tx) ChainHead(ctx context.Context) (string, int64, error) {
	var head string
	var n int64
	if err := t.queryRow(ctx, "SELECT head, length FROM invoice_chain WHERE id = 1").Scan(&head, &n); err != nil {
		return "", 0, fmt.Errorf("read invoice chain head: %w", err)
	}
	return head, n, nil
}

const invoiceInsert = `INSERT INTO invoices (id, number, series, year, number_in_series, type, issued_at, ticket_id, user_id, username,
	issuer_name, issuer_tax_id, issuer_line1, issuer_line2, issuer_postal_code, issuer_city, issuer_region, issuer_country,
	customer_id, customer_kind, customer_title, customer_first_name, customer_last_name, customer_company_name, customer_legal_form,
	customer_tax_id, customer_line1, customer_line2, customer_postal_code, customer_city, customer_region, customer_country,
	customer_email, customer_reference, customer_account_number, customer_name_key,
	group_id, group_name, group_discount_basis_points,
	gross_cents, discount_cents, total_cents, vat_cents, change_cents, rectifies_id, chain_position,
	rec_id_emisor_factura, rec_num_serie_factura, rec_fecha_expedicion, rec_tipo_factura, rec_cuota_total, rec_importe_total,
	rec_huella, rec_fecha_hora_huso, fingerprint)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
	?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (t *tx) CreateInvoice(ctx context.Context, inv *domain.Invoice) error {
	var cs domain.CustomerSnapshot
	var customerID any
	if inv.Customer != nil {
		cs = *inv.Customer
		customerID = nullString(cs.ID)
	}
	var g domain.GroupSnapshot
	if inv.Group != nil {
		g = *inv.Group
	}
	var rectifies any
	if inv.Rectifies != nil {
		rectifies = inv.Rectifies.ID
	}
	is, r := inv.Issuer, inv.Record
	err := t.queryRow(ctx, invoiceInsert+" RETURNING seq", inv.ID, inv.Number, inv.Series, inv.Year, inv.SeqInSeries, string(inv.Type),
		t.d.ts(inv.IssuedAt), inv.TicketID, inv.UserID, inv.Username,
		is.Name, is.TaxID, is.Address.Line1, is.Address.Line2, is.Address.PostalCode, is.Address.City, is.Address.Region, is.Address.Country,
		customerID, string(cs.Kind), string(cs.Title), cs.FirstName, cs.LastName, cs.CompanyName, cs.LegalForm,
		cs.TaxID, cs.Address.Line1, cs.Address.Line2, cs.Address.PostalCode, cs.Address.City, cs.Address.Region, cs.Address.Country,
		cs.Email, cs.Reference, cs.AccountNumber, search.Key(cs.Name()),
		g.ID, g.Name, g.DiscountBasisPoints,
		inv.GrossCents, inv.DiscountCents, inv.TotalCents, inv.VATCents, inv.ChangeCents, rectifies, inv.ChainPosition,
		r.IDEmisorFactura, r.NumSerieFactura, r.FechaExpedicionFactura, r.TipoFactura, r.CuotaTotal, r.ImporteTotal,
		r.Huella, r.FechaHoraHusoGenRegistro, inv.Fingerprint).Scan(&inv.Seq)
	if err != nil {
		return fmt.Errorf("insert invoice: %w", err)
	}
	// One statement per table, whatever the number of lines: the chain's head is held while
	// these run.
	if len(inv.Lines) > 0 {
		args := make([]any, 0, 11*len(inv.Lines))
		for _, l := range inv.Lines {
			args = append(args, inv.ID, l.Position, l.Label, int64(l.Quantity), l.UnitPriceCents, l.VATRateBasisPoints,
				l.DiscountBasisPts, l.GrossCents, l.DiscountCents, l.TotalCents, l.RectifiedLine)
		}
		if _, err := t.exec(ctx, `INSERT INTO invoice_lines (invoice_id, position, label, quantity, unit_price_cents,
			vat_rate_basis_points, discount_basis_points, gross_cents, discount_cents, total_cents, rectified_line)
			VALUES `+valueRows(len(inv.Lines), 11), args...); err != nil {
			return fmt.Errorf("insert invoice lines: %w", err)
		}
	}
	if len(inv.VAT) > 0 {
		args := make([]any, 0, 5*len(inv.VAT))
		for _, v := range inv.VAT {
			args = append(args, inv.ID, v.RateBasisPoints, v.BaseCents, v.VATCents, v.TotalCents)
		}
		if _, err := t.exec(ctx, `INSERT INTO invoice_vat (invoice_id, rate_basis_points, base_cents, vat_cents, total_cents)
			VALUES `+valueRows(len(inv.VAT), 5), args...); err != nil {
			return fmt.Errorf("insert invoice VAT: %w", err)
		}
	}
	if len(inv.Payments) > 0 {
		args := make([]any, 0, 5*len(inv.Payments))
		for i, p := range inv.Payments {
			args = append(args, inv.ID, i+1, string(p.Method), p.AmountCents, p.TenderedCents)
		}
		if _, err := t.exec(ctx, `INSERT INTO invoice_payments (invoice_id, position, method, amount_cents, tendered_cents)
			VALUES `+valueRows(len(inv.Payments), 5), args...); err != nil {
			return fmt.Errorf("insert invoice payments: %w", err)
		}
	}
	return nil
}

// valueRows writes n rows of cols placeholders: "(?, ?), (?, ?)".
func valueRows(n, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

const invoiceColumns = `i.seq, i.id, i.number, i.series, i.year, i.number_in_series, i.type, i.issued_at, i.ticket_id, i.user_id, i.username,
	i.issuer_name, i.issuer_tax_id, i.issuer_line1, i.issuer_line2, i.issuer_postal_code, i.issuer_city, i.issuer_region, i.issuer_country,
	i.customer_id, i.customer_kind, i.customer_title, i.customer_first_name, i.customer_last_name, i.customer_company_name,
	i.customer_legal_form, i.customer_tax_id, i.customer_line1, i.customer_line2, i.customer_postal_code, i.customer_city,
	i.customer_region, i.customer_country, i.customer_email, i.customer_reference, i.customer_account_number,
	i.group_id, i.group_name, i.group_discount_basis_points,
	i.gross_cents, i.discount_cents, i.total_cents, i.vat_cents, i.change_cents, i.chain_position,
	i.rec_id_emisor_factura, i.rec_num_serie_factura, i.rec_fecha_expedicion, i.rec_tipo_factura, i.rec_cuota_total,
	i.rec_importe_total, i.rec_huella, i.rec_fecha_hora_huso, i.fingerprint,
	r.id, r.number, r.type
	FROM invoices i LEFT JOIN invoices r ON r.id = i.rectifies_id`

func scanInvoice(s scanner) (domain.Invoice, error) {
	var inv domain.Invoice
	var typ, kind, title string
	var customerID, rID, rNumber, rType sql.NullString
	var cs domain.CustomerSnapshot
	var g domain.GroupSnapshot
	is, r := &inv.Issuer, &inv.Record
	err := s.Scan(&inv.Seq, &inv.ID, &inv.Number, &inv.Series, &inv.Year, &inv.SeqInSeries, &typ, timeCol{&inv.IssuedAt},
		&inv.TicketID, &inv.UserID, &inv.Username,
		&is.Name, &is.TaxID, &is.Address.Line1, &is.Address.Line2, &is.Address.PostalCode, &is.Address.City, &is.Address.Region, &is.Address.Country,
		&customerID, &kind, &title, &cs.FirstName, &cs.LastName, &cs.CompanyName,
		&cs.LegalForm, &cs.TaxID, &cs.Address.Line1, &cs.Address.Line2, &cs.Address.PostalCode, &cs.Address.City,
		&cs.Address.Region, &cs.Address.Country, &cs.Email, &cs.Reference, &cs.AccountNumber,
		&g.ID, &g.Name, &g.DiscountBasisPoints,
		&inv.GrossCents, &inv.DiscountCents, &inv.TotalCents, &inv.VATCents, &inv.ChangeCents, &inv.ChainPosition,
		&r.IDEmisorFactura, &r.NumSerieFactura, &r.FechaExpedicionFactura, &r.TipoFactura, &r.CuotaTotal,
		&r.ImporteTotal, &r.Huella, &r.FechaHoraHusoGenRegistro, &inv.Fingerprint,
		&rID, &rNumber, &rType)
	if err != nil {
		return inv, err
	}
	inv.Type = domain.InvoiceType(typ)
	if kind != "" {
		cs.ID, cs.Kind, cs.Title = customerID.String, domain.Kind(kind), domain.Title(title)
		inv.Customer = &cs
	}
	if g.ID != "" || g.Name != "" {
		inv.Group = &g
	}
	if rID.Valid {
		inv.Rectifies = &domain.InvoiceRef{ID: rID.String, Number: rNumber.String, Type: domain.InvoiceType(rType.String)}
	}
	return inv, nil
}

func (t *tx) Invoice(ctx context.Context, id string) (domain.Invoice, error) {
	inv, err := scanInvoice(t.queryRow(ctx, "SELECT "+invoiceColumns+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return inv, fmt.Errorf("read invoice: %w", err)
	}
	if err := t.invoiceDetails(ctx, &inv); err != nil {
		return inv, err
	}
	return inv, nil
}

func (t *tx) invoiceDetails(ctx context.Context, inv *domain.Invoice) error {
	rows, err := t.query(ctx, `SELECT position, label, quantity, unit_price_cents, vat_rate_basis_points, discount_basis_points,
		gross_cents, discount_cents, total_cents, rectified_line FROM invoice_lines WHERE invoice_id = ? ORDER BY position`, inv.ID)
	if err != nil {
		return fmt.Errorf("query invoice lines: %w", err)
	}
	for rows.Next() {
		var l domain.InvoiceLine
		if err := rows.Scan(&l.Position, &l.Label, &l.Quantity, &l.UnitPriceCents, &l.VATRateBasisPoints, &l.DiscountBasisPts,
			&l.GrossCents, &l.DiscountCents, &l.TotalCents, &l.RectifiedLine); err != nil {
			rows.Close()
			return fmt.Errorf("scan invoice line: %w", err)
		}
		inv.Lines = append(inv.Lines, l)
	}
	if err := closeRows(rows, "invoice lines"); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT rate_basis_points, base_cents, vat_cents, total_cents FROM invoice_vat
		WHERE invoice_id = ? ORDER BY rate_basis_points DESC`, inv.ID)
	if err != nil {
		return fmt.Errorf("query invoice VAT: %w", err)
	}
	for rows.Next() {
		var v domain.VATLine
		if err := rows.Scan(&v.RateBasisPoints, &v.BaseCents, &v.VATCents, &v.TotalCents); err != nil {
			rows.Close()
			return fmt.Errorf("scan invoice VAT: %w", err)
		}
		inv.VAT = append(inv.VAT, v)
	}
	if err := closeRows(rows, "invoice VAT"); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT method, amount_cents, tendered_cents FROM invoice_payments WHERE invoice_id = ? ORDER BY position`, inv.ID)
	if err != nil {
		return fmt.Errorf("query invoice payments: %w", err)
	}
	for rows.Next() {
		var p domain.Payment
		var m string
		if err := rows.Scan(&m, &p.AmountCents, &p.TenderedCents); err != nil {
			rows.Close()
			return fmt.Errorf("scan invoice payment: %w", err)
		}
		p.Method = domain.TenderMethod(m)
		inv.Payments = append(inv.Payments, p)
	}
	return closeRows(rows, "invoice payments")
}

func closeRows(rows *sql.Rows, what string) error {
	err := rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

// likeEscape makes s match itself in LIKE … ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (t *tx) ListInvoices(ctx context.Context, f app.InvoiceFilter) ([]domain.Invoice, error) {
	var where []string
	var args []any
	if f.CustomerID != "" {
		where = append(where, "i.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if f.RectifiesID != "" {
		where = append(where, "i.rectifies_id = ?")
		args = append(args, f.RectifiesID)
	}
	if !f.From.IsZero() {
		where = append(where, "i.issued_at >= ?")
		args = append(args, t.d.ts(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "i.issued_at < ?")
		args = append(args, t.d.ts(f.To))
	}
	if f.Number != "" {
		where = append(where, `i.number LIKE ? ESCAPE '\'`)
		args = append(args, likeEscape(f.Number)+"%")
	}
	if f.Type != "" {
		where = append(where, "i.type = ?")
		args = append(args, string(f.Type))
	}
	for _, term := range f.NameTerms {
		where = append(where, `i.customer_name_key LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(term)+"%")
	}
	if f.BeforeSeq > 0 {
		where = append(where, "(i.issued_at < ? OR (i.issued_at = ? AND i.seq < ?))")
		args = append(args, t.d.ts(f.BeforeAt), t.d.ts(f.BeforeAt), f.BeforeSeq)
	}
	q := "SELECT " + invoiceColumns
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY i.issued_at DESC, i.seq DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query invoices: %w", err)
	}
	var out []domain.Invoice
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan invoice: %w", err)
		}
		out = append(out, inv)
	}
	if err := closeRows(rows, "invoices"); err != nil {
		return nil, err
	}
	return out, nil
}

func (t *tx) ReturnedQuantities(ctx context.Context, invoiceID string) (map[int]domain.Quantity, error) {
	rows, err := t.query(ctx, `SELECT l.rectified_line, CAST(-SUM(l.quantity) AS bigint) FROM invoice_lines l
		JOIN invoices i ON i.id = l.invoice_id WHERE i.rectifies_id = ? GROUP BY l.rectified_line`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("query returned quantities: %w", err)
	}
	out := map[int]domain.Quantity{}
	for rows.Next() {
		var pos int
		var q int64
		if err := rows.Scan(&pos, &q); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan returned quantity: %w", err)
		}
		out[pos] = domain.Quantity(q)
	}
	return out, closeRows(rows, "returned quantities")
}

func (t *tx) ChainRecords(ctx context.Context, afterPosition int64, limit int) ([]app.ChainRecord, error) {
	rows, err := t.query(ctx, `SELECT chain_position, id, rec_id_emisor_factura, rec_num_serie_factura, rec_fecha_expedicion,
		rec_tipo_factura, rec_cuota_total, rec_importe_total, rec_huella, rec_fecha_hora_huso, fingerprint,
		issuer_tax_id, number, type, issued_at, vat_cents, total_cents
		FROM invoices WHERE chain_position > ? ORDER BY chain_position LIMIT ?`, afterPosition, limit)
	if err != nil {
		return nil, fmt.Errorf("query invoice chain: %w", err)
	}
	var out []app.ChainRecord
	for rows.Next() {
		var c app.ChainRecord
		var typ string
		r := &c.Record
		if err := rows.Scan(&c.Position, &c.InvoiceID, &r.IDEmisorFactura, &r.NumSerieFactura, &r.FechaExpedicionFactura,
			&r.TipoFactura, &r.CuotaTotal, &r.ImporteTotal, &r.Huella, &r.FechaHoraHusoGenRegistro, &c.Fingerprint,
			&c.IssuerTaxID, &c.Number, &typ, timeCol{&c.IssuedAt}, &c.VATCents, &c.TotalCents); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan invoice chain: %w", err)
		}
		c.Type = domain.InvoiceType(typ)
		out = append(out, c)
	}
	return out, closeRows(rows, "invoice chain")
}

func (t *tx) CustomerInvoiceTotals(ctx context.Context, customerID string, since time.Time) (app.CustomerInvoiceSummary, error) {
	var s app.CustomerInvoiceSummary
	var last any
	err := t.queryRow(ctx, `SELECT CAST(COALESCE(SUM(total_cents), 0) AS bigint),
		CAST(COALESCE(SUM(CASE WHEN type IN ('F1', 'F2') THEN 1 ELSE 0 END), 0) AS bigint),
		MAX(CASE WHEN type IN ('F1', 'F2') THEN issued_at END)
		FROM invoices WHERE customer_id = ?`, customerID).Scan(&s.TotalCents, &s.InvoiceCount, &last)
	if err != nil {
		return s, fmt.Errorf("sum customer invoices: %w", err)
	}
	if err := (nullTimeCol{&s.LastIssuedAt}).Scan(last); err != nil {
		return s, fmt.Errorf("sum customer invoices: %w", err)
	}
	rows, err := t.query(ctx, `SELECT issued_at, total_cents FROM invoices WHERE customer_id = ? AND issued_at >= ?
		ORDER BY issued_at`, customerID, t.d.ts(since))
	if err != nil {
		return s, fmt.Errorf("query customer invoices: %w", err)
	}
	for rows.Next() {
		var a app.InvoiceAmount
		if err := rows.Scan(timeCol{&a.IssuedAt}, &a.TotalCents); err != nil {
			rows.Close()
			return s, fmt.Errorf("scan customer invoice: %w", err)
		}
		s.Recent = append(s.Recent, a)
	}
	return s, closeRows(rows, "customer invoices")
}
