package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/clientela/clientela/internal/app"
)

// Backups (issue 12, docs/backups.md). A copy is taken with VACUUM INTO on a connection of
// its own: it reads one WAL snapshot, holds no write lock, so serve keeps writing meanwhile,
// and the copy is compact (no free pages, so nothing a deleted customer left behind). The
// copy is a rollback-journal database in one file. PostgreSQL's copies are pg_dump's.

// ErrNotSQLite: the operation needs the SQLite backend.
var ErrNotSQLite = errors.New("online backups are for SQLite; back PostgreSQL up with pg_dump")

var (
	_ app.BackupStore = (*DB)(nil)
	_ app.CopyStore   = (*DB)(nil)
)

// CanSnapshot reports whether Snapshot works on this database (SQLite).
func (db *DB) CanSnapshot() bool { return db.d.name == "sqlite" && db.path != "" }

// Snapshot writes a consistent copy of the database to path, which must not exist, and
// syncs it to disk.
func (db *DB) Snapshot(ctx context.Context, path string) error {
	if !db.CanSnapshot() {
		return ErrNotSQLite
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	// Not the read pool: query_only refuses VACUUM INTO. Not the write connection: the copy
	// would hold it, and every writer, for as long as it runs.
	conn, err := sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)&_pragma=temp_store(memory)")
	if err != nil {
		return fmt.Errorf("backup: open: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("backup: vacuum into %s: %w", filepath.Base(path), err)
	}
	if err := syncFile(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// OpenCopy opens a copy (or any Clientela SQLite file) read-only and without migrating it,
// so that it can be checked as it is.
func (db *DB) OpenCopy(ctx context.Context, path string) (app.CopyStore, error) {
	return OpenCopy(ctx, path)
}

// OpenCopy opens the SQLite file at path read-only, without migrations, for checking.
func OpenCopy(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open copy: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("open copy: %w", err)
	}
	ro, err := sql.Open("sqlite", "file:"+abs+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(10000)&_pragma=temp_store(memory)")
	if err != nil {
		return nil, fmt.Errorf("open copy: %w", err)
	}
	ro.SetMaxOpenConns(1)
	if err := ro.PingContext(ctx); err != nil {
		ro.Close()
		return nil, fmt.Errorf("open copy %s: %w", filepath.Base(abs), err)
	}
	return &DB{d: sqliteDialect(), write: ro, read: ro, readStmts: newStmtCache(ro), writeStmts: newStmtCache(ro),
		readOpts: &sql.TxOptions{ReadOnly: true}, log: slog.New(slog.DiscardHandler)}, nil
}

// Inspect reads what a backup check needs besides the invoice chain: SQLite's own
// integrity check, the schema version against the one this binary knows, and the counts.
// A damaged file shows in Integrity (or as an error: a file that is not a database).
func (db *DB) Inspect(ctx context.Context) (app.CopyFacts, error) {
	var f app.CopyFacts
	list, err := readMigrations(migrationFiles, "migrations/"+db.d.name)
	if err != nil {
		return f, err
	}
	f.KnownSchema = list[len(list)-1].version
	if db.d.name == "sqlite" {
		rows, err := db.read.QueryContext(ctx, "PRAGMA integrity_check(20)")
		if err != nil {
			return f, fmt.Errorf("integrity check: %w", err)
		}
		var lines []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return f, fmt.Errorf("integrity check: %w", err)
			}
			lines = append(lines, s)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return f, fmt.Errorf("integrity check: %w", err)
		}
		f.Integrity = strings.Join(lines, "; ")
	} else {
		f.Integrity = "ok"
	}
	if err := db.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&f.Schema); err != nil {
		return f, fmt.Errorf("read schema version: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM customers").Scan(&f.Customers); err != nil {
		return f, fmt.Errorf("count customers: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM invoices").Scan(&f.Invoices); err != nil {
		return f, fmt.Errorf("count invoices: %w", err)
	}
	return f, nil
}

// Restore puts the SQLite file from in place of the database of dataDir. The database it
// replaces, if any, is first checkpointed (its WAL folded in) and renamed to aside, WAL and
// shared-memory files with it, never deleted; from is copied beside the database and renamed
// over it, so a crash leaves either the old file or the new one. The caller holds
// LockDataDir and has checked from.
func Restore(ctx context.Context, dataDir, from, aside string) (replaced bool, err error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	dest := filepath.Join(dataDir, SQLiteFile)
	if _, err := os.Stat(dest); err == nil {
		if err := checkpoint(ctx, dest); err != nil {
			return false, err
		}
		if err := os.Rename(dest, aside); err != nil {
			return false, fmt.Errorf("restore: keep the replaced database: %w", err)
		}
		replaced = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("restore: %w", err)
	}
	// A WAL left beside the name would be replayed into the restored file: it goes with the
	// file it belongs to (or, with no file, aside under the same name).
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(dest + suffix); err == nil {
			if err := os.Rename(dest+suffix, aside+suffix); err != nil {
				return replaced, fmt.Errorf("restore: move %s aside: %w", SQLiteFile+suffix, err)
			}
		}
	}
	tmp := dest + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		return replaced, fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return replaced, fmt.Errorf("restore: %w", err)
	}
	if err := syncDir(dataDir); err != nil {
		return replaced, fmt.Errorf("restore: %w", err)
	}
	return replaced, nil
}

// checkpoint folds the WAL of the database at path into it, so that the file alone holds
// every commit.
func checkpoint(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("restore: open the current database: %w", err)
	}
	defer conn.Close()
	var busy, logged, done int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done); err != nil {
		return fmt.Errorf("restore: checkpoint the current database: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("restore: the current database is in use by another process")
	}
	return nil
}

func copyFile(from, to string) (err error) {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(to)
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not every file system syncs directories
	return nil
}
