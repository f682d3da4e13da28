package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

// memberCountingStore counts the groups whose members reach a count in the database.
type memberCountingStore struct {
	app.Store
	counts *atomic.Int64
}

func (s memberCountingStore) wrap(fn func(app.Tx) error) func(app.Tx) error {
	return func(tx app.Tx) error { return fn(memberCountingTx{tx, s.counts}) }
}

func (s memberCountingStore) Write(ctx context.Context, fn func(app.Tx) error) error {
	return s.Store.Write(ctx, s.wrap(fn))
}

func (s memberCountingStore) Read(ctx context.Context, fn func(app.Tx) error) error {
	return s.Store.Read(ctx, s.wrap(fn))
}

func (s memberCountingStore) ReadOne(ctx context.Context, fn func(app.Tx) error) error {
	return s.Store.ReadOne(ctx, s.wrap(fn))
}

type memberCountingTx struct {
	app.Tx
	counts *atomic.Int64
}

func (t memberCountingTx) GroupMemberCount(ctx context.Context, id string) (int64, error) {
	t.counts.Add(1)
	return t.Tx.GroupMemberCount(ctx, id)
}

func (t memberCountingTx) GroupMemberCounts(ctx context.Context, ids []string) (map[string]int64, error) {
	t.counts.Add(int64(len(ids)))
	return t.Tx.GroupMemberCounts(ctx, ids)
}

// TestRegisterCountsNoGroupMembers: the register, its live search and group filter, and the
// customer form (shown and saved with a group) count no group's members: at a million
// customers each count walks a group's whole index, on every keystroke. The groups page,
// which shows the counts, does.
func TestRegisterCountsNoGroupMembers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			var counts atomic.Int64
			db := testdb.Open(t, b)
			fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
			a := app.New(app.Config{Store: memberCountingStore{db, &counts}, PasswordParams: &fast})
			h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			e := &env{t: t, url: srv.URL, app: a, db: db, ids: map[domain.Role]string{}}
			ctx := context.Background()
			if _, err := a.AddUser(ctx, app.System(), string(domain.RoleAdmin), domain.RoleAdmin, testPassword); err != nil {
				t.Fatal(err)
			}
			g, err := a.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("VIP")})
			if err != nil {
				t.Fatal(err)
			}
			c, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
				FirstName: domain.Some("Ana"), LastName: domain.Some("Sanz"), GroupID: domain.Some(g.ID)})
			if err != nil {
				t.Fatal(err)
			}
			br := e.loggedIn(domain.RoleAdmin)
			counts.Store(0)
			for _, path := range []string{"/customers", "/customers?group_id=" + g.ID, "/customers?q=sanz&fragment=rows",
				"/customers?q=sanz&group_id=" + g.ID, "/customers/new", "/customers/" + c.ID} {
				if res := br.get(path); res.status != http.StatusOK {
					t.Fatalf("GET %s: %d", path, res.status)
				}
			}
			if n := counts.Load(); n != 0 {
				t.Errorf("the register's pages counted the members of %d groups, want none", n)
			}
			if res := br.get("/groups"); res.status != http.StatusOK {
				t.Fatalf("GET /groups: %d", res.status)
			}
			if counts.Load() == 0 {
				t.Error("the groups page counted no members")
			}
		})
	}
}
