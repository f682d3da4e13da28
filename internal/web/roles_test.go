package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// pageRoles is who may open each page and what each caller gets, written out by hand (as the
// API's matrix in internal/httpapi/authz_test.go is) so that it checks the route table instead
// of repeating it. TestPageRolesMatrix sends each row's request as each caller to the real
// handlers; TestEveryPageRouteHasARow fails on a route without a row, so a new page cannot
// escape the matrix.
//
// Adding a row: the route's pattern as in web.go's route table; the URL to request, where
// {customer}, {group} (empty), {fullgroup} (one member), {user}, {username} (a cashier's id and
// name), {token} (an API token's id), {invoice} (an invoice issued at the till) and {n} stand for records made afresh for each caller (so the manager's delete leaves the admin something to delete); for a POST the
// form to send — valid input, so an allowed caller gets the page's real success, or an empty
// form when its validation answer is the point; then the outcome signed out, as a cashier, a
// manager and an admin. An allowed caller expects the exact answer (ok, see(where), or the
// form's own status such as outcome{status: http.StatusUnprocessableEntity}), never just
// "not 403".
var pageRoles = []pageRole{
	// Cashiers start at the till; the others at the register.
	{"GET /{$}", "/", nil, toLogin, see("/till"), see("/customers"), see("/customers")},
	{"GET /login", "/login", nil, ok, see("/till"), see("/customers"), see("/customers")},
	{"POST /login", "/login", form("username", "cashier", "password", testPassword), see("/till"), see("/till"), see("/till"), see("/till")},
	{"GET /logout", "/logout", nil, toLogin, ok, ok, ok},
	{"POST /logout", "/logout", nil, toLogin, see("/login"), see("/login"), see("/login")},

	{"GET /customers", "/customers", nil, toLogin, ok, ok, ok},
	{"GET /customers/new", "/customers/new", nil, toLogin, ok, ok, ok},
	{"POST /customers/new", "/customers/new", form("kind", "person", "first_name", "Nueva", "last_name", "Clienta {n}"), toLogin, see("/customers"), see("/customers"), see("/customers")},
	{"GET /customers/{id}", "/customers/{customer}", nil, toLogin, ok, ok, ok},
	{"GET /customers/{id}/edit", "/customers/{customer}/edit", nil, toLogin, refused, ok, ok},
	{"POST /customers/{id}/edit", "/customers/{customer}/edit", form("version", "1", "kind", "person", "first_name", "Ana", "last_name", "Muñoz Editada"), toLogin, refused, see("/customers/{customer}"), see("/customers/{customer}")},
	{"GET /customers/{id}/delete", "/customers/{customer}/delete", nil, toLogin, refused, ok, ok},
	{"POST /customers/{id}/delete", "/customers/{customer}/delete", nil, toLogin, refused, see("/customers"), see("/customers")},

	{"GET /customers/{id}/account", "/customers/{customer}/account", nil, toLogin, ok, ok, ok},
	{"POST /customers/{id}/account/payments", "/customers/{customer}/account/payments", form("amount", "5", "method", "cash", "kind", "payment", "key", "acct-{n}"),
		toLogin, seeAny("/customers/"), seeAny("/customers/"), seeAny("/customers/")},
	{"POST /customers/{id}/account/adjustments", "/customers/{customer}/account/adjustments", form("amount", "-1", "reason", "Redondeo", "key", "adj-{n}"),
		toLogin, refused, seeAny("/customers/"), seeAny("/customers/")},
	{"GET /customers/{id}/account/entries/{entry}/receipt", "/customers/{customer}/account/entries/{entry}/receipt", nil, toLogin, ok, ok, ok},
	{"GET /customers/{id}/statement", "/customers/{customer}/statement", nil, toLogin, ok, ok, ok},
	{"GET /customers/{id}/statement.pdf", "/customers/{customer}/statement.pdf", nil, toLogin, ok, ok, ok},
	{"GET /reports/debtors", "/reports/debtors", nil, toLogin, refused, ok, ok},
	{"GET /reports/debtors.csv", "/reports/debtors.csv", nil, toLogin, refused, ok, ok},
	{"GET /reports/creditors", "/reports/creditors", nil, toLogin, refused, ok, ok},
	{"GET /reports/creditors.csv", "/reports/creditors.csv", nil, toLogin, refused, ok, ok},
	{"GET /invoices", "/invoices", nil, toLogin, ok, ok, ok},
	{"GET /invoices/{id}", "/invoices/{invoice}", nil, toLogin, ok, ok, ok},
	{"POST /invoices/{id}/mail", "/invoices/{invoice}/mail", nil, toLogin, seeAny("/invoices/"), seeAny("/invoices/"), seeAny("/invoices/")},
	{"POST /customers/{id}/statement/mail", "/customers/{customer}/statement/mail", form("from", "", "to", ""), toLogin, seeAny("/customers/"), seeAny("/customers/"), seeAny("/customers/")},

	{"GET /groups", "/groups", nil, toLogin, ok, ok, ok},
	{"GET /groups/new", "/groups/new", nil, toLogin, refused, ok, ok},
	{"POST /groups/new", "/groups/new", form("name", "Nuevo {n}", "discount", "5"), toLogin, refused, see("/groups"), see("/groups")},
	{"GET /groups/{id}", "/groups/{group}", nil, toLogin, ok, ok, ok},
	{"POST /groups/{id}", "/groups/{group}", form("version", "1", "name", "Grupo {n} bis", "discount", "10"), toLogin, refused, see("/groups"), see("/groups")},
	{"GET /groups/{id}/delete", "/groups/{group}/delete", nil, toLogin, refused, ok, ok},
	{"POST /groups/{id}/delete", "/groups/{group}/delete", nil, toLogin, refused, see("/groups"), see("/groups")},
	{"GET /groups/{id}/move-members", "/groups/{fullgroup}/move-members?to_group_id=none", nil, toLogin, refused, ok, ok},
	{"POST /groups/{id}/move-members", "/groups/{fullgroup}/move-members", form("to_group_id", "none"), toLogin, refused, see("/groups/{fullgroup}/delete"), see("/groups/{fullgroup}/delete")},

	{"GET /settings/account", "/settings/account", nil, toLogin, ok, ok, ok},
	{"POST /settings/language", "/settings/language", form("language", "en"), toLogin, see("/settings/account"), see("/settings/account"), see("/settings/account")},
	// Each caller signs in as a user of its own, so changing the password harms no other row.
	{"POST /settings/password", "/settings/password", form("current_password", testPassword, "new_password", "another long password", "confirm_password", "another long password"),
		toLogin, see("/settings/account"), see("/settings/account"), see("/settings/account")},
	{"GET /settings/users", "/settings/users", nil, toLogin, refused, refused, ok},
	{"POST /settings/users", "/settings/users", form("username", "nuevo-{n}", "role", "cashier", "password", testPassword), toLogin, refused, refused, see("/settings/users")},
	{"POST /settings/users/{id}/role", "/settings/users/{user}/role", form("role", "manager"), toLogin, refused, refused, see("/settings/users")},
	{"GET /settings/users/{id}/disable", "/settings/users/{user}/disable", nil, toLogin, refused, refused, ok},
	{"POST /settings/users/{id}/disable", "/settings/users/{user}/disable", nil, toLogin, refused, refused, see("/settings/users")},
	{"POST /settings/users/{id}/enable", "/settings/users/{user}/enable", nil, toLogin, refused, refused, see("/settings/users")},
	{"GET /settings/users/{id}/password", "/settings/users/{user}/password", nil, toLogin, refused, refused, ok},
	{"POST /settings/users/{id}/password", "/settings/users/{user}/password", form("password", "another long password", "confirm_password", "another long password"), toLogin, refused, refused, see("/settings/users")},
	{"GET /settings/shop", "/settings/shop", nil, toLogin, refused, refused, ok},
	{"POST /settings/shop", "/settings/shop", form("version", "{shopversion}", "name", "Tienda {n}", "tax_id", "B12345674", "country", "ES", "invoice_prefix", "F",
		"vat_rate_0", "21", "vat_rate_1", "10", "vat_rate_2", "4", "vat_rate_3", "0"), toLogin, refused, refused, see("/settings/shop")},
	{"GET /settings/accounts", "/settings/accounts", nil, toLogin, refused, refused, ok},
	{"POST /settings/accounts", "/settings/accounts", form("version", "0",
		"account_number_length", "8",
		"default_customer.number", "43000000", "default_customer.label", "Clientes varios {n}",
		"cash.number", "57000000", "cash.label", "Caja {n}",
		"card.number", "57200000", "card.label", "Tarjeta {n}",
		"bank.number", "57200000", "bank.label", "Bancos {n}",
		"customer_credit.number", "43800000", "customer_credit.label", "Anticipos {n}",
		"adjustments.number", "65900000", "adjustments.label", "Ajustes {n}",
		"general_sales.number", "70000000", "general_sales.label", "Ventas {n}",
		"general_output_vat.number", "47700000", "general_output_vat.label", "IVA {n}",
		"sales.2100.number", "70000021", "sales.2100.label", "Ventas 21 {n}",
		"sales.1000.number", "70000010", "sales.1000.label", "Ventas 10 {n}",
		"sales.400.number", "70000004", "sales.400.label", "Ventas 4 {n}",
		"sales.0.number", "70000000", "sales.0.label", "Ventas 0 {n}",
		"output_vat.2100.number", "47700021", "output_vat.2100.label", "IVA 21 {n}",
		"output_vat.1000.number", "47700010", "output_vat.1000.label", "IVA 10 {n}",
		"output_vat.400.number", "47700004", "output_vat.400.label", "IVA 4 {n}"), toLogin, refused, refused, see("/settings/accounts")},
	{"GET /exports", "/exports?from=2026-01-01&to=2026-01-31", nil, toLogin, refused, ok, ok},
	{"GET /exports/accounting", "/exports/accounting?from=2026-01-01&to=2026-01-31&format=fec", nil, toLogin, refused, ok, ok},
	// Import and export (issue 11). An upload's steps answer 404 for a token with no file.
	{"GET /customers/import", "/customers/import", nil, toLogin, refused, ok, ok},
	{"POST /customers/import", "/customers/import", form(), toLogin, refused, outcome{status: http.StatusBadRequest}, outcome{status: http.StatusBadRequest}},
	{"GET /customers/import/files/{token}", "/customers/import/files/0123456789abcdef0123456789abcdef", nil, toLogin, refused, notFound, notFound},
	{"POST /customers/import/files/{token}/check", "/customers/import/files/0123456789abcdef0123456789abcdef/check", form(), toLogin, refused, notFound, notFound},
	{"POST /customers/import/files/{token}/run", "/customers/import/files/0123456789abcdef0123456789abcdef/run", form(), toLogin, refused, notFound, notFound},
	{"GET /customers/import/files/{token}/rejects.csv", "/customers/import/files/0123456789abcdef0123456789abcdef/rejects.csv", nil, toLogin, refused, notFound, notFound},
	{"GET /customers/export", "/customers/export", nil, toLogin, refused, ok, ok},
	{"GET /customers/export/file", "/customers/export/file?format=csv", nil, toLogin, refused, ok, ok},
	// Duplicates (issue 11): {customer} and {mailcustomer} are two customers.
	{"GET /customers/duplicates", "/customers/duplicates", nil, toLogin, refused, ok, ok},
	{"POST /customers/duplicates/dismiss", "/customers/duplicates/dismiss", form("keep", "{customer}", "other", "{mailcustomer}"), toLogin, refused, see("/customers/duplicates"), see("/customers/duplicates")},

	// Merging two customers (issue 11): the search for the other one; an empty form is refused
	// naming absorb_id (the page test merges for real).
	{"GET /customers/{id}/merge", "/customers/{customer}/merge?q=ana", nil, toLogin, refused, ok, ok},
	{"POST /customers/{id}/merge", "/customers/{customer}/merge", form("action", "merge"), toLogin, refused,
		outcome{status: http.StatusUnprocessableEntity}, outcome{status: http.StatusUnprocessableEntity}},
	// Privacy requests (issue 11): admins only.
	{"GET /customers/{id}/privacy", "/customers/{customer}/privacy", nil, toLogin, refused, refused, ok},
	{"GET /customers/{id}/privacy.json", "/customers/{customer}/privacy.json", nil, toLogin, refused, refused, ok},
	{"GET /customers/{id}/erase", "/customers/{customer}/erase", nil, toLogin, refused, refused, ok},
	{"POST /customers/{id}/erase", "/customers/{customer}/erase", nil, toLogin, refused, refused, see("/customers")},
	{"GET /settings/privacy", "/settings/privacy", nil, toLogin, refused, refused, ok},
	{"POST /settings/privacy", "/settings/privacy", form("version", "6", "retention_years", "6"), toLogin, refused, refused, see("/settings/privacy")},
	{"POST /settings/privacy/run", "/settings/privacy/run", nil, toLogin, refused, refused, see("/settings/privacy")},
	{"GET /settings/tokens", "/settings/tokens", nil, toLogin, refused, refused, ok},
	// Answered with the page, not a redirect: the new token's secret exists only in it.
	{"POST /settings/tokens", "/settings/tokens", form("username", "{username}", "name", "Caja {n}"), toLogin, refused, refused, ok},
	{"GET /settings/tokens/{id}/revoke", "/settings/tokens/{token}/revoke", nil, toLogin, refused, refused, ok},
	{"POST /settings/tokens/{id}/revoke", "/settings/tokens/{token}/revoke", nil, toLogin, refused, refused, see("/settings/tokens")},

	// The till: {ticket} is an open ticket of the caller's with one line, {line}.
	{"GET /till", "/till", nil, toLogin, ok, ok, ok},
	{"POST /till/tickets", "/till/tickets", nil, toLogin, seeAny("/till/"), seeAny("/till/"), seeAny("/till/")},
	{"GET /till/{id}", "/till/{ticket}", nil, toLogin, ok, ok, ok},
	{"POST /till/{id}/scan", "/till/{ticket}/scan", form("q", "{reference}"), toLogin, see("/till/{ticket}"), see("/till/{ticket}"), see("/till/{ticket}")},
	{"POST /till/{id}/customer", "/till/{ticket}/customer", form("customer_id", "{customer}"), toLogin, see("/till/{ticket}"), see("/till/{ticket}"), see("/till/{ticket}")},
	{"POST /till/{id}/customer/delete", "/till/{ticket}/customer/delete", nil, toLogin, see("/till/{ticket}"), see("/till/{ticket}"), see("/till/{ticket}")},
	{"POST /till/{id}/lines", "/till/{ticket}/lines", form("label", "Pan", "quantity", "0,350", "unit_price", "2,40", "vat_rate", "400"),
		toLogin, see("/till/{ticket}?focus=f-label"), see("/till/{ticket}?focus=f-label"), see("/till/{ticket}?focus=f-label")},
	{"POST /till/{id}/lines/{line}", "/till/{ticket}/lines/{line}", form("quantity", "2", "unit_price", "1,50"), toLogin, see("/till/{ticket}"), see("/till/{ticket}"), see("/till/{ticket}")},
	{"POST /till/{id}/lines/{line}/delete", "/till/{ticket}/lines/{line}/delete", nil, toLogin, see("/till/{ticket}"), see("/till/{ticket}"), see("/till/{ticket}")},
	{"POST /till/{id}/delete", "/till/{ticket}/delete", nil, toLogin, see("/till"), see("/till"), see("/till")},
	{"POST /till/{id}/close", "/till/{ticket}/close", form("pay", "exact", "key", "role-{n}"), toLogin, seeAny("/invoices/"), seeAny("/invoices/"), seeAny("/invoices/")},
	{"GET /invoices/{id}/receipt", "/invoices/{invoice}/receipt", nil, toLogin, ok, ok, ok},
	{"GET /invoices/{id}/pdf", "/invoices/{invoice}/pdf", nil, toLogin, ok, ok, ok},

	// E-mail (issue 10): admins only. No server is saved, so the test message has nowhere to go
	// here (no server, no folder) and no test reaches the network: the page says so.
	{"GET /settings/mail", "/settings/mail", nil, toLogin, refused, refused, ok},
	{"POST /settings/mail", "/settings/mail", form("tls", "starttls", "from_name", "Tienda", "from_email", "hola@tienda.example"),
		toLogin, refused, refused, see("/settings/mail")},
	{"POST /settings/mail/test", "/settings/mail/test", form("to", "admin@example.com"), toLogin, refused, refused, ok},

	// Backups (issue 12): admins only. This server keeps no backups folder, so "back up now"
	// answers that it takes none (409), and no copy exists to download.
	{"GET /settings/backups", "/settings/backups", nil, toLogin, refused, refused, ok},
	{"POST /settings/backups", "/settings/backups", form("at", "04:00", "keep", "7"), toLogin, refused, refused, see("/settings/backups")},
	{"POST /settings/backups/now", "/settings/backups/now", nil, toLogin, refused, refused, outcome{status: http.StatusConflict}},
	{"GET /settings/backups/{name}", "/settings/backups/clientela-20300101-030000.000000.db", nil, toLogin, refused, refused, notFound},
	{"GET /messages", "/messages", nil, toLogin, refused, ok, ok},
	{"GET /messages/new", "/messages/new", nil, toLogin, refused, ok, ok},
	{"POST /messages/new", "/messages/new", form("audience", "customer", "customer_id", "{mailcustomer}", "subject", "Hola {n}", "body", "Texto", "action", "send"),
		toLogin, refused, seeAny("/messages/"), seeAny("/messages/")},
	{"GET /messages/{id}", "/messages/{campaign}", nil, toLogin, refused, ok, ok},
	// The unsubscribe link: public, whoever follows it.
	{"GET /unsubscribe/{token}", "/unsubscribe/{unsubscribe}", nil, ok, ok, ok, ok},
	{"POST /unsubscribe/{token}", "/unsubscribe/{unsubscribe}", nil, ok, ok, ok, ok},

	// Any other address: a "not found" page, for everyone.
	{"/", "/no-such-page", nil, notFound, notFound, notFound, notFound},
}

