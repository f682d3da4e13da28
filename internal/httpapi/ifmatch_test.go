package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestIfMatchFollowsRFC9110 drives PATCH of a customer and of a group with every form of
// If-Match: one tag, a list that holds the current one, "*", weak tags, several header lines,
// and malformed values, which answer 400 naming the header and change nothing.
func TestIfMatchFollowsRFC9110(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		g := e.createGroup(t, map[string]any{"name": "Mayoristas"})
		c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana"})
		for _, rc := range []struct {
			pattern, path, field string
		}{
			{"PATCH /api/v1/customers/{id}", "/api/v1/customers/" + c["id"].(string), "notes"},
			{"PATCH /api/v1/groups/{id}", "/api/v1/groups/" + g["id"].(string), "description"},
		} {
			t.Run(rc.pattern, func(t *testing.T) {
				getPattern := strings.Replace(rc.pattern, "PATCH", "GET", 1)
				version := func() float64 {
					t.Helper()
					r := e.do(t, getPattern, req{method: "GET", path: rc.path, role: domain.RoleManager})
					return r.obj(t)["version"].(float64)
				}
				n := 0
				patch := func(ifMatch ...string) response {
					t.Helper()
					n++
					return e.patchWith(t, rc.pattern, rc.path, map[string]any{rc.field: fmt.Sprint("edit ", n)}, ifMatch)
				}

				for _, tc := range []struct {
					name    string
					ifMatch []string // one header line each
					status  int
					version float64 // after the request
				}{
					{"the current tag", []string{`"1"`}, 200, 2},
					{"a stale tag", []string{`"1"`}, 412, 2},
					{"a list holding the current tag", []string{`"1", "2", "7"`}, 200, 3},
					{"a list without it", []string{`"1","2"`}, 412, 3},
					{"any version", []string{"*"}, 200, 4},
					{"any version, with spaces", []string{" * "}, 200, 5},
					{"a weak tag never matches", []string{`W/"5"`}, 412, 5},
					{"a weak and a strong tag", []string{`W/"5", "5"`}, 200, 6},
					{"a tag that is no version", []string{`"abc", "06", "6x"`}, 412, 6},
					{"tags over several header lines", []string{`"1"`, `"6"`}, 200, 7},
					{"empty elements", []string{`, "7" ,,`}, 200, 8},
					{"a tag holding a comma", []string{`"8,9"`}, 412, 8},
					{"an empty header is no precondition", []string{""}, 428, 8},
					{"a number without quotes", []string{`8`}, 400, 8},
					{"an unterminated tag", []string{`"8`}, 400, 8},
					{"a lower-case weak prefix", []string{`w/"8"`}, 400, 8},
					{"a weak prefix without a tag", []string{`W/8`}, 400, 8},
					{"two tags without a comma", []string{`"8" "9"`}, 400, 8},
					{"* in a list", []string{`*, "8"`}, 400, 8},
					{"* on two header lines", []string{`*`, `"8"`}, 400, 8},
				} {
					r := patch(tc.ifMatch...)
					if r.status != tc.status {
						t.Errorf("%s (If-Match %q): %d, want %d; %s", tc.name, tc.ifMatch, r.status, tc.status, r.body)
					}
					switch tc.status {
					case 400:
						if got := r.errorFields(t); !slices.Equal(got, []string{"If-Match:invalid_etag"}) {
							t.Errorf("%s: fields %v, want If-Match:invalid_etag", tc.name, got)
						}
					case 412:
						if r.errorCode(t) != "precondition_failed" {
							t.Errorf("%s: code %s", tc.name, r.body)
						}
					}
					if got := version(); got != tc.version {
						t.Errorf("%s: version %v after, want %v", tc.name, got, tc.version)
					}
				}
			})
		}

		// * needs a record: on a missing one the answer is 404 as without the header.
		r := e.patchWith(t, "PATCH /api/v1/customers/{id}", "/api/v1/customers/01900000-0000-7000-8000-000000000000", map[string]any{}, []string{"*"})
		if r.status != http.StatusNotFound {
			t.Errorf("* on a missing customer: %d %s", r.status, r.body)
		}
		// The 400 speaks of the header, in the caller's language.
		hr := e.request(t, "PATCH", "/api/v1/groups/"+g["id"].(string), `{}`, domain.RoleManager)
		hr.Header.Set("If-Match", "8")
		hr.Header.Set("Accept-Language", "en")
		r = e.send(t, "PATCH /api/v1/groups/{id}", hr)
		if !strings.Contains(string(r.body), `"field":"If-Match"`) || !strings.Contains(string(r.body), "ETag") {
			t.Errorf("malformed If-Match in English: %s", r.body)
		}
	})
}

