package web_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/server"
)

func TestLoginAndLogout(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()

		// Signed out, a page sends to the login form and remembers where one was going.
		res := b.get("/customers?q=garcia")
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.header.Get("Location"); got != "/login?next=%2Fcustomers%3Fq%3Dgarcia" {
			t.Errorf("Location = %q", got)
		}

		res = b.post("/login", url.Values{"username": {"admin"}, "password": {"wrong password!"}})
		wantStatus(t, res, http.StatusUnauthorized)
		wantContains(t, res, "Usuario o contraseña incorrectos.", `value="admin"`)
		if b.cookie("clientela_session") != nil {
			t.Fatal("a failed login set a session cookie")
		}

		res = b.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {"/customers?q=garcia"}})
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.header.Get("Location"); got != "/customers?q=garcia" {
			t.Errorf("after login, Location = %q", got)
		}
		setCookie := res.header.Get("Set-Cookie")
		for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(setCookie, attr) {
				t.Errorf("session cookie lacks %s: %s", attr, setCookie)
			}
		}
		if strings.Contains(setCookie, "Secure") {
			t.Errorf("session cookie is Secure over plain HTTP: %s", setCookie)
		}
		first := b.cookie("clientela_session").Value
		wantStatus(t, b.get("/customers"), http.StatusOK)

		// Logging in again gives a new session id and ends the old one.
		res = b.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		second := b.cookie("clientela_session").Value
		if second == first {
			t.Fatal("the session id was not renewed at login")
		}
		old := e.browser()
		old.client.Jar.SetCookies(mustURL(t, e.url), []*http.Cookie{{Name: "clientela_session", Value: first}})
		wantStatus(t, old.get("/customers"), http.StatusSeeOther)

		// Logout really ends the session: the same cookie, replayed, no longer works.
		stolen := e.browser()
		stolen.client.Jar.SetCookies(mustURL(t, e.url), []*http.Cookie{{Name: "clientela_session", Value: second}})
		wantStatus(t, stolen.get("/customers"), http.StatusOK)
		res = b.post("/logout", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.header.Get("Location"); got != "/login" {
			t.Errorf("after logout, Location = %q", got)
		}
		wantStatus(t, stolen.get("/customers"), http.StatusSeeOther)
		wantStatus(t, b.get("/customers"), http.StatusSeeOther)
		wantContains(t, b.get("/login"), "Ha cerrado la sesión.")
	})
}

