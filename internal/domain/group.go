package domain

import (
	"strings"
	"time"

	"github.com/clientela/clientela/internal/search"
)

// Group is a customer group; its discount applies to every purchase of its members.
type Group struct {
	ID                  string
	Name                string
	DiscountBasisPoints int64 // 1000 = 10 %
	Description         string
	MemberCount         int64 // filled by reads, not stored
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Version             int64
}

// MaxDiscountBasisPoints is 100 %.
const MaxDiscountBasisPoints = 10000

// NameKey is the form under which group names are unique: case and accents ignored.
func (g *Group) NameKey() string { return search.Key(g.Name) }

// GroupChanges are the fields a create or an update sets.
type GroupChanges struct {
	Name                Opt[string]
	DiscountBasisPoints Opt[int64]
	Description         Opt[string]
}

// Apply sets the given fields on g; call Prepare afterwards.
func (ch GroupChanges) Apply(g *Group) {
	ch.Name.apply(&g.Name)
	ch.DiscountBasisPoints.apply(&g.DiscountBasisPoints)
	ch.Description.apply(&g.Description)
}

// Prepare trims and checks a group.
func (g *Group) Prepare() error {
	var p Problems
	g.Name = strings.Join(strings.Fields(g.Name), " ")
	g.Description = strings.TrimSpace(g.Description)
	if g.Name == "" {
		p.Add("name", FieldRequired, nil)
	} else {
		checkLine(&p, "name", g.Name, MaxGroupNameLen)
	}
	checkText(&p, "description", g.Description, MaxDescriptionLen, true)
	if g.DiscountBasisPoints < 0 || g.DiscountBasisPoints > MaxDiscountBasisPoints {
		p.Add("discount_basis_points", FieldOutOfRange, map[string]any{"min": 0, "max": MaxDiscountBasisPoints})
	}
	return p.Err()
}

// GroupChangedFields lists by API name the fields that differ.
func GroupChangedFields(before, after *Group) []string {
	var out []string
	if before.Name != after.Name {
		out = append(out, "name")
	}
	if before.DiscountBasisPoints != after.DiscountBasisPoints {
		out = append(out, "discount_basis_points")
	}
	if before.Description != after.Description {
		out = append(out, "description")
	}
	return out
}