// patchWith sends a PATCH as a manager with one If-Match header line per value.
func (e *apiEnv) patchWith(t testing.TB, pattern, path string, body map[string]any, ifMatch []string) response {
	t.Helper()
	hr := e.request(t, "PATCH", path, body, domain.RoleManager)
	for _, v := range ifMatch {
		hr.Header.Add("If-Match", v)
	}
	return e.send(t, pattern, hr)
}

// TestContentTypeCharset: JSON is UTF-8; a body declared in another charset is refused with
// 415 and stores nothing, while utf-8 in any case, quoted or not, is read.
func TestContentTypeCharset(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		body := "{\"kind\":\"person\",\"last_name\":\"Mu\xf1oz\"}" // "Muñoz" in Latin-1
		for _, ct := range []string{
			"application/json; charset=latin1",
			"application/json; charset=ISO-8859-1",
			"application/json; charset=utf-16",
			"application/json; charset=utf8", // not the name of UTF-8
			"application/merge-patch+json; charset=windows-1252",
		} {
			r := e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager, body: body,
				header: map[string]string{"Content-Type": ct}})
			if r.status != http.StatusUnsupportedMediaType || r.errorCode(t) != "unsupported_media" {
				t.Errorf("%s: %d %s", ct, r.status, r.body)
			}
		}
		if n := e.countCustomers(t); n != 0 {
			t.Errorf("%d customers stored from refused bodies", n)
		}
		for i, ct := range []string{
			"application/json",
			"application/json; charset=utf-8",
			"application/json; charset=UTF-8",
			`application/json;charset="Utf-8"`,
			"application/merge-patch+json; charset=utf-8",
		} {
			r := e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager,
				body: fmt.Sprintf(`{"kind":"person","last_name":"Muñoz %d"}`, i), header: map[string]string{"Content-Type": ct}})
			if r.status != http.StatusCreated || r.obj(t)["last_name"] != fmt.Sprintf("Muñoz %d", i) {
				t.Errorf("%s: %d %s", ct, r.status, r.body)
			}
		}
		// PATCH reads its body the same way.
		c := e.createCustomer(t, map[string]any{"kind": "person", "last_name": "Pérez"})
		r := e.do(t, "PATCH /api/v1/customers/{id}", req{method: "PATCH", path: "/api/v1/customers/" + c["id"].(string), role: domain.RoleManager,
			body: "{\"last_name\":\"P\xe9rez\"}", header: map[string]string{"Content-Type": "application/merge-patch+json; charset=latin1", "If-Match": `"1"`}})
		if r.status != http.StatusUnsupportedMediaType {
			t.Errorf("PATCH in Latin-1: %d %s", r.status, r.body)
		}
	})
}

// request builds a request to the test server with a JSON body (string as is, anything else
// encoded) and role's token.
func (e *apiEnv) request(t testing.TB, method, path string, body any, role domain.Role) *http.Request {
	t.Helper()
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	}
	hr, err := http.NewRequest(method, e.url+path, strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Authorization", "Bearer "+e.tokens[role])
	return hr
}

// send sends a request built by request and checks the answer against pattern's documentation.
func (e *apiEnv) send(t testing.TB, pattern string, hr *http.Request) response {
	t.Helper()
	res, err := e.client.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", hr.Method, hr.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, pattern, res.StatusCode, raw)
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// TestIfMatchListUnderConcurrentEdits: the precondition is checked in the transaction that
// writes, so of many edits sent at once with If-Match "1", "2" exactly two win (one at each
// version), and edits with * all apply, none lost.
func TestIfMatchListUnderConcurrentEdits(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		path := "/api/v1/groups/" + e.createGroup(t, map[string]any{"name": "Socios"})["id"].(string)
		const n = 8
		edit := func(ifMatch string) []int {
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = e.patchWith(t, "PATCH /api/v1/groups/{id}", path, map[string]any{"description": fmt.Sprint(ifMatch, i)}, []string{ifMatch}).status
				}()
			}
			wg.Wait()
			slices.Sort(statuses)
			return statuses
		}
		version := func() float64 {
			return e.do(t, "GET /api/v1/groups/{id}", req{method: "GET", path: path, role: domain.RoleManager}).obj(t)["version"].(float64)
		}
		if got, want := edit(`"1", "2"`), []int{200, 200, 412, 412, 412, 412, 412, 412}; !slices.Equal(got, want) {
			t.Errorf(`If-Match "1", "2": statuses %v, want %v`, got, want)
		}
		if v := version(); v != 3 {
			t.Errorf("version %v after two edits, want 3", v)
		}
		if got := edit("*"); slices.ContainsFunc(got, func(s int) bool { return s != 200 }) {
			t.Errorf("If-Match *: statuses %v, want all 200", got)
		}
		if v := version(); v != 3+n {
			t.Errorf("version %v after %d edits with *, want %d", v, n, 3+n)
		}
	})
}
