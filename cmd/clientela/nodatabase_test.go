package main_test

import (
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/testdb"
)

// commandsOnExistingDatabase are the commands that only make sense on a database someone set
// up (with serve, migrate or seed): each must refuse a missing one and create nothing.
var commandsOnExistingDatabase = [][]string{
	{"token", "create", "--username", "pepe", "--name", "c2"},
	{"token", "list"},
	{"token", "revoke", "--username", "pepe", "--name", "c2"},
	{"user", "add", "--username", "pepe", "--role", "cashier"},
	{"user", "password", "--username", "pepe"},
	{"bench", "--requests", "1"},
	{"backup"},
}

// TestCommandsRefuseAMissingDatabase: run from a folder without a database (or with a mistyped
// --data-dir), the commands say where they looked and leave no folder or file behind.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	for _, args := range commandsOnExistingDatabase {
		name, _, _ := strings.Cut(strings.Join(args, " "), " --")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			_, errOut, code := runIn(t, dir, nil, "a good long password\n", args...)
			if want := "no database at ./data (use --data-dir or CLIENTELA_DATA_DIR)"; code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("code %d, stderr %q; want 1 and %q", code, errOut, want)
			}
			elsewhere := filepath.Join(dir, "elsewhere", "data")
			_, errOut, code = runIn(t, dir, []string{"CLIENTELA_DATA_DIR=" + elsewhere}, "a good long password\n", args...)
			if want := "no database at " + elsewhere + " "; code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("CLIENTELA_DATA_DIR: code %d, stderr %q; want 1 and %q", code, errOut, want)
			}
			if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
				t.Errorf("the command left %v behind (%v)", entries, err)
			}
		})
	}
}

// TestCommandsRefuseAnUnmigratedPostgreSQL: a PostgreSQL database without Clientela's tables
// is refused the same way, with a pointer to clientela migrate, and gets no tables.
func TestCommandsRefuseAnUnmigratedPostgreSQL(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		b = testdb.Prepare(t, b)
		for _, args := range commandsOnExistingDatabase {
			if args[0] == "backup" {
				continue // on PostgreSQL it only prints pg_dump's command (TestBackupOnPostgreSQL)
			}
			_, errOut, code := run(t, "a good long password\n", append(args, storageArgs(b)...)...)
			if want := "run clientela migrate"; code != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "no Clientela tables") {
				t.Errorf("%v: code %d, stderr %q; want 1 and %q", args, code, errOut, want)
			}
		}
		if n := pgTables(t, b.URL); n != 0 {
			t.Errorf("the commands created %d tables", n)
		}
		// Once migrated, the same database is accepted.
		if _, errOut, code := run(t, "", append([]string{"migrate"}, storageArgs(b)...)...); code != 0 || pgTables(t, b.URL) == 0 {
			t.Fatalf("migrate: %d %q", code, errOut)
		}
		if _, errOut, code := run(t, "a good long password\n", append([]string{"user", "add", "--username", "pepe", "--role", "cashier"}, storageArgs(b)...)...); code != 0 {
			t.Errorf("user add after migrate: %d %q", code, errOut)
		}
	}
}

// TestServeOnAPortInUse: serve binds before anything else, so a port already taken fails
// without creating a database or an admin whose password would be printed for nothing.
func TestServeOnAPortInUse(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			if b.DataDir != "" {
				b.DataDir = filepath.Join(b.DataDir, "data")
			}
			out, errOut, code := run(t, "", append([]string{"serve", "--addr", held.Addr().String()}, storageArgs(b)...)...)
			if code != 1 || !strings.Contains(errOut, "listen on "+held.Addr().String()) {
				t.Errorf("code %d, stderr %q; want 1 and a listen error", code, errOut)
			}
			if strings.Contains(out, "admin /") {
				t.Errorf("serve printed a password it could not be used with:\n%s", out)
			}
			switch {
			case b.DataDir != "":
				if _, err := os.Stat(b.DataDir); !os.IsNotExist(err) {
					t.Errorf("serve created %s (%v)", b.DataDir, err)
				}
			default:
				if n := pgTables(t, b.URL); n != 0 {
					t.Errorf("serve created %d tables", n)
				}
			}
		})
	}
}

// pgTables counts the tables in the schema a test URL names (its search_path).
func pgTables(t *testing.T, url string) int {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(&n); err != nil {
		t.Fatalf("count tables: %v", err)
	}
	return n
}
