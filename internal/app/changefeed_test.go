package app_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// fakeFeed is a change feed the test drives: it reports the topics sent to it, breaks when
// told, and after the first Watch waits for resume before listening again.
type fakeFeed struct {
	topics  chan app.Topic
	handled chan struct{}
	fail    chan error
	up      chan struct{}
	resume  chan struct{}
	watches atomic.Int64
}

func newFakeFeed() *fakeFeed {
	return &fakeFeed{topics: make(chan app.Topic), handled: make(chan struct{}), fail: make(chan error),
		up: make(chan struct{}, 8), resume: make(chan struct{})}
}

func (f *fakeFeed) Watch(ctx context.Context, ready func(), changed func(app.Topic)) error {
	if f.watches.Add(1) > 1 {
		select {
		case <-f.resume:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ready()
	f.up <- struct{}{}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-f.fail:
			return err
		case topic := <-f.topics:
			changed(topic)
			f.handled <- struct{}{}
		}
	}
}

// send reports a change and waits until the app has handled it.
func (f *fakeFeed) send(t *testing.T, topic app.Topic) {
	t.Helper()
	select {
	case f.topics <- topic:
	case <-time.After(10 * time.Second):
		t.Fatalf("the feed is not being watched (sending %q)", topic)
	}
	within(t, "the change is handled", f.handled)
}

func within(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: not within 10 s", what)
	}
}

// countingStore counts the reads that reach the database.
type countingStore struct {
	app.Store
	reads atomic.Int64
}

func (s *countingStore) Read(ctx context.Context, fn func(app.Tx) error) error {
	s.reads.Add(1)
	return s.Store.Read(ctx, fn)
}

func (s *countingStore) ReadOne(ctx context.Context, fn func(app.Tx) error) error {
	s.reads.Add(1)
	return s.Store.ReadOne(ctx, fn)
}

// TestCachesFollowTheFeed: API tokens and barcode lookups are cached only while the change
// feed listens; a change on a topic empties the cache it may have made stale (an unknown
// topic both); this process's own changes hold at once; a broken feed stops caching until
// WatchChanges has listened again.
func TestCachesFollowTheFeed(t *testing.T) {
	store := &countingStore{Store: testdb.Open(t, testdb.Backend{Name: "sqlite"})}
	feed := newFakeFeed()
	a := app.New(app.Config{Store: store, Changes: feed, PasswordParams: &fast})
	ctx, sys := context.Background(), app.System()
	till, err := a.AddUser(ctx, sys, "till", domain.RoleCashier, password)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := a.CreateAPIToken(ctx, sys, "till", "till 1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
		FirstName: domain.Some("Ana"), LastName: domain.Some("Mora"), Reference: domain.Some("CARD-1")})
	if err != nil {
		t.Fatal(err)
	}
	token := func(secret string) func() {
		return func() {
			if _, err := a.AuthenticateToken(ctx, secret); err != nil {
				t.Fatalf("token: %v", err)
			}
		}
	}
	lookup := func() {
		if _, err := a.CustomerByReference(ctx, sys, "CARD-1"); err != nil {
			t.Fatalf("lookup: %v", err)
		}
	}
	reads := func(what string, want int64, fns ...func()) {
		t.Helper()
		before := store.reads.Load()
		for _, fn := range fns {
			fn()
		}
		if got := store.reads.Load() - before; got != want {
			t.Errorf("%s: %d database reads, want %d", what, got, want)
		}
	}

	reads("tokens before the feed listens", 2, token(secret), token(secret))
	reads("lookups before the feed listens", 2, lookup, lookup)

	watchCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.WatchChanges(watchCtx); close(done) }()
	defer func() { stop(); <-done }()
	within(t, "the feed listens", feed.up)
	reads("tokens while the feed listens", 1, token(secret), token(secret))
	reads("lookups while the feed listens", 1, lookup, lookup)

	feed.send(t, app.TopicCustomers)
	reads("a token after a customer changed", 0, token(secret))
	reads("lookups after a customer changed", 1, lookup, lookup)
	feed.send(t, app.TopicAccess)
	reads("tokens after an access change", 1, token(secret), token(secret))
	reads("a lookup after an access change", 0, lookup)
	feed.send(t, "something new")
	reads("tokens and lookups after a change of an unknown topic", 2, token(secret), lookup, token(secret), lookup)

	// This process's own changes hold at once, before any echo from the feed.
	if err := a.SetUserRole(ctx, sys, till.ID, domain.RoleManager); err != nil {
		t.Fatal(err)
	}
	if p, err := a.AuthenticateToken(ctx, secret); err != nil || p.Role != domain.RoleManager {
		t.Errorf("token after a role change: %+v %v", p, err)
	}
	if _, err := a.UpdateCustomer(ctx, sys, c.ID, domain.IfVersion(c.Version), domain.CustomerChanges{FirstName: domain.Some("Anabel")}); err != nil {
		t.Fatal(err)
	}
	if got, err := a.CustomerByReference(ctx, sys, "CARD-1"); err != nil || got.FirstName != "Anabel" {
		t.Errorf("lookup after an update: %q %v", got.FirstName, err)
	}
	p, _ := a.AuthenticateToken(ctx, secret)
	if err := a.RevokeAPIToken(ctx, sys, p.TokenID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AuthenticateToken(ctx, secret); domain.ErrorCode(err) != domain.CodeUnauthenticated {
		t.Errorf("revoked token: %v", err)
	}

	// The feed breaks: nothing is cached until it listens again; then caching resumes.
	second, err := a.CreateAPIToken(ctx, sys, "till", "till 2")
	if err != nil {
		t.Fatal(err)
	}
	reads("a token while the feed listens", 1, token(second), token(second))
	select {
	case feed.fail <- context.DeadlineExceeded:
	case <-time.After(10 * time.Second):
		t.Fatal("the feed is not being watched")
	}
	eventually(t, "caching stops", func() bool { return !a.LookupCacheLive() })
	reads("tokens while the feed is down", 2, token(second), token(second))
	reads("lookups while the feed is down", 2, lookup, lookup)
	close(feed.resume)
	within(t, "the feed listens again", feed.up)
	reads("tokens once the feed is back", 1, token(second), token(second))
	reads("lookups once the feed is back", 1, lookup, lookup)
}

