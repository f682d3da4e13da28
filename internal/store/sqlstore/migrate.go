package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// readMigrations lists the .sql files of dir in version order. Two files with one version
// are refused: the second would otherwise be skipped silently on every database that has
// the first.
func readMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", name)
		}
		body, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].name, out[i].name, out[i].version)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read migrations: none in %s", dir)
	}
	return out, nil
}

// migrationLockKey is the PostgreSQL advisory lock of migrations, taken with the schema's
// hash as second key so that installations in different schemas do not wait for each other.
const migrationLockKey = 727274

// migrate applies the embedded migrations not yet recorded in schema_migrations, each in its
// own transaction. The lock comes first, before even the table is created, so that two
// processes starting together take turns and the second finds nothing left to do: an
// advisory lock held by one connection for the whole run (PostgreSQL), or the write lock
// that each immediate transaction takes (SQLite).
func (db *DB) migrate(ctx context.Context) error {
	list, err := readMigrations(migrationFiles, "migrations/"+db.d.name)
	if err != nil {
		return err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := db.d.lockMigrations(ctx, conn)
	if err != nil {
		return err
	}
	defer unlock()
	if err := db.prepareMigrations(ctx, conn, list[len(list)-1].version); err != nil {
		return err
	}
	for _, m := range list {
		if err := db.applyMigration(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

// prepareMigrations creates schema_migrations when it is missing and refuses a database that
// a newer Clientela has migrated: it may hold what this one does not know how to keep right
// (new columns, new index contents).
func (db *DB) prepareMigrations(ctx context.Context, conn *sql.Conn, known int) error {
	return inTx(ctx, conn, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var newest int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&newest); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if newest > known {
			return fmt.Errorf("this database was migrated by a newer Clientela (schema version %d; this one knows up to %d): upgrade this binary", newest, known)
		}
		return nil
	})
}

func (db *DB) applyMigration(ctx context.Context, conn *sql.Conn, m migration) error {
	return inTx(ctx, conn, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.d.rebind("SELECT count(*) FROM schema_migrations WHERE version = ?"), m.version).Scan(&n); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, db.d.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
		return nil
	})
}

// inTx runs fn in a transaction on conn and commits it when fn returns nil.
func inTx(ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
