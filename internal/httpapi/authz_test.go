package httpapi_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/httpapi"
	"github.com/clientela/clientela/internal/i18n"
)

// allowed is the authorization matrix of DESIGN.md "Security model", written out by hand so
// that it checks the route table rather than repeating it: admins do everything, managers run
// the register and groups, cashiers read and create customers and read groups.
var allowed = map[string][]domain.Role{
	"GET /api/v1/me":                                                {"admin", "manager", "cashier"},
	"GET /api/v1/openapi.json":                                      {"admin", "manager", "cashier"},
	"GET /api/v1/customers":                                         {"admin", "manager", "cashier"},
	"POST /api/v1/customers":                                        {"admin", "manager", "cashier"},
	"GET /api/v1/customers/by-reference/{reference}":                {"admin", "manager", "cashier"},
	"GET /api/v1/invoices/{id}/mail":                                {"admin", "manager", "cashier"},
	"POST /api/v1/invoices/{id}/mail":                               {"admin", "manager", "cashier"},
	"POST /api/v1/customers/{id}/statement/mail":                    {"admin", "manager", "cashier"},
	"GET /api/v1/customers/{id}/account":                            {"admin", "manager", "cashier"},
	"POST /api/v1/customers/{id}/account/payments":                  {"admin", "manager", "cashier"},
	"POST /api/v1/customers/{id}/account/deposits":                  {"admin", "manager", "cashier"},
	"POST /api/v1/customers/{id}/account/adjustments":               {"admin", "manager"},
	"GET /api/v1/customers/{id}/account/entries/{entry_id}":         {"admin", "manager", "cashier"},
	"GET /api/v1/customers/{id}/account/entries/{entry_id}/receipt": {"admin", "manager", "cashier"},
	"GET /api/v1/customers/{id}/statement":                          {"admin", "manager", "cashier"},
	"GET /api/v1/reports/debtors":                                   {"admin", "manager"},
	"GET /api/v1/reports/creditors":                                 {"admin", "manager"},
	"GET /api/v1/customers/{id}":                                    {"admin", "manager", "cashier"},
	"PATCH /api/v1/customers/{id}":                                  {"admin", "manager"},
	"DELETE /api/v1/customers/{id}":                                 {"admin", "manager"},
	"GET /api/v1/groups":                                            {"admin", "manager", "cashier"},
	"POST /api/v1/groups":                                           {"admin", "manager"},
	"GET /api/v1/groups/{id}":                                       {"admin", "manager", "cashier"},
	"PATCH /api/v1/groups/{id}":                                     {"admin", "manager"},
	"DELETE /api/v1/groups/{id}":                                    {"admin", "manager"},
	"POST /api/v1/groups/{id}/move-members":                         {"admin", "manager"},
	"GET /api/v1/audit":                                             {"admin"},

	"GET /api/v1/shop":                            {"admin"},
	"PATCH /api/v1/shop":                          {"admin"},
	"GET /api/v1/settings/mail":                   {"admin"},
	"PATCH /api/v1/settings/mail":                 {"admin"},
	"POST /api/v1/campaigns":                      {"admin", "manager"},
	"GET /api/v1/campaigns/{id}":                  {"admin", "manager"},
	"POST /api/v1/tickets":                        {"admin", "manager", "cashier"},
	"GET /api/v1/tickets":                         {"admin", "manager", "cashier"},
	"GET /api/v1/tickets/{id}":                    {"admin", "manager", "cashier"},
	"DELETE /api/v1/tickets/{id}":                 {"admin", "manager", "cashier"},
	"POST /api/v1/tickets/{id}/lines":             {"admin", "manager", "cashier"},
	"PATCH /api/v1/tickets/{id}/lines/{line_id}":  {"admin", "manager", "cashier"},
	"DELETE /api/v1/tickets/{id}/lines/{line_id}": {"admin", "manager", "cashier"},
	"PUT /api/v1/tickets/{id}/customer":           {"admin", "manager", "cashier"},
	"DELETE /api/v1/tickets/{id}/customer":        {"admin", "manager", "cashier"},
	"POST /api/v1/tickets/{id}/close":             {"admin", "manager", "cashier"},
	"GET /api/v1/invoices":                        {"admin", "manager", "cashier"},
	"GET /api/v1/invoices/{id}":                   {"admin", "manager", "cashier"},
	"GET /api/v1/invoices/{id}/pdf":               {"admin", "manager", "cashier"},
	"GET /api/v1/invoices/{id}/receipt":           {"admin", "manager", "cashier"},
	"POST /api/v1/invoices/{id}/rectify":          {"admin", "manager"},
	"GET /api/v1/settings/accounts":               {"admin"},
	"PATCH /api/v1/settings/accounts":             {"admin"},
	"GET /api/v1/exports/accounting":              {"admin", "manager"},
	"GET /api/v1/exports/customers":               {"admin", "manager"},
	"GET /api/v1/customers/export":                {"admin", "manager"},
	// Import (issue 11).
	"POST /api/v1/imports": {"admin", "manager"},
	// Duplicates (issue 11).
	"GET /api/v1/customers/duplicates":                              {"admin", "manager"},
	"POST /api/v1/customers/{id}/duplicate-dismissals":              {"admin", "manager"},
	"DELETE /api/v1/customers/{id}/duplicate-dismissals/{other_id}": {"admin", "manager"},

	// Merging two customers (issue 11).
	"POST /api/v1/customers/{id}/merge": {"admin", "manager"},

	// Privacy requests (issue 11): admins only.
	"GET /api/v1/customers/{id}/privacy-export": {"admin"},
	"POST /api/v1/customers/{id}/erase":         {"admin"},
	"GET /api/v1/settings/privacy":              {"admin"},
	"PATCH /api/v1/settings/privacy":            {"admin"},
}