// pageRole is one row of pageRoles.
type pageRole struct {
	pattern string     // as in web.go's route table
	path    string     // the URL requested, with placeholders (see pageRoles)
	form    url.Values // posted for a POST; placeholders in values are filled too
	// What each caller gets.
	signedOut, cashier, manager, admin outcome
}

// outcome is the answer a caller expects: a status and, for a redirect, where to.
type outcome struct {
	status   int
	location string // for 303; placeholders are filled
	prefix   bool   // the location only starts with location
}

var (
	ok       = outcome{status: http.StatusOK}
	refused  = outcome{status: http.StatusForbidden}
	notFound = outcome{status: http.StatusNotFound}
	// toLogin is a redirect to the login page, which remembers a GET's address to come back
	// to (a POST's form is gone, and "/" needs no reminder).
	toLogin = outcome{status: http.StatusSeeOther, location: "/login?next="}
)

// see is a redirect to where after success.
func see(where string) outcome { return outcome{status: http.StatusSeeOther, location: where} }

// seeAny is a redirect to an address that starts with prefix: a record made by the request.
func seeAny(prefix string) outcome {
	return outcome{status: http.StatusSeeOther, location: prefix, prefix: true}
}

// form builds url.Values from name, value pairs.
func form(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v
}

func TestEveryPageRouteHasARow(t *testing.T) {
	rows := map[string]bool{}
	for _, r := range pageRoles {
		if rows[r.pattern] {
			t.Errorf("pageRoles has two rows for %s", r.pattern)
		}
		rows[r.pattern] = true
	}
	served := map[string]bool{}
	for _, rt := range pageRoutes(t) {
		served[rt.Pattern] = true
		if !rows[rt.Pattern] {
			t.Errorf("page route %s has no row in pageRoles (roles_test.go): add one with the outcome for signed out, cashier, manager and admin", rt.Pattern)
		}
	}
	for p := range rows {
		if !served[p] {
			t.Errorf("pageRoles row %s is not a served route", p)
		}
	}
}

