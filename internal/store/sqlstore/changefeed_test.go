package sqlstore_test

import (
	"context"
	"database/sql"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// watcher runs a change feed in the background and collects what it reports.
type watcher struct {
	topics chan app.Topic
	done   chan error
}

// watch starts feed and waits until it is ready.
func watch(t testing.TB, feed app.ChangeFeed) *watcher {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{topics: make(chan app.Topic, 1000), done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		w.done <- feed.Watch(ctx, func() { close(ready) }, func(topic app.Topic) { w.topics <- topic })
	}()
	t.Cleanup(func() {
		cancel()
		<-w.done
	})
	select {
	case <-ready:
	case err := <-w.done:
		t.Fatalf("the feed ended before it was ready: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the feed was not ready within 10 s")
	}
	return w
}

// expect waits until the feed has reported every topic in want, and fails on any other.
// Changes are heard in commit order, so a step followed by a change on another topic (a
// marker) shows that the step itself reported nothing else.
func (w *watcher) expect(t *testing.T, what string, want ...app.Topic) {
	t.Helper()
	missing := slices.Clone(want)
	deadline := time.After(10 * time.Second)
	for len(missing) > 0 {
		select {
		case topic := <-w.topics:
			i := slices.Index(missing, topic)
			if i < 0 && !slices.Contains(want, topic) {
				t.Fatalf("%s: the feed reported %q, want only %q", what, topic, want)
			}
			if i >= 0 {
				missing = slices.Delete(missing, i, i+1)
			}
		case err := <-w.done:
			t.Fatalf("%s: the feed ended: %v", what, err)
		case <-deadline:
			t.Fatalf("%s: %q not reported within 10 s", what, missing)
		}
	}
}

// openTwice opens two stores on one fresh database, as two server processes would.
func openTwice(t *testing.T, b testdb.Backend) (*sqlstore.DB, *sqlstore.DB) {
	t.Helper()
	b = testdb.Prepare(t, b)
	open := func() *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	return open(), open()
}

// TestChangeFeedTopics: the feed of one store hears the changes made through another store
// on the same database (another process), each under its topic, and nothing else.
func TestChangeFeedTopics(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			listener, writer := openTwice(t, b)
			w := watch(t, listener.ChangeFeed())
			other := app.New(app.Config{Store: writer, PasswordParams: &auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}})
			sys := app.System()
			customers, access := app.TopicCustomers, app.TopicAccess

			c, err := other.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
				FirstName: domain.Some("Ana"), LastName: domain.Some("Mora"), Reference: domain.Some("CARD-1")})
			if err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a new customer", customers)
			c, err = other.UpdateCustomer(ctx, sys, c.ID, domain.IfVersion(c.Version), domain.CustomerChanges{FirstName: domain.Some("Anabel")})
			if err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a changed customer", customers)

			u, err := other.AddUser(ctx, sys, "till", domain.RoleCashier, "a long enough password")
			if err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a new user", access)
			secret, err := other.CreateAPIToken(ctx, sys, "till", "till 1")
			if err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a new token", access)
			if err := other.SetUserRole(ctx, sys, u.ID, domain.RoleManager); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a role change", access)
			if err := other.SetUserDisabled(ctx, sys, u.ID, true); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a disabled user", access)
			if err := other.SetUserDisabled(ctx, sys, u.ID, false); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "an enabled user", access)
			if err := other.ResetPassword(ctx, sys, "till", "another long password"); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a new password", access)

			// Changes to both topics in one transaction are both heard.
			tx, err := writer.SQL().Begin()
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"UPDATE customers SET notes = notes", "UPDATE users SET language = language"} {
				if _, err := tx.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "one transaction", customers, access)

			// Recording a token's use is not a change anyone caches: the customer change
			// after it is all the feed reports.
			p, err := other.AuthenticateToken(ctx, secret)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.UpdateCustomer(ctx, sys, c.ID, domain.IfVersion(c.Version), domain.CustomerChanges{FirstName: domain.Some("Ana")}); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a token's use, then a changed customer", customers)
			var used sql.NullString
			if err := writer.SQL().QueryRow(writer.Rebind("SELECT CAST(last_used_at AS TEXT) FROM api_tokens WHERE id = ?"), p.TokenID).Scan(&used); err != nil || !used.Valid {
				t.Fatalf("the token's use was not recorded: %v %v", used, err)
			}

			// Every column of api_tokens but last_used_at is announced: a column added later
			// that changes what a token grants must be added to the triggers.
			for _, col := range tableColumns(t, writer, "api_tokens") {
				q := "UPDATE api_tokens SET " + col + " = " + col
				if b.Name == "postgres" {
					// A statement-level trigger fires without rows; an identity column only
					// takes DEFAULT.
					q = "UPDATE api_tokens SET " + col + " = DEFAULT WHERE false"
				}
				mustExec(t, writer, q)
				if col == "last_used_at" {
					mustExec(t, writer, "UPDATE customers SET notes = notes")
					w.expect(t, "last_used_at, then customers", customers)
					continue
				}
				w.expect(t, "api_tokens."+col, access)
			}

			if err := other.RevokeAPIToken(ctx, sys, p.TokenID); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a revoked token", access)
			if err := other.DeleteCustomer(ctx, sys, c.ID); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a deleted customer", customers)
			mustExec(t, writer, "DELETE FROM users WHERE username = 'till'") // and its token, by cascade
			w.expect(t, "a deleted user", access)

			// So is a bulk load's every batch (on SQLite, without the per-row trigger, which is
			// back once the load is over).
			if err := writer.StartBulkLoad(ctx); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"Eva", "Luis"} {
				if err := writer.BulkInsertCustomers(ctx, []domain.Customer{newCustomer(t, name, "Bulk")}); err != nil {
					t.Fatal(err)
				}
				w.expect(t, "a bulk load's batch", customers)
			}
			if err := writer.FinishBulkLoad(ctx); err != nil {
				t.Fatal(err)
			}
			if b.Name == "sqlite" {
				var n int
				if err := writer.SQL().QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'customers_changed_insert'").Scan(&n); err != nil || n != 1 {
					t.Fatalf("the insert trigger after a bulk load: %d %v", n, err)
				}
			}
			if _, err := other.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Ana")}); err != nil {
				t.Fatal(err)
			}
			w.expect(t, "a new customer after a bulk load", customers)
		})
	}
}