func TestEveryRouteIsInTheMatrix(t *testing.T) {
	s := httpapi.New(nil, i18n.New(), slog.New(slog.DiscardHandler))
	served := map[string]bool{}
	for _, r := range s.Routes() {
		served[r.Pattern] = true
		if _, ok := allowed[r.Pattern]; !ok {
			t.Errorf("route %s has no line in the authorization matrix", r.Pattern)
		}
	}
	for p := range allowed {
		if !served[p] {
			t.Errorf("matrix line %s is not a served route", p)
		}
	}
}

// success is what an allowed role gets from each route when the request is valid: the real
// answer, not merely "not 403". Placeholders: {customer}, {group} (fresh, empty, per role),
// {ref}. PATCH requests send If-Match "1" (the fresh record's version).
var success = map[string]struct {
	path   string
	body   any
	status int
}{
	"GET /api/v1/me":                                 {"/api/v1/me", nil, http.StatusOK},
	"GET /api/v1/openapi.json":                       {"/api/v1/openapi.json", nil, http.StatusOK},
	"GET /api/v1/customers":                          {"/api/v1/customers?q=ana", nil, http.StatusOK},
	"POST /api/v1/customers":                         {"/api/v1/customers", map[string]any{"kind": "company", "company_name": "Nueva SL"}, http.StatusCreated},
	"GET /api/v1/customers/by-reference/{reference}": {"/api/v1/customers/by-reference/{ref}", nil, http.StatusOK},
	"GET /api/v1/customers/{id}":                     {"/api/v1/customers/{customer}", nil, http.StatusOK},
	"PATCH /api/v1/customers/{id}":                   {"/api/v1/customers/{customer}", map[string]any{"first_name": "Anabel"}, http.StatusOK},
	"DELETE /api/v1/customers/{id}":                  {"/api/v1/customers/{customer}", nil, http.StatusNoContent},
	"GET /api/v1/groups":                             {"/api/v1/groups", nil, http.StatusOK},
	"POST /api/v1/groups":                            {"/api/v1/groups", map[string]any{"name": "Nuevo {ref}"}, http.StatusCreated},
	"GET /api/v1/groups/{id}":                        {"/api/v1/groups/{group}", nil, http.StatusOK},
	"PATCH /api/v1/groups/{id}":                      {"/api/v1/groups/{group}", map[string]any{"discount_basis_points": 500}, http.StatusOK},
	"DELETE /api/v1/groups/{id}":                     {"/api/v1/groups/{group}", nil, http.StatusNoContent},
	"POST /api/v1/groups/{id}/move-members":          {"/api/v1/groups/{group}/move-members", map[string]any{"to_group_id": nil}, http.StatusOK},
	"GET /api/v1/audit":                              {"/api/v1/audit", nil, http.StatusOK},

	"GET /api/v1/shop":                            {"/api/v1/shop", nil, http.StatusOK},
	"PATCH /api/v1/shop":                          {"/api/v1/shop", map[string]any{"name": "Tienda {ref}"}, http.StatusOK},
	"GET /api/v1/settings/mail":                   {"/api/v1/settings/mail", nil, http.StatusOK},
	"PATCH /api/v1/settings/mail":                 {"/api/v1/settings/mail", map[string]any{"from_name": "Tienda {ref}", "from_email": "hola@tienda.example"}, http.StatusOK},
	"POST /api/v1/campaigns":                      {"/api/v1/campaigns", map[string]any{"audience": "customer", "customer_id": "{customer}", "subject": "Hola", "body": "Texto"}, http.StatusCreated},
	"GET /api/v1/campaigns/{id}":                  {"/api/v1/campaigns/{campaign}", nil, http.StatusOK},
	"POST /api/v1/tickets":                        {"/api/v1/tickets", nil, http.StatusCreated},
	"GET /api/v1/tickets":                         {"/api/v1/tickets", nil, http.StatusOK},
	"GET /api/v1/tickets/{id}":                    {"/api/v1/tickets/{ticket}", nil, http.StatusOK},
	"DELETE /api/v1/tickets/{id}":                 {"/api/v1/tickets/{ticket}", nil, http.StatusNoContent},
	"POST /api/v1/tickets/{id}/lines":             {"/api/v1/tickets/{ticket}/lines", map[string]any{"label": "Pan", "quantity": 1, "unit_price_cents": 100, "vat_rate_basis_points": 400}, http.StatusCreated},
	"PATCH /api/v1/tickets/{id}/lines/{line_id}":  {"/api/v1/tickets/{ticket}/lines/{line}", map[string]any{"quantity": 2.5}, http.StatusOK},
	"DELETE /api/v1/tickets/{id}/lines/{line_id}": {"/api/v1/tickets/{ticket}/lines/{line}", nil, http.StatusOK},
	"PUT /api/v1/tickets/{id}/customer":           {"/api/v1/tickets/{ticket}/customer", map[string]any{"reference": "{ref}"}, http.StatusOK},
	"DELETE /api/v1/tickets/{id}/customer":        {"/api/v1/tickets/{ticket}/customer", nil, http.StatusOK},
	"POST /api/v1/tickets/{id}/close":             {"/api/v1/tickets/{ticket}/close", map[string]any{"payments": []any{map[string]any{"method": "cash", "amount_cents": 1000}}}, http.StatusCreated},
	"GET /api/v1/invoices":                        {"/api/v1/invoices", nil, http.StatusOK},
	"GET /api/v1/invoices/{id}":                   {"/api/v1/invoices/{invoice}", nil, http.StatusOK},
	"GET /api/v1/invoices/{id}/pdf":               {"/api/v1/invoices/{invoice}/pdf", nil, http.StatusOK},
	"GET /api/v1/invoices/{id}/receipt":           {"/api/v1/invoices/{invoice}/receipt", nil, http.StatusOK},
	"POST /api/v1/invoices/{id}/rectify":          {"/api/v1/invoices/{invoice}/rectify", map[string]any{}, http.StatusCreated},

	"GET /api/v1/invoices/{id}/mail":                                {"/api/v1/invoices/{invoice}/mail", nil, http.StatusOK},
	"POST /api/v1/invoices/{id}/mail":                               {"/api/v1/invoices/{invoice}/mail", nil, http.StatusUnprocessableEntity}, // the till's invoice has no customer
	"POST /api/v1/customers/{id}/statement/mail":                    {"/api/v1/customers/{customer}/statement/mail", nil, http.StatusAccepted},
	"GET /api/v1/customers/{id}/account":                            {"/api/v1/customers/{customer}/account", nil, http.StatusOK},
	"POST /api/v1/customers/{id}/account/payments":                  {"/api/v1/customers/{customer}/account/payments", map[string]any{"amount_cents": 500, "method": "cash"}, http.StatusCreated},
	"POST /api/v1/customers/{id}/account/deposits":                  {"/api/v1/customers/{customer}/account/deposits", map[string]any{"amount_cents": 500, "method": "card"}, http.StatusCreated},
	"POST /api/v1/customers/{id}/account/adjustments":               {"/api/v1/customers/{customer}/account/adjustments", map[string]any{"amount_cents": -100, "reason": "Redondeo"}, http.StatusCreated},
	"GET /api/v1/customers/{id}/account/entries/{entry_id}":         {"/api/v1/customers/{customer}/account/entries/{entry}", nil, http.StatusOK},
	"GET /api/v1/customers/{id}/account/entries/{entry_id}/receipt": {"/api/v1/customers/{customer}/account/entries/{entry}/receipt", nil, http.StatusOK},
	"GET /api/v1/customers/{id}/statement":                          {"/api/v1/customers/{customer}/statement?from=2026-01-01", nil, http.StatusOK},
	"GET /api/v1/reports/debtors":                                   {"/api/v1/reports/debtors", nil, http.StatusOK},
	"GET /api/v1/reports/creditors":                                 {"/api/v1/reports/creditors?limit=5", nil, http.StatusOK},
	"GET /api/v1/settings/accounts":                                 {"/api/v1/settings/accounts", nil, http.StatusOK},
	"PATCH /api/v1/settings/accounts":                               {"/api/v1/settings/accounts", map[string]any{"cash": map[string]any{"number": "57000001", "label": "Caja {ref}"}}, http.StatusOK},
	"GET /api/v1/exports/accounting":                                {"/api/v1/exports/accounting?from=2020-01-01&to=2099-12-31", nil, http.StatusOK},
	"GET /api/v1/exports/customers":                                 {"/api/v1/exports/customers?format=csv", nil, http.StatusOK},
	"GET /api/v1/customers/export":                                  {"/api/v1/customers/export?format=csv", nil, http.StatusOK},
	// Import (issue 11): a dry run, so that every role meets the same register.
	"POST /api/v1/imports": {"/api/v1/imports", importDryRunBody, http.StatusOK},
	// Duplicates (issue 11): {other} is a second customer; the DELETE's pair is dismissed first.
	"GET /api/v1/customers/duplicates":                              {"/api/v1/customers/duplicates?limit=5", nil, http.StatusOK},
	"POST /api/v1/customers/{id}/duplicate-dismissals":              {"/api/v1/customers/{customer}/duplicate-dismissals", map[string]any{"other_id": "{other}"}, http.StatusOK},
	"DELETE /api/v1/customers/{id}/duplicate-dismissals/{other_id}": {"/api/v1/customers/{customer}/duplicate-dismissals/{other}", nil, http.StatusNoContent},

	// Merging two customers (issue 11): a preview of {customer} absorbing {other}.
	"POST /api/v1/customers/{id}/merge": {"/api/v1/customers/{customer}/merge", map[string]any{"absorb_id": "{other}", "preview": true}, http.StatusOK},

	// Privacy requests (issue 11).
	"GET /api/v1/customers/{id}/privacy-export": {"/api/v1/customers/{customer}/privacy-export", nil, http.StatusOK},
	"POST /api/v1/customers/{id}/erase":         {"/api/v1/customers/{customer}/erase", nil, http.StatusOK},
	"GET /api/v1/settings/privacy":              {"/api/v1/settings/privacy", nil, http.StatusOK},
	"PATCH /api/v1/settings/privacy":            {"/api/v1/settings/privacy", map[string]any{"retention_years": 6}, http.StatusOK},
}

