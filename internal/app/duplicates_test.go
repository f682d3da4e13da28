package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

func personChanges(first, last string) domain.CustomerChanges {
	return domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some(first), LastName: domain.Some(last)}
}

// TestCheckCustomerFindsEveryProblemAtOnce: one check reports every field the save would be
// refused for, the taken reference with the customer who has it, and saves nothing.
func TestCheckCustomerFindsEveryProblemAtOnce(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu := e.principal(t, "manu")
		ch := personChanges("Rosa", "Vidal")
		ch.Reference = domain.Some("4006381333931")
		holder, err := e.app.CreateCustomer(ctx, manu, ch)
		if err != nil {
			t.Fatal(err)
		}
		bad := personChanges("Rosa", "Vidal")
		bad.TaxID, bad.Email, bad.Phone = domain.Some("12345678A"), domain.Some("rosa@"), domain.Some("12")
		bad.GroupID, bad.Reference = domain.Some("01900000-0000-7000-8000-000000000000"), domain.Some(" 4006381333931 ")
		check, err := e.app.CheckCustomer(ctx, manu, "", bad)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range check.Problems {
			got = append(got, p.Field+":"+p.Code)
		}
		if want := "[tax_id:invalid_control_character_taxid email:invalid phone:invalid group_id:unknown_group reference:taken]"; fmt.Sprint(got) != want {
			t.Errorf("problems %v, want %s", got, want)
		}
		if check.ReferenceHolder == nil || check.ReferenceHolder.ID != holder.ID {
			t.Errorf("reference holder %+v, want %s", check.ReferenceHolder, holder.ID)
		}
		page, err := e.app.Customers(ctx, manu, app.CustomerQuery{})
		if err != nil || len(page.Customers) != 1 {
			t.Fatalf("after a check: %d customers (%v)", len(page.Customers), err)
		}
		// The holder's own reference is not "taken" when they are the one edited.
		check, err = e.app.CheckCustomer(ctx, manu, holder.ID, domain.CustomerChanges{Reference: domain.Some("4006381333931")})
		if err != nil || len(check.Problems) != 0 {
			t.Errorf("holder's own reference: %+v, %v", check.Problems, err)
		}
	})
}

// TestCheckCustomerWarnsAboutSharedValues: a tax id, e-mail or phone that another customer
// has is reported with its holders (the phone compared without extension); values an edit
// leaves as they were are not.
func TestCheckCustomerWarnsAboutSharedValues(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		till := e.principal(t, "till")
		ch := personChanges("Ana", "Sanz")
		ch.TaxID, ch.Email, ch.Phone = domain.Some("12345678Z"), domain.Some("ana@example.es"), domain.Some("912 34 56 78 ext 25")
		ana, err := e.app.CreateCustomer(ctx, till, ch)
		if err != nil {
			t.Fatal(err)
		}
		twin := personChanges("Ana", "Sanz Gil")
		twin.TaxID, twin.Email, twin.Phone = domain.Some("12.345.678-z"), domain.Some("ANA@example.es"), domain.Some("912345678")
		check, err := e.app.CheckCustomer(ctx, till, "", twin)
		if err != nil {
			t.Fatal(err)
		}
		if got := shared(check); got != "[tax_id:Ana email:Ana phone:Ana]" || len(check.Problems) != 0 {
			t.Fatalf("shared %s, problems %v", got, check.Problems)
		}
		key := check.SharedKey()
		if key == "" || key != mustCheck(t, e, till, "", twin).SharedKey() {
			t.Errorf("the key changes between two checks of the same thing: %q", key)
		}

		// A second holder of the phone: another key, so a confirmation given before no longer holds.
		other := personChanges("Luis", "Sanz")
		other.Phone = domain.Some("+34 912 34 56 78")
		luis, err := e.app.CreateCustomer(ctx, till, other)
		if err != nil {
			t.Fatal(err)
		}
		check = mustCheck(t, e, till, "", twin)
		if got := shared(check); got != "[tax_id:Ana email:Ana phone:Ana,Luis]" || check.SharedKey() == key {
			t.Errorf("with Luis: %s, key %q (was %q)", got, check.SharedKey(), key)
		}

		// Editing Luis: his unchanged phone is not reported, nor is he his own duplicate; a
		// changed e-mail that Ana has is.
		manu := e.principal(t, "manu")
		edit := personChanges("Luis", "Sanz")
		edit.Phone, edit.Email = domain.Some("912345678"), domain.Some("ana@example.es")
		if got := shared(mustCheck(t, e, manu, luis.ID, edit)); got != "[email:Ana]" {
			t.Errorf("editing Luis: %s", got)
		}
		// Cashiers create customers but do not edit them.
		_, err = e.app.CheckCustomer(ctx, till, ana.ID, edit)
		wantCode(t, "cashier checks an edit", err, domain.CodeForbidden)
	})
}

func mustCheck(t *testing.T, e *env, p domain.Principal, id string, ch domain.CustomerChanges) app.CustomerCheck {
	t.Helper()
	check, err := e.app.CheckCustomer(context.Background(), p, id, ch)
	if err != nil {
		t.Fatal(err)
	}
	return check
}

// shared lists a check's shared values as field:holders.
func shared(c app.CustomerCheck) string {
	var out []string
	for _, s := range c.Shared {
		names := ""
		for i, h := range s.Holders {
			if i > 0 {
				names += ","
			}
			names += h.FirstName
		}
		out = append(out, string(s.Field)+":"+names)
	}
	return fmt.Sprint(out)
}

// TestCountCustomers counts the register and a group's members.
func TestCountCustomers(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		till := e.principal(t, "till")
		g, err := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("VIP")})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			ch := personChanges("Cliente", fmt.Sprint(i))
			if i == 0 {
				ch.GroupID = domain.Some(g.ID)
			}
			if _, err := e.app.CreateCustomer(ctx, till, ch); err != nil {
				t.Fatal(err)
			}
		}
		for group, want := range map[string]int64{"": 3, g.ID: 1} {
			rc, err := e.app.CountCustomers(ctx, till, group)
			if err != nil || rc.N != want || rc.More {
				t.Errorf("group %q: %+v (%v), want %d", group, rc, err, want)
			}
		}
		_, err = e.app.CountCustomers(ctx, domain.Principal{}, "")
		wantCode(t, "nobody counts", err, domain.CodeUnauthenticated)
	})
}
