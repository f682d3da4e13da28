package app_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// clock is a test clock that only moves when told; safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// lockedBuffer collects log lines from concurrent use cases.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type env struct {
	app   *app.App
	db    *sqlstore.DB
	clock *clock
	logs  *lockedBuffer
	users map[string]domain.User
}

const password = "a long enough password"

var fast = auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

// eachBackend runs fn on a fresh App over every backend, with users boss (admin), manu
// (manager) and till (cashier), all with the password above.
func eachBackend(t *testing.T, cfg app.Config, fn func(t *testing.T, e *env)) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, b, cfg))
		})
	}
}

func newEnv(t *testing.T, b testdb.Backend, cfg app.Config) *env {
	t.Helper()
	e := &env{db: testdb.Open(t, b), clock: &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}, logs: &lockedBuffer{}, users: map[string]domain.User{}}
	cfg.Store, cfg.Clock, cfg.Logger = e.db, e.clock.Now, slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.PasswordParams == nil {
		cfg.PasswordParams = &fast
	}
	e.app = app.New(cfg)
	for name, role := range map[string]domain.Role{"boss": domain.RoleAdmin, "manu": domain.RoleManager, "till": domain.RoleCashier} {
		u, err := e.app.AddUser(context.Background(), app.System(), name, role, password)
		if err != nil {
			t.Fatalf("add user: %v", err)
		}
		e.users[name] = u
	}
	return e
}

func (e *env) login(t *testing.T, user string) (string, domain.Principal) {
	t.Helper()
	secret, p, err := e.app.Login(context.Background(), user, password, "192.0.2.1:50000")
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return secret, p
}

// wantCode fails unless err has code.
func wantCode(t *testing.T, what string, err error, code domain.Code) *domain.Error {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
	de, _ := err.(*domain.Error)
	return de
}

func wantReason(t *testing.T, what string, err error, code domain.Code, reason string) {
	t.Helper()
	de := wantCode(t, what, err, code)
	if de == nil || de.Details["reason"] != reason || len(de.Fields) != 0 {
		t.Errorf("%s: got %+v, want reason %s and no fields", what, de, reason)
	}
}

func TestLogin(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		till := e.users["till"]
		secret, p := e.login(t, " TILL ")
		if len(secret) != 43 || strings.ContainsAny(secret, "+/=") {
			t.Errorf("secret %q is not 32 bytes of base64url", secret)
		}
		if p.UserID != till.ID || p.Username != "till" || p.Role != domain.RoleCashier || len(p.SessionID) != 64 || p.TokenID != "" ||
			strings.Contains(p.SessionID, secret) {
			t.Errorf("principal %+v", p)
		}
		got, err := e.app.AuthenticateSession(ctx, secret)
		if err != nil || got != p {
			t.Errorf("authenticate session: %+v %v, want %+v", got, err, p)
		}
		// Each login opens a session of its own.
		secret2, p2 := e.login(t, "till")
		if secret2 == secret || p2.SessionID == p.SessionID {
			t.Error("second login reused the session")
		}

		// Wrong password, unknown user, disabled user: one answer.
		if err := e.app.SetUserDisabled(ctx, app.System(), e.users["manu"].ID, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ user, pw string }{
			{"till", "wrong password!"},
			{"nobody", password},
			{"manu", password},
			{"", ""},
			{strings.Repeat("x", 100), password},
			{"till\xff", password},
			{"till", strings.Repeat("p", app.MaxPasswordLen+1)},
		} {
			_, _, err := e.app.Login(ctx, c.user, c.pw, "192.0.2.9")
			wantReason(t, "login "+c.user, err, domain.CodeUnauthenticated, domain.ReasonInvalidCredentials)
		}
		if _, err := e.app.AuthenticateSession(ctx, "not a secret"); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("malformed secret: %v", err)
		}
		if _, err := e.app.AuthenticateSession(ctx, strings.Repeat("A", 43)); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("unknown secret: %v", err)
		}

		// Logs name the user by id only, but on refusals (see TestFailedLoginLogs); never a
		// password or a session secret.
		logs := e.logs.String()
		if !strings.Contains(logs, "signed in") || !strings.Contains(logs, "user_id="+till.ID) {
			t.Errorf("no login log line:\n%s", logs)
		}
		for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
			personal := []string{secret, secret2, password}
			if !strings.Contains(line, "login refused") {
				personal = append(personal, "till", "TILL", "nobody", "192.0.2")
			}
			for _, word := range personal {
				if strings.Contains(line, word) {
					t.Errorf("log line holds %q: %s", word, line)
				}
			}
		}
	})
}

