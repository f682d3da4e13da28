package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestMergeOverHTTP: a preview changes nothing; a stale version is 409 naming the record; the
// merge moves the account and deletes the absorbed record; the audit shows what it held.
func TestMergeOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		const merge = "POST /api/v1/customers/{id}/merge"
		s := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "María", "last_name": "García", "email": "maria@example.com"})
		a := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Mª", "last_name": "Garcia", "reference": "CARD-77",
			"phone": "612345678", "marketing_consent": true})
		sID, aID := s["id"].(string), a["id"].(string)
		e.deposit(t, aID, 2500)
		path := "/api/v1/customers/" + sID + "/merge"
		body := func(av int, preview bool) map[string]any {
			return map[string]any{"absorb_id": aID, "fields": map[string]any{"reference": "absorbed", "phone": "absorbed"},
				"versions": map[string]any{sID: 1, aID: av}, "preview": preview}
		}

		r := e.do(t, merge, req{method: "POST", path: path, role: domain.RoleManager, body: body(1, true)})
		if r.status != http.StatusOK {
			t.Fatalf("preview: %d %s", r.status, r.body)
		}
		pv := r.obj(t)
		customer := pv["customer"].(map[string]any)
		moves := pv["moves"].(map[string]any)
		consent := pv["consent"].(map[string]any)
		if pv["preview"] != true || customer["reference"] != "CARD-77" || customer["email"] != "maria@example.com" ||
			moves["ledger_entries"] != float64(1) || moves["balance_cents"] != float64(-2500) || consent["from"] != "absorbed" ||
			customer["marketing_consent"] != true || r.header.Get("ETag") != `"1"` {
			t.Errorf("preview: %s", r.body)
		}
		if r := e.do(t, "GET /api/v1/customers/{id}", req{method: "GET", path: "/api/v1/customers/" + aID, role: domain.RoleManager}); r.status != http.StatusOK {
			t.Errorf("a preview deleted the absorbed record: %d", r.status)
		}

		r = e.do(t, merge, req{method: "POST", path: path, role: domain.RoleManager, body: body(7, false)})
		if r.status != http.StatusConflict || r.errorCode(t) != "conflict" || !slices.Equal(r.errorFields(t), []string{"versions." + aID + ":stale_version"}) {
			t.Errorf("stale version: %d %s", r.status, r.body)
		}
		r = e.do(t, merge, req{method: "POST", path: path, role: domain.RoleManager, body: map[string]any{"absorb_id": sID, "versions": map[string]any{sID: 1}}})
		if r.status != http.StatusUnprocessableEntity || !slices.Contains(r.errorFields(t), "absorb_id:same_customer") {
			t.Errorf("with itself: %d %s", r.status, r.body)
		}
		r = e.do(t, merge, req{method: "POST", path: path, role: domain.RoleManager, body: map[string]any{"absorb_id": aID, "fields": map[string]any{"email": "both"}, "preview": true}})
		if r.status != http.StatusUnprocessableEntity || !slices.Equal(r.errorFields(t), []string{"fields.email:invalid"}) {
			t.Errorf("a bad side: %d %s", r.status, r.body)
		}

		// A deposit leaves the record's version as it was.
		r = e.do(t, merge, req{method: "POST", path: path, role: domain.RoleManager, body: body(1, false)})
		if r.status != http.StatusOK || r.obj(t)["preview"] != false || r.header.Get("ETag") != `"2"` {
			t.Fatalf("merge: %d %s", r.status, r.body)
		}
		if r := e.do(t, "GET /api/v1/customers/{id}", req{method: "GET", path: "/api/v1/customers/" + aID, role: domain.RoleManager}); r.status != http.StatusNotFound {
			t.Errorf("the absorbed record after the merge: %d", r.status)
		}
		r = e.do(t, "GET /api/v1/customers/by-reference/{reference}", req{method: "GET", path: "/api/v1/customers/by-reference/CARD-77", role: domain.RoleCashier})
		if r.status != http.StatusOK || r.obj(t)["id"] != sID {
			t.Errorf("the absorbed card after the merge: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/customers/{id}/account", req{method: "GET", path: "/api/v1/customers/" + sID + "/account", role: domain.RoleManager})
		acct := r.obj(t)
		if r.status != http.StatusOK || acct["balance_cents"] != float64(-2500) {
			t.Errorf("the survivor's account: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/audit", req{method: "GET", path: "/api/v1/audit?entity_type=customer&entity_id=" + sID, role: domain.RoleAdmin})
		entries, _ := r.obj(t)["data"].([]any)
		if len(entries) == 0 {
			t.Fatalf("audit: %s", r.body)
		}
		last := entries[0].(map[string]any)
		details, _ := last["details"].(map[string]any)
		absorbed, _ := details["absorbed"].(map[string]any)
		if last["action"] != domain.ActionCustomerMerge || absorbed["first_name"] != "Mª" || absorbed["reference"] != "CARD-77" {
			t.Errorf("the merge's audit entry: %v", last)
		}
	})
}