func TestSessionCookieIsSecureBehindTLS(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.browser()
	req, err := http.NewRequest(http.MethodPost, e.url+"/login", strings.NewReader(url.Values{"username": {"admin"}, "password": {testPassword}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	res := b.do(req)
	wantStatus(t, res, http.StatusSeeOther)
	if c := res.header.Get("Set-Cookie"); !strings.Contains(c, "Secure") {
		t.Errorf("behind a TLS proxy the session cookie is not Secure: %s", c)
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.browser()
	for i := range 5 {
		res := b.post("/login", url.Values{"username": {"manager"}, "password": {"not the password " + strconv.Itoa(i)}})
		wantStatus(t, res, http.StatusUnauthorized)
	}
	res := b.post("/login", url.Values{"username": {"manager"}, "password": {testPassword}})
	wantStatus(t, res, http.StatusTooManyRequests)
	wantContains(t, res, "Demasiados intentos fallidos")
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
	// Another user from the same address is not locked out by someone else's mistakes.
	wantStatus(t, b.post("/login", url.Values{"username": {"cashier"}, "password": {testPassword}}), http.StatusSeeOther)
}

// TestLoginLimitBehindAProxy: behind a trusted reverse proxy, failures are counted per
// client (from X-Forwarded-For), so strangers cannot lock everybody out; a forged header from
// a client that is not a trusted proxy changes nothing.
func TestLoginLimitBehindAProxy(t *testing.T) {
	e := newEnvWith(t, sqliteBackend(t), server.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	b := e.browser()
	login := func(user, password, forwardedFor string) int {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/login", strings.NewReader(url.Values{"username": {user}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwardedFor)
		return b.do(req).status
	}
	for i := range 31 {
		if got := login("nobody"+strconv.Itoa(i), "wrong password!", "198.51.100.66, 203.0.113.9"); got != http.StatusUnauthorized && got != http.StatusTooManyRequests {
			t.Fatalf("attempt %d: status %d", i, got)
		}
	}
	if got := login("nobody", "wrong password!", "203.0.113.9"); got != http.StatusTooManyRequests {
		t.Errorf("the attacking client is not limited: %d", got)
	}
	if got := login("admin", testPassword, "192.0.2.10"); got != http.StatusSeeOther {
		t.Errorf("another client behind the same proxy is locked out: %d", got)
	}

	// Without trusted proxies the header is ignored: the peer is the client.
	e2 := newEnv(t, sqliteBackend(t))
	b2 := e2.browser()
	for i := range 5 {
		req, _ := http.NewRequest(http.MethodPost, e2.url+"/login", strings.NewReader(url.Values{"username": {"admin"}, "password": {"wrong " + strconv.Itoa(i) + " password"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "192.0.2."+strconv.Itoa(i))
		b2.do(req)
	}
	wantStatus(t, b2.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}}), http.StatusTooManyRequests)
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleAdmin)
		form := url.Values{"kind": {"person"}, "first_name": {"Eve"}, "last_name": {"Mallory"}}
		req, err := http.NewRequest(http.MethodPost, e.url+"/customers/new", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res := b.do(req)
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "procede de otro sitio web")

		// An old browser without Sec-Fetch-Site, but with a foreign Origin, is refused too.
		req, _ = http.NewRequest(http.MethodPost, e.url+"/customers/new", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		wantStatus(t, b.do(req), http.StatusForbidden)

		page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "mallory"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Customers) != 0 {
			t.Fatal("the cross-origin post created a customer")
		}
		// The same form from our own page works.
		wantStatus(t, b.post("/customers/new", form), http.StatusSeeOther)
	})
}

func TestScriptInNamesIsShownAsText(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		const evil = `<script>alert(1)</script>`
		g, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some(evil + " VIP")})
		if err != nil {
			t.Fatal(err)
		}
		ch := person(evil, `"><img src=x onerror=alert(2)>`)
		ch.GroupID = domain.Some(g.ID)
		ch.Notes = domain.Some(`</textarea><script>alert(3)</script>`)
		ch.Reference = domain.Some(`<b>ref</b>`)
		c := e.mustCreateCustomer(ch)
		b := e.loggedIn(domain.RoleAdmin)
		for _, path := range []string{
			"/customers", "/customers?q=script", "/customers?q=" + url.QueryEscape(evil),
			"/customers?fragment=rows", "/customers/" + c.ID, "/customers/" + c.ID + "/edit", "/customers/" + c.ID + "/delete",
			"/groups", "/groups/" + g.ID, "/groups/" + g.ID + "/delete",
		} {
			res := b.get(path)
			wantStatus(t, res, http.StatusOK)
			wantNotContains(t, res, "<script>alert", "<img src=x", "<b>ref</b>", "</textarea><script>")
			if !strings.Contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(res.body, "&lt;script&gt;alert(3)") {
				t.Errorf("%s: the name is not shown escaped", path)
			}
		}
		// The message after deleting does not name the customer: their data is gone.
		res := b.post("/customers/"+c.ID+"/delete", nil)
		wantStatus(t, res, http.StatusSeeOther)
		f := b.cookie("clientela_flash")
		if f == nil {
			t.Fatal("no flash cookie after deleting")
		}
		if raw, err := base64.RawURLEncoding.DecodeString(f.Value); err != nil || strings.Contains(string(raw), "script") || strings.Contains(string(raw), "onerror") {
			t.Errorf("the flash cookie carries the deleted customer's data: %q (%v)", raw, err)
		}
		res = b.get("/customers")
		wantStatus(t, res, http.StatusOK)
		wantNotContains(t, res, "<script>alert", "onerror=alert(2)")
		wantContains(t, res, "Cliente suprimido del registro")
	})
}

func TestCashierSeesNoDeleteButtonsAndIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := e.mustCreateCustomer(person("Ana", "Muñoz"))
		g, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some("VIP")})
		if err != nil {
			t.Fatal(err)
		}
		b := e.loggedIn(domain.RoleCashier)
		for _, path := range []string{"/customers", "/customers/" + c.ID, "/groups"} {
			res := b.get(path)
			wantStatus(t, res, http.StatusOK)
			wantNotContains(t, res, "/delete", "/settings/users", "/settings/tokens")
		}
		wantContains(t, b.get("/customers"), `href="/customers/new"`)
		for _, path := range []string{"/customers/" + c.ID + "/delete", "/groups/" + g.ID + "/delete", "/settings/users", "/settings/tokens", "/groups/new"} {
			wantStatus(t, b.get(path), http.StatusForbidden)
		}
		for _, path := range []string{"/customers/" + c.ID + "/delete", "/groups/" + g.ID + "/delete", "/settings/users", "/settings/tokens"} {
			res := b.post(path, url.Values{"username": {"x"}, "role": {"admin"}, "password": {testPassword}, "name": {"t"}})
			wantStatus(t, res, http.StatusForbidden)
		}
		if _, err := e.app.Customer(context.Background(), app.System(), c.ID); err != nil {
			t.Fatalf("the customer is gone after a refused delete: %v", err)
		}
		// The manager sees the trash icons but not the admin pages.
		m := e.loggedIn(domain.RoleManager)
		wantContains(t, m.get("/customers"), "/customers/"+c.ID+"/delete")
		wantStatus(t, m.get("/settings/users"), http.StatusForbidden)
	})
}

