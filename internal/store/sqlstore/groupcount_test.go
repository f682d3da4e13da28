package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestGroupListUsesIndex: a group's members in list order come from walking
// customers_group_sort from the page's start: an index search, with no sort step and no
// walk of the whole register, on the first page and on later ones.
func TestGroupListUsesIndex(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		groups := make([]domain.Group, 3)
		for i := range groups {
			groups[i] = domain.Group{ID: fmt.Sprintf("01900000-0000-7000-8000-0000000000a%d", i), Name: fmt.Sprint("G", i),
				CreatedAt: t0, UpdatedAt: t0, Version: 1}
			if err := db.Write(ctx, func(tx app.Tx) error { return tx.CreateGroup(ctx, &groups[i]) }); err != nil {
				t.Fatal(err)
			}
		}
		customers := make([]domain.Customer, 600)
		for i := range customers {
			customers[i] = newCustomer(t, "Cliente", fmt.Sprint("Apellido", i))
			if i%4 != 3 {
				customers[i].GroupID = groups[i%4%3].ID
			}
		}
		if err := db.BulkInsertCustomers(ctx, customers); err != nil {
			t.Fatal(err)
		}
		analyze := "ANALYZE"
		if _, err := db.SQL().ExecContext(ctx, analyze); err != nil {
			t.Fatal(err)
		}
		for _, f := range []app.ListFilter{
			{GroupID: groups[1].ID, Limit: 50},
			{GroupID: groups[1].ID, AfterKey: customers[1].SortKey(), AfterSeq: 2, Limit: 50},
			{AfterKey: customers[1].SortKey(), AfterSeq: 2, Limit: 50}, // the whole register, a later page
		} {
			q, args := db.ListSQL(f)
			plan := explain(t, ctx, db, q, args)
			index, cond := "customers_group_sort", "group_id=?"
			if f.GroupID == "" {
				index, cond = "customers_sort", "sort_key>?"
			}
			var ok bool
			if db.Backend() == "postgres" {
				ok = strings.Contains(plan, "Index Scan using "+index+" ") && strings.Contains(plan, "Index Cond:") &&
					!strings.Contains(plan, "Sort")
			} else {
				ok = strings.Contains(plan, "SEARCH c USING INDEX "+index+" ("+cond) &&
					!strings.Contains(plan, "TEMP B-TREE") && !strings.Contains(plan, "SCAN")
			}
			if !ok {
				t.Errorf("list of group %q (after %q) does not search %s in order:\n%s", f.GroupID, f.AfterKey, index, plan)
			}
			// And the statement gives what the filter asks for.
			var got []domain.Customer
			if err := db.Read(ctx, func(tx app.Tx) (err error) { got, err = tx.ListCustomers(ctx, f); return err }); err != nil {
				t.Fatal(err)
			}
			if len(got) != 50 {
				t.Fatalf("%d customers, want 50", len(got))
			}
			for i, c := range got {
				if (f.GroupID != "" && c.GroupID != f.GroupID) || (i > 0 && got[i-1].SortKey() > c.SortKey()) ||
					(f.AfterSeq > 0 && (c.SortKey() < f.AfterKey || (c.SortKey() == f.AfterKey && c.Seq <= f.AfterSeq))) {
					t.Fatalf("row %d: %s group %s", i, c.SortKey(), c.GroupID)
				}
			}
		}
	})
}

// TestGroupMemberCounts: groups are read without counting their members; the counts come
// from GroupMemberCounts, one query for a page of groups.
func TestGroupMemberCounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a := domain.Group{ID: "01900000-0000-7000-8000-0000000000b1", Name: "A", CreatedAt: t0, UpdatedAt: t0, Version: 1}
		b := domain.Group{ID: "01900000-0000-7000-8000-0000000000b2", Name: "B", CreatedAt: t0, UpdatedAt: t0, Version: 1}
		for _, g := range []*domain.Group{&a, &b} {
			if err := db.Write(ctx, func(tx app.Tx) error { return tx.CreateGroup(ctx, g) }); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			c := newCustomer(t, "Cliente", fmt.Sprint(i))
			c.GroupID = a.ID
			mustCreate(t, db, &c)
		}
		err := db.Read(ctx, func(tx app.Tx) error {
			g, err := tx.Group(ctx, a.ID)
			if err != nil {
				return err
			}
			list, err := tx.Groups(ctx, "", 10)
			if err != nil {
				return err
			}
			if g.MemberCount != 0 || len(list) != 2 || list[0].MemberCount != 0 {
				t.Errorf("Group and Groups count members: %d, %+v", g.MemberCount, list)
			}
			counts, err := tx.GroupMemberCounts(ctx, []string{a.ID, b.ID})
			if err != nil {
				return err
			}
			if counts[a.ID] != 3 || counts[b.ID] != 0 {
				t.Errorf("counts %v, want 3 for A and 0 for B", counts)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
