package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

// syncBuffer collects the app's log lines from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLoginEnv is newEnvWith whose app logs to the buffer returned and checks passwords with
// hasher: one slot, so that a test can take it and make the checks busy.
func newLoginEnv(t *testing.T, opts server.Options) (*env, *auth.Hasher, *syncBuffer) {
	t.Helper()
	db := testdb.Open(t, sqliteBackend(t))
	logs := &syncBuffer{}
	hasher := auth.NewHasher(auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 1, time.Millisecond)
	a := app.New(app.Config{Store: db, Passwords: hasher, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, app: a, db: db, ids: map[domain.Role]string{}}
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleCashier} {
		u, err := a.AddUser(context.Background(), app.System(), string(role), role, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		e.ids[role] = u.ID
	}
	return e, hasher, logs
}

// TestFailedLoginIsLoggedWithUserAndClient: behind a trusted proxy, a refused login is
// logged with the user name typed and the client's address as the throttle counts it (from
// X-Forwarded-For, an IPv6 client by its /64), for wrong passwords and for rate-limited
// attempts alike.
func TestFailedLoginIsLoggedWithUserAndClient(t *testing.T) {
	e, _, logs := newLoginEnv(t, server.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	b := e.browser()
	login := func(user string) int {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/login", strings.NewReader(url.Values{"username": {user}, "password": {"wrong password!"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "2001:db8:5:6::9")
		return b.do(req).status
	}
	for range 5 {
		if got := login("cashier"); got != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d", got)
		}
	}
	if got := login("cashier"); got != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: status %d", got)
	}
	for _, want := range []string{
		`level=INFO msg="login refused: invalid credentials" username=cashier client=2001:db8:5:6::/64`,
		`level=WARN msg="login refused: too many failures" username=cashier client=2001:db8:5:6::/64`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no log line with %s:\n%s", want, logs)
		}
	}
}

// TestLoginWhenPasswordChecksAreBusy: while every password slot is taken, the login page
// answers 503 with Retry-After and says so in the visitor's language; so do the account
// page's password change and the admin's forms, through the error page.
func TestLoginWhenPasswordChecksAreBusy(t *testing.T) {
	e, hasher, _ := newLoginEnv(t, server.Options{})
	b, admin := e.loggedIn(domain.RoleCashier), e.loggedIn(domain.RoleAdmin)
	slot, err := hasher.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer slot.Release()
	visitor := e.browser()
	for _, tc := range []struct{ lang, user, want string }{
		{"es-ES", "cashier", "El servidor está ocupado comprobando otras contraseñas. Vuelva a intentarlo en un momento."},
		{"en", "nobody", "The server is busy checking other passwords. Try again in a moment."},
	} {
		visitor.lang = tc.lang
		res := visitor.post("/login", url.Values{"username": {tc.user}, "password": {"wrong password!"}})
		wantStatus(t, res, http.StatusServiceUnavailable)
		wantContains(t, res, tc.want, `name="username"`)
		if got := res.header.Get("Retry-After"); got != "5" {
			t.Errorf("Retry-After %q, want 5", got)
		}
	}
	res := b.post("/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"another long password"}, "confirm_password": {"another long password"}})
	wantStatus(t, res, http.StatusServiceUnavailable)
	wantContains(t, res, "El servidor está ocupado")
	if res.header.Get("Retry-After") == "" {
		t.Error("password change: no Retry-After")
	}
	for path, form := range map[string]url.Values{
		"/settings/users": {"username": {"nuevo"}, "role": {"cashier"}, "password": {"a long enough password"}},
		"/settings/users/" + e.ids[domain.RoleCashier] + "/password": {"password": {"a new long password"}, "confirm_password": {"a new long password"}},
	} {
		res := admin.post(path, form)
		wantStatus(t, res, http.StatusServiceUnavailable)
		wantContains(t, res, "El servidor está ocupado")
		if res.header.Get("Retry-After") != "5" {
			t.Errorf("%s: Retry-After %q, want 5", path, res.header.Get("Retry-After"))
		}
	}
}

// TestChangePasswordRenewsTheSession: the password change itself replaces the session, so
// the old cookie stops working and the new one works even when logins of this user from this
// address are being refused by the throttle (the change used to sign in again to renew the
// session, and then kept the old one).
func TestChangePasswordRenewsTheSession(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleCashier)
	guesser := e.browser()
	for range 6 {
		guesser.post("/login", url.Values{"username": {"cashier"}, "password": {"wrong password!"}})
	}
	wantStatus(t, guesser.post("/login", url.Values{"username": {"cashier"}, "password": {testPassword}}), http.StatusTooManyRequests)

	before := b.cookie("clientela_session").Value
	res := b.post("/settings/password", url.Values{"current_password": {testPassword}, "new_password": {"another long password"}, "confirm_password": {"another long password"}})
	wantStatus(t, res, http.StatusSeeOther)
	after := b.cookie("clientela_session").Value
	if after == before {
		t.Fatal("the session id was not renewed")
	}
	for _, tc := range []struct {
		name, secret string
		status       int
	}{{"old cookie", before, http.StatusSeeOther}, {"new cookie", after, http.StatusOK}} {
		c := e.browser()
		c.client.Jar.SetCookies(mustURL(t, e.url), []*http.Cookie{{Name: "clientela_session", Value: tc.secret}})
		res := c.get("/customers")
		if res.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.status, tc.status)
		}
	}
}
