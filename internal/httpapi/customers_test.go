package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

func TestCustomerLifecycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		r := e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleCashier, body: map[string]any{
			"kind": "person", "title": "mrs", "first_name": " María ", "last_name": "Núñez Peña",
			"tax_id": "12.345.678-z", "email": "Maria.Nunez@Example.COM", "phone": "612 34 56 78",
			"address":   map[string]any{"line1": "Calle Mayor 1", "postal_code": "28001", "city": "Madrid", "country": "es"},
			"reference": " 2000000000017 ", "account_number": "43000017", "notes": "Alérgica\na los frutos secos",
			"marketing_consent": true, "credit_limit_cents": 15000,
		}})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		c := r.obj(t)
		id := c["id"].(string)
		if got := r.header.Get("Location"); got != "/api/v1/customers/"+id {
			t.Errorf("Location %q", got)
		}
		if got := r.header.Get("ETag"); got != `"1"` {
			t.Errorf("ETag %q", got)
		}
		for field, want := range map[string]any{
			"first_name": "María", "tax_id": "12345678Z", "email": "Maria.Nunez@example.com", "phone": "+34612345678",
			"reference": "2000000000017", "invoice_by_email": true, "display_name": "María Núñez Peña", "title": "mrs",
			"credit_limit_cents": float64(15000), "version": float64(1),
		} {
			if c[field] != want {
				t.Errorf("%s = %v, want %v", field, c[field], want)
			}
		}
		if c["address"].(map[string]any)["country"] != "ES" || c["marketing_consent_at"] == nil {
			t.Errorf("address or consent date: %v %v", c["address"], c["marketing_consent_at"])
		}

		get := e.do(t, "GET /api/v1/customers/{id}", req{method: "GET", path: "/api/v1/customers/" + id, role: domain.RoleCashier})
		if get.status != 200 || get.obj(t)["last_name"] != "Núñez Peña" {
			t.Fatalf("get: %d %s", get.status, get.body)
		}
		scan := e.do(t, "GET /api/v1/customers/by-reference/{reference}", req{method: "GET", path: "/api/v1/customers/by-reference/2000000000017", role: domain.RoleCashier})
		if scan.status != 200 || scan.obj(t)["id"] != id {
			t.Fatalf("by reference: %d %s", scan.status, scan.body)
		}

		// PATCH: If-Match required, stale refused, merge-patch semantics.
		patch := func(ifMatch string, body any) response {
			h := map[string]string{}
			if ifMatch != "" {
				h["If-Match"] = ifMatch
			}
			return e.do(t, "PATCH /api/v1/customers/{id}", req{method: "PATCH", path: "/api/v1/customers/" + id, role: domain.RoleManager, body: body, header: h})
		}
		if r := patch("", map[string]any{"notes": "x"}); r.status != http.StatusPreconditionRequired {
			t.Errorf("patch without If-Match: %d", r.status)
		}
		r = patch(`"1"`, map[string]any{"phone": "+33 6 12 34 56 78", "email": nil, "address": map[string]any{"city": "Sevilla"}})
		if r.status != 200 {
			t.Fatalf("patch: %d %s", r.status, r.body)
		}
		c = r.obj(t)
		if c["phone"] != "+33612345678" || c["email"] != "" || c["invoice_by_email"] != false || c["version"] != float64(2) ||
			c["address"].(map[string]any)["city"] != "Sevilla" || c["address"].(map[string]any)["line1"] != "Calle Mayor 1" {
			t.Errorf("after patch: %v", c)
		}
		if r.header.Get("ETag") != `"2"` {
			t.Errorf("ETag after patch %q", r.header.Get("ETag"))
		}
		if r := patch(`"1"`, map[string]any{"notes": "stale"}); r.status != http.StatusPreconditionFailed || r.errorCode(t) != "precondition_failed" {
			t.Errorf("stale patch: %d %s", r.status, r.body)
		}
		// A cashier may not change nor delete.
		r = e.do(t, "PATCH /api/v1/customers/{id}", req{method: "PATCH", path: "/api/v1/customers/" + id, role: domain.RoleCashier, body: map[string]any{}, header: map[string]string{"If-Match": `"2"`}})
		if r.status != http.StatusForbidden {
			t.Errorf("cashier patch: %d", r.status)
		}

		// The same search before and after the delete: it must find her first, so that not
		// finding her afterwards means the delete worked (not that the search failed).
		if got := e.searchIDs(t, "nunez"); !slices.Equal(got, []string{id}) {
			t.Fatalf("search before delete finds %v, want [%s]", got, id)
		}
		del := e.do(t, "DELETE /api/v1/customers/{id}", req{method: "DELETE", path: "/api/v1/customers/" + id, role: domain.RoleManager})
		if del.status != http.StatusNoContent || len(del.body) != 0 {
			t.Fatalf("delete: %d %s", del.status, del.body)
		}
		if r := e.do(t, "GET /api/v1/customers/{id}", req{method: "GET", path: "/api/v1/customers/" + id, role: domain.RoleManager}); r.status != 404 || r.errorCode(t) != "not_found" {
			t.Errorf("get after delete: %d %s", r.status, r.body)
		}
		if got := e.searchIDs(t, "nunez"); len(got) != 0 {
			t.Errorf("search after delete finds %v, want nothing", got)
		}
		if r := e.do(t, "DELETE /api/v1/customers/{id}", req{method: "DELETE", path: "/api/v1/customers/" + id, role: domain.RoleManager}); r.status != 404 {
			t.Errorf("second delete: %d", r.status)
		}

		// The audit log names who and which fields, and holds no personal data.
		audit := e.do(t, "GET /api/v1/audit", req{method: "GET", path: "/api/v1/audit?entity_type=customer&entity_id=" + id, role: domain.RoleAdmin})
		if audit.status != 200 {
			t.Fatalf("audit: %d %s", audit.status, audit.body)
		}
		var log struct {
			Data []struct {
				A      string   `json:"action"`
				Actor  string   `json:"actor_name"`
				Fields []string `json:"fields"`
			}
		}
		audit.json(t, &log)
		var actions []string
		for _, en := range log.Data {
			actions = append(actions, en.A+" by "+en.Actor+" "+strings.Join(en.Fields, ","))
		}
		want := []string{
			"customer.delete by user-manager ",
			"customer.update by user-manager email,phone,address.city,invoice_by_email",
			"customer.create by user-cashier kind,title,first_name,last_name,tax_id,email,phone,address.line1,address.postal_code,address.city,address.country,reference,account_number,notes,invoice_by_email,marketing_consent,credit_limit_cents",
		}
		if got := strings.Join(actions, "\n"); got != strings.Join(want, "\n") {
			t.Errorf("audit:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
		}
		for _, personal := range []string{"María", "Maria", "Núñez", "12345678Z", "612345678", "2000000000017", "Madrid"} {
			if strings.Contains(string(audit.body), personal) {
				t.Errorf("audit log holds personal data %q", personal)
			}
		}
	})
}

func TestCustomerBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "reference": "CARD-1"})
		post := func(body any) response {
			return e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager, body: body})
		}
		for _, tc := range []struct {
			name   string
			body   any
			status int
			want   string // "field:code" that must be among the errors
		}{
			{"no kind", map[string]any{"first_name": "A"}, 422, "kind:required"},
			{"bad kind", map[string]any{"kind": "robot", "first_name": "A"}, 422, "kind:invalid"},
			{"person without name", map[string]any{"kind": "person"}, 422, "first_name:required"},
			{"company without name", map[string]any{"kind": "company"}, 422, "company_name:required"},
			{"title on company", map[string]any{"kind": "company", "company_name": "X", "title": "mr"}, 422, "title:not_allowed"},
			{"bad title", map[string]any{"kind": "person", "first_name": "A", "title": "sir"}, 422, "title:invalid"},
			{"bad NIF letter", map[string]any{"kind": "person", "first_name": "A", "tax_id": "12345678A"}, 422, "tax_id:invalid_control_character_taxid"},
			{"bad CIF", map[string]any{"kind": "company", "company_name": "X", "tax_id": "B58378432"}, 422, "tax_id:invalid_control_character_taxid"},
			{"not a NIF", map[string]any{"kind": "person", "first_name": "A", "tax_id": "hello"}, 422, "tax_id:invalid"},
			{"bad e-mail", map[string]any{"kind": "person", "first_name": "A", "email": "ana@"}, 422, "email:invalid"},
			{"e-mail with display name", map[string]any{"kind": "person", "first_name": "A", "email": "Ana <ana@example.com>"}, 422, "email:invalid"},
			{"CRLF in e-mail", map[string]any{"kind": "person", "first_name": "A", "email": "ana@example.com\r\nBcc: x@y.z"}, 422, "email:invalid_control_character"},
			{"CRLF in name", map[string]any{"kind": "person", "first_name": "Ana\r\nX"}, 422, "first_name:invalid_control_character"},
			{"bad phone", map[string]any{"kind": "person", "first_name": "A", "phone": "12"}, 422, "phone:invalid"},
			{"duplicate reference ignoring case", map[string]any{"kind": "person", "first_name": "B", "reference": " card-1 "}, 409, "reference:taken"},
			{"account letters", map[string]any{"kind": "person", "first_name": "A", "account_number": "430A"}, 422, "account_number:digits_only"},
			{"bad country", map[string]any{"kind": "person", "first_name": "A", "address": map[string]any{"country": "XX"}}, 422, "address.country:invalid"},
			{"negative credit", map[string]any{"kind": "person", "first_name": "A", "credit_limit_cents": -1}, 422, "credit_limit_cents:out_of_range"},
			{"invoice without e-mail", map[string]any{"kind": "person", "first_name": "A", "invoice_by_email": true}, 422, "invoice_by_email:requires_email"},
			{"unknown group", map[string]any{"kind": "person", "first_name": "A", "group_id": "01900000-0000-7000-8000-000000000000"}, 422, "group_id:unknown_group"},
			{"long name", map[string]any{"kind": "person", "first_name": strings.Repeat("é", 101)}, 422, "first_name:too_long"},
			{"unknown field", map[string]any{"kind": "person", "first_name": "A", "nickname": "x"}, 400, "nickname:unknown_field"},
			{"unknown address field", map[string]any{"kind": "person", "first_name": "A", "address": map[string]any{"street": "x"}}, 400, "address.street:unknown_field"},
			{"wrong type", map[string]any{"kind": "person", "first_name": 7}, 400, "first_name:wrong_type"},
			{"float cents", `{"kind":"person","first_name":"A","credit_limit_cents":10.5}`, 400, "credit_limit_cents:wrong_type"},
			{"address not object", map[string]any{"kind": "person", "first_name": "A", "address": "Madrid"}, 400, "address:wrong_type"},
			{"invalid UTF-8", []byte("{\"kind\":\"person\",\"first_name\":\"A\xff\"}"), 400, "first_name:invalid_utf8"},
			{"malformed JSON", `{"kind":"person",`, 400, ":invalid_json"},
			{"trailing data", `{"kind":"person","first_name":"A"} {}`, 400, ":invalid_json"},
			{"array body", `[1,2]`, 400, ":not_object"},
			{"empty body", ``, 400, ":not_object"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := post(tc.body)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
				}
				fields := r.errorFields(t)
				if !contains(fields, tc.want) {
					t.Errorf("errors %v lack %q", fields, tc.want)
				}
			})
		}
		// 10 MB name: refused before it is read in full.
		big := `{"kind":"person","first_name":"` + strings.Repeat("a", 10<<20) + `"}`
		if r := post(big); r.status != http.StatusRequestEntityTooLarge || r.errorCode(t) != "body_too_large" {
			t.Errorf("10 MB body: %d %s", r.status, r.body)
		}
		r := e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager, body: `{"kind":"person"}`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
		if r.status != http.StatusUnsupportedMediaType {
			t.Errorf("form post: %d", r.status)
		}
		if n := e.countCustomers(t); n != 1 {
			t.Errorf("bad input wrote something: %d customers", n)
		}
	})
}

