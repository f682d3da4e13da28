package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// tierFixture is a small register where storage order and the order of tiers disagree.
// Each customer's label says how they match.
var tierFixture = []struct {
	label                  string
	first, last, company   string
	city, email, reference string
	vip                    bool // a member of the group VIP
}{
	{label: "city-barcelona", first: "Pilar", last: "Fernández", city: "Barcelona", vip: true},
	{label: "prefix-barbara", first: "Bárbara", last: "López", city: "Madrid"},
	{label: "email-bar", first: "Ana", last: "Ruiz", email: "bar@example.com"},
	{label: "whole-bar", first: "Luis", last: "Bar", city: "Barakaldo", vip: true},
	{label: "prefix-velasco", first: "José", last: "Velasco García", city: "Sevilla"},
	{label: "company-bar", company: "Bar Casa Paco", city: "Sevilla"},
	{label: "whole-vela", first: "Marta", last: "Vela", city: "Barcelona"},
	{label: "prefix-barrios", first: "Ana", last: "Barrios Ruiz", city: "Barcelona", vip: true},
	{label: "prefix-anabel-ruiz", first: "Anabel", last: "Ruiz"},
	{label: "reference-bar", first: "Pedro", last: "Gil", reference: "BAR-1", vip: true},
	{label: "city-velada", first: "Ana", last: "Ruiz Gil", city: "Velada"},
	{label: "whole-vela-ana", first: "Ana", last: "Vela", email: "ana.velasco@example.com"},
}

// createTierFixture adds tierFixture, each customer's label in their notes (not indexed), and
// returns the id of the group VIP.
func createTierFixture(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	vip := domain.Group{ID: uuid.Must(uuid.NewV7()).String(), Name: "VIP", CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := db.Write(context.Background(), func(tx app.Tx) error { return tx.CreateGroup(context.Background(), &vip) }); err != nil {
		t.Fatal(err)
	}
	for _, f := range tierFixture {
		c := domain.Customer{ID: uuid.Must(uuid.NewV7()).String(), Kind: domain.KindPerson, FirstName: f.first, LastName: f.last,
			Address: domain.Address{City: f.city}, Email: f.email, Reference: f.reference, Notes: f.label, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if f.company != "" {
			c.Kind, c.CompanyName = domain.KindCompany, f.company
		}
		if f.vip {
			c.GroupID = vip.ID
		}
		if err := c.Prepare("ES"); err != nil {
			t.Fatalf("prepare %s: %v", f.label, err)
		}
		mustCreate(t, db, &c)
	}
	return vip.ID
}

// tierLabels runs a search and returns "tier:label" for each match, in order.
func tierLabels(t *testing.T, db *sqlstore.DB, groupID string, limit int, terms ...string) []string {
	t.Helper()
	var out []string
	for _, m := range matchCustomers(t, db, app.MatchFilter{Terms: terms, GroupID: groupID, Limit: limit}) {
		out = append(out, fmt.Sprintf("%d:%s", m.Tier, m.Customer.Notes))
	}
	return out
}

// TestSearchTiers checks the order of search results on both backends, along both
// PostgreSQL roads: customers whose name has every term as a whole word, then those whose
// name has a word starting with every term, then the others, each tier in storage order;
// and that paging through the tiers with any page size gives every match once.
func TestSearchTiers(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		vip := createTierFixture(t, db)
		cases := []struct {
			terms []string
			group string
			want  string
		}{
			{[]string{"bar"}, vip, "1:whole-bar 2:prefix-barrios 3:city-barcelona 3:reference-bar"},
			{[]string{"bar"}, "", "1:whole-bar 1:company-bar 2:prefix-barbara 2:prefix-barrios 3:city-barcelona 3:email-bar 3:whole-vela 3:reference-bar"},
			// An exact word before the names it starts (issue 13): Vela before Velasco.
			{[]string{"vela"}, "", "1:whole-vela 1:whole-vela-ana 2:prefix-velasco 3:city-velada"},
			{[]string{"velasco"}, "", "1:prefix-velasco 3:whole-vela-ana"},
			{[]string{"ana", "ruiz"}, "", "1:email-bar 1:prefix-barrios 1:city-velada 2:prefix-anabel-ruiz"},
			{[]string{"ana", "vela"}, "", "1:whole-vela-ana 3:city-velada"},
			{[]string{"barcelona"}, "", "3:city-barcelona 3:whole-vela 3:prefix-barrios"},
			{[]string{"ruiz", "barc"}, "", "3:prefix-barrios"},
			{[]string{"sevilla", "bar"}, "", "3:company-bar"},
			{[]string{"b"}, "", ""},
			{[]string{"gil", "bar"}, "", "3:reference-bar"},
			{[]string{"zzz"}, "", ""},
		}
		for _, window := range []int{1000, 1} {
			sqlstore.SetSearchWindow(db, window)
			for _, tc := range cases {
				got := tierLabels(t, db, tc.group, 100, tc.terms...)
				if strings.Join(got, " ") != tc.want {
					t.Errorf("window %d: %q (group %q) = %q\nwant %q", window, tc.terms, tc.group, strings.Join(got, " "), tc.want)
				}
				// Page by page, from every size: the same results, none twice, none missing.
				for size := 1; size <= 4; size++ {
					var paged []string
					var after app.MatchPosition
					for range 50 {
						rows := matchCustomers(t, db, app.MatchFilter{Terms: tc.terms, GroupID: tc.group, After: after, Limit: size})
						for _, m := range rows {
							paged = append(paged, fmt.Sprintf("%d:%s", m.Tier, m.Customer.Notes))
							after = app.MatchPosition{Tier: m.Tier, Seq: m.Customer.Seq}
						}
						if len(rows) < size {
							break
						}
					}
					if !slices.Equal(paged, got) {
						t.Errorf("window %d, %q in pages of %d: %q, want %q", window, tc.terms, size, paged, got)
					}
				}
			}
		}
	})
}
