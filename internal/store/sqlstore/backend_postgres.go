package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
)

// postgresBackend is PostgreSQL: many writers, MVCC. Search is a stored tsvector of the
// search_doc column with a GIN index and a vocabulary kept by triggers (pgsearch.go,
// pgvocab.go); the change feed is LISTEN/NOTIFY on a channel per schema (pglisten.go); locks
// between processes are advisory locks.
type postgresBackend struct {
	// window: how many rows a search checks in order before using its index (pgsearch.go).
	window int
}

func postgresDialect() *dialect {
	insert, update := customerStatements(true)
	return &dialect{name: "postgres", customerInsert: insert, customerUpdate: update,
		rebind: rebindDollar, backend: &postgresBackend{window: defaultPGWindow}}
}

func openPostgres(databaseURL string) (*DB, error) {
	// The read pool's sessions are read-only by default, so that ReadOne's statement, which
	// runs without BEGIN, cannot write either.
	u, err := url.Parse(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	n := max(8, 4*runtime.GOMAXPROCS(0))
	var pools [2]*sql.DB
	for i, dsn := range []string{databaseURL, u.String()} {
		pool, err := sql.Open("pgx", dsn)
		if err == nil {
			pool.SetMaxOpenConns(n)
			pool.SetMaxIdleConns(n)
			err = pool.Ping()
			pools[i] = pool
		}
		if err != nil {
			for _, p := range pools {
				if p != nil {
					p.Close()
				}
			}
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
	}
	return &DB{d: postgresDialect(), write: pools[0], read: pools[1], url: databaseURL,
		readOpts: &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}}, nil
}

// Advisory locks of PostgreSQL. Migrations take migrationLockKey with the schema's hash.
const (
	reindexLockKey = 727275
	// usersLockKey is LockUsers' lock (the same number as re-indexing, which runs only
	// while a server opens the database).
	usersLockKey = 727275
	// bulkLoadLockKey is the bulk-load lease, taken with the schema's hash as second key
	// (loadlock.go).
	bulkLoadLockKey = 727276
)

// ts: timestamptz.
func (*postgresBackend) ts(t time.Time) any { return t.UTC() }

// document: e-mail-only words marked (pgDocument).
func (*postgresBackend) document(c *domain.Customer) string { return pgDocument(c) }

// docArgs: the search_doc column, which the GIN index is on.
func (*postgresBackend) docArgs(doc string) []any { return []any{doc} }

// phoneKeyExpr: the index of migration 0009.
func (*postgresBackend) phoneKeyExpr() string { return "split_part(c.phone, ';', 1)" }

// purgeSQL skips rows that other transactions hold (a login counting a failure locks two
// rows), so that a purge neither waits for them nor deadlocks with them; they go next time.
func (*postgresBackend) purgeSQL(table, key, cond string) string {
	return "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM " + table + " WHERE " + cond + " FOR UPDATE SKIP LOCKED)"
}

// tablesExistSQL follows search_path.
func (*postgresBackend) tablesExistSQL() string {
	return "SELECT count(*) FROM (SELECT to_regclass('schema_migrations') AS t) r WHERE t IS NOT NULL"
}

// lockMigrations holds an advisory lock on conn for the whole run, per schema, so that
// installations in different schemas do not wait for each other.
func (*postgresBackend) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", migrationLockKey); err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		// Closing the connection would leave the lock held while it idles in the pool.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", migrationLockKey)
	}, nil
}

// skipLocked: two processes claiming at once each take rows the other has not locked.
func (*postgresBackend) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (*postgresBackend) lockUsers(ctx context.Context, t *tx) error {
	if _, err := t.exec(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", usersLockKey)); err != nil {
		return fmt.Errorf("lock users: %w", err)
	}
	return nil
}

func (*postgresBackend) lockReindex(ctx context.Context, t *tx) error {
	if _, err := t.exec(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", reindexLockKey)); err != nil {
		return fmt.Errorf("search index lock: %w", err)
	}
	return nil
}

// indexSearch, reindexSearch, unindexSearch: the GIN index follows the search_doc column,
// and triggers the vocabulary (migration 0003).
func (*postgresBackend) indexSearch(context.Context, *tx, int64, string) error   { return nil }
func (*postgresBackend) reindexSearch(context.Context, *tx, int64, string) error { return nil }
func (*postgresBackend) unindexSearch(context.Context, *tx, int64) error         { return nil }

func (*postgresBackend) tierQueries(ctx context.Context, t *tx, terms []string) ([3]search.TierQuery, error) {
	return t.pgTierQueries(ctx, terms)
}

func (b *postgresBackend) matchTier(ctx context.Context, t *tx, groupID string, q search.TierQuery, after int64, limit int) ([]domain.Customer, error) {
	return t.pgMatchTier(ctx, groupID, pgTier{pos: q.Pos, neg: q.Neg, after: after}, b.window, limit)
}

// firstPageSQL: the tier's first window (step 1 of pgsearch.go).
func (b *postgresBackend) firstPageSQL(groupID string, q search.TierQuery, limit int) (string, []any) {
	return pgWindowSQL(groupID, pgTier{pos: q.Pos, neg: q.Neg}, 0, b.window, limit)
}

