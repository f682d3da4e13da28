package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestPrivacyPages: the admin finds "Privacidad" on a profile (a manager does not), reads
// the customer's data and downloads it; the erasure's confirmation says what stays and
// warns of an unsettled account, which refuses it; once settled the customer is erased and
// no longer found. The retention page shows the counts, refuses a bad period and a stale
// one, and saves a good one.
func TestPrivacyPages(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	ctx := context.Background()
	ch := person("Zoraida", "Quesada")
	ch.Email, ch.MarketingConsent = domain.Some("zoraida@zqmail.es"), domain.Some(true)
	c := e.mustCreateCustomer(ch)
	if _, err := e.app.PostAccountMovement(ctx, app.System(), c.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 250, Reason: "x"}, ""); err != nil {
		t.Fatal(err)
	}
	admin, manager := e.loggedIn(domain.RoleAdmin), e.loggedIn(domain.RoleManager)

	profile := "/customers/" + c.ID
	wantContains(t, admin.get(profile), "Privacidad", profile+"/privacy", profile+"/privacy.json", profile+"/erase")
	wantNotContains(t, manager.get(profile), profile+"/privacy")

	view := admin.get(profile + "/privacy")
	wantStatus(t, view, http.StatusOK)
	wantContains(t, view, "Datos de Zoraida Quesada", "zoraida@zqmail.es", `data-privacy="consent"`, "Al darle de alta", `data-privacy="ledger"`)
	dl := admin.get(profile + "/privacy.json")
	wantStatus(t, dl, http.StatusOK)
	var pkg app.PrivacyPackage
	if err := json.Unmarshal([]byte(dl.body), &pkg); err != nil || pkg.Customer.Email != "zoraida@zqmail.es" || pkg.Version != 1 ||
		dl.header.Get("Content-Disposition") != `attachment; filename=customer-`+c.ID+`.json` {
		t.Fatalf("download: %v %+v %v", err, pkg.Customer, dl.header)
	}
	wantStatus(t, manager.get(profile+"/privacy.json"), http.StatusForbidden)

	confirm := admin.get(profile + "/erase")
	wantStatus(t, confirm, http.StatusOK)
	wantContains(t, confirm, "¿Suprimir para siempre los datos personales de Zoraida Quesada?", "NIF y la dirección", `data-erase="balance"`)
	refused := admin.post(profile+"/erase", url.Values{})
	wantStatus(t, refused, http.StatusConflict)
	wantContains(t, refused, "2,50")
	if _, err := e.app.PostAccountMovement(ctx, app.System(), c.ID, domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 250, Method: domain.TenderCash}, ""); err != nil {
		t.Fatal(err)
	}
	wantNotContains(t, admin.get(profile+"/erase"), `data-erase="balance"`)
	done := admin.post(profile+"/erase", url.Values{})
	if done.status != http.StatusSeeOther || done.header.Get("Location") != "/customers" {
		t.Fatalf("erase: %d %v", done.status, done.header)
	}
	list := admin.get("/customers?q=zoraida")
	wantContains(t, list, "Datos del cliente suprimidos.")
	wantNotContains(t, list, "Quesada")
	wantStatus(t, admin.get(profile), http.StatusNotFound)

	// Retention.
	settings := admin.get("/settings/privacy")
	wantStatus(t, settings, http.StatusOK)
	wantContains(t, settings, "Con 6 años", `name="retention_years" type="text" value="6"`, "01/01/2020", `name="version" value="6"`)
	wantStatus(t, manager.get("/settings/privacy"), http.StatusForbidden)
	bad := admin.post("/settings/privacy", url.Values{"version": {"6"}, "retention_years": {"2"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad, `value="2"`)
	stale := admin.post("/settings/privacy", url.Values{"version": {"5"}, "retention_years": {"8"}})
	wantStatus(t, stale, http.StatusConflict)
	wantContains(t, stale, "Otra persona ha cambiado el plazo")
	saved := admin.post("/settings/privacy", url.Values{"version": {"6"}, "retention_years": {"8"}})
	if saved.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", saved.status, saved.body)
	}
	wantContains(t, admin.get("/settings/privacy"), "Plazo de conservación guardado.", "Con 8 años")
	ran := admin.post("/settings/privacy/run", url.Values{})
	if ran.status != http.StatusSeeOther {
		t.Fatalf("run: %d %s", ran.status, ran.body)
	}
	wantContains(t, admin.get("/settings/privacy"), "Borrados los datos personales de 0 facturas y 0 movimientos.")
}
