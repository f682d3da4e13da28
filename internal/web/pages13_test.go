package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// Issue 13 items 1–6 over HTTP: what the pages say and do without a script. The browser
// tests (pages13_browser_test.go) check how they look and behave in Chromium.

// TestRegisterSaysHowManyAndInWhatOrder: the register counts its customers (or a group's),
// names persons as it sorts them, and offers the group filter; a search says the count is of
// the customers searched.
func TestRegisterSaysHowManyAndInWhatOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		vip, err := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))})
		if err != nil {
			t.Fatal(err)
		}
		ana := person("Ana", "García López")
		ana.GroupID = domain.Some(vip.ID)
		e.mustCreateCustomer(ana)
		e.mustCreateCustomer(person("Luis", "Abad"))
		e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some("Bar Pepe"), LegalForm: domain.Some("S.L.")})
		b := e.loggedIn(domain.RoleCashier)

		res := b.get("/customers")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "En el registro: 3 clientes. Por orden de apellidos; las empresas, por su nombre.",
			">Abad, Luis<", ">García López, Ana<", ">Bar Pepe S.L.<", `title="Ana García López"`,
			`<option value="`+vip.ID+`">VIP (−10`, `<span class="visually-hidden">Persona jurídica</span>`)
		if i, j := strings.Index(res.body, "Abad, Luis"), strings.Index(res.body, "García López, Ana"); i < 0 || j < i {
			t.Error("the register is not in surname order")
		}
		res = b.get("/customers?group_id=" + vip.ID)
		wantContains(t, res, "En el registro: 1 cliente del grupo «VIP».", `<option value="`+vip.ID+`" selected>`)
		wantNotContains(t, res, "Abad, Luis")
		res = b.get("/customers?q=garcia")
		wantContains(t, res, "Resultados de «garcia» entre 3 clientes; primero, los que coinciden exactamente.",
			`data-search="Resultados de «{q}» entre 3 clientes;`)

		b.lang = "en"
		wantContains(t, b.get("/customers"), "In the register: 3 customers. By surname; companies by name.")
	})
}

// TestRegisterCountIsBounded: past app.CountBound the register says "more than", in the
// language's number format.
func TestRegisterCountIsBounded(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	batch := make([]domain.Customer, app.CountBound+1)
	for i := range batch {
		batch[i] = preparedPerson(t, "Cliente", "Número")
	}
	if err := e.db.BulkInsertCustomers(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	b := e.loggedIn(domain.RoleCashier)
	wantContains(t, b.get("/customers"), "En el registro: más de 10.000 clientes.")
	b.lang = "en"
	wantContains(t, b.get("/customers"), "In the register: more than 10,000 customers.")
}

// TestCustomerFormReportsEveryProblemAtOnce: the form's own problem (an amount) and the use
// case's (tax id, e-mail, phone) come back together, in a summary that names and links each
// field, with messages written for e-mail and phone.
func TestCustomerFormReportsEveryProblemAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleManager)
		res := b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {"María"}, "tax_id": {"12345678A"},
			"email": {"maria@"}, "phone": {"12"}, "credit_limit": {"12,345"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Hay 4 datos que corregir",
			`<a href="#f-tax_id">NIF / NIE / CIF: El carácter de control`,
			`<a href="#f-email">Correo electrónico: No es una dirección de correo válida: escríbala entera, como nombre@ejemplo.es`,
			`<a href="#f-phone">Teléfono: No es un número de teléfono válido`,
			`<a href="#f-credit_limit">Límite de crédito (€): Como máximo dos decimales.`,
			`id="e-tax_id"`, `id="e-credit_limit"`, `data-summary`, `autofocus`)
		if n := strings.Count(res.body, "<li><a href=\"#f-"); n != 4 {
			t.Errorf("the summary lists %d problems, want 4", n)
		}
		// A person without names: both fields say what is needed, once.
		res = b.post("/customers/new", url.Values{"kind": {"person"}})
		wantContains(t, res, `<a href="#f-first_name">Nombre: Escriba el nombre o los apellidos.`)
		// A company's name is required, and marked so.
		res = b.get("/customers/new")
		wantContains(t, res, `Razón social<span class="req" aria-hidden="true"> *</span>`, "Crear cliente")
		if !regexp.MustCompile(`id="f-company_name"[^>]* required aria-required="true"`).MatchString(res.body) {
			t.Error("the company name is not required on the form")
		}
		wantNotContains(t, res, ">Validar<")
		if page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{}); err != nil || len(page.Customers) != 0 {
			t.Errorf("refused forms saved %d customers (%v)", len(page.Customers), err)
		}
	})
}

