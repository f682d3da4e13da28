package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// dupCustomer creates a person through the use case.
func dupCustomer(t *testing.T, e *env, p domain.Principal, first, last, postal, taxID, email, phone string) domain.Customer {
	t.Helper()
	ch := personChanges(first, last)
	ch.TaxID, ch.Email, ch.Phone, ch.PostalCode = domain.Some(taxID), domain.Some(email), domain.Some(phone), domain.Some(postal)
	c, err := e.app.CreateCustomer(context.Background(), p, ch)
	if err != nil {
		t.Fatalf("create %s %s: %v", first, last, err)
	}
	return c
}

// pairsText shows a page's pairs as "Keep+Other:reasons", in order.
func pairsText(page app.DuplicatesPage) string {
	var out []string
	for _, p := range page.Pairs {
		var rs []string
		for _, f := range p.Reasons.Fields() {
			rs = append(rs, string(f))
		}
		out = append(out, p.Keep.FirstName+"+"+p.Other.FirstName+":"+strings.Join(rs, ","))
	}
	return strings.Join(out, " ")
}

// TestDuplicatesFindsEachReasonRanked: pairs are found by tax id, e-mail (any case), phone
// (without extension) and a similar name in the same postal code — accents, word order and
// "Mª"/"Fco" do not matter, another postal code does — and come strongest first; a lone
// customer, and two who share nothing, are not listed.
func TestDuplicatesFindsEachReasonRanked(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu := e.principal(t, "manu")
		// Names are distinct first names so that the test reads which pair is which.
		dupCustomer(t, e, manu, "Ana", "Tax", "", "12345678Z", "", "")
		dupCustomer(t, e, manu, "Berta", "Tax", "", "12345678Z", "", "")
		dupCustomer(t, e, manu, "Carla", "Mail", "", "", "carla@example.es", "")
		dupCustomer(t, e, manu, "Dora", "Mail", "", "", "CARLA@Example.es", "")
		dupCustomer(t, e, manu, "Elsa", "Phone", "", "", "", "612 34 56 78")
		dupCustomer(t, e, manu, "Flor", "Phone", "", "", "", "+34 612345678 ext 2")
		mg := dupCustomer(t, e, manu, "Mª", "García López", "28001", "", "", "")
		ml := dupCustomer(t, e, manu, "Maria", "Lopez Garcia", "28001", "", "", "")
		dupCustomer(t, e, manu, "María", "García López", "08001", "", "", "") // elsewhere
		dupCustomer(t, e, manu, "Fco.", "Pérez Ruiz", "41001", "", "gema@example.es", "633 11 22 33")
		dupCustomer(t, e, manu, "Francisco", "Ruiz Perez", "41001", "", "GEMA@example.es", "633112233")
		dupCustomer(t, e, manu, "Hugo", "Solo", "28001", "", "", "")

		page, err := e.app.Duplicates(ctx, manu, app.DuplicatesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		want := "Fco.+Francisco:email,phone,name Ana+Berta:tax_id Carla+Dora:email Elsa+Flor:phone Mª+Maria:name"
		if got := pairsText(page); got != want {
			t.Errorf("pairs\n got %s\nwant %s", got, want)
		}
		if page.NextCursor != "" || len(page.Clusters) != 0 {
			t.Errorf("cursor %q clusters %v", page.NextCursor, page.Clusters)
		}
		// The one with more data is proposed to survive; on a tie the older.
		last := page.Pairs[len(page.Pairs)-1]
		if last.Keep.ID != mg.ID || last.Other.ID != ml.ID {
			t.Errorf("survivor %s, want the older %s", last.Keep.FirstName, mg.FirstName)
		}

		// Paging walks the same order.
		var walked []string
		q := app.DuplicatesQuery{Limit: 2}
		for {
			p, err := e.app.Duplicates(ctx, manu, q)
			if err != nil {
				t.Fatal(err)
			}
			walked = append(walked, pairsText(p))
			if p.NextCursor == "" {
				break
			}
			q.Cursor = p.NextCursor
		}
		if got := strings.Join(walked, " "); got != want {
			t.Errorf("paged\n got %s\nwant %s", got, want)
		}

		// A cashier may not look.
		if _, err := e.app.Duplicates(ctx, e.principal(t, "till"), app.DuplicatesQuery{}); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("cashier: %v", err)
		}
		if _, err := e.app.Duplicates(ctx, manu, app.DuplicatesQuery{Cursor: "nonsense"}); !dupHasField(err, "cursor") {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

func dupHasField(err error, field string) bool {
	var de *domain.Error
	if !asDomain(err, &de) {
		return false
	}
	for _, f := range de.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestDuplicatesDismissalIsKept: a dismissed pair is gone for every App on the database
// (another process), audited; it comes back when the two come to share something more, and
// when the dismissal is undone; deleting a customer takes its dismissals along.
func TestDuplicatesDismissalIsKept(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu := e.principal(t, "manu")
		ana := dupCustomer(t, e, manu, "Ana", "Sanz Gil", "28001", "", "", "")
		bea := dupCustomer(t, e, manu, "Ana", "Gil Sanz", "28001", "", "", "")
		dupCustomer(t, e, manu, "Eva", "Mar", "", "", "eva@example.es", "")
		dupCustomer(t, e, manu, "Eva", "Mora", "", "", "eva@example.es", "")

		reasons, err := e.app.DismissDuplicate(ctx, manu, bea.ID, ana.ID)
		if err != nil || reasons != app.ReasonName {
			t.Fatalf("dismiss: %v %v", reasons, err)
		}
		other := app.New(app.Config{Store: e.db})
		page, err := other.Duplicates(ctx, manu, app.DuplicatesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if got := pairsText(page); got != "Eva+Eva:email" {
			t.Errorf("after dismissal: %s", got)
		}
		entries, err := e.app.AuditLog(ctx, e.principal(t, "boss"), app.AuditQuery{EntityType: "customer"})
		if err != nil {
			t.Fatal(err)
		}
		if entries.Entries[0].Action != app.ActionDuplicateDismiss {
			t.Errorf("audit: %+v", entries.Entries[0])
		}

		// They come to share a phone: new evidence, the pair is back.
		if _, err := e.app.UpdateCustomer(ctx, manu, ana.ID, domain.IfVersion(ana.Version), domain.CustomerChanges{Phone: domain.Some("612345678")}); err != nil {
			t.Fatal(err)
		}
		bea, err = e.app.UpdateCustomer(ctx, manu, bea.ID, domain.IfVersion(bea.Version), domain.CustomerChanges{Phone: domain.Some("612345678")})
		if err != nil {
			t.Fatal(err)
		}
		page, _ = other.Duplicates(ctx, manu, app.DuplicatesQuery{})
		if got := pairsText(page); !strings.Contains(got, "Ana+Ana:phone,name") {
			t.Errorf("with a new reason: %s", got)
		}
		// Dismissed again, then undone.
		if _, err := e.app.DismissDuplicate(ctx, manu, ana.ID, bea.ID); err != nil {
			t.Fatal(err)
		}
		page, _ = other.Duplicates(ctx, manu, app.DuplicatesQuery{})
		if got := pairsText(page); got != "Eva+Eva:email" {
			t.Errorf("dismissed again: %s", got)
		}
		if err := e.app.UndismissDuplicate(ctx, manu, ana.ID, bea.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.app.UndismissDuplicate(ctx, manu, ana.ID, bea.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("undo twice: %v", err)
		}
		page, _ = other.Duplicates(ctx, manu, app.DuplicatesQuery{})
		if got := pairsText(page); !strings.Contains(got, "Ana+Ana") {
			t.Errorf("undone: %s", got)
		}

		// Bad input changes nothing and names the field.
		for _, otherID := range []string{"", "nope", ana.ID, "01900000-0000-7000-8000-000000000000"} {
			if _, err := e.app.DismissDuplicate(ctx, manu, ana.ID, otherID); !dupHasField(err, "other_id") {
				t.Errorf("other %q: %v", otherID, err)
			}
		}
		if _, err := e.app.DismissDuplicate(ctx, e.principal(t, "till"), ana.ID, bea.ID); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("cashier: %v", err)
		}

		// A deleted customer's dismissals go with it.
		if _, err := e.app.DismissDuplicate(ctx, manu, ana.ID, bea.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DeleteCustomer(ctx, manu, bea.ID); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := e.db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM duplicate_dismissals").Scan(&n); err != nil || n != 0 {
			t.Errorf("dismissals left after a delete: %d (%v)", n, err)
		}
	})
}

// TestDuplicatesClustersManyHolders: a value held by more customers than are worth pairing
// (a switchboard's phone) is one cluster; its holders are paired only by something else.
func TestDuplicatesClustersManyHolders(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu := e.principal(t, "manu")
		for i := range 12 {
			dupCustomer(t, e, manu, fmt.Sprintf("Empleado%c", 'A'+i), "Acme", "", "", "", "910 00 00 00")
		}
		dupCustomer(t, e, manu, "Luis", "Vela Ortiz", "28002", "", "", "910 00 00 00")
		dupCustomer(t, e, manu, "Luis", "Ortiz Vela", "28002", "", "", "910000000")
		page, err := e.app.Duplicates(ctx, manu, app.DuplicatesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if got := pairsText(page); got != "Luis+Luis:phone,name" {
			t.Errorf("pairs: %s", got)
		}
		if len(page.Clusters) != 1 || page.Clusters[0].Field != app.SharedPhone || page.Clusters[0].Count != 14 ||
			page.Clusters[0].Value != "+34910000000" || page.Clusters[0].Sample.ID == "" {
			t.Errorf("clusters: %+v", page.Clusters)
		}
	})
}

// TestDuplicatesScanCachedWhileTheFeedListens: with the change feed live the scan is kept
// between pages; a dismissal (no customer changes) is honoured at once, and a customer
// changed by this process or another one is seen.
func TestDuplicatesScanCachedWhileTheFeedListens(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		a1 := app.New(app.Config{Store: e.db, Changes: e.db.ChangeFeed()})
		a2 := app.New(app.Config{Store: e.db}) // another process
		go a1.WatchChanges(ctx)
		eventually(t, "the change feed listens", a1.LookupCacheLive)
		sys := app.System()
		mk := func(a *app.App, first, email string) domain.Customer {
			c, err := a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some(first), Email: domain.Some(email)})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		list := func() string {
			page, err := a1.Duplicates(ctx, sys, app.DuplicatesQuery{})
			if err != nil {
				t.Fatal(err)
			}
			return pairsText(page)
		}
		eva := mk(a2, "Eva", "eva@example.es")
		mk(a2, "Evita", "EVA@example.es")
		eventually(t, "the first pair", func() bool { return list() == "Eva+Evita:email" })
		if _, err := a1.DismissDuplicate(ctx, sys, eva.ID, eva.ID[:35]+"0"); !dupHasField(err, "other_id") {
			t.Fatalf("dismiss with a missing other: %v", err)
		}
		page, _ := a1.Duplicates(ctx, sys, app.DuplicatesQuery{})
		if _, err := a1.DismissDuplicate(ctx, sys, page.Pairs[0].Keep.ID, page.Pairs[0].Other.ID); err != nil {
			t.Fatal(err)
		}
		if got := list(); got != "" {
			t.Errorf("after the dismissal: %q", got)
		}
		mk(a2, "Luz", "luz@example.es")
		mk(a2, "Lucía", "luz@example.es")
		eventually(t, "another process's pair", func() bool { return list() == "Luz+Lucía:email" })
		ana := mk(a1, "Ana", "luz@example.es")
		if got := list(); !strings.Contains(got, "Ana") {
			t.Errorf("this process's new customer not seen at once: %q", got)
		}
		if err := a1.DeleteCustomer(ctx, sys, ana.ID); err != nil {
			t.Fatal(err)
		}
		if got := list(); got != "Luz+Lucía:email" {
			t.Errorf("after a delete: %q", got)
		}
	})
}
