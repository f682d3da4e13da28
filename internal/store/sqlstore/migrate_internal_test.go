package sqlstore

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestReadMigrationsRefusesASharedVersion(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte("SELECT 1")},
		"m/0002_b.sql": {Data: []byte("SELECT 2")},
		"m/0002_c.sql": {Data: []byte("SELECT 3")},
	}
	_, err := readMigrations(fsys, "m")
	if err == nil || !strings.Contains(err.Error(), "share version 2") {
		t.Fatalf("err = %v, want a refusal naming version 2", err)
	}
}

func TestReadMigrationsInOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0010_c.sql": {Data: []byte("c")},
		"m/0002_b.sql": {Data: []byte("b")},
		"m/0001_a.sql": {Data: []byte("a")},
		"m/README":     {Data: []byte("not a migration")},
	}
	list, err := readMigrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range list {
		got = append(got, m.name)
	}
	if strings.Join(got, ",") != "0001_a.sql,0002_b.sql,0010_c.sql" {
		t.Fatalf("order = %v", got)
	}
	for _, bad := range []string{"m/x_bad.sql", "m/0000_zero.sql", "m/7.sql"} {
		fsys := fstest.MapFS{bad: {Data: []byte("x")}}
		if _, err := readMigrations(fsys, "m"); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestEmbeddedMigrationsAreDistinct: the migrations shipped in the binary pass the same check.
func TestEmbeddedMigrationsAreDistinct(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		if _, err := readMigrations(migrationFiles, "migrations/"+backend); err != nil {
			t.Errorf("%s: %v", backend, err)
		}
	}
}