// TestLoginTakesAsLongForUnknownUsers checks that a missing user still costs a password hash,
// with the real cost parameters, so that timing does not tell which user names exist.
func TestLoginTakesAsLongForUnknownUsers(t *testing.T) {
	b := testdb.Backends(t)[0]
	params := auth.DefaultParams()
	e := newEnv(t, b, app.Config{PasswordParams: &params})
	ctx := context.Background()
	measure := func(user string) time.Duration {
		best := time.Hour
		for i := range 3 {
			start := time.Now()
			_, _, err := e.app.Login(ctx, user, "wrong password!", fmt.Sprintf("198.51.100.%d", i))
			best = min(best, time.Since(start))
			wantReason(t, "login", err, domain.CodeUnauthenticated, domain.ReasonInvalidCredentials)
		}
		return best
	}
	measure("nobody") // warms up
	known, unknown := measure("till"), measure("nobody")
	if unknown < known/3 {
		t.Errorf("unknown user answered in %v, known user in %v: timing tells them apart", unknown, known)
	}
}

// TestFailedLoginLogs: an operator sees who is guessing. Each refused login is logged with the
// user name given and the client's address as the throttle counts it (an IPv6 client by its
// /64): invalid credentials at info, rate-limited refusals at warn.
func TestFailedLoginLogs(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		for range 5 {
			_, _, err := e.app.Login(ctx, "till", "wrong password!", "[2001:db8:1:2::7]:443")
			wantCode(t, "wrong password", err, domain.CodeUnauthenticated)
		}
		_, _, err := e.app.Login(ctx, " Till ", "wrong password!", "[2001:db8:1:2::8]:443")
		wantCode(t, "sixth attempt", err, domain.CodeRateLimited)
		_, _, err = e.app.Login(ctx, "nobody", "wrong password!", "198.51.100.4:5000")
		wantCode(t, "unknown user", err, domain.CodeUnauthenticated)
		logs := e.logs.String()
		for _, want := range []string{
			`level=INFO msg="login refused: invalid credentials" username=till client=2001:db8:1:2::/64`,
			`level=WARN msg="login refused: too many failures" username=Till client=2001:db8:1:2::/64`,
			`level=INFO msg="login refused: invalid credentials" username=nobody client=198.51.100.4`,
		} {
			if !strings.Contains(logs, want) {
				t.Errorf("no log line with %s:\n%s", want, logs)
			}
		}
		if strings.Contains(logs, "wrong password!") {
			t.Errorf("logs hold a password:\n%s", logs)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		const addr = "203.0.113.7:4000"
		for i := range 5 {
			_, _, err := e.app.Login(ctx, "till", "wrong password!", addr)
			wantReason(t, fmt.Sprint("failure ", i+1), err, domain.CodeUnauthenticated, domain.ReasonInvalidCredentials)
			e.clock.Advance(time.Minute)
		}
		// Blocked for the rest of the window, even with the right password and another port.
		_, _, err := e.app.Login(ctx, "Till", password, "203.0.113.7:4001")
		de := wantCode(t, "sixth attempt", err, domain.CodeRateLimited)
		if got := de.Details["retry_after_seconds"]; got != int64(10*60) {
			t.Errorf("retry after %v, want 600", got)
		}
		// The same user from elsewhere, and another user from there, still get in.
		if _, _, err := e.app.Login(ctx, "till", password, "198.51.100.1"); err != nil {
			t.Errorf("same user, other address: %v", err)
		}
		if _, _, err := e.app.Login(ctx, "manu", password, addr); err != nil {
			t.Errorf("other user, same address: %v", err)
		}
		e.clock.Advance(10*time.Minute - time.Second)
		_, _, err = e.app.Login(ctx, "till", password, addr)
		if de := wantCode(t, "last second", err, domain.CodeRateLimited); de.Details["retry_after_seconds"] != int64(1) {
			t.Errorf("retry after %v, want 1", de.Details["retry_after_seconds"])
		}
		e.clock.Advance(time.Second)
		if _, _, err := e.app.Login(ctx, "till", password, addr); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		// A success clears the pair's count: 4 more failures do not block.
		for range 4 {
			_, _, err := e.app.Login(ctx, "till", "wrong password!", addr)
			wantCode(t, "failure after success", err, domain.CodeUnauthenticated)
		}
		if _, _, err := e.app.Login(ctx, "till", password, addr); err != nil {
			t.Errorf("fifth attempt after a success: %v", err)
		}
	})
}

