package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

func (t *tx) AppendAudit(ctx context.Context, e *domain.AuditEntry) error {
	fields, err := json.Marshal(orEmpty(e.Fields))
	if err != nil {
		return fmt.Errorf("encode audit fields: %w", err)
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	det, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("encode audit details: %w", err)
	}
	err = t.queryRow(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, fields, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.d.ts(e.At), e.ActorID, e.ActorName, e.Action, e.EntityType, e.EntityID, string(fields), string(det)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("insert audit entry: %w", err)
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (t *tx) AuditEntries(ctx context.Context, f app.AuditFilter) ([]domain.AuditEntry, error) {
	var where []string
	var args []any
	if f.EntityType != "" {
		where = append(where, "entity_type = ?")
		args = append(args, f.EntityType)
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = ?")
		args = append(args, f.EntityID)
	}
	if f.BeforeID > 0 {
		where = append(where, "id < ?")
		args = append(args, f.BeforeID)
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query audit log: %w", err)
	}
	return scanAuditEntries(rows)
}

// scanAuditEntries reads the rows of a query selecting auditColumns, and closes them.
func scanAuditEntries(rows *sql.Rows) ([]domain.AuditEntry, error) {
	defer rows.Close()
	var out []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		var fields, details string
		if err := rows.Scan(&e.ID, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Action, &e.EntityType, &e.EntityID, &fields, &details); err != nil {
			return nil, fmt.Errorf("scan audit entry: %w", err)
		}
		if err := json.Unmarshal([]byte(fields), &e.Fields); err != nil {
			return nil, fmt.Errorf("decode audit fields: %w", err)
		}
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			return nil, fmt.Errorf("decode audit details: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// auditColumns are the columns scanAuditEntries reads, in its order.
const auditColumns = "id, at, actor_id, actor_name, action, entity_type, entity_id, fields, details"
