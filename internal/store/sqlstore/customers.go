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
)

const customerColumns = `c.seq, c.id, c.kind, c.title, c.first_name, c.last_name, c.company_name, c.legal_form,
	c.tax_id, c.email, c.phone, c.line1, c.line2, c.postal_code, c.city, c.region, c.country,
	c.reference, c.account_number, c.group_id, c.notes, c.invoice_by_email, c.marketing_consent,
	c.marketing_consent_at, c.credit_limit_cents, c.created_at, c.updated_at, c.version`

type scanner interface{ Scan(dest ...any) error }

func scanCustomer(s scanner) (domain.Customer, error) {
	var c domain.Customer
	var kind, title string
	var groupID sql.NullString
	var consentAt sql.NullTime
	err := s.Scan(&c.Seq, &c.ID, &kind, &title, &c.FirstName, &c.LastName, &c.CompanyName, &c.LegalForm,
		&c.TaxID, &c.Email, &c.Phone, &c.Address.Line1, &c.Address.Line2, &c.Address.PostalCode,
		&c.Address.City, &c.Address.Region, &c.Address.Country, &c.Reference, &c.AccountNumber,
		&groupID, &c.Notes, &c.InvoiceByEmail, &c.MarketingConsent, &consentAt, &c.CreditLimitCents,
		&c.CreatedAt, &c.UpdatedAt, &c.Version)
	if err != nil {
		return c, err
	}
	c.Kind, c.Title, c.GroupID = domain.Kind(kind), domain.Title(title), groupID.String
	if consentAt.Valid {
		t := consentAt.Time.UTC()
		c.MarketingConsentAt = &t
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

func (t *tx) scanCustomers(rows *sql.Rows, err error) ([]domain.Customer, error) {
	if err != nil {
		return nil, fmt.Errorf("query customers: %w", err)
	}
	defer rows.Close()
	var out []domain.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("scan customer: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read customers: %w", err)
	}
	return out, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// customerValues lists the stored values of c in the order of the INSERT and UPDATE below.
func customerValues(c *domain.Customer) []any {
	return []any{
		string(c.Kind), string(c.Title), c.FirstName, c.LastName, c.CompanyName, c.LegalForm,
		c.TaxID, c.Email, domain.EmailKey(c.Email), c.Phone, c.Address.Line1, c.Address.Line2,
		c.Address.PostalCode, c.Address.City, c.Address.Region, c.Address.Country, c.Reference,
		nullString(domain.ReferenceKey(c.Reference)), c.AccountNumber, nullString(c.GroupID), c.Notes,
		c.InvoiceByEmail, c.MarketingConsent, nullTime(c.MarketingConsentAt), c.CreditLimitCents,
		c.SortKey(), c.SearchDocument(),
	}
}

const customerInsert = `INSERT INTO customers (id, kind, title, first_name, last_name, company_name, legal_form,
	tax_id, email, email_key, phone, line1, line2, postal_code, city, region, country, reference,
	reference_key, account_number, group_id, notes, invoice_by_email, marketing_consent,
	marketing_consent_at, credit_limit_cents, sort_key, search_doc, created_at, updated_at, version)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// customerError turns constraint violations into domain errors naming the field.
func customerError(err error) error {
	v, ok := constraintViolation(err)
	switch {
	case ok && v.unique && strings.Contains(v.name, "reference"):
		return &domain.Error{Code: domain.CodeDuplicate, Fields: []domain.FieldError{{Field: "reference", Code: domain.FieldTaken}}, Cause: err}
	case ok && v.foreignKey:
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "group_id", Code: domain.FieldNoSuchGroup}}, Cause: err}
	}
	return err
}

func (t *tx) CreateCustomer(ctx context.Context, c *domain.Customer) error {
	args := append([]any{c.ID}, customerValues(c)...)
	args = append(args, c.CreatedAt.UTC(), c.UpdatedAt.UTC(), c.Version)
	if err := t.queryRow(ctx, customerInsert+" RETURNING seq", args...).Scan(&c.Seq); err != nil {
		return fmt.Errorf("insert customer: %w", customerError(err))
	}
	return nil
}

func (t *tx) customerWhere(ctx context.Context, where string, arg any) (domain.Customer, error) {
	c, err := scanCustomer(t.queryRow(ctx, "SELECT "+customerColumns+" FROM customers c WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read customer: %w", err)
	}
	return c, nil
}

func (t *tx) Customer(ctx context.Context, id string) (domain.Customer, error) {
	return t.customerWhere(ctx, "c.id = ?", id)
}

func (t *tx) CustomerByReference(ctx context.Context, reference string) (domain.Customer, error) {
	if domain.ReferenceKey(reference) == "" {
		return domain.Customer{}, domain.Errorf(domain.CodeNotFound)
	}
	q, args := byReferenceSQL(t.d, reference)
	c, err := scanCustomer(t.tx.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read customer by reference: %w", err)
	}
	return c, nil
}

func (t *tx) UpdateCustomer(ctx context.Context, c *domain.Customer, expectedVersion int64) error {
	args := customerValues(c)
	args = append(args, c.UpdatedAt.UTC(), c.Version, c.ID, expectedVersion)
	res, err := t.exec(ctx, `UPDATE customers SET kind = ?, title = ?, first_name = ?, last_name = ?,
		company_name = ?, legal_form = ?, tax_id = ?, email = ?, email_key = ?, phone = ?, line1 = ?,
		line2 = ?, postal_code = ?, city = ?, region = ?, country = ?, reference = ?, reference_key = ?,
		account_number = ?, group_id = ?, notes = ?, invoice_by_email = ?, marketing_consent = ?,
		marketing_consent_at = ?, credit_limit_cents = ?, sort_key = ?, search_doc = ?,
		updated_at = ?, version = ?
		WHERE id = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("update customer: %w", customerError(err))
	}
	return t.checkVersioned(ctx, res, "customers", c.ID)
}

