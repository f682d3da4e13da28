package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// What differs between SQLite and PostgreSQL lives behind one interface, backend, with one
// implementation per backend: sqliteBackend in backend_sqlite.go (helped by the sqlite*.go
// files: full-text search, change feed, load lock) and postgresBackend in backend_postgres.go
// (helped by the pg*.go files: search, vocabulary, LISTEN/NOTIFY). The rest of the package
// is shared: it calls the interface and never asks which backend it runs on. A new
// difference (invoices, ledger, outbox) is a new method of backend, written once in each of
// the two files; the compiler then points at a backend that lacks it. docs/storage.md says
// more.

// dialect is the backend a database runs on, with the values the shared code needs from it.
type dialect struct {
	name           string // "sqlite" or "postgres": the migrations' directory, DB.Backend
	customerInsert string
	customerUpdate string
	rebind         func(q string) string // ? placeholders into the backend's
	backend
}

// backend is what each database does its own way.
type backend interface {
	// ts is the stored form of a time (times.go).
	ts(t time.Time) any
	// document is the search document stored for a customer.
	document(c *domain.Customer) string
	// docArgs are the values that follow the common ones in customerStatements' INSERT and
	// UPDATE for a customer whose search document is doc (the search_doc column, or none).
	docArgs(doc string) []any
	// phoneKeyExpr is the expression of the customers_phone index, for table alias c.
	phoneKeyExpr() string
	// purgeSQL deletes the rows of table that match cond, whose key column is key.
	purgeSQL(table, key, cond string) string

	// tablesExistSQL counts 1 when the database has Clientela's tables (schema_migrations).
	tablesExistSQL() string
	// lockMigrations keeps other processes from migrating until unlock (conn runs them).
	lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// lockUsers serialises the transactions that check the last enabled admin.
	lockUsers(ctx context.Context, t *tx) error
	// skipLocked ends the SELECT of the outbox's claim: rows another transaction holds are
	// skipped rather than waited for (outbox.go).
	skipLocked() string

	// Search (app.Tx's MatchCustomers and its index).
	// indexSearch adds a new customer to the search index; reindexSearch replaces an
	// updated one's document; unindexSearch removes a deleted one.
	indexSearch(ctx context.Context, t *tx, seq int64, doc string) error
	reindexSearch(ctx context.Context, t *tx, seq int64, doc string) error
	unindexSearch(ctx context.Context, t *tx, seq int64) error
	// tierQueries returns the query of each tier of a search (search.TierQueries).
	tierQueries(ctx context.Context, t *tx, terms []string) ([3]search.TierQuery, error)
	// matchTier returns the first limit matches of a tier's query after seq after.
	matchTier(ctx context.Context, t *tx, groupID string, q search.TierQuery, after int64, limit int) ([]domain.Customer, error)
	// firstPageSQL is the statement that gives a search's first page its first rows of tier
	// query q (DB.MatchSQL).
	firstPageSQL(groupID string, q search.TierQuery, limit int) (string, []any)
	// lockReindex makes a second process wait while one rebuilds the search index.
	lockReindex(ctx context.Context, t *tx) error
	// rebuildSearchSteps surround the rewrite of every search document (rebuildSearch).
	rebuildSearchSteps(rebuildIndex bool) (setup, teardown []string)
	// rewriteDocuments writes a batch's documents again, gathering into words those of the
	// vocabulary that the statements do not add themselves.
	rewriteDocuments(ctx context.Context, t *tx, batch []domain.Customer, words map[string]struct{}) error
	// afterReindexSteps tidy up after a rebuild, on the write pool, outside its transaction.
	afterReindexSteps() []string

	// Bulk load (bulk.go).
	// bulkWords are the vocabulary words BulkInsert adds itself for a document.
	bulkWords(doc string) []string
	// bulkInsert stores rows in one transaction, the fastest way the backend has.
	bulkInsert(ctx context.Context, db *DB, rows []BulkRow) error
	// droppedForLoadSQL lists (type, name, definition) of what a load drops and remakes.
	droppedForLoadSQL() string
	// bulkLoadStarting runs in StartBulkLoad's transaction after the drops;
	// bulkLoadStarted after it, on the write pool.
	bulkLoadStarting(ctx context.Context, t *tx) error
	bulkLoadStarted(ctx context.Context, db *DB) error
	// indexesRebuilding and indexesRebuilt surround the rebuild of what the load dropped,
	// in finishBulkLoad's transaction; bulkLoadFinishedSteps run after it on the write pool.
	indexesRebuilding(ctx context.Context, t *tx) error
	indexesRebuilt(ctx context.Context, t *tx) error
	bulkLoadFinishedSteps() []string
	// acquireLoadLease takes the bulk-load lease (loadlock.go).
	acquireLoadLease(ctx context.Context, db *DB, wait bool) (lease loadLease, ok bool, err error)

	// changeFeed tells this process about committed changes (changefeed.go).
	changeFeed(db *DB) app.ChangeFeed
}

// execAll runs statements in a transaction, in order.
func (t *tx) execAll(ctx context.Context, what string, statements ...string) error {
	for _, q := range statements {
		if _, err := t.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %s: %w", what, q, err)
		}
	}
	return nil
}

// rebindDollar turns ? placeholders into $1, $2… Our SQL has no ? inside literals.
func rebindDollar(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// violation is what a constraint error was about.
type violation struct {
	unique     bool
	foreignKey bool
	name       string // column (SQLite) or constraint (PostgreSQL)
}

// constraintViolation reads a unique or foreign-key violation out of a driver error.
func constraintViolation(err error) (violation, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return violation{unique: true, name: pgErr.ConstraintName}, true
		case "23503":
			return violation{foreignKey: true, name: pgErr.ConstraintName}, true
		}
		return violation{}, false
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// "UNIQUE constraint failed: customers.reference_key"
			msg := sqErr.Error()
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				return violation{unique: true, name: strings.TrimSuffix(strings.TrimSpace(msg[i+2:]), ")")}, true
			}
			return violation{unique: true}, true
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			// ON DELETE RESTRICT reports itself as a trigger constraint.
			if strings.Contains(sqErr.Error(), "FOREIGN KEY") {
				return violation{foreignKey: true}, true
			}
		}
	}
	return violation{}, false
}
