package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// matchCustomers runs a search.
func matchCustomers(t *testing.T, db *sqlstore.DB, f app.MatchFilter) []app.Match {
	t.Helper()
	var got []app.Match
	err := db.Read(context.Background(), func(tx app.Tx) (err error) {
		got, err = tx.MatchCustomers(context.Background(), f)
		return err
	})
	if err != nil {
		t.Fatalf("match %+v: %v", f, err)
	}
	return got
}

// matchNames runs a search and returns the first names found, in order.
func matchNames(t *testing.T, db *sqlstore.DB, terms ...string) string {
	t.Helper()
	var out []string
	for _, m := range matchCustomers(t, db, app.MatchFilter{Terms: terms, Limit: 100}) {
		out = append(out, m.Customer.FirstName)
	}
	return strings.Join(out, " ")
}

// TestMatchWordsAndPrefixes checks whole words, prefixes that start a few words or many, and
// e-mail words, along both PostgreSQL roads (pgsearch.go): the in-order window and the index
// with prefixes expanded through the vocabulary (pgvocab.go).
func TestMatchWordsAndPrefixes(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		people := []struct{ first, last, email string }{
			{"María", "López", ""},
			{"Mariana", "Ruiz", "m.ruiz@example.com"},
			{"Carmen", "Ruiz", "xcarmenflores84@example.com"},
			{"Mario", "Pérez", "mario.perez@example.com"},
			{"Marta", "Lopera", ""},
		}
		for i := 0; i < 12; i++ { // a prefix of more words than are expanded
			people = append(people, struct{ first, last, email string }{fmt.Sprint("Z", i), fmt.Sprintf("Zulu%c", 'a'+i), ""})
		}
		for _, p := range people {
			c := newCustomer(t, p.first, p.last)
			c.Email = p.email
			mustCreate(t, db, &c)
		}
		zulus := "Z0 Z1 Z2 Z3 Z4 Z5 Z6 Z7 Z8 Z9 Z10 Z11"
		cases := []struct {
			terms []string
			want  string
		}{
			{[]string{"mari"}, "María Mariana Mario"},
			{[]string{"mar"}, "María Mariana Mario Marta"},
			{[]string{"maria"}, "María Mariana"},
			{[]string{"mar", "lop"}, "María Marta"},
			{[]string{"lopez"}, "María"},
			{[]string{"ruiz", "mar"}, "Mariana"},
			{[]string{"zulu"}, zulus},
			{[]string{"zulub"}, "Z1"},
			{[]string{"zulu", "zulul"}, "Z11"},
			{[]string{"zuluz"}, ""},
			// E-mail words: whole words on both backends.
			{[]string{"xcarmenflores"}, "Carmen"},
			{[]string{"example"}, "Mariana Carmen Mario"},
			{[]string{"84"}, "Carmen"},
			{[]string{"ruiz", "example"}, "Mariana Carmen"},
			{[]string{"m", "ruiz"}, "Mariana"},
		}
		// Words a customer has only in their e-mail address are no prefixes on PostgreSQL
		// (pgDocument), while SQLite finds them by any start.
		emailPrefix := "Carmen"
		if db.Backend() == "postgres" {
			emailPrefix = ""
		}
		cases = append(cases, struct {
			terms []string
			want  string
		}{[]string{"xcarm"}, emailPrefix})
		for _, window := range []int{1000, 1} {
			sqlstore.SetSearchWindow(db, window)
			for _, tc := range cases {
				if got := matchNames(t, db, tc.terms...); got != tc.want {
					t.Errorf("window %d: match %q = %q, want %q", window, tc.terms, got, tc.want)
				}
			}
		}
	})
}

// TestSearchVocabularyFollowsCustomers checks that PostgreSQL's vocabulary of prefix words
// gains the words of new and changed customers, whether written one by one or in bulk, and
// loses those nobody has any more.
func TestSearchVocabularyFollowsCustomers(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Backend() != "postgres" {
			t.Skip("SQLite's vocabulary is covered by TestDeleteRemovesFromSearch")
		}
		ctx := context.Background()
		words := func() []string {
			rows, err := db.SQL().QueryContext(ctx, "SELECT word FROM customer_search_words ORDER BY word")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var w string
				if err := rows.Scan(&w); err != nil {
					t.Fatal(err)
				}
				out = append(out, w)
			}
			return out
		}
		a := newCustomer(t, "Íñigo", "Zubizarreta")
		a.Email, a.Phone = "inigoz77@example.com", "+34 612 34 56 78"
		if err := a.Prepare("ES"); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, &a)
		b := newCustomer(t, "Ane", "Zubizarreta")
		mustCreate(t, db, &b)
		if got, want := words(), []string{"¶ane", "¶inigo", "¶zubizarreta"}; !slices.Equal(got, want) {
			t.Errorf("after creating: %q, want %q (no e-mail words, no digits)", got, want)
		}
		a.LastName, a.Version = "Etxeberria", 2
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.UpdateCustomer(ctx, &a, 1) }); err != nil {
			t.Fatal(err)
		}
		if got, want := words(), []string{"¶ane", "¶etxeberria", "¶inigo", "¶zubizarreta"}; !slices.Equal(got, want) {
			t.Errorf("after an update: %q, want %q", got, want)
		}
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.DeleteCustomer(ctx, b.ID) }); err != nil {
			t.Fatal(err)
		}
		if got, want := words(), []string{"¶etxeberria", "¶inigo"}; !slices.Equal(got, want) {
			t.Errorf("after a delete: %q, want %q", got, want)
		}
		if err := db.StartBulkLoad(ctx); err != nil {
			t.Fatal(err)
		}
		bulk := []domain.Customer{newCustomer(t, "Olatz", "Arrieta"), newCustomer(t, "Iñaki", "Etxeberria")}
		if err := db.BulkInsertCustomers(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishBulkLoad(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := words(), []string{"¶arrieta", "¶etxeberria", "¶inaki", "¶inigo", "¶olatz"}; !slices.Equal(got, want) {
			t.Errorf("after a bulk load: %q, want %q", got, want)
		}
		// The trigger the load disabled works again.
		c := newCustomer(t, "Uxue", "Arrieta")
		mustCreate(t, db, &c)
		if got := words(); !slices.Contains(got, "¶uxue") {
			t.Errorf("after the bulk load, a new customer's words are missing: %q", got)
		}
		sqlstore.SetSearchWindow(db, 1)
		if got := matchNames(t, db, "etx"); got != "Íñigo Iñaki" {
			t.Errorf("match etx = %q", got)
		}
	})
}

