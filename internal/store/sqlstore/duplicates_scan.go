package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// duplicateColumn is the indexed expression of a field duplicate detection compares, and the
// condition of its partial index (which a query must repeat for SQLite to use the index).
func (d *dialect) duplicateColumn(field app.SharedField) (expr, nonEmpty string, err error) {
	switch field {
	case app.SharedTaxID:
		return "c.tax_id", "c.tax_id <> ''", nil
	case app.SharedEmail:
		return "c.email_key", "c.email_key <> ''", nil
	case app.SharedPhone:
		return d.phoneKeyExpr(), "c.phone <> ''", nil
	case app.SharedName:
		return "c.dup_name_key", "c.dup_name_key <> ''", nil
	}
	return "", "", fmt.Errorf("duplicates: %q is not a compared field", field)
}

// sharedValuesSQL groups the field's index: one pass over it, in its order, giving each
// value held more than once with who holds it. On SQLite the index holds the row id (seq);
// on PostgreSQL the indexes carry seq as an included column (migration 0019), so both read
// the index alone.
func (d *dialect) sharedValuesSQL(field app.SharedField) (string, error) {
	expr, nonEmpty, err := d.duplicateColumn(field)
	if err != nil {
		return "", err
	}
	seqs := "group_concat(c.seq)"
	if d.name == "postgres" {
		seqs = "string_agg(c.seq::text, ',')"
	}
	return "SELECT " + expr + ", count(*), " + seqs + " FROM customers c WHERE " + nonEmpty + " GROUP BY " + expr + " HAVING count(*) > 1", nil
}

// SharedValuesSQL returns SharedValues' statement, so that tests can check its plan.
func (db *DB) SharedValuesSQL(field app.SharedField) (string, error) {
	q, err := db.d.sharedValuesSQL(field)
	return db.d.rebind(q), err
}

func (t *tx) SharedValues(ctx context.Context, field app.SharedField) ([]app.SharedValue, error) {
	q, err := t.d.sharedValuesSQL(field)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("shared %s values: %w", field, err)
	}
	defer rows.Close()
	var out []app.SharedValue
	var seqs string
	for rows.Next() {
		var v app.SharedValue
		if err := rows.Scan(&v.Value, &v.Count, &seqs); err != nil {
			return nil, fmt.Errorf("shared %s values: %w", field, err)
		}
		v.Seqs = make([]int64, 0, v.Count)
		for s := range strings.SplitSeq(seqs, ",") {
			seq, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("shared %s values: %w", field, err)
			}
			v.Seqs = append(v.Seqs, seq)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shared %s values: %w", field, err)
	}
	return out, nil
}

func (t *tx) CustomerIDs(ctx context.Context, seqs []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(seqs))
	for len(seqs) > 0 {
		chunk := seqs[:min(len(seqs), keysPerQuery)]
		seqs = seqs[len(chunk):]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		q := "SELECT seq, id FROM customers WHERE seq IN (?" + strings.Repeat(", ?", len(chunk)-1) + ")"
		rows, err := t.tx.QueryContext(ctx, t.d.rebind(q), args...)
		if err != nil {
			return nil, fmt.Errorf("customer ids: %w", err)
		}
		for rows.Next() {
			var seq int64
			var id string
			if err := rows.Scan(&seq, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("customer ids: %w", err)
			}
			out[seq] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("customer ids: %w", err)
		}
	}
	return out, nil
}

func (t *tx) DuplicateDismissals(ctx context.Context, ids []string) ([]app.DuplicateDismissal, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := "SELECT customer_a, customer_b, reasons FROM duplicate_dismissals WHERE customer_a IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	rows, err := t.tx.QueryContext(ctx, t.d.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read duplicate dismissals: %w", err)
	}
	defer rows.Close()
	var out []app.DuplicateDismissal
	for rows.Next() {
		var d app.DuplicateDismissal
		var reasons int64
		if err := rows.Scan(&d.CustomerA, &d.CustomerB, &reasons); err != nil {
			return nil, fmt.Errorf("read duplicate dismissals: %w", err)
		}
		d.Reasons = app.DuplicateReasons(reasons)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read duplicate dismissals: %w", err)
	}
	return out, nil
}