func TestLoginThrottlePerAddress(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		// IPv6 clients are counted by /64.
		addr := func(i int) string { return fmt.Sprintf("[2001:db8:1:2::%x]:443", i) }
		for i := range 30 {
			_, _, err := e.app.Login(ctx, fmt.Sprint("guess", i), "wrong password!", addr(i))
			wantCode(t, "failure", err, domain.CodeUnauthenticated)
		}
		_, _, err := e.app.Login(ctx, "till", password, addr(99))
		wantCode(t, "31st attempt from the network", err, domain.CodeRateLimited)
		if _, _, err := e.app.Login(ctx, "till", password, "[2001:db8:1:3::1]:443"); err != nil {
			t.Errorf("another network: %v", err)
		}
	})
}

// TestLoginThrottleConcurrent sends many wrong passwords at once: exactly the allowed number
// is checked, the rest are refused as rate limited.
func TestLoginThrottleConcurrent(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		var wg sync.WaitGroup
		codes := make(chan domain.Code, 20)
		for range 20 {
			wg.Go(func() {
				_, _, err := e.app.Login(context.Background(), "till", "wrong password!", "192.0.2.50")
				codes <- domain.ErrorCode(err)
			})
		}
		wg.Wait()
		close(codes)
		count := map[domain.Code]int{}
		for c := range codes {
			count[c]++
		}
		if count[domain.CodeUnauthenticated] != 5 || count[domain.CodeRateLimited] != 15 {
			t.Errorf("answers %v, want 5 unauthenticated and 15 rate_limited", count)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	cfg := app.Config{SessionIdleTimeout: 10 * time.Minute, SessionMaxAge: 30 * time.Minute}
	eachBackend(t, cfg, func(t *testing.T, e *env) {
		ctx := context.Background()
		lastSeen := func(p domain.Principal) time.Time {
			var s domain.Session
			err := e.db.Read(ctx, func(tx app.Tx) (err error) { s, _, err = tx.SessionByHash(ctx, p.SessionID, time.Time{}); return err })
			if err != nil {
				t.Fatal(err)
			}
			return s.LastSeenAt
		}
		// Idle: each request within the timeout moves it on.
		secret, p := e.login(t, "manu")
		start := e.clock.Now()
		e.clock.Advance(30 * time.Second)
		if _, err := e.app.AuthenticateSession(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if !lastSeen(p).Equal(start) {
			t.Error("last request written again within a minute")
		}
		for range 2 {
			e.clock.Advance(9 * time.Minute)
			if _, err := e.app.AuthenticateSession(ctx, secret); err != nil {
				t.Fatalf("active session: %v", err)
			}
		}
		if !lastSeen(p).Equal(e.clock.Now()) {
			t.Error("last request not written after a minute")
		}
		e.clock.Advance(10 * time.Minute)
		if _, err := e.app.AuthenticateSession(ctx, secret); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("idle session: %v", err)
		}
		// Absolute: even a busy session ends 30 minutes after login.
		secret, _ = e.login(t, "manu")
		for range 5 {
			e.clock.Advance(5 * time.Minute)
			if _, err := e.app.AuthenticateSession(ctx, secret); err != nil {
				t.Fatalf("busy session: %v", err)
			}
		}
		e.clock.Advance(5*time.Minute - time.Microsecond)
		if _, err := e.app.AuthenticateSession(ctx, secret); err != nil {
			t.Fatalf("session just before its end: %v", err)
		}
		e.clock.Advance(time.Microsecond)
		if _, err := e.app.AuthenticateSession(ctx, secret); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("session past its lifetime: %v", err)
		}
	})
}

func TestLogout(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret, _ := e.login(t, "till")
		other, _ := e.login(t, "till")
		if err := e.app.Logout(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.AuthenticateSession(ctx, secret); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("session after logout: %v", err)
		}
		if _, err := e.app.AuthenticateSession(ctx, other); err != nil {
			t.Errorf("other session ended too: %v", err)
		}
		for _, s := range []string{secret, "", "garbage"} {
			if err := e.app.Logout(ctx, s); err != nil {
				t.Errorf("logout %q: %v", s, err)
			}
		}
		if logs := e.logs.String(); !strings.Contains(logs, "signed out") || strings.Count(logs, "signed out") != 1 {
			t.Errorf("want one logout line:\n%s", logs)
		}
	})
}

