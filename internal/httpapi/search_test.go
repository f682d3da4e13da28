package httpapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// names returns the display names of a list answer, and its next cursor.
func (e *apiEnv) list(t testing.TB, query string) ([]string, string) {
	t.Helper()
	r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?" + query, role: domain.RoleCashier})
	if r.status != 200 {
		t.Fatalf("list %s: %d %s", query, r.status, r.body)
	}
	var l struct {
		Data []struct {
			DisplayName string `json:"display_name"`
		}
		NextCursor *string `json:"next_cursor"`
	}
	r.json(t, &l)
	var out []string
	for _, c := range l.Data {
		out = append(out, c.DisplayName)
	}
	next := ""
	if l.NextCursor != nil {
		next = *l.NextCursor
	}
	return out, next
}

// listAll follows next_cursor from the first page to the last and returns every name.
func (e *apiEnv) listAll(t testing.TB, query string) []string {
	t.Helper()
	var all []string
	cursor := ""
	for page := 0; page < 100; page++ {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		names, next := e.list(t, q)
		all = append(all, names...)
		if next == "" {
			return all
		}
		cursor = next
	}
	t.Fatalf("%s: more than 100 pages", query)
	return nil
}

func TestSearch(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		vip := e.createGroup(t, map[string]any{"name": "VIP", "discount_basis_points": 1000})["id"].(string)
		for _, c := range []map[string]any{
			{"kind": "person", "first_name": "José", "last_name": "Muñoz García", "phone": "612 34 56 78", "group_id": vip},
			{"kind": "person", "first_name": "María", "last_name": "García López", "email": "maria@example.com", "address": map[string]any{"city": "Málaga"}},
			{"kind": "person", "first_name": "Mario", "last_name": "Garrido", "reference": "2000000000017", "phone": "+33 6 11 22 33 44"},
			{"kind": "company", "company_name": "Bar Casa Paco", "legal_form": "S.L.", "tax_id": "B58378431", "address": map[string]any{"city": "Sevilla"}},
			{"kind": "person", "first_name": "Françoise", "last_name": "Lefèvre", "email": "flefevre@orange.fr", "address": map[string]any{"country": "FR"}},
			// A customer whose name is another's e-mail, reference and tax id: exact hits come first.
			{"kind": "person", "first_name": "Maria", "last_name": "Example", "email": "maria2@example.com"},
			{"kind": "company", "company_name": "B58378431 Holding"},
			{"kind": "person", "first_name": "Ref", "last_name": "2000000000017"},
		} {
			e.createCustomer(t, c)
		}
		for _, tc := range []struct{ q, want string }{
			{"munoz", "José Muñoz García"},
			{"MUÑOZ", "José Muñoz García"},
			{"garcia", "José Muñoz García|María García López"},
			{"gar", "José Muñoz García|María García López|Mario Garrido"},
			{"gar mar", "María García López|Mario Garrido"},
			{"garcia maria", "María García López"},
			{"francoise lefevre", "Françoise Lefèvre"},
			{"fran lef", "Françoise Lefèvre"},
			{"malaga", "María García López"},
			{"sevilla", "Bar Casa Paco S.L."},
			{"casa paco", "Bar Casa Paco S.L."},
			{"612 34 56 78", "José Muñoz García"},
			{"+34 612345678", "José Muñoz García"},
			{"0034612345678", "José Muñoz García"},
			{"5678", "José Muñoz García"},
			{"2345678", "José Muñoz García"}, // any ending of 4 digits or more
			{"34 56 78", "José Muñoz García"},
			{"1 22 33 44", "Mario Garrido"},
			{"33 44", "Mario Garrido"},
			{"678", ""}, // three digits are too few for an ending
			{"06 11 22 33 44", "Mario Garrido"},
			{"orange", "Françoise Lefèvre"},
			{"maria@example.com", "María García López|Maria Example"},
			{"2000000000017", "Mario Garrido|Ref 2000000000017"},
			{"b58378431", "Bar Casa Paco S.L.|B58378431 Holding"},
			{"B-58378431", "Bar Casa Paco S.L.|B58378431 Holding"},
			{"garc", "José Muñoz García|María García López"},
			{"garri", "Mario Garrido"},
			{"lefe", "Françoise Lefèvre"},
			{"j", ""},
			{"f lefevre", ""},
			{`"*NEAR(`, ""},
			{`garcia OR munoz`, ""},
			{`garcia AND NOT munoz`, ""},
			{`mar*`, "María García López|Mario Garrido|Maria Example"},
			{`a'); DROP TABLE customers; --`, ""},
			{"zzzz", ""},
			{"***", ""},
		} {
			got, _ := e.list(t, "q="+url.QueryEscape(tc.q))
			if strings.Join(got, "|") != tc.want {
				t.Errorf("q=%q: got %q, want %q", tc.q, strings.Join(got, "|"), tc.want)
			}
		}
		if got, _ := e.list(t, "q=gar&group_id="+vip); strings.Join(got, "|") != "José Muñoz García" {
			t.Errorf("search within group: %q", got)
		}
		if n := e.countCustomers(t); n != 8 {
			t.Errorf("the register has %d customers after the searches, want 8", n)
		}
	})
}

