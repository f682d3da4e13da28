package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestMergePage: the profile links to the merge page; the search finds the other customer;
// the comparison offers a choice where the records differ; a record edited in between makes
// the merge a conflict, shown again with the data as it is now; the merge takes the chosen
// values and lands on the survivor, whose page lists the merge with what the absorbed held.
func TestMergePage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		s := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("María"),
			LastName: domain.Some("García Ruiz"), Email: domain.Some("maria@example.com")})
		a := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Mª"),
			LastName: domain.Some("Garcia"), Reference: domain.Some("TARJETA-9"), Notes: domain.Some("Cliente antigua")})
		b := e.loggedIn(domain.RoleManager)
		base := "/customers/" + s.ID + "/merge"

		wantContains(t, b.get("/customers/"+s.ID), `href="`+base+`"`, "Fusionar con otro…")
		wantNotContains(t, e.loggedIn(domain.RoleCashier).get("/customers/"+s.ID), base)

		// The search lists the other customer, never the survivor itself.
		page := b.get(base + "?q=garcia")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, base+"?absorb="+a.ID, "Mª Garcia")
		wantNotContains(t, page, "?absorb="+s.ID)
		wantStatus(t, b.get(base+"?absorb="+s.ID), http.StatusUnprocessableEntity)

		// Side by side: a radio where they differ; the reference fills the survivor's blank.
		page = b.get(base + "?absorb=" + a.ID)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, `name="f_first_name" value="survivor" checked`, `name="f_reference" value="absorbed" checked`,
			`name="v_`+s.ID+`" value="1"`, `name="v_`+a.ID+`" value="1"`, "TARJETA-9", "Cómo queda")

		form := url.Values{"absorb": {a.ID}, "v_" + s.ID: {"1"}, "v_" + a.ID: {"1"}, "f_first_name": {"absorbed"},
			"f_reference": {"absorbed"}, "f_notes": {"absorbed"}}
		// "Ver cómo queda" shows the choice without merging.
		preview := url.Values{"action": {"preview"}}
		for k, v := range form {
			preview[k] = v
		}
		page = b.post(base, preview)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, `data-merged-name>Mª García Ruiz<`)

		// An edit in between: a conflict naming the record, and nothing merged.
		edited, err := e.app.UpdateCustomer(ctx, app.System(), a.ID, domain.IfAnyVersion(), domain.CustomerChanges{City: domain.Some("Sevilla")})
		if err != nil {
			t.Fatal(err)
		}
		form.Set("action", "merge")
		page = b.post(base, form)
		wantStatus(t, page, http.StatusConflict)
		wantContains(t, page, "Mª Garcia ha cambiado", `name="v_`+a.ID+`" value="`+strconv.FormatInt(edited.Version, 10)+`"`, "Sevilla")
		if _, err := e.app.Customer(ctx, app.System(), a.ID); err != nil {
			t.Fatalf("a refused merge deleted the absorbed record: %v", err)
		}

		form.Set("v_"+a.ID, strconv.FormatInt(edited.Version, 10))
		page = b.post(base, form)
		wantStatus(t, page, http.StatusSeeOther)
		if loc := page.header.Get("Location"); loc != "/customers/"+s.ID {
			t.Fatalf("after the merge: Location %q", loc)
		}
		merged, err := e.app.Customer(ctx, app.System(), s.ID)
		if err != nil || merged.FirstName != "Mª" || merged.LastName != "García Ruiz" || merged.Reference != "TARJETA-9" || merged.Notes != "Cliente antigua" {
			t.Errorf("merged: %+v %v", merged, err)
		}
		if _, err := e.app.Customer(ctx, app.System(), a.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("the absorbed record: %v", err)
		}
		// The merge page of the survivor lists what the absorbed record held.
		page = b.get(base)
		wantContains(t, page, "Fusiones anteriores", "Mª Garcia, absorbido el", "Sevilla", "TARJETA-9")
	})
}
