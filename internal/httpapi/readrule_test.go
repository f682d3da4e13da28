package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestMissingMemberIs422 holds every route to one rule: a body that was read but lacks a
// required member is invalid data (422, field code required), never a malformed request (400).
func TestMissingMemberIs422(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		g := "/api/v1/groups/" + e.createGroup(t, map[string]any{"name": "Mayoristas"})["id"].(string)
		for _, tc := range []struct {
			pattern, path string
			body          any
			header        map[string]string
			field         string
		}{
			{"POST /api/v1/customers", "/api/v1/customers", map[string]any{}, nil, "kind"},
			{"POST /api/v1/groups", "/api/v1/groups", map[string]any{}, nil, "name"},
			{"PATCH /api/v1/groups/{id}", g, map[string]any{"name": nil}, map[string]string{"If-Match": `"1"`}, "name"},
			{"POST /api/v1/groups/{id}/move-members", g + "/move-members", map[string]any{}, nil, "to_group_id"},
		} {
			method, _, _ := strings.Cut(tc.pattern, " ")
			r := e.do(t, tc.pattern, req{method: method, path: tc.path, role: domain.RoleManager, body: tc.body, header: tc.header})
			if r.status != http.StatusUnprocessableEntity || r.errorCode(t) != "validation_failed" || !slices.Contains(r.errorFields(t), tc.field+":required") {
				t.Errorf("%s without %s: %d %s", tc.pattern, tc.field, r.status, r.body)
			}
		}
	})
}
