package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

func mustUser(t testing.TB, db *sqlstore.DB, name string, role domain.Role) domain.User {
	t.Helper()
	u := domain.User{ID: uuid.Must(uuid.NewV7()).String(), Username: name, Role: role, PasswordHash: "$argon2id$x", CreatedAt: t0}
	if err := db.Write(context.Background(), func(tx app.Tx) error { return tx.CreateUser(context.Background(), &u) }); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func mustWrite(t testing.TB, db *sqlstore.DB, fn func(ctx context.Context, tx app.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := db.Write(ctx, func(tx app.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

func TestUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		zoe := mustUser(t, db, "Zoe", domain.RoleAdmin)
		ana := mustUser(t, db, "ana", domain.RoleCashier)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			if err := tx.SetUserLanguage(ctx, ana.ID, "en"); err != nil {
				return err
			}
			if err := tx.SetUserPasswordHash(ctx, ana.ID, "$argon2id$new"); err != nil {
				return err
			}
			return tx.SetUserRole(ctx, ana.ID, domain.RoleAdmin)
		})
		var admins int64
		err := db.Read(ctx, func(tx app.Tx) (err error) { admins, err = tx.CountEnabledAdmins(ctx); return err })
		if err != nil || admins != 2 {
			t.Fatalf("enabled admins %d, %v", admins, err)
		}
		at := t0.Add(time.Hour)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			if err := tx.LockUsers(ctx); err != nil {
				return err
			}
			return tx.SetUserDisabledAt(ctx, zoe.ID, &at)
		})
		var got domain.User
		err = db.Read(ctx, func(tx app.Tx) (err error) { got, err = tx.UserByID(ctx, ana.ID); return err })
		if err != nil || got.Language != "en" || got.PasswordHash != "$argon2id$new" || got.Role != domain.RoleAdmin || got.DisabledAt != nil {
			t.Errorf("by id: %+v %v", got, err)
		}
		err = db.Read(ctx, func(tx app.Tx) (err error) { got, err = tx.UserByUsername(ctx, "ZOE"); return err })
		if err != nil || got.DisabledAt == nil || !got.DisabledAt.Equal(at) || got.Enabled() || got.Language != "" {
			t.Errorf("by name: %+v %v", got, err)
		}
		err = db.Read(ctx, func(tx app.Tx) (err error) { admins, err = tx.CountEnabledAdmins(ctx); return err })
		if err != nil || admins != 1 {
			t.Errorf("enabled admins after disabling one: %d, %v", admins, err)
		}
		var list []domain.User
		err = db.Read(ctx, func(tx app.Tx) (err error) { list, err = tx.Users(ctx); return err })
		if err != nil || len(list) != 2 || list[0].Username != "ana" || list[1].Username != "Zoe" || list[0].PasswordHash != "" || list[1].DisabledAt == nil {
			t.Errorf("users: %+v %v", list, err)
		}
		// Re-enabling clears the time.
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.SetUserDisabledAt(ctx, zoe.ID, nil) })
		err = db.Read(ctx, func(tx app.Tx) (err error) { got, err = tx.UserByID(ctx, zoe.ID); return err })
		if err != nil || got.DisabledAt != nil {
			t.Errorf("re-enabled: %+v %v", got, err)
		}
		missing := uuid.Must(uuid.NewV7()).String()
		for name, fn := range map[string]func(tx app.Tx) error{
			"by id":    func(tx app.Tx) error { _, err := tx.UserByID(ctx, missing); return err },
			"role":     func(tx app.Tx) error { return tx.SetUserRole(ctx, missing, domain.RoleAdmin) },
			"disable":  func(tx app.Tx) error { return tx.SetUserDisabledAt(ctx, missing, &at) },
			"password": func(tx app.Tx) error { return tx.SetUserPasswordHash(ctx, missing, "x") },
			"language": func(tx app.Tx) error { return tx.SetUserLanguage(ctx, missing, "es") },
		} {
			if code := domain.ErrorCode(db.Write(ctx, fn)); code != domain.CodeNotFound {
				t.Errorf("%s of a missing user: %s", name, code)
			}
		}
		// The schema refuses a language the app does not offer.
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.SetUserLanguage(ctx, ana.ID, "fr") }); err == nil {
			t.Error("language fr stored")
		}
	})
}

func TestAPITokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "till", domain.RoleCashier)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.SetUserLanguage(ctx, u.ID, "es") })
		older := domain.APIToken{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: "till 1", Hash: "h1", CreatedAt: t0}
		newer := domain.APIToken{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: "till 2", Hash: "h2", CreatedAt: t0.Add(time.Minute)}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateAPIToken(ctx, &older); err != nil {
				return err
			}
			return tx.CreateAPIToken(ctx, &newer)
		})
		principal := func(hash string) (domain.Principal, error) {
			var p domain.Principal
			err := db.Read(ctx, func(tx app.Tx) (err error) { p, err = tx.PrincipalByTokenHash(ctx, hash); return err })
			return p, err
		}
		p, err := principal("h1")
		if err != nil || p.UserID != u.ID || p.TokenID != older.ID || p.Role != domain.RoleCashier || p.Language != "es" || p.SessionID != "" {
			t.Fatalf("principal: %+v %v", p, err)
		}
		// Last use is written at most once per period.
		used := t0.Add(2 * time.Minute)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			return tx.TouchAPIToken(ctx, older.ID, used, used.Add(-time.Minute))
		})
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			return tx.TouchAPIToken(ctx, older.ID, used.Add(30*time.Second), used.Add(-30*time.Second))
		})
		revokedAt := t0.Add(time.Hour)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.RevokeAPIToken(ctx, older.ID, revokedAt) })
		if _, err := principal("h1"); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("revoked token: %v", err)
		}
		if _, err := principal("h2"); err != nil {
			t.Errorf("other token: %v", err)
		}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.SetUserDisabledAt(ctx, u.ID, &revokedAt) })
		if _, err := principal("h2"); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("token of a disabled user: %v", err)
		}
		var list []domain.APIToken
		err = db.Read(ctx, func(tx app.Tx) (err error) { list, err = tx.APITokens(ctx); return err })
		if err != nil || len(list) != 2 {
			t.Fatalf("tokens: %+v %v", list, err)
		}
		if list[0].ID != newer.ID || list[1].ID != older.ID || list[0].Username != "till" || list[0].Hash != "" ||
			list[0].RevokedAt != nil || list[0].LastUsedAt != nil {
			t.Errorf("listing: %+v", list)
		}
		if o := list[1]; o.RevokedAt == nil || !o.RevokedAt.Equal(revokedAt) || o.LastUsedAt == nil || !o.LastUsedAt.Equal(used) ||
			!o.CreatedAt.Equal(t0) || o.Name != "till 1" {
			t.Errorf("revoked token listed as %+v", o)
		}
		var one domain.APIToken
		err = db.Read(ctx, func(tx app.Tx) (err error) { one, err = tx.APIToken(ctx, older.ID); return err })
		if err != nil || one.UserID != u.ID || one.RevokedAt == nil {
			t.Errorf("token by id: %+v %v", one, err)
		}
		missing := uuid.Must(uuid.NewV7()).String()
		if code := domain.ErrorCode(db.Read(ctx, func(tx app.Tx) error { _, err := tx.APIToken(ctx, missing); return err })); code != domain.CodeNotFound {
			t.Errorf("missing token: %s", code)
		}
		if code := domain.ErrorCode(db.Write(ctx, func(tx app.Tx) error { return tx.RevokeAPIToken(ctx, missing, t0) })); code != domain.CodeNotFound {
			t.Errorf("revoke missing token: %s", code)
		}
	})
}

func TestSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		ana := mustUser(t, db, "ana", domain.RoleManager)
		bob := mustUser(t, db, "bob", domain.RoleCashier)
		mk := func(id string, u domain.User, expires time.Time) domain.Session {
			return domain.Session{ID: id, UserID: u.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: expires}
		}
		sessions := []domain.Session{mk("a1", ana, t0.Add(time.Hour)), mk("a2", ana, t0.Add(time.Hour)), mk("a3", ana, t0.Add(time.Hour)),
			mk("b1", bob, t0.Add(time.Minute))}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			for i := range sessions {
				if err := tx.CreateSession(ctx, &sessions[i]); err != nil {
					return err
				}
			}
			return nil
		})
		lookup := func(id string, now time.Time) (domain.Session, domain.Principal, error) {
			var s domain.Session
			var p domain.Principal
			err := db.Read(ctx, func(tx app.Tx) (err error) { s, p, err = tx.SessionByHash(ctx, id, now); return err })
			return s, p, err
		}
		s, p, err := lookup("a1", t0.Add(time.Second))
		if err != nil || p.UserID != ana.ID || p.Username != "ana" || p.Role != domain.RoleManager || p.SessionID != "a1" || p.TokenID != "" ||
			s.ID != "a1" || s.UserID != ana.ID || !s.CreatedAt.Equal(t0) || !s.LastSeenAt.Equal(t0) || !s.ExpiresAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("session: %+v %+v %v", s, p, err)
		}
		if _, _, err := lookup("b1", t0.Add(time.Minute)); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("expired session: %v", err)
		}
		if _, _, err := lookup("nope", t0); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("unknown session: %v", err)
		}
		// A touch moves the session forward once; a second one within the period does nothing.
		seen := t0.Add(2 * time.Minute)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			return tx.TouchSession(ctx, "a1", seen, seen.Add(time.Hour), seen.Add(-time.Minute))
		})
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error {
			return tx.TouchSession(ctx, "a1", seen.Add(10*time.Second), seen.Add(2*time.Hour), seen.Add(10*time.Second-time.Minute))
		})
		if s, _, err = lookup("a1", seen); err != nil || !s.LastSeenAt.Equal(seen) || !s.ExpiresAt.Equal(seen.Add(time.Hour)) {
			t.Errorf("touched session: %+v %v", s, err)
		}
		// A disabled user's sessions do not authenticate.
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.SetUserDisabledAt(ctx, ana.ID, &seen) })
		if _, _, err := lookup("a2", seen); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("session of a disabled user: %v", err)
		}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.SetUserDisabledAt(ctx, ana.ID, nil) })

		var n int64
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) (err error) {
			n, err = tx.DeleteUserSessions(ctx, ana.ID, "a2")
			return err
		})
		if n != 2 {
			t.Errorf("deleted %d of ana's other sessions, want 2", n)
		}
		if _, _, err := lookup("a2", seen); err != nil {
			t.Errorf("kept session: %v", err)
		}
		var userID string
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) (err error) {
			userID, err = tx.DeleteSession(ctx, "a2")
			return err
		})
		if userID != ana.ID {
			t.Errorf("delete session returned user %q", userID)
		}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) (err error) {
			userID, err = tx.DeleteSession(ctx, "a2")
			return err
		})
		if userID != "" {
			t.Errorf("second delete returned user %q", userID)
		}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) (err error) {
			n, err = tx.PurgeSessions(ctx, t0.Add(time.Minute))
			return err
		})
		if n != 1 {
			t.Errorf("purged %d sessions, want 1 (bob's expired one)", n)
		}
		// Deleting a user deletes their sessions.
		c := domain.Session{ID: "c1", UserID: bob.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.CreateSession(ctx, &c) })
		if _, err := db.SQL().Exec(db.Rebind("DELETE FROM users WHERE id = ?"), bob.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL().QueryRow("SELECT count(*) FROM sessions").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d sessions left after deleting their users (%v)", n, err)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		add := func(key string, now time.Time) app.LoginFailures {
			t.Helper()
			var f app.LoginFailures
			mustWrite(t, db, func(ctx context.Context, tx app.Tx) (err error) {
				f, err = tx.AddLoginFailure(ctx, key, now, now.Add(-15*time.Minute))
				return err
			})
			return f
		}
		for i := 1; i <= 3; i++ {
			if f := add("k", t0.Add(time.Duration(i)*time.Minute)); f.Count != int64(i) || !f.WindowStart.Equal(t0.Add(time.Minute)) {
				t.Fatalf("failure %d: %+v", i, f)
			}
		}
		// Undo only touches the window it names.
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.UndoLoginFailure(ctx, "k", t0) })
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.UndoLoginFailure(ctx, "k", t0.Add(time.Minute)) })
		if f := add("k", t0.Add(5*time.Minute)); f.Count != 3 {
			t.Errorf("after undo and one more: %+v", f)
		}
		// A window that started 15 minutes ago is over: counting starts again.
		later := t0.Add(16 * time.Minute)
		if f := add("k", later); f.Count != 1 || !f.WindowStart.Equal(later) {
			t.Errorf("new window: %+v", f)
		}
		add("other", t0)
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) error { return tx.ClearLoginFailures(ctx, "k") })
		if f := add("k", later); f.Count != 1 {
			t.Errorf("after clear: %+v", f)
		}
		var n int64
		mustWrite(t, db, func(ctx context.Context, tx app.Tx) (err error) {
			n, err = tx.PurgeLoginFailures(ctx, later.Add(-15*time.Minute))
			return err
		})
		if n != 1 {
			t.Errorf("purged %d counts, want 1", n)
		}
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM login_throttle").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d counts left, want 1 (%v)", n, err)
		}
	})
}

// TestLoginThrottleAcrossProcesses counts failures from two store handles on one database at
// once, as two server processes would: none is lost.
func TestLoginThrottleAcrossProcesses(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			b = testdb.Prepare(t, b)
			var dbs []*sqlstore.DB
			for range 2 {
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
			}
			const each = 20
			var wg sync.WaitGroup
			errs := make(chan error, 2*each)
			for i := range 2 * each {
				wg.Go(func() {
					db := dbs[i%2]
					errs <- db.Write(context.Background(), func(tx app.Tx) error {
						_, err := tx.AddLoginFailure(context.Background(), "shared", t0, t0.Add(-15*time.Minute))
						return err
					})
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			var f app.LoginFailures
			err := dbs[0].Write(context.Background(), func(tx app.Tx) (err error) {
				f, err = tx.AddLoginFailure(context.Background(), "shared", t0, t0.Add(-15*time.Minute))
				return err
			})
			if err != nil || f.Count != 2*each+1 {
				t.Errorf("count %d, want %d (%v)", f.Count, 2*each+1, err)
			}
		})
	}
}
