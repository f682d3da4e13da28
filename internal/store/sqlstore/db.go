// Package sqlstore keeps Clientela's data in SQL: an embedded SQLite file by default, or
// PostgreSQL. Both run the same Go code and nearly the same SQL; what differs between them lives
// behind the backend interface (backend.go), implemented in backend_sqlite.go and
// backend_postgres.go, and in each backend's migrations. See docs/storage.md.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/clientela/clientela/internal/app"
)

// DB is an open database. It implements app.Store.
type DB struct {
	d     *dialect
	write *sql.DB // SQLite: one connection, so writers queue in Go rather than on the lock
	read  *sql.DB // several connections that cannot write: query_only (SQLite), default_transaction_read_only (PostgreSQL)
	// Prepared statements of SQLite's read pool: preparing costs more than running a lookup.
	// (Writes hold the single write connection while they run, so they cannot prepare on the
	// pool; pgx keeps its own cache on PostgreSQL.)
	readStmts *stmtCache
	// writeStmts: the write pool's prepared statements. SQLite parses a statement anew each
	// time it is not prepared, which was most of a ticket close's CPU.
	writeStmts *stmtCache
	// group: SQLite's concurrent writes share a transaction and its fsync (groupcommit.go);
	// nil on PostgreSQL, whose writers run side by side.
	group    *groupCommit
	readOpts *sql.TxOptions // how Read begins its transaction
	url      string         // PostgreSQL: for the connection that listens for changes
	log      *slog.Logger
	// reindexDropAt: a PostgreSQL re-index of more customers than this rebuilds the GIN
	// index instead of updating it row by row.
	reindexDropAt int64
	path          string    // SQLite: the database file
	loading       loadLease // held while this process runs a bulk load
	existing      bool      // Existing: refuse to create the database
	cacheKiB      int       // WithPageCache: SQLite's page cache per connection (0: sqliteCacheSize)
}

var _ app.Store = (*DB)(nil)

// SQLiteFile is the name of the database file inside the data directory.
const SQLiteFile = "clientela.db"

// Option adjusts how Open works.
type Option func(*DB)

// WithLogger reports long work done while opening (re-indexing after an upgrade).
func WithLogger(log *slog.Logger) Option { return func(db *DB) { db.log = log } }

// ErrNoDatabase: Open was told to use only an existing database (Existing), and there is none:
// no SQLite file, or a PostgreSQL database without Clientela's tables.
var ErrNoDatabase = errors.New("no database")

// Existing makes Open refuse, with ErrNoDatabase, a database that does not exist yet instead of
// creating it (no data directory, no file, no tables): for commands that only make sense on a
// database someone already set up.
func Existing() Option { return func(db *DB) { db.existing = true } }

// WithPageCache sets SQLite's page cache per connection, in KiB, instead of the default
// (128 MiB, for the hot indexes of a server). A command that reads once through the data —
// the accounting export — gains nothing from a large cache and keeps its memory small with a
// small one. PostgreSQL ignores it.
func WithPageCache(kib int) Option { return func(db *DB) { db.cacheKiB = kib } }

