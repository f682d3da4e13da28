package httpapi_test

import (
	"log/slog"
	"net/http"
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
	"GET /api/v1/me":                                 {"admin", "manager", "cashier"},
	"GET /api/v1/openapi.json":                       {"admin", "manager", "cashier"},
	"GET /api/v1/customers":                          {"admin", "manager", "cashier"},
	"POST /api/v1/customers":                         {"admin", "manager", "cashier"},
	"GET /api/v1/customers/by-reference/{reference}": {"admin", "manager", "cashier"},
	"GET /api/v1/customers/{id}":                     {"admin", "manager", "cashier"},
	"PATCH /api/v1/customers/{id}":                   {"admin", "manager"},
	"DELETE /api/v1/customers/{id}":                  {"admin", "manager"},
	"GET /api/v1/groups":                             {"admin", "manager", "cashier"},
	"POST /api/v1/groups":                            {"admin", "manager"},
	"GET /api/v1/groups/{id}":                        {"admin", "manager", "cashier"},
	"PATCH /api/v1/groups/{id}":                      {"admin", "manager"},
	"DELETE /api/v1/groups/{id}":                     {"admin", "manager"},
	"POST /api/v1/groups/{id}/move-members":          {"admin", "manager"},
	"GET /api/v1/audit":                              {"admin"},
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

// TestAuthorizationMatrix walks every route × role: no token and a wrong token get 401, a
// role outside the matrix gets 403, a role inside never does.
func TestAuthorizationMatrix(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		group := e.createGroup(t, map[string]any{"name": "G"})["id"].(string)
		customer := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "reference": "R1"})["id"].(string)
		patterns := make([]string, 0, len(allowed))
		for p := range allowed {
			patterns = append(patterns, p)
		}
		sort.Strings(patterns)
		for _, pattern := range patterns {
			method, path, _ := strings.Cut(pattern, " ")
			path = strings.NewReplacer("{reference}", "R1", "{id}", customer).Replace(path)
			if strings.Contains(pattern, "/groups/{id}") {
				path = strings.Replace(path, customer, group, 1)
			}
			// Bodies that would be valid, so that the status shows authorization only; the
			// DELETE and PATCH targets may be gone or stale by the time a role gets there.
			var body any
			switch method {
			case "POST", "PATCH":
				body = map[string]any{}
			}
			header := map[string]string{"If-Match": `"99"`}
			for _, tok := range []string{"", "Bearer clt_not-a-real-token", "Basic dXNlcjpwYXNz"} {
				hdr := map[string]string{}
				if tok != "" {
					hdr["Authorization"] = tok
				}
				r := e.do(t, pattern, req{method: method, path: path, body: body, header: hdr})
				if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s with %q: %d, want 401 with WWW-Authenticate", pattern, tok, r.status)
				}
			}
			for _, role := range []domain.Role{domain.RoleCashier, domain.RoleManager, domain.RoleAdmin} {
				r := e.do(t, pattern, req{method: method, path: path, role: role, body: body, header: header})
				may := false
				for _, a := range allowed[pattern] {
					may = may || a == role
				}
				switch {
				case may && (r.status == http.StatusForbidden || r.status == http.StatusUnauthorized):
					t.Errorf("%s as %s: %d, want it allowed", pattern, role, r.status)
				case !may && r.status != http.StatusForbidden:
					t.Errorf("%s as %s: %d, want 403", pattern, role, r.status)
				}
			}
		}
	})
}