func TestCustomerFormKeepsInputAndShowsErrorsByField(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleManager)
		form := url.Values{
			"kind": {"person"}, "title": {"mrs"}, "first_name": {"María"}, "last_name": {"Muñoz Peña"},
			"tax_id": {"12345678A"}, "email": {"maria@example"}, "credit_limit": {"1.234,56"},
			"invoice_by_email": {"on"}, "phone": {"612 34 56 78"},
		}
		res := b.post("/customers/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res,
			`value="María"`, `value="Muñoz Peña"`, `value="1.234,56"`, // kept as typed
			`id="e-tax_id"`, `id="e-email"`, `aria-invalid="true"`,
			"El carácter de control del NIF/NIE/CIF no es correcto.")
		wantNotContains(t, res, `id="e-first_name"`)

		form.Set("tax_id", "12345678Z")
		form.Set("email", "maria@example.com")
		res = b.post("/customers/new", form)
		wantStatus(t, res, http.StatusSeeOther)
		res = b.get("/customers")
		wantContains(t, res, "Cliente María Muñoz Peña creado.", "maria@example.com", "612 34 56 78")

		page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "munoz"})
		if err != nil || len(page.Customers) != 1 {
			t.Fatalf("search munoz: %v, %d found", err, len(page.Customers))
		}
		c := page.Customers[0]
		if c.CreditLimitCents != 123456 || c.Title != domain.TitleMrs || !c.InvoiceByEmail || c.Phone != "+34612345678" {
			t.Errorf("saved %+v", c)
		}
		// The form shows the amount to edit plainly, and what is saved in the money format.
		wantContains(t, b.get("/customers/"+c.ID+"/edit"), `value="1234,56"`, "Guardado: 1.234,56 €.")

		// A bad amount names the field; a company form ignores the person fields.
		res = b.post("/customers/new", url.Values{"kind": {"company"}, "company_name": {"Bar Pepe"}, "first_name": {"ignored"}, "credit_limit": {"12,345"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-credit_limit"`, "Como máximo dos decimales.")
		res = b.post("/customers/new", url.Values{"kind": {"company"}, "company_name": {"Bar Pepe"}, "legal_form": {"S.L."}, "first_name": {"ignored"}, "title": {"mr"}})
		wantStatus(t, res, http.StatusSeeOther)

		// Over-long input is refused with a field error, and a form over 1 MiB with 413.
		res = b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {strings.Repeat("n", 101)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-first_name"`, "Como máximo 100 caracteres.")
		res = b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {strings.Repeat("n", 2<<20)}})
		wantStatus(t, res, http.StatusRequestEntityTooLarge)
	})
}

func TestConcurrentEditIsReported(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := e.mustCreateCustomer(person("Luis", "García"))
		alice, bob := e.loggedIn(domain.RoleManager), e.loggedIn(domain.RoleAdmin)
		wantContains(t, alice.get("/customers/"+c.ID+"/edit"), `name="version" value="1"`, "Alta: ", "Última modificación: ")
		wantContains(t, bob.get("/customers/"+c.ID+"/edit"), `name="version" value="1"`)

		edit := func(b *browser, first, version string) answer {
			return b.post("/customers/"+c.ID+"/edit", url.Values{"kind": {"person"}, "first_name": {first}, "last_name": {"García"}, "version": {version}})
		}
		wantStatus(t, edit(alice, "Luisa", "1"), http.StatusSeeOther)
		res := edit(bob, "Luis Miguel", "1")
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "Otra persona ha guardado este cliente", `value="Luis Miguel"`, `name="version" value="2"`)
		saved, err := e.app.Customer(context.Background(), app.System(), c.ID)
		if err != nil || saved.FirstName != "Luisa" {
			t.Fatalf("after the refused edit: %q, %v", saved.FirstName, err)
		}
		// Saving again, having seen the warning, is a deliberate overwrite.
		wantStatus(t, edit(bob, "Luis Miguel", "2"), http.StatusSeeOther)
	})
}

