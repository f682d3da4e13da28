package app_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/testdb"
)

// memberCountingStore counts the member counts that reach the database.
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

// TestMembersCountedOnlyWhereShown: listing and searching customers, the customer pages'
// group choices, and creating or changing a customer with a group count no group's members
// (at a million customers each count is a walk of the group's index entries); the groups
// list and a group's page do, and get them right.
func TestMembersCountedOnlyWhereShown(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			var counts atomic.Int64
			a := app.New(app.Config{Store: memberCountingStore{testdb.Open(t, b), &counts}, PasswordParams: &fast})
			ctx, sys := context.Background(), app.System()
			vip, err := a.CreateGroup(ctx, sys, domain.GroupChanges{Name: domain.Some("VIP")})
			if err != nil {
				t.Fatal(err)
			}
			other, err := a.CreateGroup(ctx, sys, domain.GroupChanges{Name: domain.Some("Otros")})
			if err != nil {
				t.Fatal(err)
			}
			var last domain.Customer
			for _, name := range []string{"Ana", "Luis", "Eva"} {
				last, err = a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
					FirstName: domain.Some(name), LastName: domain.Some("Sanz"), GroupID: domain.Some(vip.ID)})
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.UpdateCustomer(ctx, sys, last.ID, domain.IfAnyVersion(), domain.CustomerChanges{GroupID: domain.Some(other.ID)}); err != nil {
				t.Fatal(err)
			}
			for _, q := range []app.CustomerQuery{{}, {GroupID: vip.ID}, {Q: "sanz"}, {Q: "sanz", GroupID: vip.ID}} {
				if _, err := a.Customers(ctx, sys, q); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.CountCustomers(ctx, sys, vip.ID); err != nil {
				t.Fatal(err)
			}
			choices, err := a.GroupChoices(ctx, sys)
			if err != nil || len(choices) != 2 {
				t.Fatalf("group choices: %v, %v", choices, err)
			}
			if n := counts.Load(); n != 0 {
				t.Errorf("creating, changing and listing customers counted the members of %d groups, want none", n)
			}

			page, err := a.Groups(ctx, sys, 10, "")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, g := range page.Groups {
				got[g.Name] = g.MemberCount
			}
			if got["VIP"] != 2 || got["Otros"] != 1 {
				t.Errorf("groups list counts %v, want VIP 2 and Otros 1", got)
			}
			g, err := a.Group(ctx, sys, vip.ID)
			if err != nil || g.MemberCount != 2 {
				t.Errorf("group page: %d members, %v; want 2", g.MemberCount, err)
			}
			if counts.Load() == 0 {
				t.Error("the groups list and the group page counted nothing")
			}
		})
	}
}
