package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

func (e *env) principal(t *testing.T, name string) domain.Principal {
	t.Helper()
	_, p := e.login(t, name)
	return p
}

func TestUsersList(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		users, err := e.app.Users(ctx, e.principal(t, "boss"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range users {
			names = append(names, u.Username+":"+string(u.Role))
			if u.PasswordHash != "" {
				t.Errorf("listing carries %s's password hash", u.Username)
			}
		}
		if got := strings.Join(names, " "); got != "boss:admin manu:manager till:cashier" {
			t.Errorf("users %q", got)
		}
		for _, who := range []string{"manu", "till"} {
			_, err := e.app.Users(ctx, e.principal(t, who))
			wantCode(t, who+" lists users", err, domain.CodeForbidden)
		}
		_, err = e.app.Users(ctx, domain.Principal{})
		wantCode(t, "nobody lists users", err, domain.CodeUnauthenticated)
	})
}

func TestSetUserRole(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.principal(t, "boss")
		// The only admin cannot stop being one, not even by their own hand.
		wantReason(t, "demote last admin", e.app.SetUserRole(ctx, boss, boss.UserID, domain.RoleManager), domain.CodeConflict, domain.ReasonLastAdmin)
		if err := e.app.SetUserRole(ctx, boss, e.users["manu"].ID, "Admin"); err != nil {
			t.Fatal(err)
		}
		if err := e.app.SetUserRole(ctx, boss, boss.UserID, domain.RoleManager); err != nil {
			t.Fatalf("demote one of two admins: %v", err)
		}
		// The session carries the new role at once.
		got, err := e.app.AuthenticateSession(ctx, mustSecret(t, e, "boss"))
		if err != nil || got.Role != domain.RoleManager {
			t.Errorf("demoted admin's session: %+v %v", got, err)
		}
		manu := e.principal(t, "manu")
		wantCode(t, "invalid role", e.app.SetUserRole(ctx, manu, boss.UserID, "owner"), domain.CodeInvalid)
		wantCode(t, "missing user", e.app.SetUserRole(ctx, manu, uuid.Must(uuid.NewV7()).String(), domain.RoleCashier), domain.CodeNotFound)
		wantCode(t, "malformed id", e.app.SetUserRole(ctx, manu, "42", domain.RoleCashier), domain.CodeNotFound)
		wantCode(t, "cashier", e.app.SetUserRole(ctx, e.principal(t, "till"), boss.UserID, domain.RoleAdmin), domain.CodeForbidden)
		// A disabled admin does not count as the one that remains.
		if err := e.app.SetUserRole(ctx, manu, boss.UserID, domain.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if err := e.app.SetUserDisabled(ctx, manu, boss.UserID, true); err != nil {
			t.Fatal(err)
		}
		wantReason(t, "demote the last enabled admin", e.app.SetUserRole(ctx, manu, manu.UserID, domain.RoleCashier), domain.CodeConflict, domain.ReasonLastAdmin)

		entries := auditOf(t, e, "user.set_role")
		if len(entries) != 3 || entries[0].Details["from"] != "manager" || entries[0].Details["to"] != "admin" ||
			entries[0].ActorID != boss.UserID || entries[0].EntityID != e.users["manu"].ID || !slices.Equal(entries[0].Fields, []string{"role"}) {
			t.Errorf("role audit: %+v", entries)
		}
	})
}

func mustSecret(t *testing.T, e *env, name string) string {
	t.Helper()
	s, _ := e.login(t, name)
	return s
}