// TestPageRolesMatrix sends every row's request as each caller, each time with fresh records
// and a fresh session of a user of its own, and checks the exact answer.
func TestPageRolesMatrix(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	setUpShop(t, e)
	f := &roleFixture{e: e}
	callers := []struct {
		name string
		role domain.Role // empty: signed out
		want func(pageRole) outcome
	}{
		{"signed out", "", func(r pageRole) outcome { return r.signedOut }},
		{"cashier", domain.RoleCashier, func(r pageRole) outcome { return r.cashier }},
		{"manager", domain.RoleManager, func(r pageRole) outcome { return r.manager }},
		{"admin", domain.RoleAdmin, func(r pageRole) outcome { return r.admin }},
	}
	for _, row := range pageRoles {
		method, _, hasMethod := strings.Cut(row.pattern, " ")
		if !hasMethod {
			method = http.MethodGet
		}
		if method != http.MethodPost && row.form != nil {
			t.Errorf("%s: a form for a %s", row.pattern, method)
		}
		for _, c := range callers {
			f.next()
			b := e.browser()
			if c.role != "" {
				b = f.signIn(t, c.role)
			}
			path := f.fill(t, row.path)
			var res answer
			if method == http.MethodPost {
				values := url.Values{}
				for k, vs := range row.form {
					for _, v := range vs {
						values.Add(k, f.fill(t, v))
					}
				}
				res = b.post(path, values)
			} else {
				res = b.get(path)
			}
			want := c.want(row)
			wantLocation := f.fill(t, want.location)
			if want == toLogin {
				wantLocation = "/login"
				if method == http.MethodGet && path != "/" {
					wantLocation += "?next=" + url.QueryEscape(path)
				}
			}
			got := res.header.Get("Location")
			wrongPlace := got != wantLocation
			if want.prefix {
				wrongPlace = !strings.HasPrefix(got, wantLocation) || len(got) == len(wantLocation)
			}
			if res.status != want.status || (want.status == http.StatusSeeOther && wrongPlace) {
				t.Errorf("%s as %s (%s %s): %d %s, want %d %s\n%s", row.pattern, c.name, method, path,
					res.status, got, want.status, wantLocation, firstLines(res.body, 12))
			}
		}
	}
}

