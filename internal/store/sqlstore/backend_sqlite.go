package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteBackend is SQLite: one file, one writer at a time. Search is an FTS5 table beside
// customers with a vocabulary of long words (sqlitesearch.go); the change feed watches the
// database's files (sqlitefeed*.go); the bulk-load lease is a lock on a file beside the
// database (loadlock_*.go).
type sqliteBackend struct{}

func sqliteDialect() *dialect {
	insert, update := customerStatements(false)
	return &dialect{name: "sqlite", customerInsert: insert, customerUpdate: update,
		rebind: func(q string) string { return q }, backend: sqliteBackend{}}
}

// sqliteCacheSize is each SQLite connection's page cache: 128 MiB (negative: in KiB), enough
// for the hot part of the indexes of a million customers.
const sqliteCacheSize = "-131072"

func openSQLite(dataDir string, existing bool, cacheKiB int) (*DB, error) {
	if dataDir == "" {
		dataDir = "data"
	}
	path, err := filepath.Abs(filepath.Join(dataDir, SQLiteFile))
	if err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if existing {
		// Checked before the driver opens the file: opening creates it.
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s does not exist", ErrNoDatabase, path)
		} else if err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	} else if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// WAL with synchronous=FULL: a commit is on disk when it returns, and readers never block
	// the writer. busy_timeout covers other processes (the CLI while the server runs).
	cache := sqliteCacheSize
	if cacheKiB > 0 {
		cache = strconv.Itoa(-cacheKiB)
	}
	// busy_timeout comes first in each DSN: the pragmas run in order, and switching a new
	// file to WAL while another process opens it too must wait rather than fail at once.
	common := "_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=cache_size(" + cache + ")&_pragma=temp_store(memory)"
	// secure_delete: a deleted customer's bytes are overwritten, not left in free pages.
	write, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=secure_delete(1)&_txlock=immediate&"+common)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// The first connection switches the file to WAL before readers open it.
	if err := pingWhileBusy(write); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&"+common)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(0)
	read.SetConnMaxLifetime(0)
	return &DB{d: sqliteDialect(), write: write, read: read, readStmts: newStmtCache(read), writeStmts: newStmtCache(write), path: path,
		group:    &groupCommit{},
		readOpts: &sql.TxOptions{ReadOnly: true}}, nil
}

// ts: microseconds since the epoch in an INTEGER (8 bytes, where text would take 30).
func (sqliteBackend) ts(t time.Time) any { return t.UnixMicro() }

func (sqliteBackend) document(c *domain.Customer) string { return c.SearchDocument() }

// docArgs: the document lives only in the full-text table.
func (sqliteBackend) docArgs(string) []any { return nil }

// phoneKeyExpr: the index of migration 0005.
func (sqliteBackend) phoneKeyExpr() string {
	return "substr(c.phone, 1, instr(c.phone || ';', ';') - 1)"
}

// purgeSQL: SQLite writes one transaction at a time, so nothing is locked by another.
func (sqliteBackend) purgeSQL(table, _, cond string) string {
	return "DELETE FROM " + table + " WHERE " + cond
}

func (sqliteBackend) tablesExistSQL() string {
	return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
}

// lockMigrations: each migration's immediate transaction takes the write lock.
func (sqliteBackend) lockMigrations(context.Context, *sql.Conn) (func(), error) {
	return func() {}, nil
}

// lockUsers: SQLite runs one write transaction at a time already.
func (sqliteBackend) lockUsers(context.Context, *tx) error { return nil }

// skipLocked: SQLite has no row locks; one write transaction at a time claims.
func (sqliteBackend) skipLocked() string { return "" }

// lockReindex: the rebuild's transaction holds the write lock.
func (sqliteBackend) lockReindex(context.Context, *tx) error { return nil }

// indexSearch adds a customer to the full-text table and its words to the vocabulary.
func (sqliteBackend) indexSearch(ctx context.Context, t *tx, seq int64, doc string) error {
	if _, err := t.exec(ctx, "INSERT INTO customer_search (rowid, doc) VALUES (?, ?)", seq, doc); err != nil {
		return fmt.Errorf("index customer for search: %w", err)
	}
	for _, w := range vocabularyWords(doc) {
		if _, err := t.exec(ctx, "INSERT OR IGNORE INTO customer_search_words (word) VALUES (?)", w); err != nil {
			return fmt.Errorf("index customer for search: %w", err)
		}
	}
	return nil
}