// TestSearchVocabularyConcurrentWriters deletes the last customer with a word while another
// transaction adds a customer with the same word: the word must stay (migration 0003 locks).
func TestSearchVocabularyConcurrentWriters(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for i := 0; i < 20; i++ {
			old := newCustomer(t, "Old", fmt.Sprintf("Quokka%c", 'a'+i))
			mustCreate(t, db, &old)
			fresh := newCustomer(t, "New", old.LastName)
			done := make(chan error, 1)
			go func() { done <- db.Write(ctx, func(tx app.Tx) error { return tx.DeleteCustomer(ctx, old.ID) }) }()
			mustCreate(t, db, &fresh)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			sqlstore.SetSearchWindow(db, 1)
			if got := matchNames(t, db, "quokk", strings.ToLower(old.LastName)[:7]); got != "New" {
				t.Fatalf("round %d: match = %q, want New", i, got)
			}
		}
	})
}

// TestMatchInGroupBothRoads checks a search within a group along both PostgreSQL roads.
func TestMatchInGroupBothRoads(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		vip := domain.Group{ID: newCustomer(t, "x", "x").ID, Name: "VIP", CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.CreateGroup(ctx, &vip) }); err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := 0; i < 30; i++ {
			c := newCustomer(t, fmt.Sprint(i), "Garmendia")
			if i%4 == 1 {
				c.GroupID = vip.ID
				want = append(want, fmt.Sprint(i))
			}
			mustCreate(t, db, &c)
		}
		for _, window := range []int{1000, 3, 1} {
			sqlstore.SetSearchWindow(db, window)
			var got []string
			var after app.MatchPosition
			for page := 0; page < 20; page++ {
				rows := matchCustomers(t, db, app.MatchFilter{Terms: []string{"garm"}, GroupID: vip.ID, After: after, Limit: 3})
				for _, m := range rows {
					got = append(got, m.Customer.FirstName)
					after = app.MatchPosition{Tier: m.Tier, Seq: m.Customer.Seq}
				}
				if len(rows) < 3 {
					break
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("window %d: pages give %v, want %v", window, got, want)
			}
		}
	})
}

// TestSearchIndexRebuiltForANewDocumentVersion: a database indexed by an older
// search.Document is re-indexed when opened, so every customer can be found again.
func TestSearchIndexRebuiltForANewDocumentVersion(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			open := func() *sqlstore.DB {
				// The second open re-indexes along the road a large table takes.
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir, sqlstore.WithReindexDropAt(0))
				if err != nil {
					t.Fatal(err)
				}
				return db
			}
			db := open()
			c := newCustomer(t, "Quintín", "Olmedo")
			c.Phone = "+34612345678"
			mustCreate(t, db, &c)
			if got := matchNames(t, db, "2345678"); got != "Quintín" {
				t.Fatalf("before: %q", got)
			}
			// What an older version left: its own documents (here: none) and its number.
			wipe := "DELETE FROM customer_search"
			if b.Name == "postgres" {
				wipe = "UPDATE customers SET search_doc = ''"
			}
			for _, q := range []string{wipe, "UPDATE settings SET value = '1' WHERE key = 'search.document_version'"} {
				if _, err := db.SQL().Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if got := matchNames(t, db, "olmedo"); got != "" {
				t.Fatalf("the wipe left %q findable", got)
			}
			db.Close()

			db = open()
			defer db.Close()
			for _, terms := range [][]string{{"olmedo"}, {"quin"}, {"quinti"}, {"2345678"}, {"612345678"}} {
				if got := matchNames(t, db, terms...); got != "Quintín" {
					t.Errorf("after reopening, %q finds %q", terms, got)
				}
			}
			if b.Name == "postgres" {
				var n int
				if err := db.SQL().QueryRow("SELECT count(*) FROM pg_indexes WHERE indexname = 'customers_search' AND schemaname = current_schema()").Scan(&n); err != nil || n != 1 {
					t.Errorf("the search index after re-indexing: %d (%v)", n, err)
				}
			}
			var v string
			if err := db.SQL().QueryRow("SELECT value FROM settings WHERE key = 'search.document_version'").Scan(&v); err != nil || v != fmt.Sprint(search.DocumentVersion) {
				t.Errorf("recorded version %q (%v)", v, err)
			}
		})
	}
}