func TestGroupPagesDeleteNeedsEmptyGroup(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleManager)
		wantStatus(t, b.post("/groups/new", url.Values{"name": {"VIP"}, "discount": {"12,5"}}), http.StatusSeeOther)
		res := b.get("/groups")
		wantContains(t, res, "Grupo «VIP» creado.", "VIP", "12,5\u00a0%")
		groups, err := e.app.Groups(context.Background(), app.System(), 0, "")
		if err != nil || len(groups.Groups) != 1 || groups.Groups[0].DiscountBasisPoints != 1250 {
			t.Fatalf("groups: %+v, %v", groups, err)
		}
		vip := groups.Groups[0]

		wantStatus(t, b.post("/groups/new", url.Values{"name": {"vip"}}), http.StatusConflict) // the name is taken
		res = b.post("/groups/new", url.Values{"name": {"Pro"}, "discount": {"101"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-discount"`, "Debe estar entre 0 y 100.")

		for _, name := range []string{"Ana", "Bea", "Carla"} {
			ch := person(name, "López")
			ch.GroupID = domain.Some(vip.ID)
			e.mustCreateCustomer(ch)
		}
		e.mustCreateCustomer(person("Dora", "López"))
		// The member count leads to the group's customers.
		wantContains(t, b.get("/groups"), `href="/customers?group_id=`+vip.ID+`"`)
		res = b.get("/customers?group_id=" + vip.ID)
		wantContains(t, res, "3 clientes del grupo «VIP»", "López, Ana", "López, Carla")
		wantNotContains(t, res, "Dora")
		wantContains(t, b.get("/customers?q=lopez&group_id="+vip.ID+"&fragment=rows"), "Bea López")
		wantStatus(t, b.get("/customers?group_id=01900000-0000-7000-8000-000000000000"), http.StatusNotFound)
		res = b.get("/groups/" + vip.ID + "/delete")
		wantContains(t, res, "aún tiene 3 clientes", `action="/groups/`+vip.ID+`/move-members"`)
		res = b.post("/groups/"+vip.ID+"/delete", nil)
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "aún tiene 3 clientes")

		wantStatus(t, b.post("/groups/"+vip.ID+"/move-members", url.Values{"to_group_id": {"none"}}), http.StatusSeeOther)
		res = b.get("/groups/" + vip.ID + "/delete")
		wantContains(t, res, "3 clientes movidos.", "¿Suprimir definitivamente el grupo «VIP»?")
		wantStatus(t, b.post("/groups/"+vip.ID+"/delete", nil), http.StatusSeeOther)
		wantContains(t, b.get("/groups"), "Grupo «VIP» suprimido.")
	})
}

func TestLanguageFromBrowserAndFromUserSetting(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleAdmin)
	b.lang = "en-GB,en;q=0.9"
	c := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some("Bar Pepe"), CreditLimitCents: domain.Some(int64(123456))})
	res := b.get("/customers")
	wantContains(t, res, `<html lang="en">`, "Find a customer", "Company")
	wantContains(t, b.get("/customers/"+c.ID+"/edit"), `value="1234.56"`, "Saved: €1,234.56.", "Credit limit (€)")
	// The user's own setting wins over the browser.
	wantStatus(t, b.post("/settings/language", url.Values{"language": {"es"}}), http.StatusSeeOther)
	wantContains(t, b.get("/customers"), `<html lang="es">`, "Buscar un cliente", "Persona jurídica")
	wantStatus(t, b.post("/settings/language", url.Values{"language": {"xx"}}), http.StatusUnprocessableEntity)
}

