package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestSeededSearchRanking reports, for a few queries, how many of the first 20 results the
// search use case returns are name matches (a word of the first, last or company name starts
// with every term). It reads a database seeded beforehand (`clientela seed`) and runs only
// when one is named (opening it migrates it, as any command would):
//
//	CLIENTELA_RANKING_DATA_DIR=/tmp/s1m go test -run SeededSearchRanking -v ./internal/store/sqlstore/
//	CLIENTELA_RANKING_DATABASE_URL='postgres://…/bench1m?sslmode=disable' go test -run SeededSearchRanking -v ./internal/store/sqlstore/
//
// docs/performance.md quotes its output before and after name matches were ranked first.
func TestSeededSearchRanking(t *testing.T) {
	dir, url := os.Getenv("CLIENTELA_RANKING_DATA_DIR"), os.Getenv("CLIENTELA_RANKING_DATABASE_URL")
	if dir == "" && url == "" {
		t.Skip("set CLIENTELA_RANKING_DATA_DIR or CLIENTELA_RANKING_DATABASE_URL to a seeded database")
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := app.New(app.Config{Store: db})
	for _, q := range []string{"bar", "leon", "san", "vela", "mar", "sevilla", "madrid", "garcia", "maria garcia"} {
		page, err := a.Customers(ctx, app.System(), app.CustomerQuery{Q: q, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		names, whole := 0, 0
		var shown []string
		for i := range page.Customers {
			c := &page.Customers[i]
			if nameMatches(c, search.QueryTerms(q), false) {
				names++
			}
			if nameMatches(c, search.QueryTerms(q), true) {
				whole++
			}
			if i < 6 {
				shown = append(shown, fmt.Sprintf("%s (%s)", c.DisplayName(), c.Address.City))
			}
		}
		t.Logf("%-14q %2d of the first %d are name matches (%d by whole words); first: %s", q, names, len(page.Customers), whole, strings.Join(shown, "; "))
	}
}

// nameMatches reports whether a word of c's name starts with every term (whole: is every
// term).
func nameMatches(c *domain.Customer, terms []string, whole bool) bool {
	words := search.Tokens(c.FirstName + " " + c.LastName + " " + c.CompanyName)
	for _, term := range terms {
		found := false
		for _, w := range words {
			if w == term || !whole && strings.HasPrefix(w, term) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
