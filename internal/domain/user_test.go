package domain

import (
	"slices"
	"strings"
	"testing"
)

// allPermissions lists every Permission constant; TestRoleCan fails if one is added to
// user.go without an expectation here.
var allPermissions = []Permission{
	PermCustomersRead, PermCustomersCreate, PermCustomersUpdate, PermCustomersDelete,
	PermGroupsRead, PermGroupsWrite, PermAuditRead, PermUsersManage,
	PermTillUse, PermInvoicesRead, PermInvoicesRectify,
}

func TestRoleCan(t *testing.T) {
	// Written out by hand from DESIGN.md "Security model": admin everything; manager the
	// register (customers and groups); cashier reads and creates customers and reads groups.
	tests := []struct {
		perm                    Permission
		admin, manager, cashier bool
	}{
		{PermCustomersRead, true, true, true},
		{PermCustomersCreate, true, true, true},
		{PermCustomersUpdate, true, true, false},
		{PermCustomersDelete, true, true, false},
		{PermGroupsRead, true, true, true},
		{PermGroupsWrite, true, true, false},
		{PermAuditRead, true, false, false},
		{PermUsersManage, true, false, false},
		{PermTillUse, true, true, true},
		{PermInvoicesRead, true, true, true},
		{PermInvoicesRectify, true, true, false},
	}
	var covered []Permission
	for _, tt := range tests {
		covered = append(covered, tt.perm)
		for _, rc := range []struct {
			role Role
			want bool
		}{
			{RoleAdmin, tt.admin},
			{RoleManager, tt.manager},
			{RoleCashier, tt.cashier},
			{"", false},
			{"root", false},
			{"Admin", false}, // roles are parsed before use; a raw variant grants nothing
		} {
			label := string(rc.role)
			if label == "" {
				label = "no role"
			}
			t.Run(label+"/"+string(tt.perm), func(t *testing.T) {
				if got := rc.role.Can(tt.perm); got != rc.want {
					t.Errorf("Role(%q).Can(%q) = %v, want %v", rc.role, tt.perm, got, rc.want)
				}
			})
		}
	}
	if !slices.Equal(covered, allPermissions) {
		t.Errorf("matrix covers %q, want every permission %q", covered, allPermissions)
	}
	t.Run("unknown permission", func(t *testing.T) {
		for _, r := range []Role{RoleAdmin, RoleManager, RoleCashier} {
			want := r == RoleAdmin
			if got := r.Can("customers.export"); got != want {
				t.Errorf("Role(%q).Can(unknown) = %v, want %v", r, got, want)
			}
		}
	})
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in   string
		want Role
		ok   bool
	}{
		{"admin", RoleAdmin, true},
		{"manager", RoleManager, true},
		{"cashier", RoleCashier, true},
		{"ADMIN", RoleAdmin, true},
		{" Manager\n", RoleManager, true},
		{"", "", false},
		{"   ", "", false},
		{"root", "", false},
		{"administrator", "", false},
		{"cajero", "", false},
		{"admin manager", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseRole(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRole(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPrepareUsername(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		code string // "" when valid
	}{
		{"letters", "ana", "ana", ""},
		{"mixed case kept", "AnaGarcia", "AnaGarcia", ""},
		{"digits", "caja1", "caja1", ""},
		{"dot dash underscore", "ana.garcia-ruiz_2", "ana.garcia-ruiz_2", ""},
		{"trimmed", "  ana\t", "ana", ""},
		{"one character", "a", "a", ""},
		{"at max", strings.Repeat("a", MaxUsernameLen), strings.Repeat("a", MaxUsernameLen), ""},
		{"over max", strings.Repeat("a", MaxUsernameLen+1), strings.Repeat("a", MaxUsernameLen+1), FieldTooLong},
		{"empty", "", "", FieldRequired},
		{"blank", "   ", "", FieldRequired},
		{"inner space", "ana garcia", "ana garcia", FieldInvalid},
		{"accented letter", "josé", "josé", FieldInvalid},
		{"slash", "a/b", "a/b", FieldInvalid},
		{"colon", "a:b", "a:b", FieldInvalid},
		{"quote", "a'b", "a'b", FieldInvalid},
		{"angle bracket", "<script>", "<script>", FieldInvalid},
		{"line break", "a\nb", "a\nb", FieldInvalid},
		{"NUL", "a\x00b", "a\x00b", FieldInvalid},
		{"invalid UTF-8", "a\xffb", "a\xffb", FieldInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PrepareUsername(tt.in)
			if got != tt.want {
				t.Errorf("PrepareUsername(%q) = %q, want %q", tt.in, got, tt.want)
			}
			var want []string
			if tt.code != "" {
				want = []string{"username:" + tt.code}
			}
			if p := problems(t, err); !slices.Equal(p, want) {
				t.Errorf("PrepareUsername(%q) problems = %q, want %q", tt.in, p, want)
			}
		})
	}
}