func TestStaticFilesAreFingerprintedAndCached(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.browser()
	page := b.get("/login")
	i := strings.Index(page.body, `href="/static/app.`)
	if i < 0 {
		t.Fatalf("no stylesheet link in\n%s", page.body)
	}
	href := page.body[i+len(`href="`):]
	href = href[:strings.IndexByte(href, '"')]
	res := b.get(href)
	wantStatus(t, res, http.StatusOK)
	if got := res.header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := res.header.Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
		t.Errorf("Content-Type = %q", got)
	}
	wantStatus(t, b.get("/static/app.css"), http.StatusNotFound)
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func TestAdminPagesUsersAndTokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleAdmin)
		res := b.post("/settings/users", url.Values{"username": {"pepa"}, "role": {"cashier"}, "password": {"short"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-password"`, `value="pepa"`)
		wantStatus(t, b.post("/settings/users", url.Values{"username": {"pepa"}, "role": {"cashier"}, "password": {testPassword}}), http.StatusSeeOther)
		wantContains(t, b.get("/settings/users"), "Usuario pepa añadido.", "pepa")
		pepa := e.browser()
		wantStatus(t, pepa.post("/login", url.Values{"username": {"pepa"}, "password": {testPassword}}), http.StatusSeeOther)

		// A token is shown once, works on the API, and stops working when revoked.
		res = b.post("/settings/tokens", url.Values{"username": {"pepa"}, "name": {"Caja 1"}})
		wantStatus(t, res, http.StatusOK)
		i := strings.Index(res.body, `<code id="new-token">`)
		if i < 0 {
			t.Fatalf("no token shown\n%s", res.body)
		}
		secret := res.body[i+len(`<code id="new-token">`):]
		secret = secret[:strings.IndexByte(secret, '<')]
		api := func() int {
			req, _ := http.NewRequest(http.MethodGet, e.url+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			return b.do(req).status
		}
		if got := api(); got != http.StatusOK {
			t.Fatalf("new token: API status %d", got)
		}
		// Posting the same form again (a reload) makes no second token.
		res = b.post("/settings/tokens", url.Values{"username": {"pepa"}, "name": {"caja 1"}})
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, `id="e-name"`, "Ya está en uso.")
		if tokens, err := e.app.APITokens(context.Background(), app.System()); err != nil || len(tokens) != 1 {
			t.Fatalf("%d tokens after a repeated post (%v)", len(tokens), err)
		}
		list := b.get("/settings/tokens")
		wantNotContains(t, list, secret)
		j := strings.Index(list.body, `/revoke"`)
		if j < 0 {
			t.Fatalf("no revoke button\n%s", list.body)
		}
		action := list.body[strings.LastIndex(list.body[:j], `action="`)+len(`action="`) : j+len(`/revoke`)]
		wantStatus(t, b.post(action, nil), http.StatusSeeOther)
		if got := api(); got != http.StatusUnauthorized {
			t.Fatalf("revoked token: API status %d", got)
		}

		// Disabling a user ends their session at once; the admin cannot disable themself.
		users, err := e.app.Users(context.Background(), app.System())
		if err != nil {
			t.Fatal(err)
		}
		var pepaID string
		for _, u := range users {
			if u.Username == "pepa" {
				pepaID = u.ID
			}
		}
		wantStatus(t, b.post("/settings/users/"+pepaID+"/disable", nil), http.StatusSeeOther)
		wantStatus(t, pepa.get("/customers"), http.StatusSeeOther)
		res = b.post("/settings/users/"+e.ids[domain.RoleAdmin]+"/disable", nil)
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "No puede desactivar su propio usuario.")
		wantStatus(t, b.post("/settings/users/"+pepaID+"/role", url.Values{"role": {"manager"}}), http.StatusSeeOther)
	})
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b, other := e.loggedIn(domain.RoleCashier), e.loggedIn(domain.RoleCashier)
	res := b.post("/settings/password", url.Values{"current_password": {"wrong one!!"}, "new_password": {"another long password"}, "confirm_password": {"another long password"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-current_password"`)
	res = b.post("/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"another long password"}, "confirm_password": {"different"}})
	wantContains(t, res, `id="e-confirm_password"`)
	before := b.cookie("clientela_session").Value
	res = b.post("/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"another long password"}, "confirm_password": {"another long password"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, b.get("/customers"), http.StatusOK)           // this browser stays signed in
	wantStatus(t, other.get("/customers"), http.StatusSeeOther) // the other session is ended
	if b.cookie("clientela_session").Value == before {
		t.Error("the session id was not renewed with the new password")
	}
	old := e.browser()
	old.client.Jar.SetCookies(mustURL(t, e.url), []*http.Cookie{{Name: "clientela_session", Value: before}})
	wantStatus(t, old.get("/customers"), http.StatusSeeOther)
}

func TestCustomerListPagesAndSearchFragment(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	for i := range 60 {
		e.mustCreateCustomer(person("Cliente", "Apellido"+strconv.Itoa(100+i)))
	}
	e.mustCreateCustomer(person("José", "Muñoz"))
	b := e.loggedIn(domain.RoleCashier)
	res := b.get("/customers")
	if n := strings.Count(res.body, "<tr>") - 1; n != 50 { // minus the header row
		t.Errorf("first page has %d rows, want 50", n)
	}
	i := strings.Index(res.body, `data-more`)
	if i < 0 {
		t.Fatal("no link to the next page")
	}
	href := res.body[strings.LastIndex(res.body[:i], `href="`)+len(`href="`):]
	href = strings.ReplaceAll(href[:strings.IndexByte(href, '"')], "&amp;", "&")
	res = b.get(href + "&fragment=rows")
	wantStatus(t, res, http.StatusOK)
	wantNotContains(t, res, "<html", "data-more")
	if n := strings.Count(res.body, "<tr>"); n != 11 {
		t.Errorf("second page has %d rows, want 11", n)
	}
	res = b.get("/customers?q=munoz&fragment=rows")
	wantContains(t, res, "José Muñoz")
	wantNotContains(t, res, "Apellido")
	wantContains(t, b.get("/customers?q=zzzz"), "Ningún cliente coincide con «zzzz».")
	// A tampered cursor shows the first page instead of an error.
	wantStatus(t, b.get("/customers?cursor=garbage"), http.StatusOK)
}

func TestUnknownPageIsNotFound(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleCashier)
	res := b.get("/no/such/page")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, res, "No se ha encontrado.", "Salir")
	wantStatus(t, b.get("/customers/not-an-id"), http.StatusNotFound)
	wantStatus(t, b.get("/customers/01900000-0000-7000-8000-000000000000"), http.StatusNotFound)
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	for next, want := range map[string]string{
		"/groups":               "/groups",
		"//evil.example/":       "/customers",
		"https://evil.example/": "/customers",
		`/\evil.example`:        "/customers",
		"":                      "/customers",
	} {
		b := e.browser()
		res := b.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {next}})
		if got := res.header.Get("Location"); got != want {
			t.Errorf("next=%q: Location %q, want %q", next, got, want)
		}
	}
}

