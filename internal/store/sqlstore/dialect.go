package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientela/clientela/internal/domain"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds everything that differs between SQLite and PostgreSQL.
type dialect struct {
	name string
	// docColumn: the search document is a column of customers (PostgreSQL indexes it there);
	// otherwise it lives only in the customer_search full-text table (SQLite).
	docColumn      bool
	customerInsert string
	customerUpdate string
	rebind         func(q string) string
	// pgWindow: how many rows a PostgreSQL search checks in order before using its index
	// (pgsearch.go).
	pgWindow int
	// document is the search document stored for a customer: c.SearchDocument() on SQLite,
	// with e-mail-only words marked on PostgreSQL (pgDocument).
	document func(c *domain.Customer) string
}

func sqliteDialect() *dialect {
	insert, update := customerStatements(false)
	return &dialect{
		name:           "sqlite",
		customerInsert: insert,
		customerUpdate: update,
		rebind:         func(q string) string { return q },
		document:       (*domain.Customer).SearchDocument,
	}
}

func postgresDialect() *dialect {
	insert, update := customerStatements(true)
	return &dialect{
		name:           "postgres",
		docColumn:      true,
		pgWindow:       defaultPGWindow,
		customerInsert: insert,
		customerUpdate: update,
		rebind:         rebindDollar,
		document:       pgDocument,
	}
}

// rebindDollar turns ? placeholders into $1, $2… Our SQL has no ? inside literals.
func rebindDollar(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// violation is what a constraint error was about.
type violation struct {
	unique     bool
	foreignKey bool
	name       string // column (SQLite) or constraint (PostgreSQL)
}

// constraintViolation reads a unique or foreign-key violation out of a driver error.
func constraintViolation(err error) (violation, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return violation{unique: true, name: pgErr.ConstraintName}, true
		case "23503":
			return violation{foreignKey: true, name: pgErr.ConstraintName}, true
		}
		return violation{}, false
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// "UNIQUE constraint failed: customers.reference_key"
			msg := sqErr.Error()
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				return violation{unique: true, name: strings.TrimSuffix(strings.TrimSpace(msg[i+2:]), ")")}, true
			}
			return violation{unique: true}, true
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			// ON DELETE RESTRICT reports itself as a trigger constraint.
			if strings.Contains(sqErr.Error(), "FOREIGN KEY") {
				return violation{foreignKey: true}, true
			}
		}
	}
	return violation{}, false
}