func TestChangePassword(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		s1, p1 := e.login(t, "manu")
		s2, _ := e.login(t, "manu")
		sTill, _ := e.login(t, "till")
		const next = "another long password"
		_, err := e.app.ChangePassword(ctx, p1, "wrong password!", next)
		if de := wantCode(t, "wrong current", err, domain.CodeInvalid); len(de.Fields) != 1 ||
			de.Fields[0].Field != "current_password" || de.Fields[0].Code != domain.FieldWrongPassword {
			t.Errorf("wrong current password: %+v", de.Fields)
		}
		_, err = e.app.ChangePassword(ctx, p1, "", "short")
		if de := wantCode(t, "bad input", err, domain.CodeInvalid); len(de.Fields) != 2 || de.Fields[1].Field != "new_password" || de.Fields[1].Code != "too_short" {
			t.Errorf("bad input: %+v", de.Fields)
		}
		renewed, err := e.app.ChangePassword(ctx, p1, password, next)
		if err != nil {
			t.Fatal(err)
		}
		// The session that changed the password goes on under a new secret; every old one ends.
		p1, err = e.app.AuthenticateSession(ctx, renewed)
		if err != nil || p1.UserID != e.users["manu"].ID {
			t.Errorf("the renewed session: %+v, %v", p1, err)
		}
		for name, old := range map[string]string{"the session that changed the password": s1, "another session of the user": s2} {
			if _, err := e.app.AuthenticateSession(ctx, old); domain.ErrorCode(err) != domain.CodeUnauthenticated {
				t.Errorf("%s still works: %v", name, err)
			}
		}
		if _, err := e.app.AuthenticateSession(ctx, sTill); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}
		if _, _, err := e.app.Login(ctx, "manu", password, "192.0.2.1"); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("old password: %v", err)
		}
		if _, _, err := e.app.Login(ctx, "manu", next, "192.0.2.1"); err != nil {
			t.Errorf("new password: %v", err)
		}
		if _, err := e.app.ChangePassword(ctx, domain.Principal{}, password, next); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("no principal: %v", err)
		}
		// Guessing the current password through a session is throttled too.
		change := func(current string) error {
			_, err := e.app.ChangePassword(ctx, p1, current, "third long password")
			return err
		}
		for range 5 { // the success above cleared the earlier wrong guess
			wantCode(t, "wrong guess", change("wrong password!"), domain.CodeInvalid)
		}
		wantCode(t, "sixth guess", change(next), domain.CodeRateLimited)
		e.clock.Advance(15 * time.Minute)
		if err := change(next); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

// TestChangePasswordWithoutSession: a caller signed in some other way (an API token) gets no
// session, and all of the user's sessions end.
func TestChangePasswordWithoutSession(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		s1, p := e.login(t, "till")
		p.SessionID = ""
		secret, err := e.app.ChangePassword(ctx, p, password, "another long password")
		if err != nil || secret != "" {
			t.Fatalf("change: %q, %v; want no session", secret, err)
		}
		if _, err := e.app.AuthenticateSession(ctx, s1); domain.ErrorCode(err) != domain.CodeUnauthenticated {
			t.Errorf("the user's session still works: %v", err)
		}
	})
}

func TestSetLanguage(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret, p := e.login(t, "till")
		if p.Language != "" {
			t.Errorf("default language %q", p.Language)
		}
		for _, lang := range []string{"en", " ES ", ""} {
			if err := e.app.SetLanguage(ctx, p, lang); err != nil {
				t.Fatal(err)
			}
			got, err := e.app.AuthenticateSession(ctx, secret)
			if want := strings.ToLower(strings.TrimSpace(lang)); err != nil || got.Language != want {
				t.Errorf("language after setting %q: %q %v", lang, got.Language, err)
			}
		}
		err := e.app.SetLanguage(ctx, p, "fr")
		if de := wantCode(t, "fr", err, domain.CodeInvalid); de.Fields[0].Field != "language" {
			t.Errorf("fr: %+v", de)
		}
	})
}