func TestGroupConcurrentEditIsReported(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	g, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))})
	if err != nil {
		t.Fatal(err)
	}
	a, b := e.loggedIn(domain.RoleManager), e.loggedIn(domain.RoleAdmin)
	wantContains(t, a.get("/groups/"+g.ID), `value="10"`, `name="version" value="1"`)
	wantStatus(t, a.post("/groups/"+g.ID, url.Values{"name": {"VIP"}, "discount": {"15"}, "version": {"1"}}), http.StatusSeeOther)
	res := b.post("/groups/"+g.ID, url.Values{"name": {"Oro"}, "discount": {"5"}, "version": {"1"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res, "Otra persona ha guardado este grupo", `value="Oro"`, `name="version" value="2"`)
	saved, err := e.app.Group(context.Background(), app.System(), g.ID)
	if err != nil || saved.Name != "VIP" || saved.DiscountBasisPoints != 1500 {
		t.Fatalf("after the refused edit: %+v, %v", saved, err)
	}
}

// TestInvoiceByEmailFollowsTheEmailOnEdit: adding an e-mail in the form turns invoicing by
// e-mail on, as the use case does for the API, unless the user changed the box themself.
func TestInvoiceByEmailFollowsTheEmailOnEdit(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	c := e.mustCreateCustomer(person("Rosa", "Vidal"))
	b := e.loggedIn(domain.RoleManager)
	form := url.Values{"kind": {"person"}, "first_name": {"Rosa"}, "last_name": {"Vidal"}, "email": {"rosa@example.es"}, "version": {"1"}}
	wantStatus(t, b.post("/customers/"+c.ID+"/edit", form), http.StatusSeeOther)
	saved, err := e.app.Customer(context.Background(), app.System(), c.ID)
	if err != nil || !saved.InvoiceByEmail {
		t.Fatalf("after adding an e-mail: invoice_by_email %v (%v)", saved.InvoiceByEmail, err)
	}
	// Unticking the box is kept.
	form.Set("version", "2")
	wantStatus(t, b.post("/customers/"+c.ID+"/edit", form), http.StatusSeeOther)
	if saved, _ = e.app.Customer(context.Background(), app.System(), c.ID); saved.InvoiceByEmail {
		t.Fatal("unticking the box did not turn invoicing by e-mail off")
	}
}

func TestMoveMembersToAGroupThatWentAway(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	ctx := context.Background()
	vip, _ := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("VIP")})
	gold, _ := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some("Oro")})
	ch := person("Ana", "López")
	ch.GroupID = domain.Some(vip.ID)
	e.mustCreateCustomer(ch)
	b := e.loggedIn(domain.RoleManager)
	wantContains(t, b.get("/groups/"+vip.ID+"/delete"), `value="`+gold.ID+`"`)
	if err := e.app.DeleteGroup(ctx, app.System(), gold.ID); err != nil {
		t.Fatal(err)
	}
	res := b.post("/groups/"+vip.ID+"/move-members", url.Values{"to_group_id": {gold.ID}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="e-to_group_id"`, "El grupo no existe.", "aún tiene 1 cliente")
}

func TestPasswordChangeIsRateLimited(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleCashier)
	var res answer
	for i := range 6 {
		res = b.post("/settings/password", url.Values{"current_password": {"wrong guess " + strconv.Itoa(i)}, "new_password": {"another long password"}, "confirm_password": {"another long password"}})
	}
	wantStatus(t, res, http.StatusTooManyRequests)
	wantContains(t, res, "Demasiados intentos fallidos", "Contraseña actual")
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
}

// TestPhonesShownForTheShopsCountry: numbers of the shop's country are shown in national
// form, others in international form.
func TestPhonesShownForTheShopsCountry(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	ch := person("Jean", "Dupont")
	ch.Phone = domain.Some("+33 6 12 34 56 78")
	e.mustCreateCustomer(ch)
	ch = person("Ana", "Mora")
	ch.Phone = domain.Some("+34 612 34 56 78")
	e.mustCreateCustomer(ch)
	b := e.loggedIn(domain.RoleCashier)
	wantContains(t, b.get("/customers"), "&#43;33 6 12 34 56 78", ">612 34 56 78<") // html/template writes + as &#43;
	if _, err := e.db.SQL().Exec("INSERT INTO settings (key, value) VALUES ('default_country', 'FR')"); err != nil {
		t.Fatal(err)
	}
	wantContains(t, b.get("/customers"), ">06 12 34 56 78<", "&#43;34 612 34 56 78")
}

// TestShopCountry: the admin sets the shop's country; customers without a country in their
// address then follow its rules (no Spanish tax-id check, French phone numbers).
func TestShopCountry(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleAdmin)
		res := b.get("/settings/shop")
		wantContains(t, res, `<option value="ES" selected>España</option>`, `name="invoice_prefix" type="text" value="F"`,
			`name="vat_rate_0" type="text" inputmode="decimal" maxlength="6" value="21"`, `name="vat_rate_3" type="text" inputmode="decimal" maxlength="6" value="0"`)
		shopForm := func(country string) url.Values {
			shop, err := e.app.Shop(context.Background(), app.System())
			if err != nil {
				t.Fatal(err)
			}
			return url.Values{"version": {strconv.FormatInt(shop.Version, 10)}, "country": {country}, "invoice_prefix": {"F"},
				"vat_rate_0": {"21"}, "vat_rate_1": {"10"}, "vat_rate_2": {"4"}, "vat_rate_3": {"0"}}
		}
		res = b.post("/settings/shop", shopForm("XX"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-country"`)
		wantStatus(t, b.post("/settings/shop", shopForm("FR")), http.StatusSeeOther)
		wantContains(t, b.get("/settings/shop"), "Datos de la tienda guardados.", `<option value="FR" selected>Francia</option>`)

		res = b.post("/customers/new", url.Values{"kind": {"person"}, "first_name": {"Jean"}, "last_name": {"Dupont"},
			"tax_id": {"12345678A"}, "phone": {"06 12 34 56 78"}})
		wantStatus(t, res, http.StatusSeeOther)
		page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "dupont"})
		if err != nil || len(page.Customers) != 1 || page.Customers[0].Phone != "+33612345678" {
			t.Fatalf("customer under a French shop: %+v, %v", page.Customers, err)
		}
		audit, err := e.app.AuditLog(context.Background(), app.System(), app.AuditQuery{EntityType: "settings"})
		if err != nil || len(audit.Entries) != 1 || audit.Entries[0].Action != domain.ActionShopUpdate {
			t.Fatalf("audit: %+v, %v", audit.Entries, err)
		}
		m := e.loggedIn(domain.RoleManager)
		wantStatus(t, m.get("/settings/shop"), http.StatusForbidden)
		wantStatus(t, m.post("/settings/shop", shopForm("ES")), http.StatusForbidden)
	})
}

