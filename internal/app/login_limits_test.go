package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestLoginThrottlePerUserName: a guesser with many addresses gets 20 failures per user name
// in a window, across all of them; then the name is refused from anywhere until the window
// ends, other names are not, and an admin's password reset lifts it at once.
func TestLoginThrottlePerUserName(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		addr := func(i int) string { return fmt.Sprintf("198.51.100.%d:4000", i) }
		for i := range 20 {
			_, _, err := e.app.Login(ctx, "till", "wrong password!", addr(i))
			wantCode(t, fmt.Sprint("failure ", i+1), err, domain.CodeUnauthenticated)
			e.clock.Advance(time.Second)
		}
		_, _, err := e.app.Login(ctx, "TILL", password, "203.0.113.1:4000")
		de := wantCode(t, "21st attempt, from a new address", err, domain.CodeRateLimited)
		if got := de.Details["retry_after_seconds"]; got != int64(15*60-20) {
			t.Errorf("retry after %v, want %d (the window opened by the first failure)", got, 15*60-20)
		}
		if _, _, err := e.app.Login(ctx, "manu", password, addr(0)); err != nil {
			t.Errorf("another user from a guessing address: %v", err)
		}
		// Refused attempts do not count: the lock-out ends with the window all the same.
		e.clock.Advance(15*time.Minute - 20*time.Second)
		if _, _, err := e.app.Login(ctx, "till", password, "203.0.113.1:4000"); err != nil {
			t.Errorf("after the window: %v", err)
		}
		for i := range 20 {
			_, _, err := e.app.Login(ctx, "till", "wrong password!", addr(100+i))
			wantCode(t, "another round of failures", err, domain.CodeUnauthenticated)
		}
		_, _, err = e.app.Login(ctx, "till", password, "203.0.113.1:4000")
		wantCode(t, "locked out again", err, domain.CodeRateLimited)
		if err := e.app.ResetPassword(ctx, app.System(), "till", "a reset long password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.app.Login(ctx, "till", "a reset long password", "203.0.113.1:4000"); err != nil {
			t.Errorf("after a reset: %v", err)
		}
	})
}

// TestLoginThrottleSharedByProcesses: the throttle's keyed hashes use one secret per
// database, so failures counted by one process hold in another.
func TestLoginThrottleSharedByProcesses(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			b = testdb.Prepare(t, b)
			var apps []*app.App
			for range 2 {
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				apps = append(apps, app.New(app.Config{Store: db, PasswordParams: &fast}))
			}
			if _, err := apps[0].AddUser(context.Background(), app.System(), "till", domain.RoleCashier, password); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for i := range 5 {
				// Alternate processes; the second one reads the secret the first one made.
				_, _, err := apps[i%2].Login(ctx, "till", "wrong password!", "203.0.113.9")
				wantCode(t, fmt.Sprint("failure ", i+1), err, domain.CodeUnauthenticated)
			}
			for i, a := range apps {
				_, _, err := a.Login(ctx, "till", password, "203.0.113.9")
				wantCode(t, fmt.Sprint("sixth attempt on process ", i+1), err, domain.CodeRateLimited)
			}
		})
	}
}

// TestPasswordChecksBusy: with every password slot taken, logins (of real and unknown users
// alike), password changes and new passwords are refused with CodeBusy and a Retry-After,
// and a refused login is not counted as a failure.
func TestPasswordChecksBusy(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, p := e.login(t, "till")
		// The wait is short, and the outcome does not depend on it: the slot stays taken.
		hasher := auth.NewHasher(fast, 1, time.Millisecond)
		e.app = app.New(app.Config{Store: e.db, Clock: e.clock.Now, Passwords: hasher})
		slot, err := hasher.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		busy := func(what string, err error) {
			t.Helper()
			de := wantCode(t, what, err, domain.CodeBusy)
			if de.Details["retry_after_seconds"] != int64(5) {
				t.Errorf("%s: retry after %v, want 5", what, de.Details["retry_after_seconds"])
			}
		}
		for i := range 6 {
			for _, user := range []string{"till", "nobody"} {
				_, _, err := e.app.Login(ctx, user, "wrong password!", "203.0.113.5")
				busy(fmt.Sprintf("login %d of %s", i, user), err)
			}
		}
		_, err = e.app.ChangePassword(ctx, p, password, "another long password")
		busy("change password", err)
		_, err = e.app.AddUser(ctx, app.System(), "nuevo", domain.RoleCashier, "a long enough password")
		busy("add user", err)
		busy("reset password", e.app.ResetPassword(ctx, app.System(), "till", "another long password"))

		slot.Release()
		// The busy refusals were not counted: five failures are still allowed, then the limit.
		for i := range 5 {
			_, _, err := e.app.Login(ctx, "till", "wrong password!", "203.0.113.5")
			wantCode(t, fmt.Sprint("failure ", i+1), err, domain.CodeUnauthenticated)
		}
		_, _, err = e.app.Login(ctx, "till", password, "203.0.113.5")
		wantCode(t, "sixth attempt", err, domain.CodeRateLimited)
		if _, err := e.app.ChangePassword(ctx, p, password, "another long password"); err != nil {
			t.Errorf("change password with a free slot: %v", err)
		}
	})
}