// roleFixture makes, for each (row, caller), the records the row's placeholders name.
type roleFixture struct {
	e    *env
	n    int
	vals map[string]string
	// caller is who signed in for this (row, caller): the owner of {ticket}.
	caller domain.Principal
}

// next starts a new (row, caller): fresh records from here on.
func (f *roleFixture) next() {
	f.n++
	f.vals = map[string]string{"{n}": strconv.Itoa(f.n)}
	f.caller = domain.Principal{UserID: f.e.ids[domain.RoleCashier], Username: "cashier", Role: domain.RoleCashier}
}

// signIn adds a user of role for this (row, caller) alone, so that a row that changes the
// caller's own account (its password, its language) leaves the next rows alone.
func (f *roleFixture) signIn(t *testing.T, role domain.Role) *browser {
	t.Helper()
	name := fmt.Sprintf("%s-%d", role, f.n)
	u, err := f.e.app.AddUser(context.Background(), app.System(), name, role, testPassword)
	if err != nil {
		t.Fatalf("add user: %v", err)
	}
	f.caller = domain.Principal{UserID: u.ID, Username: u.Username, Role: role}
	b := f.e.browser()
	res := b.post("/login", form("username", name, "password", testPassword))
	if res.status != http.StatusSeeOther {
		t.Fatalf("login as %s: %d\n%s", name, res.status, res.body)
	}
	return b
}

