package web_test

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestDuplicatesPage: a manager sees each pair side by side with its reasons, links to both
// profiles and to the merge page (the survivor proposed first), dismisses one with "No es
// duplicado" and finds the list without it; a value many customers share is one cluster.
func TestDuplicatesPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		withPostal := func(first, last, postal, phone string) domain.Customer {
			ch := person(first, last)
			ch.PostalCode, ch.Phone = domain.Some(postal), domain.Some(phone)
			return e.mustCreateCustomer(ch)
		}
		mg := withPostal("Mª", "García López", "28001", "612 34 56 78")
		ml := withPostal("Maria", "Lopez Garcia", "28001", "")
		other := withPostal("Maria", "Lopez Garcia", "08001", "")
		for range 9 {
			withPostal("Centralita", "Acme", "", "910 00 00 00")
		}
		m := e.loggedIn(domain.RoleManager)
		a := m.get("/customers/duplicates")
		wantStatus(t, a, http.StatusOK)
		wantContains(t, a, "Posibles duplicados", "Nombre parecido en el mismo código postal",
			`href="/customers/`+mg.ID+`"`, `href="/customers/`+ml.ID+`"`, html.EscapeString("Mª García López"), "Maria Lopez Garcia",
			`href="/customers/`+mg.ID+`/merge?absorb=`+ml.ID+`"`, "Fusionar", "No es duplicado",
			"Datos que comparten muchos clientes", "Mismo teléfono", "<td>910 00 00 00</td>")
		wantNotContains(t, a, other.ID)
		// "Fusionar" opens the merge page with both customers.
		merge := m.get("/customers/" + mg.ID + "/merge?absorb=" + ml.ID)
		wantStatus(t, merge, http.StatusOK)
		wantContains(t, merge, "Maria Lopez Garcia")

		a = m.post("/customers/duplicates/dismiss", url.Values{"keep": {mg.ID}, "other": {ml.ID}})
		wantStatus(t, a, http.StatusSeeOther)
		if loc := a.header.Get("Location"); loc != "/customers/duplicates" {
			t.Errorf("after dismissing: %q", loc)
		}
		a = m.get("/customers/duplicates")
		wantContains(t, a, "Pareja descartada", "No hay posibles duplicados.")
		wantNotContains(t, a, "/merge?absorb=")

		// Refused as a cashier; bad input names nothing and changes nothing.
		wantStatus(t, e.loggedIn(domain.RoleCashier).get("/customers/duplicates"), http.StatusForbidden)
		wantStatus(t, m.post("/customers/duplicates/dismiss", url.Values{"keep": {mg.ID}, "other": {"x"}}), http.StatusUnprocessableEntity)
		// A stale cursor starts again at the top.
		a = m.get("/customers/duplicates?cursor=zzz")
		wantStatus(t, a, http.StatusSeeOther)
	})
}
