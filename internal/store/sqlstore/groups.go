package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// groupColumns leave out the member count: counting a large group's members reads its every
// index entry, which only the pages that show the count pay for (GroupMemberCounts).
const groupColumns = `g.id, g.name, g.discount_basis_points, g.description, g.created_at, g.updated_at, g.version`

func scanGroup(s scanner) (domain.Group, error) {
	var g domain.Group
	err := s.Scan(&g.ID, &g.Name, &g.DiscountBasisPoints, &g.Description, timeCol{&g.CreatedAt}, timeCol{&g.UpdatedAt}, &g.Version)
	return g, err
}

func groupError(err error) error {
	if v, ok := constraintViolation(err); ok && v.unique {
		return &domain.Error{Code: domain.CodeDuplicate, Fields: []domain.FieldError{{Field: "name", Code: domain.FieldTaken}}, Cause: err}
	}
	return err
}

func (t *tx) CreateGroup(ctx context.Context, g *domain.Group) error {
	_, err := t.exec(ctx, `INSERT INTO customer_groups (id, name, name_key, discount_basis_points, description,
		created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.Name, g.NameKey(), g.DiscountBasisPoints, g.Description, t.d.ts(g.CreatedAt), t.d.ts(g.UpdatedAt), g.Version)
	if err != nil {
		return fmt.Errorf("insert group: %w", groupError(err))
	}
	return nil
}

func (t *tx) Group(ctx context.Context, id string) (domain.Group, error) {
	g, err := scanGroup(t.queryRow(ctx, "SELECT "+groupColumns+" FROM customer_groups g WHERE g.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return g, fmt.Errorf("read group: %w", err)
	}
	return g, nil
}

func (t *tx) Groups(ctx context.Context, afterNameKey string, limit int) ([]domain.Group, error) {
	rows, err := t.query(ctx, "SELECT "+groupColumns+" FROM customer_groups g WHERE g.name_key > ? ORDER BY g.name_key LIMIT ?", afterNameKey, limit)
	if err != nil {
		return nil, fmt.Errorf("query groups: %w", err)
	}
	defer rows.Close()
	var out []domain.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("scan group: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	return out, nil
}

func (t *tx) UpdateGroup(ctx context.Context, g *domain.Group, expectedVersion int64) error {
	res, err := t.exec(ctx, `UPDATE customer_groups SET name = ?, name_key = ?, discount_basis_points = ?,
		description = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?`,
		g.Name, g.NameKey(), g.DiscountBasisPoints, g.Description, t.d.ts(g.UpdatedAt), g.Version, g.ID, expectedVersion)
	if err != nil {
		return fmt.Errorf("update group: %w", groupError(err))
	}
	return t.checkVersioned(ctx, res, "customer_groups", g.ID)
}

func (t *tx) DeleteGroup(ctx context.Context, id string) error {
	res, err := t.exec(ctx, "DELETE FROM customer_groups WHERE id = ?", id)
	if v, ok := constraintViolation(err); ok && v.foreignKey {
		// A member was added after the use case counted none.
		return &domain.Error{Code: domain.CodeGroupNotEmpty, Cause: err}
	}
	if err != nil {
		return fmt.Errorf("delete group: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("delete group: %w", err)
	}
	if n == 0 {
		return domain.Errorf(domain.CodeNotFound)
	}
	return nil
}

func (t *tx) GroupMemberCount(ctx context.Context, id string) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, "SELECT count(*) FROM customers WHERE group_id = ?", id).Scan(&n); err != nil {
		return 0, fmt.Errorf("count group members: %w", err)
	}
	return n, nil
}

func (t *tx) GroupMemberCounts(ctx context.Context, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// Each group's count is a walk of its entries in the customers_group_sort index.
	rows, err := t.query(ctx, "SELECT group_id, count(*) FROM customers WHERE group_id IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+") GROUP BY group_id", args...)
	if err != nil {
		return nil, fmt.Errorf("count group members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count group members: %w", err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count group members: %w", err)
	}
	return out, nil
}

func (t *tx) MoveGroupMembers(ctx context.Context, fromID, toID string, now time.Time) (int64, error) {
	res, err := t.exec(ctx, "UPDATE customers SET group_id = ?, updated_at = ?, version = version + 1 WHERE group_id = ?",
		nullString(toID), t.d.ts(now), fromID)
	if err != nil {
		return 0, fmt.Errorf("move group members: %w", customerError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("move group members: %w", err)
	}
	return n, nil
}