// fill replaces the placeholders of s, making each record the first time it is named.
func (f *roleFixture) fill(t *testing.T, s string) string {
	t.Helper()
	ctx := context.Background()
	for _, ph := range []string{"{customer}", "{group}", "{fullgroup}", "{user}", "{username}", "{token}",
		"{ticket}", "{line}", "{reference}", "{invoice}", "{entry}", "{shopversion}", "{mailcustomer}", "{campaign}", "{unsubscribe}", "{n}"} {
		if !strings.Contains(s, ph) {
			continue
		}
		if _, made := f.vals[ph]; !made {
			n := f.vals["{n}"]
			switch ph {
			case "{customer}":
				f.vals[ph] = f.e.mustCreateCustomer(person("Ana", "Muñoz "+n)).ID
			case "{group}", "{fullgroup}":
				g, err := f.e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some(strings.Trim(ph, "{}") + " " + n)})
				if err != nil {
					t.Fatalf("create group: %v", err)
				}
				if ph == "{fullgroup}" {
					member := person("Socia", "Del Grupo "+n)
					member.GroupID = domain.Some(g.ID)
					f.e.mustCreateCustomer(member)
				}
				f.vals[ph] = g.ID
			case "{user}", "{username}":
				u, err := f.e.app.AddUser(ctx, app.System(), "target-"+n, domain.RoleCashier, testPassword)
				if err != nil {
					t.Fatalf("add user: %v", err)
				}
				f.vals["{user}"], f.vals["{username}"] = u.ID, u.Username
			case "{token}":
				f.vals[ph] = f.token(t, "Caja "+n)
			case "{mailcustomer}":
				c := person("Correo", "Cliente "+n)
				c.Email = domain.Some("cliente" + n + "@example.com")
				f.vals[ph] = f.e.mustCreateCustomer(c).ID
			case "{campaign}", "{unsubscribe}":
				f.vals["{campaign}"], f.vals["{unsubscribe}"] = mustCampaign(t, f.e, n)
			case "{ticket}", "{line}":
				tk := mustTicket(t, f.e, f.caller, "Café", "1", 150)
				f.vals["{ticket}"], f.vals["{line}"] = tk.ID, tk.Lines[0].ID
			case "{reference}":
				c := person("Tarjeta", "Cliente "+n)
				c.Reference = domain.Some("8400" + n)
				f.e.mustCreateCustomer(c)
				f.vals[ph] = "8400" + n
			case "{invoice}":
				f.vals[ph] = mustSale(t, f.e, f.caller).ID
			case "{entry}":
				e, err := f.e.app.PostAccountMovement(ctx, app.System(), f.vals["{customer}"],
					domain.AccountMovement{Kind: domain.LedgerDeposit, AmountCents: 500, Method: domain.TenderCash}, "")
				if err != nil {
					t.Fatalf("deposit: %v", err)
				}
				f.vals[ph] = e.ID
			case "{shopversion}":
				shop, err := f.e.app.Shop(ctx, app.System())
				if err != nil {
					t.Fatal(err)
				}
				f.vals[ph] = strconv.FormatInt(shop.Version, 10)
			}
		}
		s = strings.ReplaceAll(s, ph, f.vals[ph])
	}
	return s
}

