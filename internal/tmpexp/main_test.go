package tmpexp

import (
	"strings"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/domain"
	_ "modernc.org/sqlite"
)

func TestBuild(t *testing.T) {
	db, err := sql.Open("sqlite", "file:/tmp/exp.db?_pragma=journal_mode(WAL)&_pragma=cache_size(-262144)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range []string{"ATTACH '/tmp/s1m/clientela.db' AS src",
		"DROP TABLE IF EXISTS fnone", "DROP TABLE IF EXISTS ffull",
		"CREATE VIRTUAL TABLE fnone USING fts5(doc, content='', contentless_delete=1, tokenize='ascii', detail=none, prefix='3')",
		"CREATE VIRTUAL TABLE ffull USING fts5(doc, content='', contentless_delete=1, tokenize='ascii', prefix='3')"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	rows, err := db.Query("SELECT seq, first_name, last_name, company_name, email, reference, tax_id, city, phone FROM src.customers")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		seq int64
		doc string
	}
	var all []row
	for rows.Next() {
		var c domain.Customer
		var seq int64
		rows.Scan(&seq, &c.FirstName, &c.LastName, &c.CompanyName, &c.Email, &c.Reference, &c.TaxID, &c.Address.City, &c.Phone)
		all = append(all, row{seq, c.SearchDocument()})
	}
	rows.Close()
	for _, tbl := range []string{"fnone", "ffull"} {
		start := time.Now()
		tx, _ := db.Begin()
		st, _ := tx.Prepare("INSERT INTO " + tbl + "(rowid, doc) VALUES (?, ?)")
		for _, r := range all {
			st.Exec(r.seq, r.doc)
		}
		tx.Commit()
		db.Exec("INSERT INTO " + tbl + "(" + tbl + ") VALUES ('optimize')")
		fmt.Fprintf(os.Stderr, "%s built in %v\n", tbl, time.Since(start))
	}
}

func TestQuery(t *testing.T) {
	db, err := sql.Open("sqlite", "file:/tmp/exp.db?_pragma=cache_size(-262144)")
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range []string{"fnone", "ffull"} {
		for _, q := range []string{`"gar"*`, `"garcia"*`, `"garcia"`, `"maria"* AND "garcia"*`, `"maria" AND "garcia"*`, `"maria" AND "garcia" AND "lopez"*`, `"maria"* AND "garcia"* AND "lopez"*`, `"5678"*`, `"6123"*`, `"zzzq"*`, `"ma"*`, `"marquina"*`, `"sevilla"*`} {
			var n int
			start := time.Now()
			const reps = 20
			for i := 0; i < reps; i++ {
				rows, err := db.Query("SELECT rowid FROM "+tbl+" WHERE "+tbl+" MATCH ? ORDER BY rowid LIMIT 21", q)
				if err != nil {
					t.Fatal(err)
				}
				n = 0
				for rows.Next() {
					n++
				}
				rows.Close()
			}
			fmt.Fprintf(os.Stderr, "%s %-40s %3d rows %8v\n", tbl, q, n, time.Since(start)/reps)
		}
	}
}

func TestVocab(t *testing.T) {
	db, err := sql.Open("sqlite", "file:/tmp/exp.db?_pragma=cache_size(-262144)")
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("CREATE VIRTUAL TABLE IF NOT EXISTS ffull_vocab USING fts5vocab(ffull, 'row')")
	for _, p := range []string{"garcia", "maria", "lopez", "5678", "sevilla", "marq", "fern"} {
		start := time.Now()
		var terms []string
		for i := 0; i < 20; i++ {
			terms = terms[:0]
			rows, err := db.Query("SELECT term FROM ffull_vocab WHERE term >= ? AND term < ? LIMIT 65", p, p+"\xff")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				rows.Scan(&s)
				terms = append(terms, s)
			}
			rows.Close()
		}
		fmt.Fprintf(os.Stderr, "vocab %-8s %3d terms %v %v\n", p, len(terms), time.Since(start)/20, terms[:min(5, len(terms))])
	}
	for _, q := range []string{`("maria" OR "mariajose") AND ("garcia")`, `("maria") AND ("garcia") AND ("lopez")`, `("sevilla")`, `("fernandez" OR "fernando" OR "fernan") AND "gar"*`} {
		start := time.Now()
		n := 0
		for i := 0; i < 20; i++ {
			rows, _ := db.Query("SELECT rowid FROM ffull WHERE ffull MATCH ? ORDER BY rowid LIMIT 21", q)
			n = 0
			for rows.Next() {
				n++
			}
			rows.Close()
		}
		fmt.Fprintf(os.Stderr, "%-50s %d %v\n", q, n, time.Since(start)/20)
	}
}

func TestRange(t *testing.T) {
	db, err := sql.Open("sqlite", "file:/tmp/exp.db?_pragma=cache_size(-262144)")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`"garcia"*`, `"maria"* AND "garcia"*`, `"ma"*`} {
		for _, hi := range []int{20000, 100000, 2000000} {
			start := time.Now()
			n := 0
			for i := 0; i < 20; i++ {
				rows, _ := db.Query("SELECT rowid FROM ffull WHERE ffull MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid LIMIT 21", q, 0, hi)
				n = 0
				for rows.Next() {
					n++
				}
				rows.Close()
			}
			fmt.Fprintf(os.Stderr, "%-30s <%8d %d %v\n", q, hi, n, time.Since(start)/20)
		}
	}
}

func TestBigOr(t *testing.T) {
	db, err := sql.Open("sqlite", "file:/tmp/exp.db?_pragma=cache_size(-262144)")
	if err != nil {
		t.Fatal(err)
	}
	words := func(p string, n int) string {
		rows, _ := db.Query("SELECT term FROM ffull_vocab WHERE term >= ? AND term < ? LIMIT ?", p, p+"\xff", n)
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, `"`+s+`"`)
		}
		rows.Close()
		return "(" + strings.Join(out, " OR ") + ")"
	}
	gar, mar, lop := words("garcia", 200), words("maria", 200), words("lopez", 200)
	fmt.Fprintf(os.Stderr, "sizes %d %d %d\n", strings.Count(gar, "OR"), strings.Count(mar, "OR"), strings.Count(lop, "OR"))
	for _, q := range []string{gar, mar + " AND " + gar, mar + " AND " + gar + " AND " + lop, `"zz"*`} {
		start := time.Now()
		n := 0
		for i := 0; i < 20; i++ {
			rows, err := db.Query("SELECT rowid FROM ffull WHERE ffull MATCH ? ORDER BY rowid LIMIT 21", q)
			if err != nil {
				t.Fatal(err)
			}
			n = 0
			for rows.Next() {
				n++
			}
			rows.Close()
		}
		fmt.Fprintf(os.Stderr, "%-30.30s %d %v\n", q, n, time.Since(start)/20)
	}
}
