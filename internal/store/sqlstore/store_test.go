package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// eachBackend runs fn on a fresh database of every backend.
func eachBackend(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, testdb.Open(t, b))
		})
	}
}

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 123456000, time.UTC)

func newCustomer(t testing.TB, first, last string) domain.Customer {
	t.Helper()
	c := domain.Customer{ID: uuid.Must(uuid.NewV7()).String(), Kind: domain.KindPerson, FirstName: first, LastName: last,
		CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := c.Prepare("ES"); err != nil {
		t.Fatalf("prepare: %v", err)
	}
	return c
}

func mustCreate(t testing.TB, db *sqlstore.DB, c *domain.Customer) {
	t.Helper()
	if err := db.Write(context.Background(), func(tx app.Tx) error { return tx.CreateCustomer(context.Background(), c) }); err != nil {
		t.Fatalf("create customer: %v", err)
	}
}

func TestCustomerRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newCustomer(t, "José", "Núñez")
		c.Title, c.TaxID, c.Email, c.Phone = domain.TitleMr, "12345678Z", "jose@example.com", "612 34 56 78"
		c.Address = domain.Address{Line1: "Calle Mayor 1", PostalCode: "28001", City: "Madrid", Country: "ES"}
		c.Reference, c.AccountNumber, c.Notes = "2000000000017", "43000001", "línea 1\nlínea 2"
		c.InvoiceByEmail, c.MarketingConsent, c.MarketingConsentAt, c.CreditLimitCents = true, true, &t0, 50000
		if err := c.Prepare("ES"); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, &c)
		if c.Seq == 0 {
			t.Error("seq not set on create")
		}
		var got domain.Customer
		err := db.Read(ctx, func(tx app.Tx) (err error) { got, err = tx.Customer(ctx, c.ID); return err })
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", got.Address) != fmt.Sprintf("%+v", c.Address) || got.Phone != "+34612345678" ||
			got.Notes != c.Notes || !got.CreatedAt.Equal(t0) || got.MarketingConsentAt == nil || !got.MarketingConsentAt.Equal(t0) ||
			got.CreditLimitCents != 50000 || !got.InvoiceByEmail || got.Title != domain.TitleMr || got.Seq != c.Seq {
			t.Errorf("read back %+v\nwant %+v", got, c)
		}
		err = db.Read(ctx, func(tx app.Tx) (err error) { got, err = tx.CustomerByReference(ctx, " 2000000000017 "); return err })
		if err != nil || got.ID != c.ID {
			t.Errorf("by reference: %v %v", got.ID, err)
		}
	})
}

func TestCustomerUniqueReferenceIgnoresCase(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		a := newCustomer(t, "Ana", "López")
		a.Reference = "CARD-abc"
		mustCreate(t, db, &a)
		b := newCustomer(t, "Bea", "López")
		b.Reference = "card-ABC"
		err := db.Write(context.Background(), func(tx app.Tx) error { return tx.CreateCustomer(context.Background(), &b) })
		var e *domain.Error
		if !asError(err, &e) || e.Code != domain.CodeDuplicate || e.Fields[0].Field != "reference" {
			t.Fatalf("duplicate reference: got %v", err)
		}
		// Customers without a reference do not collide.
		for i := 0; i < 2; i++ {
			c := newCustomer(t, "Sin", "Tarjeta")
			mustCreate(t, db, &c)
		}
	})
}

func TestVersionedUpdate(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newCustomer(t, "Marie", "Dupont")
		mustCreate(t, db, &c)
		c.LastName, c.Version = "Dupond", 2
		update := func(expected int64) error {
			return db.Write(ctx, func(tx app.Tx) error { return tx.UpdateCustomer(ctx, &c, expected) })
		}
		if err := update(1); err != nil {
			t.Fatal(err)
		}
		if code := domain.ErrorCode(update(1)); code != domain.CodePreconditionFailed {
			t.Errorf("stale update: %s", code)
		}
		c.ID = uuid.Must(uuid.NewV7()).String()
		if code := domain.ErrorCode(update(2)); code != domain.CodeNotFound {
			t.Errorf("missing row: %s", code)
		}
	})
}