// TestCustomerFormWarnsAboutSharedValues: a phone another customer has (with another
// extension) is named with a link to them; the form saves only when "save anyway" sends back
// the warning's key, and a changed key (another holder) warns again.
func TestCustomerFormWarnsAboutSharedValues(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ch := person("Rosa", "Vidal")
		ch.Phone, ch.TaxID = domain.Some("+34 912 34 56 78 ext 3"), domain.Some("12345678Z")
		rosa := e.mustCreateCustomer(ch)
		b := e.loggedIn(domain.RoleCashier)
		form := url.Values{"kind": {"person"}, "first_name": {"Rosa"}, "last_name": {"Vidal Gil"}, "phone": {"912 34 56 78"}, "tax_id": {"12.345.678-Z"}}
		res := b.post("/customers/new", form)
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "Otros clientes ya tienen algunos de estos datos", `id="w-phone"`, `id="w-tax_id"`,
			"Otro cliente tiene este teléfono:", `<a href="/customers/`+rosa.ID+`" target="_blank" rel="noopener">Rosa Vidal</a>`,
			`<a href="#f-phone">Teléfono: Otro cliente tiene este teléfono: Rosa Vidal</a>`, "Guardar de todos modos")
		key := regexp.MustCompile(`name="shared_ok" value="([0-9a-f]+)"`).FindStringSubmatch(res.body)
		if key == nil {
			t.Fatalf("no save-anyway button\n%s", res.body)
		}
		form.Set("shared_ok", "not the key")
		wantStatus(t, b.post("/customers/new", form), http.StatusConflict)

		// Someone else registers the number meanwhile: the confirmation no longer holds.
		other := person("Luis", "Vidal")
		other.Phone = domain.Some("912345678")
		e.mustCreateCustomer(other)
		form.Set("shared_ok", key[1])
		res = b.post("/customers/new", form)
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "Otros clientes tienen este teléfono:", ">Luis Vidal</a>")
		key = regexp.MustCompile(`name="shared_ok" value="([0-9a-f]+)"`).FindStringSubmatch(res.body)
		form.Set("shared_ok", key[1])
		wantStatus(t, b.post("/customers/new", form), http.StatusSeeOther)
		wantContains(t, b.get("/customers"), "Cliente Rosa Vidal Gil creado.")
	})
}

// TestTakenReferenceNamesItsHolder: a reference another customer has is an error that names
// and links them.
func TestTakenReferenceNamesItsHolder(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ch := person("Rosa", "Vidal")
		ch.Reference = domain.Some("4006381333931")
		rosa := e.mustCreateCustomer(ch)
		b := e.loggedIn(domain.RoleManager)
		res := b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {"Eva"}, "reference": {"4006381333931"}})
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, `<p class="field-error" id="e-reference">Esta referencia ya es de otro cliente: <a href="/customers/`+rosa.ID+`"`,
			"Referencia: Esta referencia ya es de otro cliente: Rosa Vidal</a>")
	})
}

