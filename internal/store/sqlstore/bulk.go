package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// BulkRow is a customer made ready for BulkInsert: its column values and search document,
// computed by PrepareBulk on any goroutine so that the single database writer only writes.
type BulkRow struct {
	args  []any
	doc   string
	words []string
}

// PrepareBulk turns a customer that is already prepared (validated and normalised) into a
// BulkRow. It does no I/O.
func (db *DB) PrepareBulk(c *domain.Customer) BulkRow {
	doc := db.d.document(c)
	return BulkRow{doc: doc, args: db.d.insertArgs(c, doc), words: db.d.bulkWords(doc)}
}

// BulkInsertCustomers is PrepareBulk and BulkInsert in one call.
func (db *DB) BulkInsertCustomers(ctx context.Context, customers []domain.Customer) error {
	rows := make([]BulkRow, len(customers))
	for i := range customers {
		rows[i] = db.PrepareBulk(&customers[i])
	}
	return db.BulkInsert(ctx, rows)
}

// BulkInsert stores rows in one transaction, the fastest way each backend offers: prepared
// INSERTs on SQLite, COPY on PostgreSQL. It is for loading data (seeding, imports) between
// StartBulkLoad and FinishBulkLoad; it writes no audit entries.
func (db *DB) BulkInsert(ctx context.Context, rows []BulkRow) error {
	if len(rows) == 0 {
		return nil
	}
	return db.d.bulkInsert(ctx, db, rows)
}

// settingPendingIndexes holds, while a bulk load runs, the definitions of the indexes (and
// trigger) it dropped; Open rebuilds them if the load was interrupted.
const settingPendingIndexes = "bulk_load.pending_indexes"

// The backend's droppedForLoadSQL lists what a bulk load drops and makes again at the end:
// the customers indexes that only speed up reads (not the ones that enforce uniqueness) and,
// on SQLite, the trigger that counts each new customer for the change feeds. (A new customer
// cannot make a cached lookup stale, so other processes' inserts during a load being counted
// only at the load's next batch costs nothing.)

// StartBulkLoad prepares the database for many BulkInsertCustomers calls: it drops the
// secondary indexes of customers (building them once at the end is several times faster than
// updating them row by row) and on SQLite the trigger that counts new customers, after
// recording their definitions; on SQLite it also lets the full-text index gather segments
// without merging them and gives the writer a large cache.
// It holds the bulk-load lease until FinishBulkLoad (loadlock.go). Call FinishBulkLoad
// afterwards; if the process dies first, the next Open finishes the job.
func (db *DB) StartBulkLoad(ctx context.Context) error { return db.StartBulkLoadKeeping(ctx) }

// StartBulkLoadKeeping is StartBulkLoad keeping the indexes named keep (an import that matches
// rows by tax id or e-mail reads customers_tax_id and customers_email_key between batches).
func (db *DB) StartBulkLoadKeeping(ctx context.Context, keep ...string) error {
	if db.loading == nil {
		lease, _, err := db.acquireLoadLease(ctx, true) // one load at a time
		if err != nil {
			return fmt.Errorf("start bulk load: %w", err)
		}
		db.loading = lease
	}
	err := db.Write(ctx, func(appTx app.Tx) error {
		t := appTx.(*tx)
		if _, pending, err := t.Setting(ctx, settingPendingIndexes); err != nil || pending {
			return err // an interrupted load already recorded them (and dropped them)
		}
		rows, err := t.tx.QueryContext(ctx, t.d.droppedForLoadSQL())
		if err != nil {
			return fmt.Errorf("list indexes: %w", err)
		}
		var drops, defs []string
		for rows.Next() {
			var kind, name, def string
			if err := rows.Scan(&kind, &name, &def); err != nil {
				rows.Close()
				return fmt.Errorf("list indexes: %w", err)
			}
			if slices.Contains(keep, name) {
				continue
			}
			drops, defs = append(drops, "DROP "+strings.ToUpper(kind)+` "`+name+`"`), append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list indexes: %w", err)
		}
		saved, err := json.Marshal(defs)
		if err != nil {
			return fmt.Errorf("record indexes: %w", err)
		}
		if err := t.PutSetting(ctx, settingPendingIndexes, string(saved)); err != nil {
			return err
		}
		for _, drop := range drops {
			if _, err := t.tx.ExecContext(ctx, drop); err != nil {
				return fmt.Errorf("bulk load: %s: %w", drop, err)
			}
		}
		return t.d.bulkLoadStarting(ctx, t)
	})
	if err != nil {
		return fmt.Errorf("start bulk load: %w", err)
	}
	return db.d.bulkLoadStarted(ctx, db)
}

// FinishBulkLoad ends a bulk load: it rebuilds the indexes StartBulkLoad dropped, merges the
// full-text index into one segment (SQLite) or vacuums (PostgreSQL), and refreshes the
// planner's statistics.
func (db *DB) FinishBulkLoad(ctx context.Context) error {
	err := db.finishBulkLoad(ctx)
	if db.loading != nil {
		if rerr := db.loading.release(); err == nil {
			err = rerr
		}
		db.loading = nil
	}
	return err
}

// hasSetting reports whether the settings row key exists, without a write transaction: what
// Open checks for work left over does not take the writer's lock when there is none.
func (db *DB) hasSetting(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := db.write.QueryRowContext(ctx, db.d.rebind("SELECT count(*) > 0 FROM settings WHERE key = ?"), key).Scan(&ok)
	return ok, err
}

// finishInterruptedBulkLoad finishes a load whose process died, and leaves alone one whose
// process still holds the lease.
func (db *DB) finishInterruptedBulkLoad(ctx context.Context) error {
	pending, err := db.hasSetting(ctx, settingPendingIndexes)
	if err != nil {
		return fmt.Errorf("check for an interrupted bulk load: %w", err)
	}
	if !pending {
		return nil
	}
	lease, ok, err := db.acquireLoadLease(ctx, false)
	if err != nil {
		return err
	}
	if !ok {
		db.log.InfoContext(ctx, "a bulk load is running in another process; it will rebuild the indexes when it ends")
		return nil
	}
	defer func() {
		if err := lease.release(); err != nil { // it ends with the connection or file anyway
			db.log.WarnContext(ctx, "releasing the bulk load lease failed", slog.Any("error", err))
		}
	}()
	return db.finishBulkLoad(ctx)
}

func (db *DB) finishBulkLoad(ctx context.Context) error {
	var pending bool
	err := db.Write(ctx, func(appTx app.Tx) error {
		t := appTx.(*tx)
		var saved string
		var err error
		saved, pending, err = t.Setting(ctx, settingPendingIndexes)
		if err != nil || !pending {
			return err
		}
		var defs []string
		if err := json.Unmarshal([]byte(saved), &defs); err != nil {
			return fmt.Errorf("read recorded indexes: %w", err)
		}
		if err := t.d.indexesRebuilding(ctx, t); err != nil {
			return err
		}
		for _, def := range defs {
			if _, err := t.tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
		}
		if _, err := t.tx.ExecContext(ctx, t.d.rebind("DELETE FROM settings WHERE key = ?"), settingPendingIndexes); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
		return t.d.indexesRebuilt(ctx, t)
	})
	if err != nil {
		return fmt.Errorf("finish bulk load: %w", err)
	}
	if !pending {
		return nil
	}
	for _, q := range db.d.bulkLoadFinishedSteps() {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("finish bulk load: %s: %w", q, err)
		}
	}
	return nil
}

// CountCustomers counts the register (for tools).
func (db *DB) CountCustomers(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM customers").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	return n, nil
}