// TestSearchLongPrefixes covers prefixes that start many different words (more than the
// SQLite vocabulary expands) and prefixes that start none.
func TestSearchLongPrefixes(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		var want []string
		for i := 0; i < 70; i++ {
			name := "Zulu" + string(rune('a'+i/26)) + string(rune('a'+i%26))
			e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "last_name": name})
			want = append(want, "Ana "+name)
		}
		got := e.listAll(t, "q=zulu&limit=50")
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("q=zulu found %d: %q", len(got), got)
		}
		for q, n := range map[string]int{"zulua": 26, "zuluca": 1, "zulucz": 0, "ana zulub": 26} {
			if got, _ := e.list(t, "limit=100&q="+url.QueryEscape(q)); len(got) != n {
				t.Errorf("q=%s found %d, want %d", q, len(got), n)
			}
		}
	})
}

func TestSearchPagination(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Exacto", "email": "garcia@example.com"})
		for i := 0; i < 7; i++ {
			e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "last_name": "García " + string(rune('A'+i))})
		}
		// The exact e-mail hit first, then the word matches, 3 per page, none twice, none lost.
		all := e.listAll(t, "q="+url.QueryEscape("garcia@example.com")+"&limit=3")
		if len(all) != 1 || all[0] != "Exacto" {
			t.Errorf("exact e-mail search: %q", all)
		}
		if names, _ := e.list(t, "q=garcia&limit=3"); len(names) != 3 {
			t.Errorf("first page of %d, want 3", len(names))
		}
		all = e.listAll(t, "q=garcia&limit=3")
		// Exacto matches "garcia" only through the e-mail address: after the names.
		if got := strings.Join(all, "|"); got != "Ana García A|Ana García B|Ana García C|Ana García D|Ana García E|Ana García F|Ana García G|Exacto" {
			t.Errorf("paged search: %s", got)
		}
		// A list cursor does not continue a search.
		_, listCursor := e.list(t, "limit=2")
		r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?q=garcia&cursor=" + url.QueryEscape(listCursor), role: domain.RoleCashier})
		if r.status != 422 || !contains(r.errorFields(t), "cursor:invalid_cursor") {
			t.Errorf("list cursor on a search: %d %s", r.status, r.body)
		}
	})
}

func TestListInNameOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		for _, c := range []map[string]any{
			{"kind": "person", "first_name": "Zoe", "last_name": "Álvarez"},
			{"kind": "company", "company_name": "Bodegas Ébano"},
			{"kind": "person", "first_name": "Ana", "last_name": "alvarez"},
			{"kind": "person", "first_name": "Íñigo", "last_name": "Zubizarreta"},
			{"kind": "company", "company_name": "Café Central"},
		} {
			e.createCustomer(t, c)
		}
		all := e.listAll(t, "limit=2")
		if got, want := strings.Join(all, "|"), "Ana alvarez|Zoe Álvarez|Bodegas Ébano|Café Central|Íñigo Zubizarreta"; got != want {
			t.Errorf("order %q, want %q", got, want)
		}
		for _, bad := range []string{"limit=0", "limit=201", "limit=x", "cursor=xyz!", "cursor=bm90LWpzb24", "group_id=nope"} {
			r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?" + bad, role: domain.RoleCashier})
			if r.status != 422 && r.status != 400 {
				t.Errorf("%s: %d %s", bad, r.status, r.body)
			}
		}
	})
}