func TestSpanishTaxIDRulesFollowTheCountry(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		c := e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Boulangerie Martin", "legal_form": "SARL",
			"tax_id": "fr 40 303 265 045", "address": map[string]any{"country": "FR"}, "phone": "01 42 68 53 00"})
		if c["tax_id"] != "FR40303265045" || c["phone"] != "+33142685300" {
			t.Errorf("French customer: tax id %v phone %v", c["tax_id"], c["phone"])
		}
		c = e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Talleres Gómez", "legal_form": "S.L.", "tax_id": "ES-B58378431"})
		if c["tax_id"] != "B58378431" {
			t.Errorf("Spanish CIF stored as %v", c["tax_id"])
		}
		c = e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Yuki", "tax_id": "x2482300w"})
		if c["tax_id"] != "X2482300W" {
			t.Errorf("NIE stored as %v", c["tax_id"])
		}
	})
}

func TestConcurrentEditsOneWins(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		id := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Luis"})["id"].(string)
		const n = 6
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := e.do(t, "PATCH /api/v1/customers/{id}", req{method: "PATCH", path: "/api/v1/customers/" + id, role: domain.RoleManager,
					body: map[string]any{"notes": fmt.Sprint("edit ", i)}, header: map[string]string{"If-Match": `"1"`}})
				statuses[i] = r.status
			}(i)
		}
		wg.Wait()
		ok, stale := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 412:
				stale++
			}
		}
		if ok != 1 || stale != n-1 {
			t.Errorf("statuses %v: want one 200 and %d × 412", statuses, n-1)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