// importDryRunBody is a form of POST /api/v1/imports: a two-row CSV file, checked only.
var importDryRunBody = multipartForm(nil, "clientes.csv", []byte("Nombre,Apellidos,Referencia\nAna,Núñez,IMP-1\nLuis,Gil,IMP-2\n"), "dry_run", "true")

// ifMatchFor is the If-Match of the PATCH requests whose record is not at version 1 when
// the request is made (the shop, changed by each admin request; a ticket with a line).
var ifMatchFor = map[string]string{
	"PATCH /api/v1/shop":                         "*",
	"PATCH /api/v1/settings/accounts":            "*",
	"PATCH /api/v1/settings/mail":                "*",
	"PATCH /api/v1/tickets/{id}/lines/{line_id}": "*",
	"PATCH /api/v1/settings/privacy":             "*",
}

// tillRecords makes, as role, a ticket with one line and an invoice of a closed ticket, for
// the {ticket}, {line} and {invoice} placeholders.
func (e *apiEnv) tillRecords(t *testing.T, role domain.Role) (ticket, line, invoice string) {
	t.Helper()
	open := func() (string, string) {
		r := e.do(t, "POST /api/v1/tickets", req{method: "POST", path: "/api/v1/tickets", role: role})
		id, _ := r.obj(t)["id"].(string)
		r = e.do(t, "POST /api/v1/tickets/{id}/lines", req{method: "POST", path: "/api/v1/tickets/" + id + "/lines", role: role,
			body: map[string]any{"label": "Pan", "quantity": 1, "unit_price_cents": 100, "vat_rate_basis_points": 400}})
		if r.status != http.StatusCreated {
			t.Fatalf("add line: %d %s", r.status, r.body)
		}
		lines, _ := r.obj(t)["lines"].([]any)
		return id, lines[0].(map[string]any)["id"].(string)
	}
	ticket, line = open()
	closing, _ := open()
	r := e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: "/api/v1/tickets/" + closing + "/close", role: role,
		body: map[string]any{"payments": []any{map[string]any{"method": "card", "amount_cents": 100}}}})
	if r.status != http.StatusCreated {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	invoice, _ = r.obj(t)["id"].(string)
	return ticket, line, invoice
}

