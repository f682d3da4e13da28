package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
)

// listIDs follows next_cursor through a whole search with pages of size limit and returns
// the ids in order.
func (e *apiEnv) listIDs(t testing.TB, q string, limit int) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for page := 0; page < 500; page++ {
		path := fmt.Sprintf("/api/v1/customers?limit=%d&q=%s", limit, url.QueryEscape(q))
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: path, role: domain.RoleCashier})
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var l struct {
			Data       []struct{ ID string }
			NextCursor *string `json:"next_cursor"`
		}
		r.json(t, &l)
		for _, c := range l.Data {
			ids = append(ids, c.ID)
		}
		if l.NextCursor == nil {
			return ids
		}
		if len(l.Data) != limit {
			t.Fatalf("%s: a page of %d before the last, want %d", path, len(l.Data), limit)
		}
		cursor = *l.NextCursor
	}
	t.Fatalf("%q: more than 500 pages", q)
	return nil
}

// rankedCustomer is a customer of the ranking fixture, with what the oracle needs.
type rankedCustomer struct {
	id                   string
	first, last, company string
	email, city, ref     string
}

// rank is what the search should answer for q, worked out the slow way: the tier of each
// customer (-1: no match), then registration order.
func (c rankedCustomer) rank(q string) int {
	terms := search.QueryTerms(q)
	if strings.Contains(q, "@") && strings.EqualFold(c.email, q) || c.ref != "" && strings.EqualFold(c.ref, q) {
		return 0
	}
	name := search.Tokens(c.first + " " + c.last + " " + c.company)
	rest := search.Tokens(c.email + " " + c.city + " " + c.ref)
	has := func(words []string, term string, whole bool) bool {
		return slices.ContainsFunc(words, func(w string) bool {
			return w == term || !whole && search.IsPrefixTerm(term) && strings.HasPrefix(w, term)
		})
	}
	wholeName, prefixName, matches := true, true, true
	for _, term := range terms {
		wholeName = wholeName && has(name, term, true)
		prefixName = prefixName && has(name, term, false)
		matches = matches && (has(name, term, false) || has(rest, term, false))
	}
	switch {
	case len(terms) == 0 || !matches:
		return -1
	case wholeName:
		return 1
	case prefixName:
		return 2
	}
	return 3
}

// TestSearchRanking searches a register where storage order and rank disagree, through the
// API, and checks every answer against the rule worked out in Go: exact hits, whole name
// words, name prefixes, the rest, each by registration order; and that paging through the
// results with any page size gives exactly that list, none twice, none missing.
func TestSearchRanking(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		firsts := []string{"Ana", "Bárbara", "Luis", "Marta", "Baltasar", "Anabel"}
		lasts := []string{"Bar Ruiz", "Barrios", "López Vela", "Velasco", "Ruiz", "Gil"}
		cities := []string{"Barcelona", "Madrid", "Barakaldo", "", "Velada", "Sevilla", "León"}
		var register []rankedCustomer
		for i := 0; i < 48; i++ {
			c := rankedCustomer{first: firsts[i%len(firsts)], last: lasts[(i*5/3)%len(lasts)], city: cities[(i*3)%len(cities)]}
			switch i % 9 {
			case 2:
				c.first, c.last, c.company = "", "", []string{"Bar Casa Paco", "Talleres Ruiz", "Bar Example.com"}[(i/9)%3]
			case 4:
				c.email = "bar@example.com"
			case 7:
				c.email = fmt.Sprintf("c%d@example.com", i)
			}
			if i == 13 {
				c.ref = "BAR"
			}
			fields := map[string]any{"kind": "person", "first_name": c.first, "last_name": c.last,
				"email": c.email, "reference": c.ref, "address": map[string]any{"city": c.city}}
			if c.company != "" {
				fields = map[string]any{"kind": "company", "company_name": c.company, "email": c.email, "reference": c.ref,
					"address": map[string]any{"city": c.city}}
			}
			c.id = e.createCustomer(t, fields)["id"].(string)
			register = append(register, c)
		}
		for _, q := range []string{"bar", "vela", "ana ruiz", "bar@example.com", "barcelona", "ruiz bar", "BAR", "b", "leon", "ana"} {
			var want []string
			for tier := 0; tier <= 3; tier++ {
				for _, c := range register {
					if c.rank(q) == tier {
						want = append(want, c.id)
					}
				}
			}
			all := e.listIDs(t, q, 200)
			if !slices.Equal(all, want) {
				t.Errorf("q=%q: %d results, want %d:\n got %v\nwant %v", q, len(all), len(want), labels(register, all), labels(register, want))
				continue
			}
			for _, size := range []int{1, 2, 3, 7} {
				if paged := e.listIDs(t, q, size); !slices.Equal(paged, want) {
					t.Errorf("q=%q in pages of %d:\n got %v\nwant %v", q, size, labels(register, paged), labels(register, want))
				}
			}
		}
	})
}

// labels names customers by their place in the register and their name, for messages.
func labels(register []rankedCustomer, ids []string) []string {
	var out []string
	for _, id := range ids {
		i := slices.IndexFunc(register, func(c rankedCustomer) bool { return c.id == id })
		out = append(out, fmt.Sprintf("%d:%s%s/%s", i, register[i].first+register[i].last, register[i].company, register[i].city))
	}
	return out
}