// TestChangeFeedSchemasApart: two installations in two schemas of one PostgreSQL database
// do not hear each other, whatever the length of the schema's name.
func TestChangeFeedSchemasApart(t *testing.T) {
	var b testdb.Backend
	for _, x := range testdb.Backends(t) {
		if x.Name == "postgres" {
			b = x
		}
	}
	if b.Name == "" {
		t.Skip("schemas are PostgreSQL's")
	}
	short := testdb.Open(t, b)
	// A name too long for "clientela:" and itself in a channel's 63 bytes.
	long := openSchema(t, b, "t_"+strings.Repeat("long_schema_name_", 3)+time.Now().Format("150405.000000"))
	if ch := sqlstore.ChangeChannel(currentSchema(t, long)); len(ch) > 63 || !strings.HasPrefix(ch, "clientela:") {
		t.Fatalf("channel %q", ch)
	}
	ws, wl := watch(t, short.ChangeFeed()), watch(t, long.ChangeFeed())

	mustExec(t, long, "UPDATE users SET language = language")
	mustExec(t, long, "UPDATE customers SET notes = notes")
	wl.expect(t, "the long schema's changes", app.TopicAccess, app.TopicCustomers)
	mustExec(t, short, "UPDATE customers SET notes = notes")
	ws.expect(t, "the short schema's change, and none of the other's", app.TopicCustomers)
	mustExec(t, long, "UPDATE customers SET notes = notes")
	wl.expect(t, "the long schema's change, and none of the other's", app.TopicCustomers)
}

// TestSQLiteChangeFeedEnds: the SQLite feed ends with an error when it cannot read the
// counters (so that the app stops caching and tries again), and not before.
func TestSQLiteChangeFeedEnds(t *testing.T) {
	db := testdb.Open(t, testdb.Backend{Name: "sqlite"})
	w := watch(t, db.ChangeFeed())
	mustExec(t, db, "ALTER TABLE change_counters RENAME TO change_counters_away")
	select {
	case err := <-w.done:
		if err == nil || !strings.Contains(err.Error(), "change_counters") {
			t.Errorf("the feed ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the feed did not notice it cannot read the counters")
	}
	w.done <- nil // for the cleanup
}

func tableColumns(t *testing.T, db *sqlstore.DB, table string) []string {
	t.Helper()
	q := "SELECT name FROM pragma_table_info('" + table + "')"
	if db.Backend() == "postgres" {
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '" + table + "'"
	}
	rows, err := db.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil || len(cols) < 5 {
		t.Fatalf("columns of %s: %v %v", table, cols, err)
	}
	return cols
}

func currentSchema(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	var s string
	if err := db.SQL().QueryRow("SELECT current_schema()").Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// openSchema opens a store in a new schema of the given name, dropped when the test ends.
func openSchema(t *testing.T, b testdb.Backend, schema string) *sqlstore.DB {
	t.Helper()
	admin, err := sql.Open("pgx", b.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	quoted := `"` + schema + `"`
	if _, err := admin.Exec("CREATE SCHEMA " + quoted); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", b.URL)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + quoted + " CASCADE"); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(b.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", quoted)
	u.RawQuery = q.Encode()
	db, err := sqlstore.Open(context.Background(), u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sqlstore.DB, q string) {
	t.Helper()
	if _, err := db.SQL().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
