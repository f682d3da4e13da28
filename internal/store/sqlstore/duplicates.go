package sqlstore

import (
	"context"
	"fmt"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// sharingSQL is the statement of CustomersSharing for one field: an equality on what the
// field's index holds, with the index's own condition spelled out, so that the planner can
// use the partial index (SQLite only does when the query repeats its WHERE term). It walks
// that index and nothing else, at any size of the register.
func (d *dialect) sharingSQL(field app.SharedField, except bool) (string, error) {
	var where string
	switch field {
	case app.SharedTaxID:
		where = "c.tax_id = ? AND c.tax_id <> ''"
	case app.SharedEmail:
		where = "c.email_key = ? AND c.email_key <> ''"
	case app.SharedPhone:
		// The expression of the customers_phone index (migrations sqlite 0005, postgres 0009):
		// the number without its extension.
		where = d.phoneKeyExpr() + " = ? AND c.phone <> ''"
	case app.SharedName:
		where = "c.dup_name_key = ? AND c.dup_name_key <> ''"
	default:
		return "", fmt.Errorf("customers sharing %q: not a shared field", field)
	}
	if except {
		where += " AND c.id <> ?"
	}
	// In registration order: the phone index (migrations sqlite 0015, postgres 0019) holds the
	// stored number after the key, so its order within one number is not the rows' order.
	return "SELECT " + customerColumns + " FROM customers c WHERE " + where + " ORDER BY c.seq LIMIT ?", nil
}

func (t *tx) CustomersSharing(ctx context.Context, field app.SharedField, key, exceptID string, limit int) ([]domain.Customer, error) {
	if key == "" || limit <= 0 {
		return nil, nil
	}
	q, err := t.d.sharingSQL(field, exceptID != "")
	if err != nil {
		return nil, err
	}
	args := []any{key}
	if exceptID != "" {
		args = append(args, exceptID)
	}
	args = append(args, limit)
	return t.scanCustomers(t.query(ctx, q, args...))
}

// SharingSQL returns CustomersSharing's statement in the backend's placeholder style, so
// that tests can check its plan.
func (db *DB) SharingSQL(field app.SharedField, except bool) (string, error) {
	q, err := db.d.sharingSQL(field, except)
	return db.d.rebind(q), err
}

// CountCustomers counts the register, or one group's members, up to limit: it reads at most
// limit index entries, so that a page can say "2.000 clientes" on every load without the
// scan an exact count(*) of a million rows is.
func (t *tx) CountCustomers(ctx context.Context, groupID string, limit int64) (int64, error) {
	q := "SELECT count(*) FROM (SELECT 1 FROM customers c LIMIT ?) AS n"
	args := []any{limit}
	if groupID != "" {
		q = "SELECT count(*) FROM (SELECT 1 FROM customers c WHERE c.group_id = ? LIMIT ?) AS n"
		args = []any{groupID, limit}
	}
	var n int64
	if err := t.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	return n, nil
}