// TestShopDetails: the admin fills in the shop's details; every mistake is reported in one
// answer with the summary, a stale form is refused as a conflict, and the rates come back
// in order.
func TestShopDetails(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.loggedIn(domain.RoleAdmin)
		form := url.Values{"version": {"1"}, "name": {"Ultramarinos Ruiz"}, "tax_id": {"B12345675"}, "line1": {"Calle Mayor 5"},
			"postal_code": {"28013"}, "city": {"Madrid"}, "country": {"ES"}, "invoice_prefix": {"T 1"},
			"vat_rate_0": {"21"}, "vat_rate_1": {"diez"}, "vat_rate_2": {"4"}}
		shop, err := e.app.Shop(context.Background(), app.System())
		if err != nil {
			t.Fatal(err)
		}
		form.Set("version", strconv.FormatInt(shop.Version, 10))
		res := b.post("/settings/shop", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Hay 3 datos que corregir", `href="#f-tax_id"`, `href="#f-invoice_prefix"`, `href="#f-vat_rate_1"`,
			"Solo letras sin tilde (A-Z) y cifras, sin espacios.", `value="Ultramarinos Ruiz"`, `value="diez"`)
		if now, _ := e.app.Shop(context.Background(), app.System()); now.Version != shop.Version {
			t.Errorf("a refused form saved something: version %d → %d", shop.Version, now.Version)
		}
		form.Set("tax_id", "B12345674")
		form.Set("invoice_prefix", "t")
		form.Set("vat_rate_1", "10")
		form.Set("vat_rate_3", "5,5")
		wantStatus(t, b.post("/settings/shop", form), http.StatusSeeOther)
		res = b.get("/settings/shop")
		wantContains(t, res, `value="Ultramarinos Ruiz"`, `value="B12345674"`, `value="T"`,
			`name="vat_rate_0" type="text" inputmode="decimal" maxlength="6" value="21"`, `name="vat_rate_1" type="text" inputmode="decimal" maxlength="6" value="10"`,
			`name="vat_rate_2" type="text" inputmode="decimal" maxlength="6" value="5,5"`, `name="vat_rate_3" type="text" inputmode="decimal" maxlength="6" value="4"`)
		// The same form again carries the old version: someone saved in between.
		form.Set("name", "Otra")
		res = b.post("/settings/shop", form)
		wantStatus(t, res, http.StatusConflict)
		wantContains(t, res, "Otra persona ha guardado los datos de la tienda", `value="Otra"`)
		// Twice the same rate, or none.
		form.Set("version", strings.TrimSuffix(strings.TrimPrefix(regexp.MustCompile(`name="version" value="\d+"`).FindString(res.body), `name="version" value="`), `"`))
		form.Set("vat_rate_3", "21")
		res = b.post("/settings/shop", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Cada tipo solo una vez.")
	})
}

