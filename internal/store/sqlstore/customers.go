package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
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
	err := s.Scan(&c.Seq, &c.ID, &kind, &title, &c.FirstName, &c.LastName, &c.CompanyName, &c.LegalForm,
		&c.TaxID, &c.Email, &c.Phone, &c.Address.Line1, &c.Address.Line2, &c.Address.PostalCode,
		&c.Address.City, &c.Address.Region, &c.Address.Country, &c.Reference, &c.AccountNumber,
		&groupID, &c.Notes, &c.InvoiceByEmail, &c.MarketingConsent, nullTimeCol{&c.MarketingConsentAt}, &c.CreditLimitCents,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.Version)
	if err != nil {
		return c, err
	}
	c.Kind, c.Title, c.GroupID = domain.Kind(kind), domain.Title(title), groupID.String
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

// customerWriteColumns are the columns a create or an update writes, in the order of
// customerValues. PostgreSQL adds search_doc (its index is on that column); SQLite keeps the
// search document only in its full-text table.
var customerWriteColumns = []string{"kind", "title", "first_name", "last_name", "company_name", "legal_form",
	"tax_id", "email", "email_key", "phone", "line1", "line2", "postal_code", "city", "region", "country", "reference",
	"reference_key", "account_number", "group_id", "notes", "invoice_by_email", "marketing_consent",
	"marketing_consent_at", "credit_limit_cents", "sort_key", "dup_name_key"}

// customerValues lists the stored values of c in the order of customerWriteColumns.
func (d *dialect) customerValues(c *domain.Customer) []any {
	return []any{
		string(c.Kind), string(c.Title), c.FirstName, c.LastName, c.CompanyName, c.LegalForm,
		c.TaxID, c.Email, domain.EmailKey(c.Email), c.Phone, c.Address.Line1, c.Address.Line2,
		c.Address.PostalCode, c.Address.City, c.Address.Region, c.Address.Country, c.Reference,
		nullString(domain.ReferenceKey(c.Reference)), c.AccountNumber, nullString(c.GroupID), c.Notes,
		c.InvoiceByEmail, c.MarketingConsent, d.nullTS(c.MarketingConsentAt), c.CreditLimitCents,
		c.SortKey(), c.DuplicateNameKey(),
	}
}

// insertArgs are the arguments of d.customerInsert for c, whose search document is doc.
func (d *dialect) insertArgs(c *domain.Customer, doc string) []any {
	args := append(make([]any, 0, 32), c.ID)
	args = append(args, d.customerValues(c)...)
	args = append(args, d.ts(c.CreatedAt), d.ts(c.UpdatedAt), c.Version)
	return append(args, d.docArgs(doc)...)
}

// customerStatements builds the INSERT and UPDATE of customers; docColumn: with the
// search_doc column (PostgreSQL, see docArgs).
func customerStatements(docColumn bool) (insert, update string) {
	cols := append([]string{"id"}, customerWriteColumns...)
	cols = append(cols, "created_at", "updated_at", "version")
	sets := make([]string, 0, len(customerWriteColumns)+3)
	for _, c := range customerWriteColumns {
		sets = append(sets, c+" = ?")
	}
	sets = append(sets, "updated_at = ?", "version = ?")
	if docColumn {
		cols = append(cols, "search_doc")
		sets = append(sets, "search_doc = ?")
	}
	insert = "INSERT INTO customers (" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	update = "UPDATE customers SET " + strings.Join(sets, ", ") + " WHERE id = ? AND version = ?"
	return insert, update
}

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
	doc := t.d.document(c)
	if err := t.queryRow(ctx, t.d.customerInsert+" RETURNING seq", t.d.insertArgs(c, doc)...).Scan(&c.Seq); err != nil {
		return fmt.Errorf("insert customer: %w", customerError(err))
	}
	return t.d.indexSearch(ctx, t, c.Seq, doc)
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
	c, err := scanCustomer(t.queryRow(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read customer by reference: %w", err)
	}
	return c, nil
}

func (t *tx) UpdateCustomer(ctx context.Context, c *domain.Customer, expectedVersion int64) error {
	doc := t.d.document(c)
	args := t.d.customerValues(c)
	args = append(args, t.d.ts(c.UpdatedAt), c.Version)
	args = append(args, t.d.docArgs(doc)...)
	args = append(args, c.ID, expectedVersion)
	res, err := t.exec(ctx, t.d.customerUpdate, args...)
	if err != nil {
		return fmt.Errorf("update customer: %w", customerError(err))
	}
	if err := t.checkVersioned(ctx, res, "customers", c.ID); err != nil {
		return err
	}
	if c.Seq == 0 {
		if err := t.queryRow(ctx, "SELECT seq FROM customers WHERE id = ?", c.ID).Scan(&c.Seq); err != nil {
			return fmt.Errorf("update customer: %w", err)
		}
	}
	return t.d.reindexSearch(ctx, t, c.Seq, doc)
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
	var seq int64
	err := t.queryRow(ctx, "DELETE FROM customers WHERE id = ? RETURNING seq", id).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return fmt.Errorf("delete customer: %w", err)
	}
	return t.d.unindexSearch(ctx, t, seq)
}

