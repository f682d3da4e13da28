package app

import (
	"context"

	"github.com/clientela/clientela/internal/domain"
)

// AuditQuery selects entries of the audit log, newest first.
type AuditQuery struct {
	EntityType string
	EntityID   string
	Limit      int
	Cursor     string
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Entries    []domain.AuditEntry
	NextCursor string
}

// AuditLog reads the audit log.
func (a *App) AuditLog(ctx context.Context, p domain.Principal, q AuditQuery) (AuditPage, error) {
	var page AuditPage
	if err := authorize(p, domain.PermAuditRead); err != nil {
		return page, err
	}
	var problems domain.Problems
	limit := pageLimit(q.Limit, &problems)
	switch q.EntityType {
	case "", "customer", "group", "user", "api_token", "settings", "invoice", "export", "campaign":
	default:
		problems.Add("entity_type", domain.FieldInvalid, map[string]any{"allowed": "customer, group, user, api_token, settings, invoice, export, campaign"})
	}
	cur, err := decodeCursor(q.Cursor, cursorAudit, "")
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	if err := problems.Err(); err != nil {
		return page, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		rows, err := tx.AuditEntries(ctx, AuditFilter{EntityType: q.EntityType, EntityID: q.EntityID, BeforeID: cur.ID, Limit: limit + 1})
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			page.NextCursor = encodeCursor(cursor{List: cursorAudit, ID: rows[limit-1].ID})
		}
		page.Entries = rows
		return nil
	})
	return page, err
}
