package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestFormRefusesTextThatSpoofs (issue 7 item 4): form values go through the domain's checks:
// a right-to-left override in a name is a field error that names the character.
func TestFormRefusesTextThatSpoofs(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleManager)
	res := b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {"Ana\u202Egnp.exe"}, "last_name": {"Ruiz"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-first_name"`, "carácter invisible o que cambia el sentido del texto (U&#43;202E)") // html/template writes + as &#43;
	wantNotContains(t, res, `id="e-last_name"`)
}

// TestFormKindChangeDropsTheOtherKindsFields (issue 13 item 7): turning a person into a
// company in the form leaves no name behind, though the hidden person section is still
// posted: the use case clears it, and search no longer finds the company by it.
func TestFormKindChangeDropsTheOtherKindsFields(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	ch := person("María", "Garcia")
	ch.Title = domain.Some(domain.TitleMrs)
	c := e.mustCreateCustomer(ch)
	b := e.loggedIn(domain.RoleManager)
	wantStatus(t, b.post("/customers/"+c.ID+"/edit", url.Values{"version": {"1"}, "kind": {"company"}, "company_name": {"Garcia"},
		"legal_form": {"SL"}, "title": {"mrs"}, "first_name": {"María"}, "last_name": {"Garcia"}}), http.StatusSeeOther)
	saved, err := e.app.Customer(context.Background(), app.System(), c.ID)
	if err != nil || saved.FirstName != "" || saved.LastName != "" || saved.Title != domain.TitleNone || saved.DisplayName() != "Garcia SL" {
		t.Fatalf("saved %+v, %v", saved, err)
	}
	page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "maria"})
	if err != nil || len(page.Customers) != 0 {
		t.Errorf("q=maria finds %d customers (%v)", len(page.Customers), err)
	}
	// A company's tax id on a person, and the reverse, say which number fits.
	res := b.post("/customers/new", url.Values{"kind": {"company"}, "company_name": {"Bar Pepe"}, "tax_id": {"12345678Z"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-tax_id"`, "Una empresa se identifica con su CIF")
	res = b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {"Pepe"}, "tax_id": {"B12345674"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-tax_id"`, "Es un CIF")
}

// TestFormInvoiceBox (issue 13 items 3 and 7): the box is shown as it will be saved, and
// left as it was shown it lets the use case's rule decide (the form posts back how it was
// shown, which the page's script keeps in step with the e-mail field); a box the user ticked
// without an e-mail is an error about that box.
func TestFormInvoiceBox(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleManager)
	saved := func(last string) domain.Customer {
		t.Helper()
		page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: last})
		if err != nil || len(page.Customers) != 1 {
			t.Fatalf("search %s: %d found, %v", last, len(page.Customers), err)
		}
		return page.Customers[0]
	}
	// A new customer has no e-mail yet: the box is shown unticked, as that saves.
	res := b.get("/customers/new")
	wantContains(t, res, `name="invoice_by_email_shown" value="off"`)
	wantNotContains(t, res, `name="invoice_by_email" type="checkbox" checked`)
	wantStatus(t, b.post("/customers/new", url.Values{"kind": {"person"}, "last_name": {"Uno"}, "invoice_by_email_shown": {"off"}}), http.StatusSeeOther)
	if saved("Uno").InvoiceByEmail {
		t.Error("no e-mail, box unticked: saved on")
	}
	// An e-mail typed, the box left as shown: the rule turns it on.
	wantStatus(t, b.post("/customers/new", url.Values{"kind": {"person"}, "last_name": {"Dos"}, "email": {"dos@example.es"}, "invoice_by_email_shown": {"off"}}), http.StatusSeeOther)
	if !saved("Dos").InvoiceByEmail {
		t.Error("e-mail given, box as shown: saved off")
	}
	// The script ticked the box as the e-mail was typed, and the user unticked it: off.
	wantStatus(t, b.post("/customers/new", url.Values{"kind": {"person"}, "last_name": {"Tres"}, "email": {"tres@example.es"}, "invoice_by_email_shown": {"on"}}), http.StatusSeeOther)
	if saved("Tres").InvoiceByEmail {
		t.Error("unticked by the user with an e-mail: saved on")
	}
	// Ticked by the user without an e-mail: an error on the box.
	res = b.post("/customers/new", url.Values{"kind": {"person"}, "last_name": {"Cuatro"}, "invoice_by_email": {"on"}, "invoice_by_email_shown": {"off"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-invoice_by_email"`, "hace falta una dirección de correo electrónico")
	// Editing a customer without an e-mail, ticking the box: an error on the box.
	c := saved("Uno")
	wantContains(t, b.get("/customers/"+c.ID+"/edit"), `name="invoice_by_email_shown" value="off"`, `data-had-email="false"`)
	res = b.post("/customers/"+c.ID+"/edit", url.Values{"version": {"1"}, "kind": {"person"}, "last_name": {"Uno"}, "invoice_by_email": {"on"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-invoice_by_email"`, "hace falta una dirección de correo electrónico")
	// Removing the e-mail of a customer who gets invoices by e-mail, box left ticked: off.
	d := saved("Dos")
	wantContains(t, b.get("/customers/"+d.ID+"/edit"), `name="invoice_by_email_shown" value="on"`, `data-had-email="true"`)
	wantStatus(t, b.post("/customers/"+d.ID+"/edit", url.Values{"version": {"1"}, "kind": {"person"}, "last_name": {"Dos"}, "invoice_by_email": {"on"}}), http.StatusSeeOther)
	if saved("Dos").InvoiceByEmail {
		t.Error("e-mail removed, box left ticked: still on")
	}
}

// TestFormPhoneExtensionRoundTrips (issue 7 item 5): an extension is shown as people write
// it, on the list and in the form, and saving the form unchanged changes nothing.
func TestFormPhoneExtensionRoundTrips(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	ch := person("Eva", "Prieto")
	ch.Phone = domain.Some("91 234 56 78 ext 25")
	c := e.mustCreateCustomer(ch)
	if c.Phone != "+34912345678;ext=25" {
		t.Fatalf("stored %q", c.Phone)
	}
	b := e.loggedIn(domain.RoleManager)
	wantContains(t, b.get("/customers"), ">912 34 56 78 ext. 25<")
	wantContains(t, b.get("/customers/"+c.ID+"/edit"), `value="912 34 56 78 ext. 25"`)
	wantStatus(t, b.post("/customers/"+c.ID+"/edit", url.Values{"version": {"1"}, "kind": {"person"}, "first_name": {"Eva"},
		"last_name": {"Prieto"}, "phone": {"912 34 56 78 ext. 25"}}), http.StatusSeeOther)
	saved, err := e.app.Customer(context.Background(), app.System(), c.ID)
	if err != nil || saved.Phone != c.Phone || saved.Version != 1 {
		t.Errorf("after saving unchanged: %q version %d (%v)", saved.Phone, saved.Version, err)
	}
}
