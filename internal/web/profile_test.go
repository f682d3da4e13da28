package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// fullCustomer is a person with every field the profile shows, in the VIP group (10 %).
func fullCustomer(t *testing.T, e *env) (domain.Customer, domain.Group) {
	t.Helper()
	// The seeded register (seedRegister) has its own VIP group, at 10 % too.
	groups, err := e.app.Groups(context.Background(), app.System(), app.MaxPageSize, "")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(groups.Groups, func(g domain.Group) bool { return g.Name == "VIP" })
	var g domain.Group
	if i >= 0 {
		g = groups.Groups[i]
	} else if g, err = e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))}); err != nil {
		t.Fatal(err)
	}
	ch := withContact(person("María", "Muñoz Peña"), "maria@example.es", "+34 612 34 56 78", "4006381333931")
	ch.Title = domain.Some(domain.TitleMrs)
	ch.TaxID = domain.Some("12345678Z")
	ch.Line1, ch.Line2 = domain.Some("Calle Mayor 5"), domain.Some("3.º B")
	ch.PostalCode, ch.City, ch.Region = domain.Some("28013"), domain.Some("Madrid"), domain.Some("Madrid")
	ch.AccountNumber = domain.Some("4300012")
	ch.GroupID = domain.Some(g.ID)
	ch.CreditLimitCents = domain.Some(int64(50000))
	ch.MarketingConsent = domain.Some(true)
	ch.Notes = domain.Some("Prefiere factura en papel.\nAlérgica al látex.")
	return e.mustCreateCustomer(ch), g
}

func TestCustomerProfileShowsWhoTheCustomerIs(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c, g := fullCustomer(t, e)
		m := e.loggedIn(domain.RoleManager)
		res := m.get("/customers/" + c.ID)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res,
			"<title>María Muñoz Peña · Clientela</title>", "<h1>María Muñoz Peña</h1>", `<span class="avatar" aria-hidden="true">MM</span>`,
			"Persona física", `<a class="tag group" href="/customers?group_id=`+g.ID+"\">Grupo VIP · descuento 10\u00a0%</a>",
			"<dt>Tratamiento</dt><dd>Sra.</dd>", `<span class="digits">12345678Z</span>`,
			`<a href="mailto:maria@example.es">maria@example.es</a>`, `<a class="digits" href="tel:&#43;34612345678">612 34 56 78</a>`,
			"<address>Calle Mayor 5<br>3.º B<br>28013 Madrid<br>Madrid</address>",
			`<span class="digits">4300012</span>`, "500,00\u00a0€",
			"<dt>Factura por correo electrónico</dt><dd>Sí</dd>", "<dt>Comunicaciones comerciales</dt><dd>Sí, desde el ",
			"Prefiere factura en papel.\nAlérgica al látex.",
			`href="/customers/`+c.ID+`/edit"`, `href="/customers/`+c.ID+`/delete"`, "Alta: ")
		// The reference as a barcode a scanner reads, with the number under the bars.
		barcode := between(res.body, `<span class="barcode-box">`, "</span>")
		if !strings.Contains(barcode, `<svg xmlns="http://www.w3.org/2000/svg" class="barcode" role="img"`) ||
			!strings.Contains(barcode, `aria-label="4006381333931"`) || textOf(between(barcode, `<g class="barcode-text"`, "</g>")) != "4006381333931" {
			t.Errorf("barcode: %.300s", barcode)
		}
		// The address is the shop's country's: no country line.
		wantNotContains(t, res, "España", "No consta")

		// A bare company: what is missing says so, the defaults are named.
		bare := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some("Bar Pepe"),
			City: domain.Some("Lyon"), Country: domain.Some("FR"), Phone: domain.Some("+33 6 12 34 56 78")})
		res = m.get("/customers/" + bare.ID)
		wantContains(t, res, "<h1>Bar Pepe</h1>", "Persona jurídica", "Sin grupo", "No consta", "Clientes varios (por defecto)",
			"Sin venta a cuenta", "<dt>Factura por correo electrónico</dt><dd>No</dd>", "<dt>Comunicaciones comerciales</dt><dd>No</dd>",
			"Sin notas.", "<address>Lyon<br>Francia</address>", `href="tel:&#43;33612345678">&#43;33 6 12 34 56 78</a>`)
		wantNotContains(t, res, "<dt>Tratamiento</dt>")
		// A reference no barcode can carry is written out.
		odd := e.mustCreateCustomer(withContact(person("Íñigo", "Ortiz"), "", "", "SOCIO-Ñ-7"))
		res = m.get("/customers/" + odd.ID)
		wantContains(t, res, `<dt>Referencia</dt><dd><span class="digits">SOCIO-Ñ-7</span></dd>`)
		wantNotContains(t, res, `class="barcode"`)

		// A cashier reads the profile but has neither action, and the form is closed to them.
		cashier := e.loggedIn(domain.RoleCashier)
		res = cashier.get("/customers/" + c.ID)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "<h1>María Muñoz Peña</h1>")
		wantNotContains(t, res, "/edit", "/delete")
		wantStatus(t, cashier.get("/customers/"+c.ID+"/edit"), http.StatusForbidden)

		// In English.
		m.lang = "en-GB,en;q=0.9"
		wantContains(t, m.get("/customers/"+c.ID), "Group VIP · 10% discount", "Invoice by e-mail", "€500.00", ">Edit<")
	})
}

// TestEditFormLivesBehindTheProfile: the form is at /customers/{id}/edit, leads back to the
// profile, and a save lands on the profile with its message.
func TestEditFormLivesBehindTheProfile(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := e.mustCreateCustomer(person("Luis", "García"))
		b := e.loggedIn(domain.RoleManager)
		res := b.get("/customers/" + c.ID + "/edit")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "<h1>Editar cliente: Luis García</h1>", `action="/customers/`+c.ID+`/edit"`,
			`<a class="button" href="/customers/`+c.ID+`">Cancelar</a>`, `<a href="/customers/`+c.ID+`">‹ Luis García</a>`)

		res = b.post("/customers/"+c.ID+"/edit", url.Values{"kind": {"person"}, "first_name": {"Luisa"}, "last_name": {"García"}, "version": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.header.Get("Location"); got != "/customers/"+c.ID {
			t.Fatalf("after saving: Location %q", got)
		}
		wantContains(t, b.get("/customers/"+c.ID), "Cambios de Luisa García guardados.", "<h1>Luisa García</h1>")

		// A stale version: the form again, whose "see the saved version" opens the profile.
		res = b.post("/customers/"+c.ID+"/edit", url.Values{"kind": {"person"}, "first_name": {"Lu"}, "last_name": {"García"}, "version": {"1"}})
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, `<a href="/customers/`+c.ID+`" target="_blank" rel="noopener">Ver la versión guardada</a>`, `value="Lu"`)

		// The old address of the form takes no post.
		wantStatus(t, b.post("/customers/"+c.ID, url.Values{"kind": {"person"}, "first_name": {"X"}, "version": {"2"}}), http.StatusNotFound)
		if saved, err := e.app.Customer(context.Background(), app.System(), c.ID); err != nil || saved.FirstName != "Luisa" {
			t.Fatalf("saved %q, %v", saved.FirstName, err)
		}
	})
}

// textOf is the text of an element's content without its tags, given from inside its opening
// tag.
func textOf(fragment string) string {
	var b strings.Builder
	_, fragment, _ = strings.Cut(fragment, ">") // the rest of the opening tag
	inTag := false
	for _, r := range fragment {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}
