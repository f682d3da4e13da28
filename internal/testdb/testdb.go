// Package testdb gives tests a fresh database on every backend: a temporary SQLite file, and
// a PostgreSQL schema of its own on the server named by CLIENTELA_TEST_POSTGRES_URL. Each test
// gets its own schema, so test packages run in parallel on one server.
//
// Without that variable PostgreSQL tests are skipped with a message, except in CI (InCI),
// where a missing or unreachable server fails the test.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for creating schemas

	"github.com/clientela/clientela/internal/store/sqlstore"
)

// EnvPostgres names the variable holding the test server's URL.
const EnvPostgres = "CLIENTELA_TEST_POSTGRES_URL"

// InCI reports whether the tests run in CI: the CI variable is set, as CI services and .ci/run
// set it ("true", "1"), and not to "false" or "0". There a suite that cannot run (no
// PostgreSQL, no Chromium) fails instead of being skipped. scripts/test reads CI the same way.
func InCI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "", "false", "0":
		return false
	}
	return true
}

// Backend is one database to run a test on.
type Backend struct {
	Name string // "sqlite" or "postgres"
	// URL is the --database-url for this backend (empty for SQLite) and DataDir the --data-dir.
	URL     string
	DataDir string
}

// Backends returns the backends to run on: SQLite always, PostgreSQL when configured. Run
// each with Open or by passing URL/DataDir to the program under test.
func Backends(t testing.TB) []Backend {
	t.Helper()
	list := []Backend{{Name: "sqlite"}}
	if base := os.Getenv(EnvPostgres); base != "" {
		list = append(list, Backend{Name: "postgres", URL: base})
	} else if InCI() {
		t.Fatalf("%s is not set: CI must run the PostgreSQL tests", EnvPostgres)
	} else {
		t.Logf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them", EnvPostgres)
	}
	return list
}

// Prepare gives b a fresh place: a temporary data directory for SQLite, a new schema for
// PostgreSQL (dropped when the test ends). It returns the backend with URL and DataDir set.
func Prepare(t testing.TB, b Backend) Backend {
	t.Helper()
	if b.Name == "sqlite" {
		b.DataDir = t.TempDir()
		return b
	}
	schema := "t_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", b.URL)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("postgres at %s: create schema: %v", redact(b.URL), err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", b.URL)
		if err != nil {
			t.Errorf("postgres: %v", err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(b.URL)
	if err != nil {
		t.Fatalf("postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	b.URL = u.String()
	return b
}

// Open prepares b and opens the store on it, closed when the test ends.
func Open(t testing.TB, b Backend) *sqlstore.DB {
	t.Helper()
	b = Prepare(t, b)
	db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
	if err != nil {
		t.Fatalf("open %s: %v", b.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable url)"
	}
	return u.Redacted()
}