// feedLog counts the times the change feed started listening, from the app's log, and keeps
// what it logged, for a failing test to show.
type feedLog struct {
	listening atomic.Int64
	mu        sync.Mutex
	lines     []string
}

func (h *feedLog) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.lines, "\n")
}

func (h *feedLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *feedLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *feedLog) WithGroup(string) slog.Handler            { return h }
func (h *feedLog) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "change feed listening") {
		h.listening.Add(1)
	}
	line := r.Time.Format("15:04:05.000 ") + r.Message
	r.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
	h.mu.Lock()
	h.lines = append(h.lines, line)
	h.mu.Unlock()
	return nil
}

// TestCachesFollowOtherServers runs two servers' apps on one database (an SQLite folder, a
// PostgreSQL schema): the first caches API tokens and barcode lookups, and every change the
// second makes reaches it; when its feed breaks, it listens again.
func TestCachesFollowOtherServers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			b := testdb.Prepare(t, b)
			open := func() *sqlstore.DB {
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			db1, db2 := open(), open()
			log := &feedLog{}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("the first server's log:\n%s", log)
				}
			})
			a1 := app.New(app.Config{Store: db1, Changes: db1.ChangeFeed(), Logger: slog.New(log), PasswordParams: &fast})
			a2 := app.New(app.Config{Store: db2, PasswordParams: &fast})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go a1.WatchChanges(ctx)
			eventually(t, "the change feed listens", a1.LookupCacheLive)
			sys := app.System()

			c, err := a2.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
				FirstName: domain.Some("Ana"), LastName: domain.Some("Mora"), Reference: domain.Some("4006381333931")})
			if err != nil {
				t.Fatal(err)
			}
			lookup := func() (domain.Customer, error) { return a1.CustomerByReference(ctx, sys, "4006381333931") }
			if got, err := lookup(); err != nil || got.FirstName != "Ana" {
				t.Fatalf("first lookup: %v, %v", got.FirstName, err)
			}

			// The cache is used: a change made behind the feed's back is not seen. (Retried:
			// the creation's announcement may still be on its way, and empty the cache after
			// the first lookup; the second would then cache "Unseen", which nothing announced
			// would ever clear. So each try starts by writing "Ana" through the first server,
			// which empties its own cache as every write of its does.)
			setName := func(name string) {
				mustExec(t, db2, db2.Rebind("UPDATE customers SET first_name = ? WHERE id = ?"), name, c.ID)
			}
			unannounced(t, db2, "customers", func() {
				eventually(t, "a lookup is served from the cache", func() bool {
					if _, err := a1.UpdateCustomer(ctx, sys, c.ID, domain.IfAnyVersion(), domain.CustomerChanges{FirstName: domain.Some("Ana")}); err != nil {
						t.Fatal(err)
					}
					if got, _ := lookup(); got.FirstName != "Ana" {
						return false
					}
					setName("Unseen")
					got, _ := lookup()
					return got.FirstName == "Ana"
				})
				setName("Ana")
			})

			// A change through the other server reaches this one. (The version read again: a
			// retry above wrote "Ana" over "Unseen" through the first server, a new version.)
			cur, err := a2.Customer(ctx, sys, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a2.UpdateCustomer(ctx, sys, c.ID, domain.IfVersion(cur.Version), domain.CustomerChanges{FirstName: domain.Some("Anabel")}); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the update is seen", func() bool { got, _ := lookup(); return got.FirstName == "Anabel" })
			// So does a deletion: the card no longer finds anyone.
			if err := a2.DeleteCustomer(ctx, sys, c.ID); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the deletion is seen", func() bool { _, err := lookup(); return domain.ErrorCode(err) == domain.CodeNotFound })

			// Tokens: a role change, disabling the user and revoking the token on the other
			// server hold here.
			till, err := a2.AddUser(ctx, sys, "till", domain.RoleCashier, password)
			if err != nil {
				t.Fatal(err)
			}
			secret, err := a2.CreateAPIToken(ctx, sys, "till", "till 1")
			if err != nil {
				t.Fatal(err)
			}
			role := func() domain.Role { p, _ := a1.AuthenticateToken(ctx, secret); return p.Role }
			eventually(t, "the token works", func() bool { return role() == domain.RoleCashier })
			if err := a2.SetUserRole(ctx, sys, till.ID, domain.RoleManager); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the role change is seen", func() bool { return role() == domain.RoleManager })
			if err := a2.SetUserDisabled(ctx, sys, till.ID, true); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the disabled user is refused", func() bool { return role() == "" })
			if err := a2.SetUserDisabled(ctx, sys, till.ID, false); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the enabled user is let in", func() bool { return role() == domain.RoleManager })
			p, _ := a1.AuthenticateToken(ctx, secret)
			if err := a2.RevokeAPIToken(ctx, sys, p.TokenID); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the revoked token is refused", func() bool { return role() == "" })

			// A change made as a replication replica (pg_restore --disable-triggers, logical
			// replication) is heard too.
			if b.Name == "postgres" {
				e, err := a2.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
					FirstName: domain.Some("Eva"), LastName: domain.Some("Gil"), Reference: domain.Some("CARD-3")})
				if err != nil {
					t.Fatal(err)
				}
				eventually(t, "the new card is found", func() bool { _, err := a1.CustomerByReference(ctx, sys, "CARD-3"); return err == nil })
				replica, err := db2.SQL().Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, q := range []string{"SET session_replication_role = replica", "DELETE FROM customers WHERE id = '" + e.ID + "'", "RESET session_replication_role"} {
					if _, err := replica.ExecContext(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				replica.Close()
				eventually(t, "a replica's deletion is seen", func() bool {
					_, err := a1.CustomerByReference(ctx, sys, "CARD-3")
					return domain.ErrorCode(err) == domain.CodeNotFound
				})
			}

			// The feed breaks; it listens again (the log says so twice), and changes after
			// that are heard.
			breakFeed(t, db2, a1)
			eventually(t, "the feed listens again", func() bool { return log.listening.Load() >= 2 && a1.LookupCacheLive() })
			d, err := a2.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
				FirstName: domain.Some("Luis"), LastName: domain.Some("Sanz"), Reference: domain.Some("CARD-2")})
			if err != nil {
				t.Fatal(err)
			}
			eventually(t, "a new card is found", func() bool {
				got, err := a1.CustomerByReference(ctx, sys, "card-2")
				return err == nil && got.ID == d.ID
			})
			if _, err := a2.UpdateCustomer(ctx, sys, d.ID, domain.IfVersion(d.Version), domain.CustomerChanges{FirstName: domain.Some("Luisa")}); err != nil {
				t.Fatal(err)
			}
			eventually(t, "a change after listening again is seen", func() bool {
				got, _ := a1.CustomerByReference(ctx, sys, "CARD-2")
				return got.FirstName == "Luisa"
			})
		})
	}
}

