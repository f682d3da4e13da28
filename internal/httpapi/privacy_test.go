package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/testdb"
)

// TestPrivacyOverHTTP: an admin downloads a customer's package, then erases her; afterwards
// no search, list, export nor API call returns her name, e-mail address or phone, and
// neither does any byte of the database (the SQLite file after a checkpoint and a vacuum,
// every PostgreSQL table). Her simplified invoice still prints, without her.
func TestPrivacyOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.setUpShop(t)
		c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Zoraida", "last_name": "Quesada",
			"email": "zoraida.quesada@zqmail.es", "phone": "655 43 21 09", "reference": "ZQ-7731", "marketing_consent": true,
			"address": map[string]any{"line1": "Calle Zurbarán 3", "city": "Sevilla"}})
		id := c["id"].(string)
		admin := domain.RoleAdmin
		// A simplified invoice to her (sent by e-mail, as she has an address) and a statement.
		r := e.do(t, "POST /api/v1/tickets", req{method: "POST", path: "/api/v1/tickets", role: admin})
		ticket := r.obj(t)["id"].(string)
		e.do(t, "POST /api/v1/tickets/{id}/lines", req{method: "POST", path: "/api/v1/tickets/" + ticket + "/lines", role: admin,
			body: map[string]any{"label": "Pan", "quantity": 1, "unit_price_cents": 100, "vat_rate_basis_points": 400}})
		if r := e.do(t, "PUT /api/v1/tickets/{id}/customer", req{method: "PUT", path: "/api/v1/tickets/" + ticket + "/customer", role: admin,
			body: map[string]any{"customer_id": id}}); r.status != http.StatusOK {
			t.Fatalf("attach: %d %s", r.status, r.body)
		}
		r = e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: "/api/v1/tickets/" + ticket + "/close", role: admin,
			body: map[string]any{"payments": []any{map[string]any{"method": "cash", "amount_cents": 100}}}})
		if r.status != http.StatusCreated {
			t.Fatalf("close: %d %s", r.status, r.body)
		}
		invoice := r.obj(t)["id"].(string)
		if r := e.do(t, "POST /api/v1/customers/{id}/statement/mail", req{method: "POST", path: "/api/v1/customers/" + id + "/statement/mail",
			role: admin}); r.status != http.StatusAccepted {
			t.Fatalf("statement: %d %s", r.status, r.body)
		}

		// Access: managers may not; the admin gets everything.
		path := "/api/v1/customers/" + id
		if r := e.do(t, "GET /api/v1/customers/{id}/privacy-export", req{method: "GET", path: path + "/privacy-export", role: domain.RoleManager}); r.status != http.StatusForbidden {
			t.Fatalf("manager export: %d", r.status)
		}
		r = e.do(t, "GET /api/v1/customers/{id}/privacy-export", req{method: "GET", path: path + "/privacy-export", role: admin})
		pkg := r.obj(t)
		if r.status != http.StatusOK || pkg["customer"].(map[string]any)["email"] != "zoraida.quesada@zqmail.es" ||
			len(pkg["invoices"].([]any)) != 1 || len(pkg["messages"].([]any)) != 2 {
			t.Fatalf("package: %d %s", r.status, r.body)
		}

		// Erasure.
		r = e.do(t, "POST /api/v1/customers/{id}/erase", req{method: "POST", path: path + "/erase", role: admin})
		if r.status != http.StatusOK || r.obj(t)["invoices_changed"] != float64(1) {
			t.Fatalf("erase: %d %s", r.status, r.body)
		}
		secrets := []string{"Zoraida", "Quesada", "zqmail", "655432109", "ZQ-7731"}
		for _, call := range []struct{ pattern, path string }{
			{"GET /api/v1/customers", "/api/v1/customers?q=zoraida"},
			{"GET /api/v1/customers", "/api/v1/customers?q=655432109"},
			{"GET /api/v1/customers", "/api/v1/customers"},
			{"GET /api/v1/invoices", "/api/v1/invoices?q=quesada"},
			{"GET /api/v1/invoices", "/api/v1/invoices"},
			{"GET /api/v1/invoices/{id}", "/api/v1/invoices/" + invoice},
			{"GET /api/v1/invoices/{id}/receipt", "/api/v1/invoices/" + invoice + "/receipt"},
			{"GET /api/v1/invoices/{id}/mail", "/api/v1/invoices/" + invoice + "/mail"},
			{"GET /api/v1/audit", "/api/v1/audit?limit=100"},
			{"GET /api/v1/customers/export", "/api/v1/customers/export?format=csv"},
			{"GET /api/v1/exports/accounting", "/api/v1/exports/accounting?from=2020-01-01&to=2099-12-31"},
			{"GET /api/v1/customers/{id}", path},
			{"GET /api/v1/customers/{id}/privacy-export", path + "/privacy-export"},
		} {
			r := e.do(t, call.pattern, req{method: "GET", path: call.path, role: admin})
			if r.status >= 500 {
				t.Errorf("%s: %d", call.path, r.status)
			}
			for _, s := range secrets {
				if strings.Contains(strings.ToLower(string(r.body)), strings.ToLower(s)) {
					t.Errorf("%s still returns %q: %s", call.path, s, r.body)
				}
			}
		}
		if r := e.do(t, "GET /api/v1/invoices/{id}/pdf", req{method: "GET", path: "/api/v1/invoices/" + invoice + "/pdf", role: admin}); r.status != http.StatusOK {
			t.Errorf("the invoice no longer prints: %d", r.status)
		}
		if found := testdb.Traces(t, e.db, secrets); len(found) != 0 {
			t.Errorf("after the erasure the database still holds %v", found)
		}
	})
}
