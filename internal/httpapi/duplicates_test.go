package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestDuplicatesOverHTTP: a terminal lists the candidate pairs with their reasons and the
// merge page's link, pages with the cursor, dismisses a pair (gone from the list) and undoes
// the dismissal (back).
func TestDuplicatesOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		const (
			list      = "GET /api/v1/customers/duplicates"
			dismiss   = "POST /api/v1/customers/{id}/duplicate-dismissals"
			undismiss = "DELETE /api/v1/customers/{id}/duplicate-dismissals/{other_id}"
		)
		ana := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Mª José", "last_name": "Núñez Peña",
			"phone": "612345678", "address": map[string]any{"postal_code": "28001"}})["id"].(string)
		pepa := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Maria Jose", "last_name": "Pena Nunez",
			"address": map[string]any{"postal_code": "28001"}})["id"].(string)
		e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Acme", "tax_id": "B12345674"})
		e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Acme Norte", "tax_id": "B12345674"})

		type pair struct {
			Keep    struct{ ID, DisplayName string } `json:"keep"`
			Other   struct{ ID string }              `json:"other"`
			Reasons []string                         `json:"reasons"`
			Score   int                              `json:"score"`
			Merge   string                           `json:"merge_url"`
		}
		var page struct {
			Data       []pair  `json:"data"`
			NextCursor *string `json:"next_cursor"`
			Clusters   []any   `json:"clusters"`
		}
		r := e.do(t, list, req{method: "GET", path: "/api/v1/customers/duplicates?limit=1", role: domain.RoleManager})
		if r.status != http.StatusOK {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		r.json(t, &page)
		if len(page.Data) != 1 || page.NextCursor == nil || page.Data[0].Reasons[0] != "tax_id" || page.Data[0].Score != 4 {
			t.Fatalf("first page: %s", r.body)
		}
		r = e.do(t, list, req{method: "GET", path: "/api/v1/customers/duplicates?limit=1&cursor=" + url.QueryEscape(*page.NextCursor), role: domain.RoleManager})
		page.Data, page.NextCursor = nil, nil
		r.json(t, &page)
		if len(page.Data) != 1 || page.NextCursor != nil {
			t.Fatalf("second page: %s", r.body)
		}
		p := page.Data[0]
		if p.Keep.ID != ana || p.Other.ID != pepa || len(p.Reasons) != 1 || p.Reasons[0] != "name" ||
			p.Merge != "/customers/"+ana+"/merge?absorb="+pepa {
			t.Errorf("name pair: %+v", p)
		}

		r = e.do(t, dismiss, req{method: "POST", path: "/api/v1/customers/" + pepa + "/duplicate-dismissals", role: domain.RoleManager, body: map[string]any{"other_id": ana}})
		if r.status != http.StatusOK || r.obj(t)["reasons"].([]any)[0] != "name" {
			t.Fatalf("dismiss: %d %s", r.status, r.body)
		}
		r = e.do(t, list, req{method: "GET", path: "/api/v1/customers/duplicates", role: domain.RoleAdmin})
		page.Data = nil
		r.json(t, &page)
		if len(page.Data) != 1 || page.Data[0].Reasons[0] != "tax_id" {
			t.Errorf("after the dismissal: %s", r.body)
		}
		r = e.do(t, undismiss, req{method: "DELETE", path: "/api/v1/customers/" + ana + "/duplicate-dismissals/" + pepa, role: domain.RoleManager})
		if r.status != http.StatusNoContent {
			t.Fatalf("undo: %d %s", r.status, r.body)
		}
		r = e.do(t, list, req{method: "GET", path: "/api/v1/customers/duplicates", role: domain.RoleManager})
		page.Data = nil
		r.json(t, &page)
		if len(page.Data) != 2 {
			t.Errorf("after the undo: %s", r.body)
		}
		r = e.do(t, dismiss, req{method: "POST", path: "/api/v1/customers/" + pepa + "/duplicate-dismissals", role: domain.RoleManager, body: map[string]any{}})
		if r.status != http.StatusUnprocessableEntity || r.errorFields(t)[0] != "other_id:required" {
			t.Errorf("without other_id: %d %s", r.status, r.body)
		}
	})
}