func TestGroupsAndMembers(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		vip := domain.Group{ID: uuid.Must(uuid.NewV7()).String(), Name: "VIP", DiscountBasisPoints: 1000, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		pro := domain.Group{ID: uuid.Must(uuid.NewV7()).String(), Name: "Profesionales", CreatedAt: t0, UpdatedAt: t0, Version: 1}
		err := db.Write(ctx, func(tx app.Tx) error {
			if err := tx.CreateGroup(ctx, &vip); err != nil {
				return err
			}
			return tx.CreateGroup(ctx, &pro)
		})
		if err != nil {
			t.Fatal(err)
		}
		dup := domain.Group{ID: uuid.Must(uuid.NewV7()).String(), Name: "vip", CreatedAt: t0, UpdatedAt: t0, Version: 1}
		err = db.Write(ctx, func(tx app.Tx) error { return tx.CreateGroup(ctx, &dup) })
		if domain.ErrorCode(err) != domain.CodeDuplicate {
			t.Errorf("duplicate group name: %v", err)
		}
		for i := 0; i < 3; i++ {
			c := newCustomer(t, "Miembro", fmt.Sprint(i))
			c.GroupID = vip.ID
			mustCreate(t, db, &c)
		}
		// The database refuses to delete a group with members even if a use case forgot to check.
		err = db.Write(ctx, func(tx app.Tx) error { return tx.DeleteGroup(ctx, vip.ID) })
		if domain.ErrorCode(err) != domain.CodeGroupNotEmpty {
			t.Errorf("delete non-empty group: %v", err)
		}
		var moved, left int64
		err = db.Write(ctx, func(tx app.Tx) (err error) {
			if moved, err = tx.MoveGroupMembers(ctx, vip.ID, pro.ID, t0); err != nil {
				return err
			}
			left, err = tx.GroupMemberCount(ctx, vip.ID)
			return err
		})
		if err != nil || moved != 3 || left != 0 {
			t.Fatalf("move: moved %d, left %d, %v", moved, left, err)
		}
		var groups []domain.Group
		var counts map[string]int64
		err = db.Read(ctx, func(tx app.Tx) (err error) {
			if groups, err = tx.Groups(ctx, "", 10); err != nil {
				return err
			}
			counts, err = tx.GroupMemberCounts(ctx, []string{vip.ID, pro.ID})
			return err
		})
		if err != nil || len(groups) != 2 || groups[0].Name != "Profesionales" || counts[pro.ID] != 3 || counts[vip.ID] != 0 {
			t.Errorf("groups: %+v %v %v", groups, counts, err)
		}
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.DeleteGroup(ctx, vip.ID) }); err != nil {
			t.Errorf("delete empty group: %v", err)
		}
	})
}

func TestMatchAndList(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		names := [][2]string{{"María", "García López"}, {"Mario", "Garrido"}, {"José", "Muñoz"}, {"Marie", "Dupont"}, {"Ana", "Gómez"}}
		var all []domain.Customer
		for _, n := range names {
			c := newCustomer(t, n[0], n[1])
			c.Phone = "+34 600 00 00 0" + fmt.Sprint(len(all))
			if err := c.Prepare("ES"); err != nil {
				t.Fatal(err)
			}
			mustCreate(t, db, &c)
			all = append(all, c)
		}
		match := func(terms ...string) []string {
			var out []string
			for _, m := range matchCustomers(t, db, app.MatchFilter{Terms: terms, Limit: 10}) {
				out = append(out, m.Customer.FirstName)
			}
			return out
		}
		for _, tc := range []struct {
			terms []string
			want  string
		}{
			{[]string{"mar"}, "María Mario Marie"},
			{[]string{"gar"}, "María Mario"},
			{[]string{"munoz"}, "José"},
			{[]string{"mar", "gar"}, "María Mario"},
			{[]string{"mar", "lopez"}, "María"},
			{[]string{"600000003"}, "Marie"},
			{[]string{"0003"}, "Marie"},
			{[]string{"34600000004"}, "Ana"},
			{[]string{"near"}, ""},
			{[]string{"zzz"}, ""},
		} {
			if got := strings.Join(match(tc.terms...), " "); got != tc.want {
				t.Errorf("match %q = %q, want %q", tc.terms, got, tc.want)
			}
		}
		var listed []domain.Customer
		err := db.Read(ctx, func(tx app.Tx) (err error) {
			listed, err = tx.ListCustomers(ctx, app.ListFilter{Limit: 2})
			if err != nil {
				return err
			}
			last := listed[len(listed)-1]
			more, err := tx.ListCustomers(ctx, app.ListFilter{Limit: 10, AfterKey: last.SortKey(), AfterSeq: last.Seq})
			listed = append(listed, more...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, c := range listed {
			order = append(order, c.LastName)
		}
		if got, want := strings.Join(order, ","), "Dupont,García López,Garrido,Gómez,Muñoz"; got != want {
			t.Errorf("list order %q, want %q", got, want)
		}
	})
}

// TestMatchBothRoads checks that a PostgreSQL search gives the same pages whether the matches
// are found by walking rows in order or through the index (pgsearch.go), and SQLite the same.
func TestMatchBothRoads(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		var want []string
		for i := 0; i < 40; i++ {
			last := "Pérez"
			if i%7 == 3 {
				last = "Quiroga" // rare: every seventh
				want = append(want, fmt.Sprint(i))
			}
			c := newCustomer(t, fmt.Sprint(i), last)
			mustCreate(t, db, &c)
		}
		for _, window := range []int{1000, 5, 1} {
			sqlstore.SetSearchWindow(db, window)
			var got []string
			var after app.MatchPosition
			for page := 0; page < 10; page++ {
				rows := matchCustomers(t, db, app.MatchFilter{Terms: []string{"quir"}, After: after, Limit: 2})
				for _, m := range rows {
					got = append(got, m.Customer.FirstName)
					after = app.MatchPosition{Tier: m.Tier, Seq: m.Customer.Seq}
				}
				if len(rows) < 2 {
					break
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("window %d: pages give %v, want %v", window, got, want)
			}
		}
	})
}

