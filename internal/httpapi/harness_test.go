package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
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
)

// apiEnv is a running Clientela over real HTTP on one backend, with a token for each role.
type apiEnv struct {
	t       *testing.T
	url     string
	db      *sqlstore.DB
	dataDir string // SQLite: the data directory
	app     *app.App
	tokens  map[domain.Role]string
	client  *http.Client
}

// eachBackend runs fn against a fresh server on every backend, in parallel.
func eachBackend(t *testing.T, fn func(t *testing.T, e *apiEnv)) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, newAPIEnv(t, b))
		})
	}
}

func newAPIEnv(t *testing.T, b testdb.Backend) *apiEnv {
	t.Helper()
	b = testdb.Prepare(t, b)
	db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
	if err != nil {
		t.Fatalf("open %s: %v", b.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(documentedOnly(t, h))
	t.Cleanup(srv.Close)
	e := &apiEnv{t: t, url: srv.URL, db: db, dataDir: b.DataDir, app: a, tokens: map[domain.Role]string{}, client: srv.Client()}
	ctx := context.Background()
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleManager, domain.RoleCashier} {
		if _, err := a.AddUser(ctx, app.System(), "user-"+string(role), role, "a long enough password"); err != nil {
			t.Fatalf("add user: %v", err)
		}
		tok, err := a.CreateAPIToken(ctx, app.System(), "user-"+string(role), "test")
		if err != nil {
			t.Fatalf("token: %v", err)
		}
		e.tokens[role] = tok
	}
	return e
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// obj decodes the body as a JSON object.
func (r response) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

// errorFields returns "field:code" for each field error of an error answer.
func (r response) errorFields(t testing.TB) []string {
	t.Helper()
	var body struct {
		Error struct {
			Code   string `json:"code"`
			Fields []struct{ Field, Code string }
		} `json:"error"`
	}
	r.json(t, &body)
	var out []string
	for _, f := range body.Error.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func (r response) errorCode(t testing.TB) string {
	t.Helper()
	var body struct {
		Error struct{ Code string } `json:"error"`
	}
	r.json(t, &body)
	return body.Error.Code
}

// req describes a request; pattern is the route it hits, to check the answer against the
// OpenAPI document.
type req struct {
	method, path string
	role         domain.Role // empty: no token
	body         any         // string or []byte sent as is, anything else as JSON
	header       map[string]string
}

// multipartBody is a multipart/form-data body (see multipartForm), sent with its Content-Type.
type multipartBody struct {
	ctype string
	data  []byte
}

// multipartForm builds a form of fields (name, value pairs, in order; a name may repeat) and,
// when file is not nil, a file part named "file".
func multipartForm(t testing.TB, fileName string, file []byte, fields ...string) multipartBody {
	fail := func(err error) {
		if t == nil {
			panic(err) // a form built for a table, before any test runs
		}
		t.Helper()
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			fail(err)
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			fail(err)
		}
		if _, err := fw.Write(file); err != nil {
			fail(err)
		}
	}
	if err := mw.Close(); err != nil {
		fail(err)
	}
	return multipartBody{ctype: mw.FormDataContentType(), data: buf.Bytes()}
}

func (e *apiEnv) do(t testing.TB, pattern string, rq req) response {
	t.Helper()
	var body io.Reader
	switch b := rq.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	case multipartBody:
		body = bytes.NewReader(b.data)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	hr, err := http.NewRequest(rq.method, e.url+rq.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if m, ok := rq.body.(multipartBody); ok {
		hr.Header.Set("Content-Type", m.ctype)
	}
	if rq.role != "" {
		hr.Header.Set("Authorization", "Bearer "+e.tokens[rq.role])
	}
	for k, v := range rq.header {
		hr.Header.Set(k, v)
	}
	res, err := e.client.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", rq.method, rq.path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if pattern != "" && res.StatusCode != http.StatusNoContent {
		checkResponse(t, pattern, res.StatusCode, raw)
	}
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// Shorthands for the common calls, as a manager.
func (e *apiEnv) createCustomer(t testing.TB, fields map[string]any) map[string]any {
	t.Helper()
	r := e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager, body: fields})
	if r.status != http.StatusCreated {
		t.Fatalf("create customer %v: %d %s", fields, r.status, r.body)
	}
	return r.obj(t)
}

func (e *apiEnv) createGroup(t testing.TB, fields map[string]any) map[string]any {
	t.Helper()
	r := e.do(t, "POST /api/v1/groups", req{method: "POST", path: "/api/v1/groups", role: domain.RoleManager, body: fields})
	if r.status != http.StatusCreated {
		t.Fatalf("create group %v: %d %s", fields, r.status, r.body)
	}
	return r.obj(t)
}

// countCustomers counts the register through the API.
func (e *apiEnv) countCustomers(t testing.TB) int {
	t.Helper()
	r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?limit=200", role: domain.RoleAdmin})
	var l struct{ Data []map[string]any }
	r.json(t, &l)
	return len(l.Data)
}

// searchIDs runs the register's search as a manager and returns the ids it finds, failing t
// unless the answer is a 200 with a list (an error answer holds no ids, and must not pass
// for "nothing found").
func (e *apiEnv) searchIDs(t testing.TB, q string) []string {
	t.Helper()
	r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?q=" + url.QueryEscape(q), role: domain.RoleManager})
	if r.status != http.StatusOK {
		t.Fatalf("search %q: %d %s", q, r.status, r.body)
	}
	var l struct {
		Data *[]struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	r.json(t, &l)
	if l.Data == nil {
		t.Fatalf("search %q: no data list in %s", q, r.body)
	}
	ids := []string{}
	for _, c := range *l.Data {
		ids = append(ids, c.ID)
	}
	return ids
}