// TestPhoneInTheFormReadsBackTheSame: the edit form shows a phone as people write it, and
// saving the form unchanged keeps the same number, whatever the address's country.
func TestPhoneInTheFormReadsBackTheSame(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleManager)
	for _, tc := range []struct{ phone, country, shown string }{
		{"+34 612 34 56 78", "", `value="612 34 56 78"`},
		{"+34 612 34 56 78", "FR", `value="&#43;34 612 34 56 78"`},
		{"+33 6 12 34 56 78", "FR", `value="06 12 34 56 78"`},
	} {
		ch := person("Eva", "Prieto")
		ch.Phone, ch.Country = domain.Some(tc.phone), domain.Some(tc.country)
		c := e.mustCreateCustomer(ch)
		wantContains(t, b.get("/customers/"+c.ID+"/edit"), tc.shown)
		form := url.Values{"kind": {"person"}, "first_name": {"Eva"}, "last_name": {"Prieto"}, "version": {"1"},
			"phone": {strings.NewReplacer(`value="`, "", `"`, "", "&#43;", "+").Replace(tc.shown)}, "country": {tc.country}}
		wantStatus(t, b.post("/customers/"+c.ID+"/edit", form), http.StatusSeeOther)
		saved, err := e.app.Customer(context.Background(), app.System(), c.ID)
		if err != nil || saved.Phone != c.Phone {
			t.Errorf("%s with country %q: saved %q, want %q (%v)", tc.phone, tc.country, saved.Phone, c.Phone, err)
		}
	}
}

func TestAdminSetsANewPassword(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		cashier := e.loggedIn(domain.RoleCashier)
		admin := e.loggedIn(domain.RoleAdmin)
		id := e.ids[domain.RoleCashier]
		wantContains(t, admin.get("/settings/users"), `href="/settings/users/`+id+`/password"`)
		wantContains(t, admin.get("/settings/users/"+id+"/password"), "Nueva contraseña para cashier")
		res := admin.post("/settings/users/"+id+"/password", url.Values{"password": {"short"}, "confirm_password": {"short"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-password"`)
		res = admin.post("/settings/users/"+id+"/password", url.Values{"password": {"a brand new password"}, "confirm_password": {"different"}})
		wantContains(t, res, `id="e-confirm_password"`)
		wantStatus(t, admin.post("/settings/users/"+id+"/password", url.Values{"password": {"a brand new password"}, "confirm_password": {"a brand new password"}}), http.StatusSeeOther)
		wantContains(t, admin.get("/settings/users"), "Nueva contraseña para cashier. Sus sesiones se han cerrado.")
		wantStatus(t, cashier.get("/customers"), http.StatusSeeOther) // their session ended
		b := e.browser()
		wantStatus(t, b.post("/login", url.Values{"username": {"cashier"}, "password": {"a brand new password"}}), http.StatusSeeOther)
		wantStatus(t, admin.get("/settings/users/01900000-0000-7000-8000-000000000000/password"), http.StatusNotFound)
	})
}