// TestConfirmationPages: disabling a user, revoking a token and moving a group's members each
// ask first, on a page of their own that says what will happen; the actions stay POSTs.
func TestConfirmationPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if _, err := e.app.CreateAPIToken(ctx, app.System(), "cashier", "Caja 1"); err != nil {
			t.Fatal(err)
		}
		tokens, err := e.app.APITokens(ctx, app.System())
		if err != nil || len(tokens) != 1 {
			t.Fatalf("tokens: %v %v", tokens, err)
		}
		admin := e.loggedIn(domain.RoleAdmin)
		cashierID := e.ids[domain.RoleCashier]
		wantContains(t, admin.get("/settings/users"), `<form method="get" action="/settings/users/`+cashierID+`/disable">`)
		res := admin.get("/settings/users/" + cashierID + "/disable")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "¿Desactivar a cashier?", "sus sesiones abiertas se cierran", "Su token de API «Caja 1» deja de funcionar",
			`action="/settings/users/`+cashierID+`/disable"`, `class="danger"`)
		wantContains(t, admin.get("/settings/tokens"), `<form method="get" action="/settings/tokens/`+tokens[0].ID+`/revoke">`)
		res = admin.get("/settings/tokens/" + tokens[0].ID + "/revoke")
		wantContains(t, res, "¿Revocar el token «Caja 1» de cashier?", "No se ha usado nunca.", "deja de funcionar al momento",
			`action="/settings/tokens/`+tokens[0].ID+`/revoke"`)
		wantStatus(t, admin.get("/settings/tokens/01900000-0000-7000-8000-000000000000/revoke"), http.StatusNotFound)
		wantStatus(t, admin.post("/settings/tokens/"+tokens[0].ID+"/revoke", nil), http.StatusSeeOther)
		res = admin.get("/settings/tokens/" + tokens[0].ID + "/revoke") // already revoked: back to the list
		wantStatus(t, res, http.StatusSeeOther)

		vip, _ := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))})
		gold, _ := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("Oro"), DiscountBasisPoints: domain.Some(int64(500))})
		for _, name := range []string{"Ana", "Bea"} {
			ch := person(name, "López")
			ch.GroupID = domain.Some(vip.ID)
			e.mustCreateCustomer(ch)
		}
		m := e.loggedIn(domain.RoleManager)
		res = m.get("/groups/" + vip.ID + "/delete")
		wantContains(t, res, `<option value="">Elija un grupo…</option>`, `<option value="none">Sin grupo</option>`,
			`<option value="`+gold.ID+`">Oro (−5`, `method="get" action="/groups/`+vip.ID+`/move-members"`)
		wantNotContains(t, res, " selected>")
		res = m.get("/groups/" + vip.ID + "/move-members?to_group_id=")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-to_group_id"`, "Elija a qué grupo pasan los clientes")
		res = m.get("/groups/" + vip.ID + "/move-members?to_group_id=" + gold.ID)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "¿Pasar los 2 clientes del grupo «VIP» a «Oro»?", "Su descuento pasa de 10\u00a0% a 5\u00a0%",
			`name="to_group_id" value="`+gold.ID+`"`, "Mover los 2 clientes")
		wantContains(t, m.get("/groups/"+vip.ID+"/move-members?to_group_id=none"), "a «Sin grupo»?", "de 10\u00a0% a ninguno")
		wantStatus(t, m.post("/groups/"+vip.ID+"/move-members", url.Values{"to_group_id": {""}}), http.StatusUnprocessableEntity)
		if g, err := e.app.Group(ctx, app.System(), vip.ID); err != nil || g.MemberCount != 2 {
			t.Fatalf("members moved without a choice: %+v, %v", g, err)
		}
		wantStatus(t, m.post("/groups/"+vip.ID+"/move-members", url.Values{"to_group_id": {gold.ID}}), http.StatusSeeOther)
		if g, err := e.app.Group(ctx, app.System(), gold.ID); err != nil || g.MemberCount != 2 {
			t.Fatalf("after moving: %+v, %v", g, err)
		}

		// Who may open them: the route table's permissions.
		wantStatus(t, m.get("/settings/users/"+cashierID+"/disable"), http.StatusForbidden)
		wantStatus(t, m.get("/settings/tokens/"+tokens[0].ID+"/revoke"), http.StatusForbidden)
		wantStatus(t, e.loggedIn(domain.RoleCashier).get("/groups/"+gold.ID+"/move-members?to_group_id=none"), http.StatusForbidden)
	})
}

// TestSmallerPageFixes: no "+" that a cashier does not have; "Nuevo grupo" is written on its
// button; a group's page leads to its members and to its deletion; "Idioma" once.
func TestSmallerPageFixes(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	cashier, manager := e.loggedIn(domain.RoleCashier), e.loggedIn(domain.RoleManager)
	res := cashier.get("/groups")
	wantContains(t, res, "Aún no hay grupos de clientes.")
	wantNotContains(t, res, "con +", "Nuevo grupo")
	res = manager.get("/groups")
	wantContains(t, res, "Cree el primero con «Nuevo grupo».", `<span>Nuevo grupo</span>`)

	vip, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some("VIP")})
	if err != nil {
		t.Fatal(err)
	}
	ch := person("Ana", "López")
	ch.GroupID = domain.Some(vip.ID)
	e.mustCreateCustomer(ch)
	res = manager.get("/groups/" + vip.ID)
	wantContains(t, res, `<a href="/customers?group_id=`+vip.ID+`">Ver su cliente</a>`, `href="/groups/`+vip.ID+`/delete"`)
	res = cashier.get("/groups/" + vip.ID)
	wantContains(t, res, `<a href="/customers?group_id=`+vip.ID+`">Ver su cliente</a>`)
	wantNotContains(t, res, "/delete")

	res = cashier.get("/settings/account")
	if n := strings.Count(res.body, ">Idioma<"); n != 1 {
		t.Errorf("the account page says «Idioma» %d times", n)
	}
}

// preparedPerson is a new person ready for a bulk insert.
func preparedPerson(t *testing.T, first, last string) domain.Customer {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	c := domain.Customer{ID: uuid.Must(uuid.NewV7()).String(), Kind: domain.KindPerson, FirstName: first, LastName: last,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := c.Prepare("ES"); err != nil {
		t.Fatal(err)
	}
	return c
}
