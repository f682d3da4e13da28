package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestCursorsBelongToTheirList gives each paged list (customers, a search, groups, the audit
// log) the cursors of the others, and cursors no list issues: each answers 422
// invalid_cursor instead of starting again at page 1, where a client following next_cursor
// would loop forever.
func TestCursorsBelongToTheirList(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		for _, name := range []string{"Ana", "Anabel", "Andrés"} {
			e.createCustomer(t, map[string]any{"kind": "person", "first_name": name, "last_name": "Ruiz"})
			e.createGroup(t, map[string]any{"name": "Grupo " + name, "discount_basis_points": 0})
		}
		lists := []struct{ name, route, path string }{
			{"customers", "GET /api/v1/customers", "/api/v1/customers?limit=1"},
			{"search", "GET /api/v1/customers", "/api/v1/customers?limit=1&q=ruiz"},
			{"other search", "GET /api/v1/customers", "/api/v1/customers?limit=1&q=an"},
			{"groups", "GET /api/v1/groups", "/api/v1/groups?limit=1"},
			{"audit", "GET /api/v1/audit", "/api/v1/audit?limit=1"},
		}
		get := func(route, path string) response {
			return e.do(t, route, req{method: "GET", path: path, role: domain.RoleAdmin})
		}
		cursors := map[string]string{}
		for _, l := range lists {
			r := get(l.route, l.path)
			var page struct {
				NextCursor *string `json:"next_cursor"`
			}
			r.json(t, &page)
			if r.status != 200 || page.NextCursor == nil {
				t.Fatalf("%s: %d %s, want a page with a next cursor", l.name, r.status, r.body)
			}
			cursors[l.name] = *page.NextCursor
		}
		refused := func(l struct{ name, route, path string }, what, cursor string) {
			t.Helper()
			r := get(l.route, l.path+"&cursor="+url.QueryEscape(cursor))
			if r.status != 422 || !contains(r.errorFields(t), "cursor:invalid_cursor") {
				t.Errorf("%s given %s: %d %s, want 422 invalid_cursor", l.name, what, r.status, r.body)
			}
		}
		for _, l := range lists {
			if r := get(l.route, l.path+"&cursor="+url.QueryEscape(cursors[l.name])); r.status != 200 {
				t.Errorf("%s given its own cursor: %d %s", l.name, r.status, r.body)
			}
			for _, other := range lists {
				if other.name != l.name {
					refused(l, "the cursor of "+other.name, cursors[other.name])
				}
			}
		}
		// Each list's own cursor, changed into one it cannot have issued.
		forged := func(cursor string, change func(map[string]any)) string {
			raw, err := base64.RawURLEncoding.DecodeString(cursor)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			change(m)
			raw, err = json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			return base64.RawURLEncoding.EncodeToString(raw)
		}
		set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
		drop := func(k string) func(map[string]any) { return func(m map[string]any) { delete(m, k) } }
		for _, f := range []struct {
			list, what string
			change     func(map[string]any)
		}{
			{"customers", "seq 0", set("s", 0)},
			{"customers", "no seq", drop("s")},
			{"search", "seq 0", set("s", 0)},
			{"search", "tier 9", set("t", 9)},
			{"search", "another query's fingerprint", set("q", "000000000000")},
			{"groups", "an empty key", drop("k")},
			{"audit", "id 0", set("i", 0)},
			{"audit", "an unknown field", set("x", 1)},
		} {
			for _, l := range lists {
				if l.name == f.list {
					refused(l, f.what, forged(cursors[f.list], f.change))
				}
			}
		}
		// Cursors of the previous format: no list name.
		old := base64.RawURLEncoding.EncodeToString([]byte(`{"m":"s","p":true}`))
		refused(lists[1], "an old search cursor with seq 0", old)
		refused(lists[0], "an old list cursor", base64.RawURLEncoding.EncodeToString([]byte(`{"m":"l","k":"ruiz ana","s":1}`)))
	})
}