// unannounced runs fn with the triggers that announce changes to table switched off.
func unannounced(t *testing.T, db *sqlstore.DB, table string, fn func()) {
	t.Helper()
	if db.Backend() == "postgres" {
		mustExec(t, db, "ALTER TABLE "+table+" DISABLE TRIGGER "+table+"_notify_change")
		fn()
		mustExec(t, db, "ALTER TABLE "+table+" ENABLE ALWAYS TRIGGER "+table+"_notify_change") // as migration 0007 left it
		return
	}
	// SQLite cannot switch a trigger off: drop it and make it again.
	rows, err := db.SQL().Query("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? AND name LIKE ?", table, table+"_changed_%")
	if err != nil {
		t.Fatal(err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if len(names) == 0 {
		t.Fatalf("no trigger announces changes to %s", table)
	}
	for _, name := range names {
		mustExec(t, db, "DROP TRIGGER "+name)
	}
	fn()
	for _, def := range defs {
		mustExec(t, db, def)
	}
}

// breakFeed breaks a's change feed and waits until a has noticed (caching stops).
func breakFeed(t *testing.T, db *sqlstore.DB, a *app.App) {
	t.Helper()
	if db.Backend() == "postgres" {
		// The feed's connection dies. (Its channel is named after the schema.)
		mustExec(t, db, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN %' || current_schema() || '%'`)
		return
	}
	// The counters cannot be read until they are back (renaming the table renames it in
	// the triggers too).
	mustExec(t, db, "ALTER TABLE change_counters RENAME TO change_counters_away")
	eventually(t, "the feed notices it cannot read the counters", func() bool { return !a.LookupCacheLive() })
	mustExec(t, db, "ALTER TABLE change_counters_away RENAME TO change_counters")
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("%s: not within 10 s", what)
}

func mustExec(t *testing.T, db *sqlstore.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