func (t *tx) PutDuplicateDismissal(ctx context.Context, d app.DuplicateDismissal, by string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO duplicate_dismissals (customer_a, customer_b, reasons, dismissed_by, dismissed_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer_a, customer_b) DO UPDATE SET reasons = excluded.reasons,
		dismissed_by = excluded.dismissed_by, dismissed_at = excluded.dismissed_at`,
		d.CustomerA, d.CustomerB, int64(d.Reasons), by, t.d.ts(at))
	if err != nil {
		return fmt.Errorf("dismiss duplicate: %w", err)
	}
	return nil
}

func (t *tx) DeleteDuplicateDismissal(ctx context.Context, a, b string) error {
	res, err := t.exec(ctx, "DELETE FROM duplicate_dismissals WHERE customer_a = ? AND customer_b = ?", a, b)
	if err != nil {
		return fmt.Errorf("undismiss duplicate: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("undismiss duplicate: %w", err)
	}
	if n == 0 {
		return domain.Errorf(domain.CodeNotFound)
	}
	return nil
}

// settingNameKeysAfter is there while customers written before migration sqlite 0015 /
// postgres 0019 still lack their dup_name_key: the seq up to which they have one.
const settingNameKeysAfter = "duplicates.name_keys_after"

// nameKeyBatch is how many customers one transaction of the fill gives a name key.
const nameKeyBatch = 5000

// fillDuplicateNameKeys gives every customer written before the migration its name key
// (a migration cannot fold names: that is Go's search.NameTokens). It runs at open, in
// batches of nameKeyBatch customers in seq order, each its own transaction recording how far
// it got, so that an interrupted fill resumes and a server never holds the write lock for
// long. Customers written meanwhile by this version already have their key (and are
// skipped); two processes filling at once do the same work twice, harmlessly.
func (db *DB) fillDuplicateNameKeys(ctx context.Context) error {
	pending, err := db.hasSetting(ctx, settingNameKeysAfter)
	if err != nil {
		return fmt.Errorf("fill duplicate name keys: %w", err)
	}
	if !pending { // every customer has its key: no write transaction at each open
		return nil
	}
	start := time.Now()
	var filled int64
	for {
		done := false
		err := db.run(ctx, func(atx app.Tx) error {
			t := atx.(*tx)
			v, ok, err := t.Setting(ctx, settingNameKeysAfter)
			if err != nil || !ok {
				done = true
				return err
			}
			after, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("fill name keys: setting %s: %w", settingNameKeysAfter, err)
			}
			n, last, err := t.fillNameKeys(ctx, after)
			if err != nil {
				return err
			}
			filled += n
			if last == 0 {
				done = true
				_, err := t.exec(ctx, "DELETE FROM settings WHERE key = ?", settingNameKeysAfter)
				return err
			}
			return t.PutSetting(ctx, settingNameKeysAfter, strconv.FormatInt(last, 10))
		})
		if err != nil {
			return fmt.Errorf("fill duplicate name keys: %w", err)
		}
		if done {
			break
		}
	}
	if filled > 0 {
		db.log.InfoContext(ctx, "customers given the name key of duplicate detection", slog.Int64("customers", filled),
			slog.Duration("took", time.Since(start).Round(time.Millisecond)))
	}
	return nil
}

// fillNameKeys fills the name keys of the next batch of customers after seq after; last is
// the seq of the batch's last customer, 0 when there was none.
func (t *tx) fillNameKeys(ctx context.Context, after int64) (n, last int64, err error) {
	rows, err := t.query(ctx, `SELECT c.seq, c.kind, c.first_name, c.last_name, c.company_name, c.postal_code
		FROM customers c WHERE c.seq > ? ORDER BY c.seq LIMIT ?`, after, nameKeyBatch)
	if err != nil {
		return 0, 0, fmt.Errorf("read customers: %w", err)
	}
	type keyed struct {
		seq int64
		key string
	}
	var batch []keyed
	for rows.Next() {
		var c domain.Customer
		var kind string
		if err := rows.Scan(&c.Seq, &kind, &c.FirstName, &c.LastName, &c.CompanyName, &c.Address.PostalCode); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("read customers: %w", err)
		}
		c.Kind = domain.Kind(kind)
		batch = append(batch, keyed{c.Seq, c.DuplicateNameKey()})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("read customers: %w", err)
	}
	if len(batch) == 0 {
		return 0, 0, nil
	}
	stmt, err := t.tx.PrepareContext(ctx, t.d.rebind("UPDATE customers SET dup_name_key = ? WHERE seq = ? AND dup_name_key IS NULL"))
	if err != nil {
		return 0, 0, fmt.Errorf("fill name keys: %w", err)
	}
	defer stmt.Close()
	for _, k := range batch {
		res, err := stmt.ExecContext(ctx, k.key, k.seq)
		if err != nil {
			return 0, 0, fmt.Errorf("fill name keys: %w", err)
		}
		if m, err := res.RowsAffected(); err == nil {
			n += m
		}
	}
	return n, batch[len(batch)-1].seq, nil
}
