package sqlstore_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestSQLiteFeedPolls: where the system reports no writes to files, the SQLite feed polls,
// says so, and hears another store's changes.
func TestSQLiteFeedPolls(t *testing.T) {
	t.Parallel()
	var logs logBuffer
	listener, writer := openSQLiteTwice(t, &logs)
	w := watch(t, sqlstore.SQLiteFeed(listener, sqlstore.SQLiteFeedTuning{NoFileEvents: true}))
	logs.expect(t, "change feed: polling the SQLite database")
	bump(t, writer, app.TopicCustomers)
	w.expect(t, "a customer change", app.TopicCustomers)
	bump(t, writer, app.TopicAccess)
	w.expect(t, "an access change", app.TopicAccess)
}

// openSQLiteTwice opens two stores on one fresh SQLite folder, as two server processes
// would; the first logs to logs.
func openSQLiteTwice(t *testing.T, logs *logBuffer) (*sqlstore.DB, *sqlstore.DB) {
	t.Helper()
	b := testdb.Prepare(t, testdb.Backend{Name: "sqlite"})
	open := func(opts ...sqlstore.Option) *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	return open(sqlstore.WithLogger(slog.New(slog.NewTextHandler(logs, nil)))), open()
}

// bump commits a change to topic the way the triggers of migration 0003 announce one.
func bump(t *testing.T, db *sqlstore.DB, topic app.Topic) {
	t.Helper()
	mustExec(t, db, "UPDATE change_counters SET version = version + 1 WHERE topic = '"+string(topic)+"'")
}

// logBuffer collects what a logger writes, from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// expect fails unless the log holds msg (the feed logs its mode before it is ready).
func (l *logBuffer) expect(t *testing.T, msg string) {
	t.Helper()
	if s := l.String(); !strings.Contains(s, msg) {
		t.Fatalf("the log does not say %q:\n%s", msg, s)
	}
}
