package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// keysPerQuery bounds the values of one IN list.
const keysPerQuery = 500

// CustomersByKeys returns the customers whose reference key, tax id or e-mail key is one of
// keys, through the unique reference index or the customers_tax_id and customers_email_key
// indexes (which a bulk load drops: see loadIndex).
func (t *tx) CustomersByKeys(ctx context.Context, key app.ImportKey, keys []string) ([]domain.Customer, error) {
	if err := t.loadIndex(ctx, key); err != nil {
		return nil, err
	}
	var col string
	switch key {
	case app.KeyReference:
		col = "c.reference_key"
	case app.KeyTaxID:
		col = "c.tax_id"
	case app.KeyEmail:
		col = "c.email_key"
	case app.KeyID:
		col = "c.id"
	default:
		return nil, fmt.Errorf("customers by key: unknown key %q", key)
	}
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	var out []domain.Customer
	for len(keys) > 0 {
		n := min(len(keys), keysPerQuery)
		chunk := keys[:n]
		keys = keys[n:]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		q := "SELECT " + customerColumns + " FROM customers c WHERE " + col + " IN (?" + strings.Repeat(", ?", len(chunk)-1) + ")"
		if key != app.KeyID { // a uuid on PostgreSQL, never empty
			q += " AND " + col + " <> ''"
		}
		rows, err := t.tx.QueryContext(ctx, t.d.rebind(q), args...)
		found, err := t.scanCustomers(rows, err)
		if err != nil {
			return nil, fmt.Errorf("customers by key: %w", err)
		}
		out = append(out, found...)
	}
	return out, nil
}

// loadIndexes name the index CustomersByKeys reads for a key, among those a bulk load drops.
var loadIndexes = map[app.ImportKey]string{app.KeyTaxID: "customers_tax_id", app.KeyEmail: "customers_email_key"}

// loadIndex builds, during a bulk load, the index CustomersByKeys needs for key if the load
// dropped it, in the transaction, and strikes it from those FinishBulkLoad rebuilds. An import
// whose rows are matched by id or reference (an export's, a loyalty-card register) never
// needs them, and the load builds them once at the end; one that matches by tax id or e-mail
// builds the index at its first such lookup and keeps it up to date from then on.
func (t *tx) loadIndex(ctx context.Context, key app.ImportKey) error {
	name, ok := loadIndexes[key]
	if !ok {
		return nil
	}
	saved, pending, err := t.Setting(ctx, settingPendingIndexes)
	if err != nil || !pending {
		return err
	}
	var defs, rest []string
	if err := json.Unmarshal([]byte(saved), &defs); err != nil {
		return fmt.Errorf("read recorded indexes: %w", err)
	}
	def := ""
	for _, d := range defs {
		if strings.Contains(d, " "+name+" ") || strings.Contains(d, `"`+name+`"`) {
			def = d
		} else {
			rest = append(rest, d)
		}
	}
	if def == "" {
		return nil
	}
	if _, err := t.tx.ExecContext(ctx, def); err != nil {
		return fmt.Errorf("build index %s: %w", name, err)
	}
	left, err := json.Marshal(rest)
	if err != nil {
		return fmt.Errorf("record indexes: %w", err)
	}
	return t.PutSetting(ctx, settingPendingIndexes, string(left))
}

// GroupByNameKey returns the group whose name folds to nameKey.
func (t *tx) GroupByNameKey(ctx context.Context, nameKey string) (domain.Group, error) {
	g, err := scanGroup(t.queryRow(ctx, "SELECT "+groupColumns+" FROM customer_groups g WHERE g.name_key = ?", nameKey))
	if errors.Is(err, sql.ErrNoRows) {
		return g, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return g, fmt.Errorf("read group: %w", err)
	}
	return g, nil
}

// CustomerDocument is the search document CreateCustomers stores for c (app.CustomerDocumenter).
func (db *DB) CustomerDocument(c *domain.Customer) string { return db.d.document(c) }

// CreateCustomers creates prepared customers in the transaction: on SQLite with one prepared
// INSERT and full-text INSERT each and the vocabulary's new words once for the lot (as
// BulkInsert does); on PostgreSQL one CreateCustomer each (the search index is a trigger's).
func (t *tx) CreateCustomers(ctx context.Context, cs []domain.Customer, docs []string) error {
	if t.d.name != "sqlite" {
		for i := range cs {
			if err := t.CreateCustomer(ctx, &cs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	insert, err := t.tx.PrepareContext(ctx, t.d.customerInsert)
	if err != nil {
		return fmt.Errorf("create customers: %w", err)
	}
	defer insert.Close()
	index, err := t.tx.PrepareContext(ctx, "INSERT INTO customer_search (rowid, doc) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("create customers: %w", err)
	}
	defer index.Close()
	words := map[string]struct{}{}
	for i := range cs {
		c := &cs[i]
		doc := ""
		if docs != nil {
			doc = docs[i] // made ahead (CustomerDocument)
		}
		if doc == "" {
			doc = t.d.document(c)
		}
		// An INSERT and its row id: several times faster than RETURNING read as a row set.
		res, err := insert.ExecContext(ctx, t.d.insertArgs(c, doc)...)
		if err != nil {
			return fmt.Errorf("create customer: %w", customerError(err))
		}
		if c.Seq, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create customer: %w", err)
		}
		if _, err := index.ExecContext(ctx, c.Seq, doc); err != nil {
			return fmt.Errorf("index customer for search: %w", err)
		}
		for _, w := range t.d.bulkWords(doc) {
			words[w] = struct{}{}
		}
	}
	vocab, err := t.tx.PrepareContext(ctx, "INSERT OR IGNORE INTO customer_search_words (word) VALUES (?)")
	if err != nil {
		return fmt.Errorf("create customers: %w", err)
	}
	defer vocab.Close()
	for w := range words {
		if _, err := vocab.ExecContext(ctx, w); err != nil {
			return fmt.Errorf("index customers for search: %w", err)
		}
	}
	if _, err := t.tx.ExecContext(ctx, countCustomerChange); err != nil {
		return fmt.Errorf("create customers: %w", err)
	}
	return nil
}
