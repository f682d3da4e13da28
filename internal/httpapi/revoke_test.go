package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestRevokedTokenRefusedAtOnce: a token that was just used (and so is cached) gets 401 on the
// very next request after it is revoked, and so does a token of a user just disabled.
func TestRevokedTokenRefusedAtOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		ctx := context.Background()
		list := func(role domain.Role) response {
			return e.do(t, "GET /api/v1/groups", req{method: "GET", path: "/api/v1/groups", role: role})
		}
		for _, role := range []domain.Role{domain.RoleCashier, domain.RoleManager} {
			if r := list(role); r.status != http.StatusOK {
				t.Fatalf("%s before: %d %s", role, r.status, r.body)
			}
		}
		p, err := e.app.AuthenticateToken(ctx, e.tokens[domain.RoleCashier])
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.RevokeAPIToken(ctx, app.System(), p.TokenID); err != nil {
			t.Fatal(err)
		}
		r := list(domain.RoleCashier)
		if r.status != http.StatusUnauthorized || r.errorCode(t) != "unauthenticated" || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("revoked token: %d %s", r.status, r.body)
		}

		m, err := e.app.AuthenticateToken(ctx, e.tokens[domain.RoleManager])
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.SetUserDisabled(ctx, app.System(), m.UserID, true); err != nil {
			t.Fatal(err)
		}
		if r := list(domain.RoleManager); r.status != http.StatusUnauthorized {
			t.Errorf("token of a disabled user: %d %s", r.status, r.body)
		}
		if r := list(domain.RoleAdmin); r.status != http.StatusOK {
			t.Errorf("other token: %d %s", r.status, r.body)
		}
	})
}
