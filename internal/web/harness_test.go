package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
	"github.com/clientela/clientela/internal/web"
)

// testPassword is every test user's password.
const testPassword = "a long enough password"

// env is a running Clientela (the whole handler: pages and API) on a fresh database, with
// one user per role.
type env struct {
	t   *testing.T
	url string
	app *app.App
	db  *sqlstore.DB
	ids map[domain.Role]string // user ids
}

func newEnv(t *testing.T, b testdb.Backend) *env {
	t.Helper()
	return newEnvWith(t, b, server.Options{})
}

func newEnvWith(t *testing.T, b testdb.Backend, opts server.Options) *env {
	t.Helper()
	db := testdb.Open(t, b)
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, app: a, db: db, ids: map[domain.Role]string{}}
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleManager, domain.RoleCashier} {
		u, err := a.AddUser(context.Background(), app.System(), string(role), role, testPassword)
		if err != nil {
			t.Fatalf("add user: %v", err)
		}
		e.ids[role] = u.ID
	}
	return e
}

// eachBackend runs fn on SQLite and, when configured, PostgreSQL.
func eachBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, b))
		})
	}
}

// browser is an HTTP client with a cookie jar that does not follow redirects, so tests see
// each answer.
type browser struct {
	e      *env
	client *http.Client
	lang   string
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &browser{e: e, lang: "es-ES,es;q=0.9", client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loggedIn returns a browser signed in as the user of role.
func (e *env) loggedIn(role domain.Role) *browser {
	e.t.Helper()
	b := e.browser()
	res := b.post("/login", url.Values{"username": {string(role)}, "password": {testPassword}})
	if res.status != http.StatusSeeOther {
		e.t.Fatalf("login as %s: status %d\n%s", role, res.status, res.body)
	}
	return b
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) answer {
	b.e.t.Helper()
	req.Header.Set("Accept-Language", b.lang)
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatalf("read body: %v", err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *browser) get(path string) answer {
	b.e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.e.url+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form the way a browser does from one of our pages: same origin.
func (b *browser) post(path string, form url.Values) answer {
	b.e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.e.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.e.url)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// mustCreateCustomer adds a customer through the use case, as the admin.
func (e *env) mustCreateCustomer(ch domain.CustomerChanges) domain.Customer {
	e.t.Helper()
	c, err := e.app.CreateCustomer(context.Background(), app.System(), ch)
	if err != nil {
		e.t.Fatalf("create customer: %v", err)
	}
	return c
}

func person(first, last string) domain.CustomerChanges {
	return domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some(first), LastName: domain.Some(last)}
}

func wantStatus(t *testing.T, a answer, want int) {
	t.Helper()
	if a.status != want {
		t.Fatalf("status %d, want %d\n%s", a.status, want, a.body)
	}
}

func wantContains(t *testing.T, a answer, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(a.body, p) {
			t.Errorf("page does not contain %q\n%s", p, a.body)
		}
	}
}

func wantNotContains(t *testing.T, a answer, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(a.body, p) {
			t.Errorf("page contains %q", p)
		}
	}
}

func sqliteBackend(t *testing.T) testdb.Backend {
	t.Helper()
	return testdb.Backend{Name: "sqlite"}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func pageRoutes(t *testing.T) []web.RouteInfo {
	t.Helper()
	s, err := web.New(nil, i18n.New(), slog.New(slog.DiscardHandler), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s.Routes()
}