// rebuildSearchSteps: the whole table, first: the statements below would take stronger locks
// one after the other, and an edit that read a row in between would deadlock with them.
// Other servers wait for the re-index (stop them before an upgrade). The word triggers would
// check each replaced word of each customer; the vocabulary is rebuilt whole at the end
// instead. A large index is cheaper to build than to update row by row.
func (*postgresBackend) rebuildSearchSteps(rebuildIndex bool) (setup, teardown []string) {
	setup = []string{"LOCK TABLE customers IN ACCESS EXCLUSIVE MODE", "SET LOCAL maintenance_work_mem = '1GB'",
		"ALTER TABLE customers DISABLE TRIGGER customers_search_words_update"}
	teardown = []string{"ALTER TABLE customers ENABLE TRIGGER customers_search_words_update",
		"TRUNCATE customer_search_words",
		`INSERT INTO customer_search_words (word) SELECT DISTINCT w FROM customers, unnest(tsvector_to_array(search_tsv)) AS w
				WHERE w !~ '^[0-9@§]' ON CONFLICT DO NOTHING`}
	if rebuildIndex {
		setup = append(setup, "DROP INDEX customers_search")
		teardown = append([]string{"CREATE INDEX customers_search ON customers USING gin (search_tsv) WITH (fastupdate = off)"}, teardown...)
	}
	return setup, teardown
}

// rewriteDocuments: one statement into the search_doc column; the vocabulary is rebuilt at
// the end (rebuildSearchSteps).
func (b *postgresBackend) rewriteDocuments(ctx context.Context, t *tx, batch []domain.Customer, _ map[string]struct{}) error {
	seqs := make([]int64, len(batch))
	docs := make([]string, len(batch))
	for i := range batch {
		seqs[i], docs[i] = batch[i].Seq, b.document(&batch[i])
	}
	_, err := t.exec(ctx, `UPDATE customers SET search_doc = v.doc
		FROM unnest(?::bigint[], ?::text[]) AS v(seq, doc) WHERE customers.seq = v.seq`, seqs, docs)
	if err != nil {
		return fmt.Errorf("rewrite search documents: %w", err)
	}
	return nil
}

// afterReindexSteps: every row was rewritten, leaving as many dead row versions to clear
// (searches walk the table in order).
func (*postgresBackend) afterReindexSteps() []string { return []string{"VACUUM (ANALYZE) customers"} }

// bulkWords: the vocabulary's insert trigger adds the words.
func (*postgresBackend) bulkWords(string) []string { return nil }

// bulkInsert loads rows with COPY in one transaction. The vocabulary's insert trigger adds
// their words once per batch. (Switching it off for the load and adding the words from Go
// was ~4 % faster, but the switch is table-wide: a customer a server added meanwhile would
// miss the vocabulary, and prefix searches that expand through it would miss the customer.)
func (*postgresBackend) bulkInsert(ctx context.Context, db *DB, rows []BulkRow) error {
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

// droppedForLoadSQL: the indexes of customers that enforce no constraint.
func (*postgresBackend) droppedForLoadSQL() string {
	return `SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = 'customers'::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`
}

func (*postgresBackend) bulkLoadStarting(context.Context, *tx) error { return nil }
func (*postgresBackend) bulkLoadStarted(context.Context, *DB) error  { return nil }

// indexesRebuilding: building a GIN index over a million documents wants memory: with the
// default 64 MB it spills to disk and takes three times longer. Loads before this version
// switched the word trigger off; it is turned back on.
func (*postgresBackend) indexesRebuilding(ctx context.Context, t *tx) error {
	return t.execAll(ctx, "bulk load", "SET LOCAL maintenance_work_mem = '1GB'",
		"ALTER TABLE customers ENABLE TRIGGER customers_search_words_insert")
}

func (*postgresBackend) indexesRebuilt(context.Context, *tx) error { return nil }

// bulkLoadFinishedSteps: VACUUM marks the loaded pages all-visible, so index-only scans (a
// search's window end, pgsearch.go) need not visit the table, and sets hint bits once rather
// than on first read.
func (*postgresBackend) bulkLoadFinishedSteps() []string { return []string{"VACUUM (ANALYZE)"} }

// acquireLoadLease: a session advisory lock on a connection of the loader's own, per schema
// like the change channel and the migration lock, so that installations (and tests) in
// separate schemas of one database do not take each other's loads for their own: with one
// lock for the whole database, a load in one schema kept a server opening another from
// finishing that schema's interrupted load.
func (*postgresBackend) acquireLoadLease(ctx context.Context, db *DB, wait bool) (lease loadLease, ok bool, err error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("bulk load lease: %w", err)
	}
	if wait {
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", bulkLoadLockKey)
		ok = err == nil
	} else {
		err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))", bulkLoadLockKey).Scan(&ok)
	}
	if err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("bulk load lease: %w", err)
		}
		return nil, false, nil
	}
	return pgLease{conn}, true, nil
}

type pgLease struct{ conn *sql.Conn }

func (l pgLease) release() error {
	_, err := l.conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", bulkLoadLockKey)
	if cerr := l.conn.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release bulk load lease: %w", err)
	}
	return nil
}

// changeFeed: LISTEN/NOTIFY (pglisten.go).
func (*postgresBackend) changeFeed(db *DB) app.ChangeFeed {
	return &pgChangeFeed{url: db.url, pool: db.write, every: heartbeatEvery}
}