// checkVersioned tells a stale version from a missing row after a versioned UPDATE.
func (t *tx) checkVersioned(ctx context.Context, res sql.Result, table, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	if n == 1 {
		return nil
	}
	var one int
	err = t.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	return domain.Errorf(domain.CodePreconditionFailed)
}

func (t *tx) DeleteCustomer(ctx context.Context, id string) error {
	res, err := t.exec(ctx, "DELETE FROM customers WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete customer: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("delete customer: %w", err)
	}
	if n == 0 {
		return domain.Errorf(domain.CodeNotFound)
	}
	return nil
}

func (t *tx) ListCustomers(ctx context.Context, f app.ListFilter) ([]domain.Customer, error) {
	var where []string
	var args []any
	if f.GroupID != "" {
		where = append(where, "c.group_id = ?")
		args = append(args, f.GroupID)
	}
	if f.AfterSeq > 0 {
		where = append(where, "(c.sort_key > ? OR (c.sort_key = ? AND c.seq > ?))")
		args = append(args, f.AfterKey, f.AfterKey, f.AfterSeq)
	}
	q := "SELECT " + customerColumns + " FROM customers c"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY c.sort_key, c.seq LIMIT ?"
	args = append(args, f.Limit)
	return t.scanCustomers(t.query(ctx, q, args...))
}

func (t *tx) MatchCustomers(ctx context.Context, f app.MatchFilter) ([]domain.Customer, error) {
	if len(f.Terms) == 0 {
		return nil, nil
	}
	q, args := matchSQL(t.d, f)
	return t.scanCustomers(t.query(ctx, q, args...))
}

// matchSQL is the search query, shared with the bench command so that it measures the very
// statement the API runs.
func matchSQL(d *dialect, f app.MatchFilter) (string, []any) {
	args := []any{d.matchQuery(f.Terms), f.AfterSeq}
	q := "SELECT " + customerColumns + " FROM " + d.matchFrom + " WHERE " + d.matchWhere
	if f.GroupID != "" {
		q += " AND c.group_id = ?"
		args = append(args, f.GroupID)
	}
	q += " ORDER BY " + d.matchOrder + " LIMIT ?"
	args = append(args, f.Limit)
	return q, args
}

// MatchSQL returns the search statement for f in the backend's placeholder style.
func (db *DB) MatchSQL(f app.MatchFilter) (string, []any) {
	q, args := matchSQL(db.d, f)
	return db.d.rebind(q), args
}

// ByReferenceSQL returns the barcode lookup statement.
func (db *DB) ByReferenceSQL(reference string) (string, []any) {
	return byReferenceSQL(db.d, reference)
}

func byReferenceSQL(d *dialect, reference string) (string, []any) {
	return d.rebind("SELECT " + customerColumns + " FROM customers c WHERE c.reference_key = ?"), []any{domain.ReferenceKey(reference)}
}

func (t *tx) ExactCustomers(ctx context.Context, referenceKey, taxID, emailKey, groupID string, limit int) ([]domain.Customer, error) {
	var ors []string
	var args []any
	if referenceKey != "" {
		ors = append(ors, "c.reference_key = ?")
		args = append(args, referenceKey)
	}
	if taxID != "" {
		ors = append(ors, "(c.tax_id = ? AND c.tax_id <> '')")
		args = append(args, taxID)
	}
	if emailKey != "" {
		ors = append(ors, "(c.email_key = ? AND c.email_key <> '')")
		args = append(args, emailKey)
	}
	if len(ors) == 0 {
		return nil, nil
	}
	q := "SELECT " + customerColumns + " FROM customers c WHERE (" + strings.Join(ors, " OR ") + ")"
	if groupID != "" {
		q += " AND c.group_id = ?"
		args = append(args, groupID)
	}
	q += " ORDER BY c.seq LIMIT ?"
	args = append(args, limit)
	return t.scanCustomers(t.query(ctx, q, args...))
}