func TestDeleteRemovesFromSearch(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newCustomer(t, "Zoé", "Quintana")
		mustCreate(t, db, &c)
		other := newCustomer(t, "Zoé", "Otra")
		mustCreate(t, db, &other)
		other.LastName, other.Version = "Quintanilla", 2
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.UpdateCustomer(ctx, &other, 1) }); err != nil {
			t.Fatal(err)
		}
		other.LastName, other.Version = "Otra", 3
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.UpdateCustomer(ctx, &other, 2) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.DeleteCustomer(ctx, c.ID) }); err != nil {
			t.Fatal(err)
		}
		if got := matchCustomers(t, db, app.MatchFilter{Terms: []string{"quintana"}, Limit: 5}); len(got) != 0 {
			t.Errorf("deleted customer still found: %v", got)
		}
		if code := domain.ErrorCode(db.Write(ctx, func(tx app.Tx) error { return tx.DeleteCustomer(ctx, c.ID) })); code != domain.CodeNotFound {
			t.Errorf("second delete: %s", code)
		}
		if db.Backend() == "sqlite" {
			// The search vocabulary keeps no word of the deleted customer.
			var n int
			if err := db.SQL().QueryRow("SELECT count(*) FROM customer_search_words WHERE word IN ('quintana', 'quintanilla')").Scan(&n); err != nil || n != 0 {
				t.Errorf("vocabulary still holds %d words of the deleted customer (%v)", n, err)
			}
		}
	})
}

func TestMigrationsAreIdempotent(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			for i := 0; i < 2; i++ {
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
				if err != nil {
					t.Fatalf("open #%d: %v", i+1, err)
				}
				db.Close()
			}
		})
	}
}

func asError(err error, target **domain.Error) bool {
	e, ok := err.(*domain.Error)
	if !ok {
		// Errors come wrapped with context.
		for err != nil {
			if e, ok = err.(*domain.Error); ok {
				break
			}
			u, ok2 := err.(interface{ Unwrap() error })
			if !ok2 {
				return false
			}
			err = u.Unwrap()
		}
	}
	*target = e
	return e != nil
}

// TestNewerSchemaIsRefused: a database migrated by a newer Clientela is not opened by an
// older one, which would not keep its new parts right.
func TestNewerSchemaIsRefused(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 'now')"); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir); err == nil {
				db.Close()
				t.Fatal("opened a database from a newer version")
			} else if !strings.Contains(err.Error(), "newer Clientela") {
				t.Fatalf("error: %v", err)
			}
		})
	}
}

// TestConcurrentFirstOpens: several processes starting together on an empty database take
// turns at the migration lock, taken before the migration table is created, and all open.
func TestConcurrentFirstOpens(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			const n = 6
			errs := make(chan error, n)
			for range n {
				go func() {
					db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
					if err == nil {
						err = db.Close()
					}
					errs <- err
				}()
			}
			for range n {
				if err := <-errs; err != nil {
					t.Errorf("open: %v", err)
				}
			}
		})
	}
}
