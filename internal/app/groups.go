package app

import (
	"context"

	"github.com/clientela/clientela/internal/domain"
)

// CreateGroup creates a customer group.
func (a *App) CreateGroup(ctx context.Context, p domain.Principal, ch domain.GroupChanges) (domain.Group, error) {
	var g domain.Group
	if err := authorize(p, domain.PermGroupsWrite); err != nil {
		return g, err
	}
	id, err := newID()
	if err != nil {
		return g, err
	}
	now := a.now()
	g = domain.Group{ID: id, CreatedAt: now, UpdatedAt: now, Version: 1}
	ch.Apply(&g)
	if err := g.Prepare(); err != nil {
		return g, err
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionGroupCreate, "group", g.ID, domain.GroupChangedFields(&domain.Group{}, &g), nil)
	})
	return g, err
}

// Group returns one group with its member count.
func (a *App) Group(ctx context.Context, p domain.Principal, id string) (domain.Group, error) {
	var g domain.Group
	if err := authorize(p, domain.PermGroupsRead); err != nil {
		return g, err
	}
	if !ValidID(id) {
		return g, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		if g, err = tx.Group(ctx, id); err != nil {
			return err
		}
		g.MemberCount, err = tx.GroupMemberCount(ctx, id)
		return err
	})
	return g, err
}

// GroupPage is one page of groups in name order.
type GroupPage struct {
	Groups     []domain.Group
	NextCursor string
}

// Groups lists the groups in name order, with their member counts (the groups list; a
// choice of groups needs no counts: GroupChoices).
func (a *App) Groups(ctx context.Context, p domain.Principal, limit int, cursorText string) (GroupPage, error) {
	var page GroupPage
	if err := authorize(p, domain.PermGroupsRead); err != nil {
		return page, err
	}
	var problems domain.Problems
	limit = pageLimit(limit, &problems)
	cur, err := decodeCursor(cursorText, cursorGroups, "")
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	if err := problems.Err(); err != nil {
		return page, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		rows, err := tx.Groups(ctx, cur.Key, limit+1)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			page.NextCursor = encodeCursor(cursor{List: cursorGroups, Key: rows[limit-1].NameKey()})
		}
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		counts, err := tx.GroupMemberCounts(ctx, ids)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].MemberCount = counts[rows[i].ID]
		}
		page.Groups = rows
		return nil
	})
	return page, err
}

// GroupChoices returns every group in name order, without member counts: for the pickers
// and filters of the customer pages, which run on every list request and every keystroke of
// live search. A shop has a handful of groups, so they are read whole.
func (a *App) GroupChoices(ctx context.Context, p domain.Principal) ([]domain.Group, error) {
	if err := authorize(p, domain.PermGroupsRead); err != nil {
		return nil, err
	}
	var all []domain.Group
	err := a.store.Read(ctx, func(tx Tx) error {
		all = nil
		after := ""
		for {
			rows, err := tx.Groups(ctx, after, MaxPageSize)
			if err != nil {
				return err
			}
			all = append(all, rows...)
			if len(rows) < MaxPageSize {
				return nil
			}
			after = rows[len(rows)-1].NameKey()
		}
	})
	return all, err
}

// UpdateGroup renames a group or changes its discount or description, when its current
// version meets match (checked in the writing transaction).
func (a *App) UpdateGroup(ctx context.Context, p domain.Principal, id string, match domain.Precondition, ch domain.GroupChanges) (domain.Group, error) {
	var g domain.Group
	if err := authorize(p, domain.PermGroupsWrite); err != nil {
		return g, err
	}
	if !ValidID(id) {
		return g, domain.Errorf(domain.CodeNotFound)
	}
	err := a.writeMatching(ctx, a.store.Write, func(tx Tx) error {
		var err error
		g, err = tx.Group(ctx, id)
		if err != nil {
			return err
		}
		if !match.Holds(g.Version) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		// The group is returned as the API shows it, count included.
		if g.MemberCount, err = tx.GroupMemberCount(ctx, id); err != nil {
			return err
		}
		before := g
		ch.Apply(&g)
		if err := g.Prepare(); err != nil {
			return err
		}
		changed := domain.GroupChangedFields(&before, &g)
		if len(changed) == 0 {
			g = before
			return nil
		}
		g.Version, g.UpdatedAt = before.Version+1, a.now()
		if err := tx.UpdateGroup(ctx, &g, before.Version); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionGroupUpdate, "group", g.ID, changed, nil)
	})
	return g, err
}

// DeleteGroup deletes a group that has no members. With members it fails with
// CodeGroupNotEmpty and the member count, and changes nothing: move them first
// (MoveGroupMembers). Past invoices keep the group's name in their own copy.
func (a *App) DeleteGroup(ctx context.Context, p domain.Principal, id string) error {
	if err := authorize(p, domain.PermGroupsWrite); err != nil {
		return err
	}
	if !ValidID(id) {
		return domain.Errorf(domain.CodeNotFound)
	}
	return a.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.Group(ctx, id); err != nil {
			return err
		}
		n, err := tx.GroupMemberCount(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return &domain.Error{Code: domain.CodeGroupNotEmpty, Details: map[string]any{"member_count": n}}
		}
		if err := tx.DeleteGroup(ctx, id); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionGroupDelete, "group", id, nil, nil)
	})
}

// MoveGroupMembers moves every member of group id to group toID (empty: to no group) in one
// transaction, so that the group can then be deleted. It returns how many moved.
func (a *App) MoveGroupMembers(ctx context.Context, p domain.Principal, id, toID string) (int64, error) {
	if err := authorize(p, domain.PermGroupsWrite); err != nil {
		return 0, err
	}
	if !ValidID(id) {
		return 0, domain.Errorf(domain.CodeNotFound)
	}
	if toID == id {
		return 0, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "to_group_id", Code: "same_group"}}}
	}
	var moved int64
	err := a.writeCustomers(ctx, func(tx Tx) error {
		if _, err := tx.Group(ctx, id); err != nil {
			return err
		}
		if err := checkGroup(ctx, tx, "to_group_id", toID); err != nil {
			return err
		}
		var err error
		moved, err = tx.MoveGroupMembers(ctx, id, toID, a.now())
		if err != nil {
			return err
		}
		details := map[string]any{"moved": moved, "to_group_id": toID}
		return a.audit(ctx, tx, p, domain.ActionGroupMoveMembers, "group", id, []string{"group_id"}, details)
	})
	return moved, err
}