func TestSetUserDisabled(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.principal(t, "boss")
		till := e.users["till"]
		wantReason(t, "disable self", e.app.SetUserDisabled(ctx, boss, boss.UserID, true), domain.CodeConflict, domain.ReasonSelf)
		wantReason(t, "disable last admin", e.app.SetUserDisabled(ctx, app.System(), boss.UserID, true), domain.CodeConflict, domain.ReasonLastAdmin)

		session := mustSecret(t, e, "till")
		token, err := e.app.CreateAPIToken(ctx, boss, "till", "till 1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.AuthenticateToken(ctx, token); err != nil { // now cached
			t.Fatal(err)
		}
		if err := e.app.SetUserDisabled(ctx, boss, till.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := e.app.SetUserDisabled(ctx, boss, till.ID, true); err != nil {
			t.Errorf("disable twice: %v", err)
		}
		if _, err := e.app.AuthenticateToken(ctx, token); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("token of a disabled user, right after: %v", err)
		}
		if _, err := e.app.AuthenticateSession(ctx, session); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("session of a disabled user: %v", err)
		}
		_, _, err = e.app.Login(ctx, "till", password, "192.0.2.1")
		wantReason(t, "disabled user logs in", err, domain.CodeUnauthenticated, domain.ReasonInvalidCredentials)
		users, _ := e.app.Users(ctx, boss)
		if i := slices.IndexFunc(users, func(u domain.User) bool { return u.ID == till.ID }); users[i].DisabledAt == nil {
			t.Error("listing does not show the user disabled")
		}

		if err := e.app.SetUserDisabled(ctx, boss, till.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.AuthenticateToken(ctx, token); err != nil {
			t.Errorf("token after re-enabling: %v", err)
		}
		if _, err := e.app.AuthenticateSession(ctx, session); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("an ended session came back: %v", err)
		}
		wantCode(t, "manager disables", e.app.SetUserDisabled(ctx, e.principal(t, "manu"), till.ID, true), domain.CodeForbidden)
		wantCode(t, "missing user", e.app.SetUserDisabled(ctx, boss, uuid.Must(uuid.NewV7()).String(), true), domain.CodeNotFound)

		dis, en := auditOf(t, e, "user.disable"), auditOf(t, e, "user.enable")
		if len(dis) != 1 || len(en) != 1 || dis[0].EntityID != till.ID || dis[0].Details["sessions_ended"] != float64(1) {
			t.Errorf("audit: disable %+v, enable %+v", dis, en)
		}
	})
}

// TestLastAdminUnderConcurrency has two admins disable each other at once: one must lose.
func TestLastAdminUnderConcurrency(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.principal(t, "boss")
		if err := e.app.SetUserRole(ctx, boss, e.users["manu"].ID, domain.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		manu := e.principal(t, "manu")
		for round := range 5 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Go(func() { errs[0] = e.app.SetUserDisabled(ctx, boss, manu.UserID, true) })
			wg.Go(func() { errs[1] = e.app.SetUserDisabled(ctx, manu, boss.UserID, true) })
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("round %d: %v / %v, want exactly one refusal", round, errs[0], errs[1])
			}
			for i, err := range errs {
				if err != nil {
					wantReason(t, "loser", err, domain.CodeConflict, domain.ReasonLastAdmin)
				} else {
					// Undo for the next round.
					id := []string{manu.UserID, boss.UserID}[i]
					if err := e.app.SetUserDisabled(ctx, app.System(), id, false); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}

func TestAPITokensAndRevoke(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.principal(t, "boss")
		first, err := e.app.CreateAPIToken(ctx, boss, "till", "till 1")
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(1)
		second, err := e.app.CreateAPIToken(ctx, boss, "manu", "manu's laptop")
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.app.AuthenticateToken(ctx, first)
		if err != nil || p.UserID != e.users["till"].ID || p.TokenID == "" || p.SessionID != "" {
			t.Fatalf("token: %+v %v", p, err)
		}
		tokens, err := e.app.APITokens(ctx, boss)
		if err != nil || len(tokens) != 2 || tokens[0].Username != "manu" || tokens[1].ID != p.TokenID || tokens[1].Username != "till" ||
			tokens[1].LastUsedAt == nil || tokens[0].LastUsedAt != nil || tokens[0].Hash != "" {
			t.Fatalf("tokens: %+v %v", tokens, err)
		}
		if err := e.app.RevokeAPIToken(ctx, boss, p.TokenID); err != nil {
			t.Fatal(err)
		}
		// Refused at once, although the cache held it.
		if _, err := e.app.AuthenticateToken(ctx, first); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("revoked token: %v", err)
		}
		if _, err := e.app.AuthenticateToken(ctx, second); err != nil {
			t.Errorf("other token: %v", err)
		}
		if err := e.app.RevokeAPIToken(ctx, boss, p.TokenID); err != nil {
			t.Errorf("revoke twice: %v", err)
		}
		tokens, _ = e.app.APITokens(ctx, boss)
		if len(tokens) != 2 || tokens[1].RevokedAt == nil || tokens[0].RevokedAt != nil {
			t.Errorf("after revoke: %+v", tokens)
		}
		wantCode(t, "missing token", e.app.RevokeAPIToken(ctx, boss, uuid.Must(uuid.NewV7()).String()), domain.CodeNotFound)
		wantCode(t, "malformed id", e.app.RevokeAPIToken(ctx, boss, "x"), domain.CodeNotFound)
		wantCode(t, "manager revokes", e.app.RevokeAPIToken(ctx, e.principal(t, "manu"), p.TokenID), domain.CodeForbidden)
		_, err = e.app.APITokens(ctx, e.principal(t, "till"))
		wantCode(t, "cashier lists tokens", err, domain.CodeForbidden)

		// A role change holds at once for tokens too.
		tp, _ := e.app.AuthenticateToken(ctx, second)
		if err := e.app.SetUserRole(ctx, boss, tp.UserID, domain.RoleCashier); err != nil {
			t.Fatal(err)
		}
		if tp, err := e.app.AuthenticateToken(ctx, second); err != nil || tp.Role != domain.RoleCashier {
			t.Errorf("token after role change: %+v %v", tp, err)
		}

		revokes := auditOf(t, e, "api_token.revoke")
		if len(revokes) != 1 || revokes[0].EntityID != p.TokenID || revokes[0].Details["user_id"] != e.users["till"].ID {
			t.Errorf("revoke audit: %+v", revokes)
		}
	})
}

