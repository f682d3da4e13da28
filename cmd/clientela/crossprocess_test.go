package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/testdb"
)

// feedDeadline bounds how long a change made through one server may take to hold on
// another: the change feed's latency is milliseconds (on SQLite a look within ~5 ms of a
// write, on PostgreSQL a notification), where the old token cache took up to 30 s.
const feedDeadline = 2 * time.Second

// TestChangesHoldOnEveryProcess runs two servers on one database (an SQLite data directory,
// a PostgreSQL schema). A token revoked, its user disabled or given another role through
// the pages of server A stops working (or works differently) on server B at once, although
// B had the token cached; a customer changed through A's API is what B's barcode lookup
// finds.
func TestChangesHoldOnEveryProcess(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			serverA, printed, _ := serve(t, b)
			serverB, _, _ := serve(t, b)
			m := regexp.MustCompile(`admin / (\S+)`).FindStringSubmatch(printed)
			if m == nil {
				t.Fatalf("no first admin password printed:\n%s", printed)
			}
			adminPassword := m[1]
			cli := func(stdin string, args ...string) string {
				t.Helper()
				out, errOut, code := run(t, stdin, append(args, storageArgs(b)...)...)
				if code != 0 {
					t.Fatalf("clientela %v: exit %d: %s", args, code, errOut)
				}
				return strings.TrimSpace(out)
			}
			cli("a long enough password\n", "user", "add", "--username", "caja", "--role", "cashier")
			till := cli("", "token", "create", "--username", "caja", "--name", "till 1")
			adminToken := cli("", "token", "create", "--username", "admin", "--name", "integration")

			// Both servers know the till's token (and cache it).
			for _, server := range []string{serverA, serverB} {
				if code, _ := call(t, "GET", server+"/api/v1/me", till, "", nil); code != http.StatusOK {
					t.Fatalf("GET /me on %s: %d", server, code)
				}
			}
			_, me := call(t, "GET", serverB+"/api/v1/me", till, "", nil)
			userID, _ := me["user_id"].(string)
			admin := pagesLogin(t, serverA, "admin", adminPassword)

			// A role change: deleting a customer (here, one that does not exist) is refused
			// to a cashier, allowed (and not found) to a manager.
			deleteOnB := func() int {
				code, _ := call(t, "DELETE", serverB+"/api/v1/customers/0190f5c2-7d3a-7c1e-9b8a-3f2e1d0c9b8a", till, "", nil)
				return code
			}
			if code := deleteOnB(); code != http.StatusForbidden {
				t.Fatalf("a cashier deletes: %d", code)
			}
			// Each latency runs from the admin's click on A to the first answer from B that
			// shows the change.
			click := time.Now()
			admin.post(t, "/settings/users/"+userID+"/role", url.Values{"role": {"manager"}})
			until(t, "promoted on B", http.StatusNotFound, deleteOnB)
			t.Logf("%s: role change (cashier → manager) held on the other server after %v", b.Name, time.Since(click))
			click = time.Now()
			admin.post(t, "/settings/users/"+userID+"/role", url.Values{"role": {"cashier"}})
			until(t, "demoted on B", http.StatusForbidden, deleteOnB)
			t.Logf("%s: role change (manager → cashier) held on the other server after %v", b.Name, time.Since(click))

			meOnB := func() int { code, _ := call(t, "GET", serverB+"/api/v1/me", till, "", nil); return code }
			click = time.Now()
			admin.post(t, "/settings/users/"+userID+"/disable", nil)
			until(t, "disabled on B", http.StatusUnauthorized, meOnB)
			t.Logf("%s: disabling the user held on the other server after %v", b.Name, time.Since(click))
			admin.post(t, "/settings/users/"+userID+"/enable", nil)
			until(t, "enabled on B", http.StatusOK, meOnB)

			tm := regexp.MustCompile(`(?s)>till 1</td>.*?/settings/tokens/([0-9a-f-]{36})/revoke`).FindStringSubmatch(admin.get(t, "/settings/tokens"))
			if tm == nil {
				t.Fatal("the till's token is not on the tokens page")
			}
			until(t, "the token works on B", http.StatusOK, meOnB)
			click = time.Now()
			admin.post(t, "/settings/tokens/"+tm[1]+"/revoke", nil)
			until(t, "revoked on B", http.StatusUnauthorized, meOnB)
			t.Logf("%s: revoking the token held on the other server after %v", b.Name, time.Since(click))

			// A customer changed through A is what B's barcode lookup finds.
			code, created := call(t, "POST", serverA+"/api/v1/customers", adminToken, "application/json",
				map[string]any{"kind": "person", "first_name": "Ana", "last_name": "Mora", "reference": "4006381333931"})
			if code != http.StatusCreated {
				t.Fatalf("create a customer: %d %v", code, created)
			}
			nameOnB := func() string {
				_, c := call(t, "GET", serverB+"/api/v1/customers/by-reference/4006381333931", adminToken, "", nil)
				name, _ := c["first_name"].(string)
				return name
			}
			for range 2 { // the second from B's cache
				if got := nameOnB(); got != "Ana" {
					t.Fatalf("B finds %q", got)
				}
			}
			click = time.Now()
			code, _ = call(t, "PATCH", serverA+"/api/v1/customers/"+created["id"].(string), adminToken, "application/merge-patch+json",
				map[string]any{"first_name": "Anabel"}, "If-Match", `"1"`)
			if code != http.StatusOK {
				t.Fatalf("update the customer: %d", code)
			}
			for start := time.Now(); nameOnB() != "Anabel"; time.Sleep(time.Millisecond) {
				if time.Since(start) > feedDeadline {
					t.Fatalf("B still finds the old customer after %v", feedDeadline)
				}
			}
			t.Logf("%s: a customer changed on one server was found changed on the other after %v", b.Name, time.Since(click))
		})
	}
}

// until calls do until it answers want, within feedDeadline.
func until(t *testing.T, what string, want int, do func() int) {
	t.Helper()
	start := time.Now()
	for {
		got := do()
		if got == want {
			return
		}
		if time.Since(start) > feedDeadline {
			t.Fatalf("%s: still %d after %v, want %d", what, got, feedDeadline, want)
		}
		time.Sleep(time.Millisecond)
	}
}

// call sends a JSON API request and returns the status and the decoded body; header holds
// name, value pairs.
func call(t *testing.T, method, url, token, contentType string, body any, header ...string) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// pages is a browser's session on the backoffice pages of one server. (A Go client sends
// no Origin or Sec-Fetch-Site header, so the cross-origin check lets its forms through.)
type pages struct {
	base   string
	client *http.Client
}

func pagesLogin(t *testing.T, base, username, password string) *pages {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &pages{base: base, client: &http.Client{Jar: jar}}
	p.post(t, "/login", url.Values{"username": {username}, "password": {password}})
	if page := p.get(t, "/settings/tokens"); !strings.Contains(page, "/logout") {
		t.Fatalf("not signed in as %s", username)
	}
	return p
}

func (p *pages) get(t *testing.T, path string) string {
	t.Helper()
	res, err := p.client.Get(p.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return string(b)
}

// post submits a form and follows the redirect; the page it lands on must answer 200.
func (p *pages) post(t *testing.T, path string, form url.Values) {
	t.Helper()
	res, err := p.client.PostForm(p.base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d", path, res.StatusCode)
	}
}
