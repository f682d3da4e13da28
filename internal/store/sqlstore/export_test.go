package sqlstore

import (
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// SetSearchWindow makes PostgreSQL searches check only n rows in order before using the
// index, so that tests with a few rows go down both roads.
func SetSearchWindow(db *DB, n int) {
	if pg, ok := db.d.backend.(*postgresBackend); ok {
		pg.window = n
	}
}

// FeedWithHeartbeat returns db's change feed with a shorter heartbeat, for tests.
func FeedWithHeartbeat(db *DB, every time.Duration) app.ChangeFeed {
	return &pgChangeFeed{url: db.url, pool: db.write, every: every}
}

// ErrFeedSilent is errFeedSilent, for tests.
var ErrFeedSilent = errFeedSilent

// WithReindexDropAt sets how many customers make a PostgreSQL re-index rebuild the GIN index
// instead of updating it, so tests can take that road with a few rows.
func WithReindexDropAt(n int64) Option { return func(db *DB) { db.reindexDropAt = n } }

// ChangeChannel is the PostgreSQL channel of a schema's changes, for tests.
func ChangeChannel(schema string) string { return changeChannel(schema) }

// SQLiteFeedTuning changes how an SQLite change feed learns of commits, for tests.
type SQLiteFeedTuning struct {
	SafetyPoll   time.Duration // with file events; 0 for the default
	NoFileEvents bool          // poll fast, as where the system reports no writes
	Deaf         bool          // watch the files but hear nothing, as on a filesystem that reports no writes
	MissedAfter  time.Duration // a commit found this long after a write event means events are missed; 0 for the default
}

// SQLiteFeed returns db's change feed, tuned.
func SQLiteFeed(db *DB, t SQLiteFeedTuning) app.ChangeFeed {
	f := db.ChangeFeed().(*sqliteChangeFeed)
	if t.SafetyPoll > 0 {
		f.safety = t.SafetyPoll
	}
	if t.MissedAfter > 0 {
		f.missed = t.MissedAfter
	}
	f.noFiles, f.deaf = t.NoFileEvents, t.Deaf
	return f
}

// SQLitePath is the database file of an SQLite store.
func SQLitePath(db *DB) string { return db.path }

// SQLiteSettle is how long the SQLite feed keeps looking after a write, and after it starts.
const SQLiteSettle = sqliteSettle

// ScanCustomer reads a row of customerColumns, for benchmarks.
func ScanCustomer(s interface{ Scan(...any) error }) (domain.Customer, error) { return scanCustomer(s) }

// MailDueSQL and ClaimSQL are the outbox's statements, for their query plans.
const MailDueSQL = mailDueSQL

func ClaimSQL(db *DB) string { return db.Rebind(claimSQL(db.d)) }