// reindexSearch replaces a customer's search document when it changed.
func (b sqliteBackend) reindexSearch(ctx context.Context, t *tx, seq int64, doc string) error {
	oldDoc, err := indexedDoc(ctx, t, seq)
	if err != nil || oldDoc == doc {
		return err
	}
	if err := removeDoc(ctx, t, seq, oldDoc); err != nil {
		return err
	}
	return b.indexSearch(ctx, t, seq, doc)
}

func (sqliteBackend) unindexSearch(ctx context.Context, t *tx, seq int64) error {
	oldDoc, err := indexedDoc(ctx, t, seq)
	if err != nil {
		return err
	}
	return removeDoc(ctx, t, seq, oldDoc)
}

// indexedDoc is the search document the full-text table holds for a customer: the very
// words to remove, whatever version of the code wrote them.
func indexedDoc(ctx context.Context, t *tx, seq int64) (string, error) {
	var doc string
	err := t.queryRow(ctx, "SELECT doc FROM customer_search WHERE rowid = ?", seq).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read search document: %w", err)
	}
	return doc, nil
}

// removeDoc removes a customer's document oldDoc from the full-text table, and from the
// vocabulary the words nobody else has. The table runs in FTS5's secure-delete mode
// (migration 0004), so the words leave the index's pages at once instead of waiting behind a
// tombstone for a merge, and the database overwrites what it frees (secure_delete); the
// transaction asks for the write-ahead log to be emptied after its commit (db.run), which
// would otherwise keep the old pages.
func removeDoc(ctx context.Context, t *tx, seq int64, oldDoc string) error {
	t.scrubWAL = true
	if _, err := t.exec(ctx, "DELETE FROM customer_search WHERE rowid = ?", seq); err != nil {
		return fmt.Errorf("remove customer from search: %w", err)
	}
	for _, w := range vocabularyWords(oldDoc) {
		var other int64
		err := t.queryRow(ctx, "SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT 1", quoteFTS(w)).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := t.exec(ctx, "DELETE FROM customer_search_words WHERE word = ?", w); err != nil {
				return fmt.Errorf("remove customer from search: %w", err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("remove customer from search: %w", err)
		}
	}
	return nil
}

// tierQueries: Pos holds the whole FTS5 expression, Neg included.
func (sqliteBackend) tierQueries(ctx context.Context, t *tx, terms []string) ([3]search.TierQuery, error) {
	exprs, err := t.ftsTierQueries(ctx, terms)
	var out [3]search.TierQuery
	for i, e := range exprs {
		out[i] = search.TierQuery{Pos: e, OK: e != ""}
	}
	return out, err
}

func (sqliteBackend) matchTier(ctx context.Context, t *tx, groupID string, q search.TierQuery, after int64, limit int) ([]domain.Customer, error) {
	sql, args := ftsTierSQL(q.Pos, groupID, after, limit)
	return t.scanCustomers(t.query(ctx, sql, args...))
}

func (sqliteBackend) firstPageSQL(groupID string, q search.TierQuery, limit int) (string, []any) {
	return ftsTierSQL(q.Pos, groupID, 0, limit)
}

// sqliteSearchTable creates SQLite's full-text table as migration 0004 left it.
var sqliteSearchTable = []string{
	"CREATE VIRTUAL TABLE customer_search USING fts5 (doc, tokenize = 'ascii', prefix = '3 4 5')",
	"INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1)",
}

// ftsGather and ftsMerge switch the full-text index between gathering a batch's postings
// into one segment per commit without merging (loads, rebuilds) and its usual merging.
var (
	ftsGather = []string{"INSERT INTO customer_search (customer_search, rank) VALUES ('automerge', 0)",
		"INSERT INTO customer_search (customer_search, rank) VALUES ('crisismerge', 200)"}
	ftsMerge = []string{"INSERT INTO customer_search (customer_search, rank) VALUES ('automerge', 4)",
		"INSERT INTO customer_search (customer_search, rank) VALUES ('crisismerge', 16)"}
)

// rebuildSearchSteps: a table that keeps its documents has no 'delete-all'; deleting them
// one by one in secure-delete mode would rewrite the index's pages a million times. A new
// table is empty at once, and the old one's pages are overwritten as they are freed. As in a
// bulk load, segments gather without merging, and are merged once at the end (the
// 'optimize' of afterReindexSteps).
func (sqliteBackend) rebuildSearchSteps(bool) (setup, teardown []string) {
	setup = append([]string{"DROP TABLE customer_search"}, sqliteSearchTable...)
	setup = append(setup, ftsGather...)
	setup = append(setup, "DELETE FROM customer_search_words")
	return setup, ftsMerge
}

// rewriteDocuments writes the batch into the full-text table, gathering the vocabulary's
// words in words.
func (b sqliteBackend) rewriteDocuments(ctx context.Context, t *tx, batch []domain.Customer, words map[string]struct{}) error {
	for i := range batch {
		doc := b.document(&batch[i])
		if _, err := t.exec(ctx, "INSERT INTO customer_search (rowid, doc) VALUES (?, ?)", batch[i].Seq, doc); err != nil {
			return fmt.Errorf("rewrite search documents: %w", err)
		}
		for _, w := range vocabularyWords(doc) {
			words[w] = struct{}{}
		}
	}
	return nil
}

// afterReindexSteps: the full-text index has as many small segments to merge as batches, and
// the write-ahead log holds the pages of the old index, which are emptied.
func (sqliteBackend) afterReindexSteps() []string {
	return []string{"INSERT INTO customer_search (customer_search) VALUES ('optimize')", "PRAGMA optimize=0x10002",
		"PRAGMA wal_checkpoint(TRUNCATE)"}
}

// bulkWords: BulkInsert adds the vocabulary's words once per batch.
func (sqliteBackend) bulkWords(doc string) []string { return vocabularyWords(doc) }

// countCustomerChange tells SQLite's change feeds that customers changed (migration 0003).
const countCustomerChange = "UPDATE change_counters SET version = version + 1 WHERE topic = 'customers'"

// bulkInsert: prepared INSERTs, the full-text rows with them, the vocabulary once at the end.
func (sqliteBackend) bulkInsert(ctx context.Context, db *DB, rows []BulkRow) error {
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

// droppedForLoadSQL: the indexes of customers and the trigger that counts each new
// customer for the change feeds.
func (sqliteBackend) droppedForLoadSQL() string {
	return `SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL
		AND ((type = 'index' AND tbl_name = 'customers') OR (type = 'trigger' AND name = 'customers_changed_insert'))`
}

// bulkLoadStarting: gather a batch's postings in memory and write one segment per commit;
// merge the segments once, in FinishBulkLoad.
func (sqliteBackend) bulkLoadStarting(ctx context.Context, t *tx) error {
	return t.execAll(ctx, "bulk load", ftsGather...)
}

// bulkLoadStarted: commits of a load need not each reach the disk (NORMAL keeps the file
// consistent after a crash, which a load interrupted this way restarts from), and copying the
// WAL back into the database less often saves copying pages that change again.
func (sqliteBackend) bulkLoadStarted(ctx context.Context, db *DB) error {
	for _, q := range []string{"PRAGMA cache_size = -1048576", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 16384"} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("start bulk load: %w", err)
		}
	}
	return nil
}

func (sqliteBackend) indexesRebuilding(context.Context, *tx) error { return nil }

// indexesRebuilt: count the customers that other processes added since the load's last
// batch, merge the full-text index into one segment and merge as usual from then on.
func (sqliteBackend) indexesRebuilt(ctx context.Context, t *tx) error {
	steps := append([]string{countCustomerChange, "INSERT INTO customer_search (customer_search) VALUES ('optimize')"}, ftsMerge...)
	return t.execAll(ctx, "bulk load", steps...)
}

func (sqliteBackend) bulkLoadFinishedSteps() []string {
	return []string{"PRAGMA optimize=0x10002", "PRAGMA cache_size = " + sqliteCacheSize,
		"PRAGMA synchronous = FULL", "PRAGMA wal_autocheckpoint = 1000", "PRAGMA wal_checkpoint(TRUNCATE)"}
}

// acquireLoadLease: a lock on a file beside the database (loadlock_unix.go).
func (sqliteBackend) acquireLoadLease(_ context.Context, db *DB, wait bool) (loadLease, bool, error) {
	return lockLoadFile(db.path+".load", wait)
}

// changeFeed: PRAGMA data_version, looked at when the database's files are written
// (sqlitefeed.go).
func (sqliteBackend) changeFeed(db *DB) app.ChangeFeed {
	return &sqliteChangeFeed{path: db.path, sqliteFeedTiming: sqliteFeedDefaults, log: db.log}
}

// pingWhileBusy opens the first connection, trying again while SQLite answers SQLITE_BUSY.
// Switching a new file to WAL takes an exclusive lock, and SQLite answers a second process
// doing the same at that moment with SQLITE_BUSY at once, without its busy handler.
func pingWhileBusy(db *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := db.Ping()
		var sqErr *sqlite.Error
		if err == nil || !errors.As(err, &sqErr) || sqErr.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
	}
}
