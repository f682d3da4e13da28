package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestAccountTendersOverHTTP: a terminal charges a customer's account at close; past the
// credit limit the answer gives the balance, the limit and the amount, in words and numbers;
// the account then shows what is owed, and a payment settles it.
func TestAccountTendersOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.setUpShop(t)
		c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Rosa", "last_name": "Díaz", "reference": "7700", "credit_limit_cents": 1000})
		cid := c["id"].(string)
		open := func() string {
			r := e.do(t, "POST /api/v1/tickets", req{method: "POST", path: "/api/v1/tickets", role: domain.RoleCashier})
			id := r.obj(t)["id"].(string)
			e.do(t, "POST /api/v1/tickets/{id}/lines", req{method: "POST", path: "/api/v1/tickets/" + id + "/lines", role: domain.RoleCashier,
				body: map[string]any{"label": "Vino", "quantity": 1, "unit_price_cents": 1500, "vat_rate_basis_points": 2100}})
			e.do(t, "PUT /api/v1/tickets/{id}/customer", req{method: "PUT", path: "/api/v1/tickets/" + id + "/customer", role: domain.RoleCashier,
				body: map[string]any{"reference": "7700"}})
			return id
		}
		tk := open()
		closePath := "/api/v1/tickets/" + tk + "/close"
		r := e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: closePath, role: domain.RoleCashier,
			body: map[string]any{"payments": []any{map[string]any{"method": "account", "amount_cents": 1500}}}})
		body := r.obj(t)
		errObj, _ := body["error"].(map[string]any)
		if r.status != http.StatusConflict || errObj["code"] != "credit_limit_exceeded" || errObj["balance_cents"] != float64(0) ||
			errObj["limit_cents"] != float64(1000) || errObj["amount_cents"] != float64(1500) {
			t.Fatalf("over the limit: %d %s", r.status, r.body)
		}
		if msg, _ := errObj["message"].(string); !strings.Contains(msg, "10,00\u00a0€") || !strings.Contains(msg, "15,00\u00a0€") {
			t.Errorf("the message does not give the amounts: %q", msg)
		}
		r = e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: closePath, role: domain.RoleCashier,
			body: map[string]any{"payments": []any{map[string]any{"method": "cash", "amount_cents": 500}, map[string]any{"method": "account", "amount_cents": 1000}}}})
		if r.status != http.StatusCreated {
			t.Fatalf("split close: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/customers/{id}/account", req{method: "GET", path: "/api/v1/customers/" + cid + "/account", role: domain.RoleCashier})
		acct := r.obj(t)
		entries, _ := acct["entries"].([]any)
		if acct["balance_cents"] != float64(1000) || acct["status"] != "debtor" || len(entries) != 1 || entries[0].(map[string]any)["kind"] != "sale" {
			t.Fatalf("account: %s", r.body)
		}
		// A manager lets the next sale pass the limit; a cashier may not.
		tk2 := open()
		over := map[string]any{"payments": []any{map[string]any{"method": "account", "amount_cents": 1500}}, "override_credit_limit": true}
		r = e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: "/api/v1/tickets/" + tk2 + "/close", role: domain.RoleCashier, body: over})
		if r.status != http.StatusForbidden {
			t.Errorf("cashier override: %d %s", r.status, r.body)
		}
		r = e.do(t, "POST /api/v1/customers/{id}/account/payments", req{method: "POST", path: "/api/v1/customers/" + cid + "/account/payments",
			role: domain.RoleCashier, body: map[string]any{"amount_cents": 1000, "method": "card"}})
		if r.status != http.StatusCreated || r.obj(t)["balance_cents"] != float64(0) {
			t.Fatalf("payment: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/customers/{id}/account/entries/{entry_id}/receipt", req{method: "GET",
			path: "/api/v1/customers/" + cid + "/account/entries/" + r.obj(t)["id"].(string) + "/receipt", role: domain.RoleCashier})
		if !strings.Contains(string(r.body), "Pago a cuenta") || !strings.Contains(string(r.body), "Cuenta saldada") {
			t.Errorf("payment receipt:\n%s", r.body)
		}
		for _, l := range strings.Split(strings.TrimRight(string(r.body), "\n"), "\n") {
			if n := len([]rune(l)); n > 42 {
				t.Errorf("receipt line of %d columns: %q", n, l)
			}
		}
	})
}