// Open opens the database named by databaseURL, or the SQLite file in dataDir when the URL is
// empty, and applies pending migrations.
func Open(ctx context.Context, databaseURL, dataDir string, opts ...Option) (*DB, error) {
	var probe DB // the options, read before anything is opened or created
	for _, o := range opts {
		o(&probe)
	}
	var db *DB
	var err error
	switch {
	case databaseURL == "":
		db, err = openSQLite(dataDir, probe.existing, probe.cacheKiB)
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		db, err = openPostgres(databaseURL)
	default:
		return nil, fmt.Errorf("database url: only postgres:// URLs are supported (leave it empty for SQLite)")
	}
	if err != nil {
		return nil, err
	}
	db.log = slog.New(slog.DiscardHandler)
	db.reindexDropAt = 10 * rebuildBatch
	for _, o := range opts {
		o(db)
	}
	if db.existing {
		if err := db.checkExists(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// A bulk load that was interrupted left indexes to rebuild; one still running in another
	// process is left to finish its work.
	if err := db.finishInterruptedBulkLoad(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// An index written by an older search.Document is rewritten.
	if err := db.ensureSearchIndex(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Customers from before duplicate detection get its name key (duplicates_scan.go).
	if err := db.fillDuplicateNameKeys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkExists refuses a database without Clientela's tables (an empty SQLite file, a
// PostgreSQL database or schema nobody migrated) rather than letting migrate create them.
func (db *DB) checkExists(ctx context.Context) error {
	var n int
	if err := db.write.QueryRowContext(ctx, db.d.tablesExistSQL()).Scan(&n); err != nil {
		return fmt.Errorf("look for Clientela's tables: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("%w: the %s database has no Clientela tables", ErrNoDatabase, db.d.name)
	}
	return nil
}

// Backend names the database in use: "sqlite" or "postgres".
func (db *DB) Backend() string { return db.d.name }

// SQL gives the write pool to tools that need bare SQL (the bench command, tests).
func (db *DB) SQL() *sql.DB { return db.write }

// ReadSQL gives the read pool.
func (db *DB) ReadSQL() *sql.DB { return db.read }

// Rebind turns a query written with ? placeholders into the backend's form.
func (db *DB) Rebind(q string) string { return db.d.rebind(q) }

// Close closes the pools.
func (db *DB) Close() error {
	if db.loading != nil {
		_ = db.loading.release() // closing the pool ends the lease anyway
		db.loading = nil
	}
	db.readStmts.close()
	db.writeStmts.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Write runs fn in a read-write transaction. On SQLite, fn may share the transaction with
// other writers' functions (group commit), each isolated by a savepoint: fn sees what the
// earlier ones wrote, and its own failure undoes only its own work.
func (db *DB) Write(ctx context.Context, fn func(app.Tx) error) error {
	if db.group != nil {
		return db.writeGrouped(ctx, fn)
	}
	return db.run(ctx, fn)
}

// Read runs fn in a read-only transaction on the read pool: every statement fn runs sees
// the same snapshot of the database, and none can write. SQLite: a deferred transaction on
// a query_only connection (WAL gives it a snapshot from its first read on). PostgreSQL:
// REPEATABLE READ READ ONLY, whose snapshot is taken at its first statement.
func (db *DB) Read(ctx context.Context, fn func(app.Tx) error) (err error) {
	sqlTx, err := db.read.BeginTx(ctx, db.readOpts)
	if err != nil {
		return fmt.Errorf("begin read transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&tx{tx: sqlTx, d: db.d, stmts: db.readStmts}); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("end read transaction: %w", err)
	}
	db.readStmts.prepareWanted(ctx)
	return nil
}

// ReadOne runs fn, which runs a single statement, on the read pool without a transaction:
// one statement sees one snapshot on its own, and BEGIN and COMMIT would cost a lookup more
// than the statement itself (two more round trips on PostgreSQL). The pool's connections
// cannot write. A second statement is a bug in the caller: it panics.
func (db *DB) ReadOne(ctx context.Context, fn func(app.Tx) error) error {
	if err := fn(&tx{pool: db.read, d: db.d, stmts: db.readStmts}); err != nil {
		return err
	}
	db.readStmts.prepareWanted(ctx)
	return nil
}

func (db *DB) run(ctx context.Context, fn func(app.Tx) error) (err error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	t := &tx{tx: sqlTx, d: db.d, stmts: db.writeStmts}
	if err := fn(t); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.writeStmts.prepareWanted(ctx)
	if t.scrubWAL {
		db.scrubWAL(ctx)
	}
	return nil
}

// tx implements app.Tx over one SQL transaction: read-write (Write) or read-only (Read).
type tx struct {
	tx *sql.Tx
	// pool: ReadOne's single statement runs here, tx being nil; ran tells it has run.
	pool  *sql.DB
	ran   bool
	d     *dialect
	stmts *stmtCache // prepared statements of the pool tx runs on; nil: run statements unprepared
	// local: statements a long read runs again and again, prepared on this transaction
	// (queryRepeated); closed with it.
	local map[string]*sql.Stmt
	// scrubWAL: the transaction removed personal data (SQLite); once it commits, the
	// write-ahead log, which still holds the pages as they were, is emptied (db.scrubWAL).
	scrubWAL bool
}

// statement returns the cached prepared form of q, bound to this transaction (on a
// connection where it was prepared before, database/sql reuses it), or nil to run q as it is.
func (t *tx) statement(ctx context.Context, q string) *sql.Stmt {
	st := t.stmts.get(q)
	if st == nil || t.tx == nil {
		return st
	}
	return t.tx.StmtContext(ctx, st)
}

// on returns where q runs: the transaction, or ReadOne's pool the first time.
func (t *tx) on(q string) interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
} {
	if t.tx != nil {
		return t.tx
	}
	if t.ran {
		panic("sqlstore: a second statement inside ReadOne (use Read): " + q)
	}
	t.ran = true
	return t.pool
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.d.rebind(q)
	on := t.on(q)
	if st := t.statement(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return on.ExecContext(ctx, q, args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = t.d.rebind(q)
	on := t.on(q)
	if st := t.statement(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return on.QueryContext(ctx, q, args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = t.d.rebind(q)
	on := t.on(q)
	if st := t.statement(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return on.QueryRowContext(ctx, q, args...)
}

// scrubWAL copies the write-ahead log into the database file and truncates it (SQLite), so
// that the page versions from before a delete, which secure_delete cannot reach there, leave
// the data directory at once. It waits for readers still using the log (busy_timeout); if
// they hold it longer, the pages leave at the next checkpoint, and an operator is told. The
// delete itself has committed either way, so a failure here is logged, not returned.
func (db *DB) scrubWAL(ctx context.Context) {
	var busy, logPages, done int
	err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done)
	switch {
	case err != nil:
		db.log.WarnContext(ctx, "emptying the write-ahead log after removing a customer's data failed; the old pages stay in it until the next checkpoint",
			slog.Any("error", err))
	case busy != 0:
		db.log.WarnContext(ctx, "readers kept the write-ahead log busy after a customer's data was removed; the old pages stay in it until the next checkpoint")
	}
}