// token makes an API token named name and returns its id.
func (f *roleFixture) token(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := f.e.app.CreateAPIToken(ctx, app.System(), "cashier", name); err != nil {
		t.Fatalf("create token: %v", err)
	}
	tokens, err := f.e.app.APITokens(ctx, app.System())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(tokens, func(tk domain.APIToken) bool { return tk.Name == name })
	if i < 0 {
		t.Fatalf("token %q is not listed", name)
	}
	return tokens[i].ID
}

// firstLines shortens a page for a failure message.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}

// mustCampaign sends a message to a new customer and returns the campaign's id and the token
// of its unsubscribe link.
func mustCampaign(t *testing.T, e *env, n string) (id, token string) {
	t.Helper()
	ctx := context.Background()
	ch := person("Campaña", "Cliente "+n)
	ch.Email = domain.Some("campana" + n + "@example.com")
	c := e.mustCreateCustomer(ch)
	camp, err := e.app.SendMessage(ctx, app.System(), app.MessageDraft{Audience: domain.AudienceCustomer, CustomerID: c.ID, Subject: "Hola", Body: "Texto"})
	if err != nil {
		t.Fatalf("send message: %v", err)
	}
	msgs, err := e.app.MailHistory(ctx, app.System(), app.OutboxFilter{CampaignID: camp.ID})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("campaign's message: %v %d", err, len(msgs))
	}
	var raw []byte
	if err := e.db.Read(ctx, func(tx app.Tx) (err error) { raw, err = tx.OutboxMessageBytes(ctx, msgs[0].ID); return err }); err != nil {
		t.Fatal(err)
	}
	link := unsubscribeLink(t, raw)
	return camp.ID, link[strings.LastIndex(link, "/")+1:]
}
