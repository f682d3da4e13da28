package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

func TestGroupLifecycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		vip := e.createGroup(t, map[string]any{"name": "Clientes VIP", "discount_basis_points": 1000, "description": "10 % siempre"})
		vipID := vip["id"].(string)
		if vip["member_count"] != float64(0) || vip["version"] != float64(1) {
			t.Errorf("new group %v", vip)
		}
		pro := e.createGroup(t, map[string]any{"name": "Profesionales"})["id"].(string)

		post := func(body any) response {
			return e.do(t, "POST /api/v1/groups", req{method: "POST", path: "/api/v1/groups", role: domain.RoleManager, body: body})
		}
		for _, tc := range []struct {
			body   any
			status int
			want   string
		}{
			{map[string]any{"name": "  clientes   vip "}, 409, "name:taken"},
			{map[string]any{"name": "CLIENTES VÍP"}, 409, "name:taken"},
			{map[string]any{"name": ""}, 422, "name:required"},
			{map[string]any{"name": "X", "discount_basis_points": 10001}, 422, "discount_basis_points:out_of_range"},
			{map[string]any{"name": "X", "discount_basis_points": -1}, 422, "discount_basis_points:out_of_range"},
			{map[string]any{"name": "X", "discount_basis_points": "10"}, 400, "discount_basis_points:wrong_type"},
			{map[string]any{"name": "X", "color": "red"}, 400, "color:unknown_field"},
		} {
			r := post(tc.body)
			if r.status != tc.status || !contains(r.errorFields(t), tc.want) {
				t.Errorf("%v: %d %s, want %d %s", tc.body, r.status, r.body, tc.status, tc.want)
			}
		}

		var members []string
		for _, n := range []string{"Ana", "Luis", "Eva"} {
			members = append(members, e.createCustomer(t, map[string]any{"kind": "person", "first_name": n, "group_id": vipID})["id"].(string))
		}
		r := e.do(t, "GET /api/v1/groups/{id}", req{method: "GET", path: "/api/v1/groups/" + vipID, role: domain.RoleCashier})
		if r.status != 200 || r.obj(t)["member_count"] != float64(3) {
			t.Errorf("group with members: %d %s", r.status, r.body)
		}

		// Rename and change the discount at the version seen.
		r = e.do(t, "PATCH /api/v1/groups/{id}", req{method: "PATCH", path: "/api/v1/groups/" + vipID, role: domain.RoleManager,
			body: map[string]any{"name": "VIP", "discount_basis_points": 1500}, header: map[string]string{"If-Match": `"1"`}})
		if r.status != 200 || r.obj(t)["name"] != "VIP" || r.header.Get("ETag") != `"2"` {
			t.Errorf("rename: %d %s", r.status, r.body)
		}
		r = e.do(t, "PATCH /api/v1/groups/{id}", req{method: "PATCH", path: "/api/v1/groups/" + vipID, role: domain.RoleManager,
			body: map[string]any{"name": "Otra"}, header: map[string]string{"If-Match": `"1"`}})
		if r.status != http.StatusPreconditionFailed {
			t.Errorf("stale rename: %d", r.status)
		}

		// A group with members is not deleted; nothing changes.
		r = e.do(t, "DELETE /api/v1/groups/{id}", req{method: "DELETE", path: "/api/v1/groups/" + vipID, role: domain.RoleManager})
		if r.status != http.StatusConflict || r.errorCode(t) != "group_not_empty" || r.obj(t)["error"].(map[string]any)["member_count"] != float64(3) {
			t.Errorf("delete non-empty: %d %s", r.status, r.body)
		}
		// Cashiers read groups but cannot change them.
		r = e.do(t, "DELETE /api/v1/groups/{id}", req{method: "DELETE", path: "/api/v1/groups/" + vipID, role: domain.RoleCashier})
		if r.status != http.StatusForbidden {
			t.Errorf("cashier delete: %d", r.status)
		}

		move := func(from string, to any) response {
			return e.do(t, "POST /api/v1/groups/{id}/move-members", req{method: "POST", path: "/api/v1/groups/" + from + "/move-members", role: domain.RoleManager, body: map[string]any{"to_group_id": to}})
		}
		for _, tc := range []struct {
			to     any
			status int
			want   string
		}{
			{"01900000-0000-7000-8000-000000000000", 422, "to_group_id:unknown_group"},
			{vipID, 422, "to_group_id:same_group"},
			{42, 400, "to_group_id:wrong_type"},
		} {
			if r := move(vipID, tc.to); r.status != tc.status || !contains(r.errorFields(t), tc.want) {
				t.Errorf("move to %v: %d %s", tc.to, r.status, r.body)
			}
		}
		if r := e.do(t, "POST /api/v1/groups/{id}/move-members", req{method: "POST", path: "/api/v1/groups/" + vipID + "/move-members", role: domain.RoleManager, body: map[string]any{}}); r.status != 422 || !contains(r.errorFields(t), "to_group_id:required") {
			t.Errorf("move without target: %d %s", r.status, r.body)
		}
		r = move(vipID, pro)
		if r.status != 200 || r.obj(t)["moved"] != float64(3) {
			t.Fatalf("move: %d %s", r.status, r.body)
		}
		for _, id := range members {
			c := e.do(t, "GET /api/v1/customers/{id}", req{method: "GET", path: "/api/v1/customers/" + id, role: domain.RoleManager}).obj(t)
			if c["group_id"] != pro || c["version"] != float64(2) {
				t.Errorf("member after move: group %v version %v", c["group_id"], c["version"])
			}
		}
		r = e.do(t, "DELETE /api/v1/groups/{id}", req{method: "DELETE", path: "/api/v1/groups/" + vipID, role: domain.RoleManager})
		if r.status != http.StatusNoContent {
			t.Errorf("delete emptied group: %d %s", r.status, r.body)
		}
		// Moving to no group.
		if r := move(pro, nil); r.status != 200 || r.obj(t)["moved"] != float64(3) {
			t.Errorf("move to none: %d %s", r.status, r.body)
		}
		if got, _ := e.list(t, "group_id="+pro); len(got) != 0 {
			t.Errorf("group still has %v", got)
		}
		r = e.do(t, "GET /api/v1/groups", req{method: "GET", path: "/api/v1/groups", role: domain.RoleCashier})
		var l struct{ Data []map[string]any }
		r.json(t, &l)
		if len(l.Data) != 1 || l.Data[0]["name"] != "Profesionales" || l.Data[0]["member_count"] != float64(0) {
			t.Errorf("groups: %s", r.body)
		}
	})
}

func TestWrongMethodAnswers405(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		r := e.do(t, "", req{method: "PUT", path: "/api/v1/customers/01900000-0000-7000-8000-000000000000", role: domain.RoleAdmin, body: map[string]any{}})
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, PATCH, DELETE" || r.errorCode(t) != "method_not_allowed" {
			t.Errorf("PUT customer: %d %q %s", r.status, r.header.Get("Allow"), r.body)
		}
		r = e.do(t, "", req{method: "GET", path: "/api/v1/nothing-here", role: domain.RoleAdmin})
		if r.status != http.StatusNotFound || r.errorCode(t) != "not_found" {
			t.Errorf("unknown path: %d %s", r.status, r.body)
		}
	})
}
