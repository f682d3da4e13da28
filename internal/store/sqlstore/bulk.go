package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

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
	r := BulkRow{doc: doc, args: db.d.insertArgs(c, doc)}
	if !db.d.docColumn { // PostgreSQL's insert trigger adds the words
		r.words = vocabularyWords(doc)
	}
	return r
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
	if db.d.name == "postgres" {
		return db.copyCustomers(ctx, rows)
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	defer sqlTx.Rollback() //nolint:errcheck // no-op after Commit
	insert, err := sqlTx.PrepareContext(ctx, db.d.customerInsert)
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	defer insert.Close()
	index, err := sqlTx.PrepareContext(ctx, "INSERT INTO customer_search (rowid, doc) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	defer index.Close()
	words := map[string]struct{}{}
	for i := range rows {
		res, err := insert.ExecContext(ctx, rows[i].args...)
		if err != nil {
			return fmt.Errorf("bulk insert customer %d: %w", i, customerError(err))
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("bulk insert customer %d: %w", i, err)
		}
		if _, err := index.ExecContext(ctx, seq, rows[i].doc); err != nil {
			return fmt.Errorf("bulk index customer %d: %w", i, err)
		}
		for _, w := range rows[i].words {
			words[w] = struct{}{}
		}
	}
	// During a load the per-row trigger that counts new customers is away (StartBulkLoad):
	// with it, each INSERT runs in a statement transaction, at whose start FTS5 flushes the
	// postings it gathers, so a load wrote one tiny segment per customer and took twice as
	// long. One count per batch tells the change feeds instead.
	if _, err := sqlTx.ExecContext(ctx, countCustomerChange); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	vocab, err := sqlTx.PrepareContext(ctx, "INSERT OR IGNORE INTO customer_search_words (word) VALUES (?)")
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	defer vocab.Close()
	for w := range words {
		if _, err := vocab.ExecContext(ctx, w); err != nil {
			return fmt.Errorf("bulk insert vocabulary: %w", err)
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	return nil
}

// copyCustomers loads rows with COPY in one transaction. The vocabulary's insert trigger adds
// their words once per batch. (Switching it off for the load and adding the words from Go
// was ~4 % faster, but the switch is table-wide: a customer a server added meanwhile would
// miss the vocabulary, and prefix searches that expand through it would miss the customer.)
func (db *DB) copyCustomers(ctx context.Context, rows []BulkRow) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pg := driverConn.(*stdlib.Conn).Conn()
		tx, err := pg.Begin(ctx)
		if err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // no-op after Commit
		i := 0
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(rows) {
				return nil, nil
			}
			i++
			return rows[i-1].args, nil
		})
		columns := append([]string{"id"}, customerWriteColumns...)
		columns = append(columns, "created_at", "updated_at", "version", "search_doc")
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"customers"}, columns, src); err != nil {
			return fmt.Errorf("copy customers: %w", customerError(err))
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
		return nil
	})
}

// settingPendingIndexes holds, while a bulk load runs, the definitions of the indexes (and
// trigger) it dropped; Open rebuilds them if the load was interrupted.
const settingPendingIndexes = "bulk_load.pending_indexes"

// countCustomerChange tells SQLite's change feeds that customers changed (migration 0003).
const countCustomerChange = "UPDATE change_counters SET version = version + 1 WHERE topic = 'customers'"

// droppedForLoadSQL lists what a bulk load drops and makes again at the end, with the
// statements that create them: the customers indexes that only speed up reads (not the ones
// that enforce uniqueness) and, on SQLite, the trigger that counts each new customer for the
// change feeds. (A new customer cannot make a cached lookup stale, so other processes'
// inserts during a load being counted only at the load's next batch costs nothing.)
func (d *dialect) droppedForLoadSQL() string {
	if d.name == "postgres" {
		return `SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = 'customers'::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`
	}
	return `SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL
		AND ((type = 'index' AND tbl_name = 'customers') OR (type = 'trigger' AND name = 'customers_changed_insert'))`
}