// deposit books a deposit on a customer's account, as an admin, and returns the entry's id.
func (e *apiEnv) deposit(t *testing.T, customer string, cents int64) string {
	t.Helper()
	r := e.do(t, "POST /api/v1/customers/{id}/account/deposits", req{method: "POST", path: "/api/v1/customers/" + customer + "/account/deposits",
		role: domain.RoleAdmin, body: map[string]any{"amount_cents": cents, "method": "cash"}})
	if r.status != http.StatusCreated {
		t.Fatalf("deposit: %d %s", r.status, r.body)
	}
	id, _ := r.obj(t)["id"].(string)
	return id
}

// setUpShop gives the shop the name and tax id that invoices need.
func (e *apiEnv) setUpShop(t *testing.T) {
	t.Helper()
	r := e.do(t, "PATCH /api/v1/shop", req{method: "PATCH", path: "/api/v1/shop", role: domain.RoleAdmin, header: map[string]string{"If-Match": "*"},
		body: map[string]any{"name": "Ultramarinos Pepa", "tax_id": "B58378431", "address": map[string]any{"line1": "Calle Mayor 1", "city": "Madrid"}}})
	if r.status != http.StatusOK {
		t.Fatalf("set up shop: %d %s", r.status, r.body)
	}
}

// TestAuthorizationMatrix walks every route × role: no token and a wrong token get 401, a
// role outside the matrix gets 403, and a role inside gets the route's real success answer to
// a valid request on records made for it.
func TestAuthorizationMatrix(t *testing.T) {
	for p := range allowed {
		if _, ok := success[p]; !ok {
			t.Fatalf("route %s has no line in the success table", p)
		}
	}
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.setUpShop(t)
		patterns := make([]string, 0, len(allowed))
		for p := range allowed {
			patterns = append(patterns, p)
		}
		sort.Strings(patterns)
		n := 0
		for _, pattern := range patterns {
			method, _, _ := strings.Cut(pattern, " ")
			want := success[pattern]
			for _, tok := range []string{"", "Bearer clt_not-a-real-token", "Basic dXNlcjpwYXNz"} {
				hdr := map[string]string{}
				if tok != "" {
					hdr["Authorization"] = tok
				}
				r := e.do(t, pattern, req{method: method, path: strings.NewReplacer("{ref}", "x", "{customer}", "x", "{group}", "x", "{ticket}", "x", "{line}", "x", "{invoice}", "x", "{entry}", "x", "{campaign}", "x", "{other}", "x").Replace(want.path), body: want.body, header: hdr})
				if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s with %q: %d, want 401 with WWW-Authenticate", pattern, tok, r.status)
				}
			}
			for _, role := range []domain.Role{domain.RoleCashier, domain.RoleManager, domain.RoleAdmin} {
				// Fresh records for each request, so that a delete or a patch before cannot
				// change what this one meets.
				n++
				ref := fmt.Sprintf("AUTHZ%d", n)
				customer := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "reference": ref, "email": strings.ToLower(ref) + "@example.com"})["id"].(string)
				group := e.createGroup(t, map[string]any{"name": "G " + ref})["id"].(string)
				ticket, line, invoice := e.tillRecords(t, role)
				entry := ""
				if strings.Contains(want.path, "{entry}") {
					entry = e.deposit(t, customer, 1000)
				}
				campaign := ""
				if strings.Contains(want.path, "{campaign}") {
					r := e.do(t, "POST /api/v1/campaigns", req{method: "POST", path: "/api/v1/campaigns", role: domain.RoleAdmin,
						body: map[string]any{"audience": "customer", "customer_id": customer, "subject": "Hola", "body": "Texto"}})
					if r.status != http.StatusCreated {
						t.Fatalf("campaign: %d %s", r.status, r.body)
					}
					campaign, _ = r.obj(t)["id"].(string)
				}
				other := ""
				if strings.Contains(pattern, "duplicate-dismissals") || strings.Contains(fmt.Sprint(want.body), "{other}") {
					other = e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "last_name": "Otra"})["id"].(string)
					if method == "DELETE" && strings.Contains(pattern, "duplicate-dismissals") {
						r := e.do(t, "POST /api/v1/customers/{id}/duplicate-dismissals", req{method: "POST", path: "/api/v1/customers/" + customer + "/duplicate-dismissals",
							role: domain.RoleAdmin, body: map[string]any{"other_id": other}})
						if r.status != http.StatusOK {
							t.Fatalf("dismiss: %d %s", r.status, r.body)
						}
					}
				}
				repl := strings.NewReplacer("{ref}", ref, "{customer}", customer, "{group}", group, "{ticket}", ticket, "{line}", line, "{invoice}", invoice, "{entry}", entry, "{campaign}", campaign, "{other}", other)
				path := repl.Replace(want.path)
				body := want.body
				if m, ok := body.(map[string]any); ok {
					c := map[string]any{}
					for k, v := range m {
						if s, ok := v.(string); ok {
							v = repl.Replace(s)
						}
						c[k] = v
					}
					body = c
				}
				match := `"1"`
				if m, ok := ifMatchFor[pattern]; ok {
					match = m
				}
				r := e.do(t, pattern, req{method: method, path: path, role: role, body: body, header: map[string]string{"If-Match": match}})
				if slices.Contains(allowed[pattern], role) {
					if r.status != want.status {
						t.Errorf("%s as %s: %d %s, want %d", pattern, role, r.status, r.body, want.status)
					}
				} else if r.status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", pattern, role, r.status)
				}
			}
		}
	})
}