func (t *tx) ListCustomers(ctx context.Context, f app.ListFilter) ([]domain.Customer, error) {
	q, args := listSQL(f)
	return t.scanCustomers(t.query(ctx, q, args...))
}

// listSQL is ListCustomers' statement. It walks an index in list order from where the page
// starts, and stops after a page: customers_sort, or customers_group_sort for one group's
// members. The page's start is a row value, which both backends search the index for.
func listSQL(f app.ListFilter) (string, []any) {
	var where []string
	var args []any
	if f.GroupID != "" {
		where = append(where, "c.group_id = ?")
		args = append(args, f.GroupID)
	}
	if f.Balance != app.BalanceAny {
		where = append(where, balanceSQL(f.Balance))
	}
	if f.AfterSeq > 0 {
		where = append(where, "(c.sort_key, c.seq) > (?, ?)")
		args = append(args, f.AfterKey, f.AfterSeq)
	}
	q := "SELECT " + customerColumns + " FROM customers c"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY c.sort_key, c.seq LIMIT ?"
	return q, append(args, f.Limit)
}

// balanceSQL narrows customers c to one side of their accounts: a semi-join on the
// account's primary key, probed for each customer the list walks.
func balanceSQL(side app.BalanceSide) string {
	cmp := "> 0"
	if side == app.BalanceCreditors {
		cmp = "< 0"
	}
	return "EXISTS (SELECT 1 FROM customer_accounts a WHERE a.customer_id = c.id AND a.balance_cents " + cmp + ")"
}

// ListSQL returns ListCustomers' statement in the backend's placeholder style, so that tests
// can check its plan.
func (db *DB) ListSQL(f app.ListFilter) (string, []any) {
	q, args := listSQL(f)
	return db.d.rebind(q), args
}

// matchTiers lists the tiers MatchCustomers returns, in order; search.TierQueries gives
// their queries in the same order.
var matchTiers = [3]app.Tier{app.TierNameWords, app.TierNamePrefixes, app.TierOther}

func (t *tx) MatchCustomers(ctx context.Context, f app.MatchFilter) ([]app.Match, error) {
	if len(f.Terms) == 0 {
		return nil, nil
	}
	queries, err := t.d.tierQueries(ctx, t, f.Terms)
	if err != nil {
		return nil, err
	}
	var out []app.Match
	for i, tier := range matchTiers {
		if tier < f.After.Tier || !queries[i].OK {
			continue
		}
		var after int64
		if tier == f.After.Tier {
			after = f.After.Seq
		}
		found, err := t.d.matchTier(ctx, t, f.GroupID, queries[i], after, f.Limit-len(out))
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			out = append(out, app.Match{Tier: tier, Customer: c})
		}
		if len(out) >= f.Limit {
			break
		}
	}
	return out, nil
}

// matchSQL is the statement that gives a search's first page its first rows: on SQLite the
// query of the first tier that has matches (without matches, of the last tier), on PostgreSQL
// that tier's window (step 1 of pgsearch.go). ok is false when nothing can match.
func (t *tx) matchSQL(ctx context.Context, f app.MatchFilter) (q string, args []any, ok bool, err error) {
	if len(f.Terms) == 0 {
		return "", nil, false, nil
	}
	queries, err := t.d.tierQueries(ctx, t, f.Terms)
	if err != nil {
		return "", nil, false, err
	}
	first, err := t.MatchCustomers(ctx, app.MatchFilter{Terms: f.Terms, GroupID: f.GroupID, Limit: 1})
	if err != nil {
		return "", nil, false, err
	}
	i := slices.IndexFunc(queries[:], func(q search.TierQuery) bool { return q.OK })
	switch {
	case len(first) > 0:
		i = slices.Index(matchTiers[:], first[0].Tier)
	case i < 0:
		return "", nil, false, nil
	default: // no match: the last query the API runs, which finds nothing
		for j, q := range queries {
			if q.OK {
				i = j
			}
		}
	}
	q, args = t.d.firstPageSQL(f.GroupID, queries[i], f.Limit)
	return t.d.rebind(q), args, true, nil
}

// MatchSQL returns the statement that gives the first page of a search its first rows (see
// matchSQL), in the backend's placeholder style, as the API runs it, so that the bench command
// measures that very statement. ok is false when nothing can match.
func (db *DB) MatchSQL(ctx context.Context, f app.MatchFilter) (q string, args []any, ok bool, err error) {
	err = db.Read(ctx, func(appTx app.Tx) error {
		q, args, ok, err = appTx.(*tx).matchSQL(ctx, f)
		return err
	})
	return q, args, ok, err
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