// StartBulkLoad prepares the database for many BulkInsertCustomers calls: it drops the
// secondary indexes of customers (building them once at the end is several times faster than
// updating them row by row) and on SQLite the trigger that counts new customers, after
// recording their definitions; on SQLite it also lets the full-text index gather segments
// without merging them and gives the writer a large cache.
// It holds the bulk-load lease until FinishBulkLoad (loadlock.go). Call FinishBulkLoad
// afterwards; if the process dies first, the next Open finishes the job.
func (db *DB) StartBulkLoad(ctx context.Context) error {
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
		if t.d.name == "sqlite" {
			// Gather a batch's postings in memory and write one segment per commit; merge the
			// segments once, in FinishBulkLoad.
			for _, cmd := range []string{"INSERT INTO customer_search (customer_search, rank) VALUES ('automerge', 0)",
				"INSERT INTO customer_search (customer_search, rank) VALUES ('crisismerge', 200)"} {
				if _, err := t.tx.ExecContext(ctx, cmd); err != nil {
					return fmt.Errorf("bulk load: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("start bulk load: %w", err)
	}
	if db.d.name == "sqlite" {
		// Commits of a load need not each reach the disk (NORMAL keeps the file consistent
		// after a crash, which a load interrupted this way restarts from), and copying the
		// WAL back into the database less often saves copying pages that change again.
		for _, q := range []string{"PRAGMA cache_size = -1048576", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 16384"} {
			if _, err := db.write.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("start bulk load: %w", err)
			}
		}
	}
	return nil
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

// finishInterruptedBulkLoad finishes a load whose process died, and leaves alone one whose
// process still holds the lease.
func (db *DB) finishInterruptedBulkLoad(ctx context.Context) error {
	var pending bool
	if err := db.write.QueryRowContext(ctx, db.d.rebind("SELECT count(*) > 0 FROM settings WHERE key = ?"), settingPendingIndexes).Scan(&pending); err != nil {
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
		if t.d.name == "postgres" {
			// Building a GIN index over a million documents wants memory: with the default
			// 64 MB it spills to disk and takes three times longer.
			if _, err := t.tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '1GB'"); err != nil {
				return fmt.Errorf("bulk load: %w", err)
			}
			// Loads before this version switched the word trigger off; turn it back on.
			if _, err := t.tx.ExecContext(ctx, "ALTER TABLE customers ENABLE TRIGGER customers_search_words_insert"); err != nil {
				return fmt.Errorf("bulk load: %w", err)
			}
		}
		for _, def := range defs {
			if _, err := t.tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
		}
		if _, err := t.tx.ExecContext(ctx, t.d.rebind("DELETE FROM settings WHERE key = ?"), settingPendingIndexes); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
		if t.d.name == "sqlite" {
			// Customers that other processes added since the load's last batch.
			for _, cmd := range []string{countCustomerChange, "INSERT INTO customer_search (customer_search) VALUES ('optimize')",
				"INSERT INTO customer_search (customer_search, rank) VALUES ('automerge', 4)",
				"INSERT INTO customer_search (customer_search, rank) VALUES ('crisismerge', 16)"} {
				if _, err := t.tx.ExecContext(ctx, cmd); err != nil {
					return fmt.Errorf("bulk load: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish bulk load: %w", err)
	}
	if !pending {
		return nil
	}
	// VACUUM marks the loaded pages all-visible, so index-only scans (a search's window end,
	// pgsearch.go) need not visit the table, and sets hint bits once rather than on first read.
	steps := []string{"VACUUM (ANALYZE)"}
	if db.d.name == "sqlite" {
		steps = []string{"PRAGMA optimize=0x10002", "PRAGMA cache_size = " + sqliteCacheSize,
			"PRAGMA synchronous = FULL", "PRAGMA wal_autocheckpoint = 1000", "PRAGMA wal_checkpoint(TRUNCATE)"}
	}
	for _, q := range steps {
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
