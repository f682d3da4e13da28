package testdb

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/store/sqlstore"
)

// Traces looks for each of needles (case-insensitively) in the whole database and returns
// where each was found. On SQLite it checkpoints the write-ahead log and vacuums, then reads
// every byte of the database file (and of any log left): free pages, index and full-text
// pages included. On PostgreSQL it reads every row of every table of the schema as text
// (binary columns also compared in hex). A test of an erasure passes the person's values and
// wants an empty map.
func Traces(t testing.TB, db *sqlstore.DB, needles []string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	found := map[string][]string{}
	note := func(needle, where string) {
		for _, w := range found[needle] {
			if w == where {
				return
			}
		}
		found[needle] = append(found[needle], where)
	}
	conn := db.SQL()
	if db.Backend() == "sqlite" {
		for _, q := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		var seq int
		var name, file string
		if err := conn.QueryRowContext(ctx, "SELECT seq, name, file FROM pragma_database_list WHERE name = 'main'").Scan(&seq, &name, &file); err != nil {
			t.Fatalf("database file: %v", err)
		}
		for _, f := range []string{file, file + "-wal"} {
			b, err := os.ReadFile(f)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			lower := bytes.ToLower(b)
			for _, n := range needles {
				if bytes.Contains(b, []byte(n)) || bytes.Contains(lower, []byte(strings.ToLower(n))) {
					note(n, f[strings.LastIndex(f, "/")+1:])
				}
			}
		}
		return found
	}
	rows, err := conn.QueryContext(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1")
	if err != nil {
		t.Fatalf("tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) == 0 {
		t.Fatal("no tables in the schema")
	}
	for _, table := range tables {
		scanTable(t, ctx, conn, table, needles, note)
	}
	return found
}

func scanTable(t testing.TB, ctx context.Context, conn *sql.DB, table string, needles []string, note func(string, string)) {
	t.Helper()
	rows, err := conn.QueryContext(ctx, `SELECT t::text FROM "`+table+`" t`)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		l := strings.ToLower(s)
		for _, n := range needles {
			if strings.Contains(l, strings.ToLower(n)) || strings.Contains(l, hex.EncodeToString([]byte(n))) ||
				strings.Contains(l, hex.EncodeToString([]byte(strings.ToLower(n)))) {
				note(n, table)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