// TestAuditTrail checks that every change to users and tokens is audited, and that no entry
// holds a password or a secret.
func TestAuditTrail(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.principal(t, "boss")
		token, err := e.app.CreateAPIToken(ctx, boss, "till", "till 1")
		if err != nil {
			t.Fatal(err)
		}
		tp, _ := e.app.AuthenticateToken(ctx, token)
		const next = "brand new password"
		steps := []error{
			e.app.SetUserRole(ctx, boss, e.users["till"].ID, domain.RoleManager),
			e.app.SetUserDisabled(ctx, boss, e.users["till"].ID, true),
			e.app.SetUserDisabled(ctx, boss, e.users["till"].ID, false),
			e.app.RevokeAPIToken(ctx, boss, tp.TokenID),
			func() error { _, err := e.app.ChangePassword(ctx, boss, password, next); return err }(),
		}
		for i, err := range steps {
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		page, err := e.app.AuditLog(ctx, app.System(), app.AuditQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range page.Entries {
			actions = append(actions, a.Action)
			raw, _ := json.Marshal(a)
			for _, secret := range []string{password, next, token, "argon2"} {
				if strings.Contains(string(raw), secret) {
					t.Errorf("audit entry holds %q: %s", secret, raw)
				}
			}
		}
		slices.Reverse(actions)
		want := "user.create user.create user.create api_token.create user.set_role user.disable user.enable api_token.revoke user.change_password"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("actions\n got %s\nwant %s", got, want)
		}
		pw := auditOf(t, e, domain.ActionUserChangePassword)
		if len(pw) != 1 || pw[0].ActorID != boss.UserID || pw[0].EntityID != boss.UserID || pw[0].EntityType != "user" {
			t.Errorf("password audit: %+v", pw)
		}
	})
}

// auditOf returns the audit entries of an action, oldest first.
func auditOf(t *testing.T, e *env, action string) []domain.AuditEntry {
	t.Helper()
	page, err := e.app.AuditLog(context.Background(), app.System(), app.AuditQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.AuditEntry
	for _, a := range slices.Backward(page.Entries) {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}
