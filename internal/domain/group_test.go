package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestGroupPrepare(t *testing.T) {
	tests := []struct {
		name     string
		in       Group
		wantName string
		wantDesc string
		want     []string // sorted "field:code"
	}{
		{name: "valid", in: Group{Name: "VIP", DiscountBasisPoints: 1000}, wantName: "VIP"},
		{name: "name required", in: Group{Name: ""}, want: []string{"name:required"}},
		{name: "blank name required", in: Group{Name: " \t\u00a0 "}, want: []string{"name:required"}},
		{name: "name white space collapsed", in: Group{Name: "  Clientes \t  VIP\n "}, wantName: "Clientes VIP"},
		{name: "name at max", in: Group{Name: strings.Repeat("é", MaxGroupNameLen)}, wantName: strings.Repeat("é", MaxGroupNameLen)},
		{name: "name over max", in: Group{Name: strings.Repeat("é", MaxGroupNameLen+1)}, wantName: strings.Repeat("é", MaxGroupNameLen+1),
			want: []string{"name:too_long"}},
		{name: "name at max after collapsing", in: Group{Name: strings.Repeat("a  ", MaxGroupNameLen/2)}, wantName: strings.TrimSpace(strings.Repeat("a ", MaxGroupNameLen/2))},
		{name: "name control character", in: Group{Name: "VIP\x00"}, wantName: "VIP\x00", want: []string{"name:invalid_control_character"}},
		{name: "name line breaks collapsed like spaces", in: Group{Name: "A\r\nB\u2028C\tD"}, wantName: "A B C D"},
		{name: "name escape", in: Group{Name: "A\x1bB"}, wantName: "A\x1bB", want: []string{"name:invalid_control_character"}},
		{name: "name invalid UTF-8", in: Group{Name: "VIP\xff"}, wantName: "VIP\xff", want: []string{"name:invalid_utf8"}},
		{name: "description trimmed, lines kept", in: Group{Name: "G", Description: "  one\n\ttwo \n"}, wantName: "G", wantDesc: "one\n\ttwo"},
		{name: "description at max", in: Group{Name: "G", Description: strings.Repeat("ñ", MaxDescriptionLen)}, wantName: "G", wantDesc: strings.Repeat("ñ", MaxDescriptionLen)},
		{name: "description over max", in: Group{Name: "G", Description: strings.Repeat("ñ", MaxDescriptionLen+1)}, wantName: "G",
			wantDesc: strings.Repeat("ñ", MaxDescriptionLen+1), want: []string{"description:too_long"}},
		{name: "description control character", in: Group{Name: "G", Description: "a\x1bb"}, wantName: "G", wantDesc: "a\x1bb",
			want: []string{"description:invalid_control_character"}},
		{name: "description invalid UTF-8", in: Group{Name: "G", Description: "\xc3"}, wantName: "G", wantDesc: "\xc3",
			want: []string{"description:invalid_utf8"}},
		{name: "discount zero", in: Group{Name: "G", DiscountBasisPoints: 0}, wantName: "G"},
		{name: "discount 100 %", in: Group{Name: "G", DiscountBasisPoints: 10000}, wantName: "G"},
		{name: "discount negative", in: Group{Name: "G", DiscountBasisPoints: -1}, wantName: "G", want: []string{"discount_basis_points:out_of_range"}},
		{name: "discount over 100 %", in: Group{Name: "G", DiscountBasisPoints: 10001}, wantName: "G", want: []string{"discount_basis_points:out_of_range"}},
		{name: "several faults", in: Group{Name: "", DiscountBasisPoints: -5, Description: "\x00"}, wantDesc: "\x00",
			want: []string{"description:invalid_control_character", "discount_basis_points:out_of_range", "name:required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.in
			err := g.Prepare()
			if got := problems(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problems = %q, want %q", got, tt.want)
			}
			if g.Name != tt.wantName {
				t.Errorf("Name = %q, want %q", g.Name, tt.wantName)
			}
			if g.Description != tt.wantDesc {
				t.Errorf("Description = %q, want %q", g.Description, tt.wantDesc)
			}
			if fe, ok := fieldError(t, err, "discount_basis_points"); ok {
				if fe.Params["min"] != 0 || fe.Params["max"] != MaxDiscountBasisPoints {
					t.Errorf("discount params = %v", fe.Params)
				}
			}
			if err == nil {
				again := g
				if err := again.Prepare(); err != nil || again != g {
					t.Errorf("second Prepare = %+v, %v; want %+v unchanged", again, err, g)
				}
			}
		})
	}
}

func TestGroupNameKey(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"case ignored", "VIP", "vip", true},
		{"accents ignored", "Pequeños Clientes", "pequenos clientes", true},
		{"accents and case ignored", "ÉLITE", "élite", true},
		{"white space runs collapsed", "Clientes  VIP", " clientes vip ", true},
		{"special letters folded", "Straße", "STRASSE", true},
		{"different words", "VIP", "VIP 2", false},
		{"punctuation kept", "A-B", "A B", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Group{Name: tt.a}, Group{Name: tt.b}
			if got := a.NameKey() == b.NameKey(); got != tt.same {
				t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q; same = %v, want %v", tt.a, a.NameKey(), tt.b, b.NameKey(), got, tt.same)
			}
		})
	}
	if got, want := (&Group{Name: "Clientes VIP Ñ"}).NameKey(), "clientes vip n"; got != want {
		t.Errorf("NameKey = %q, want %q", got, want)
	}
}

func TestGroupChangesAndChangedFields(t *testing.T) {
	base := Group{ID: "g", Name: "VIP", DiscountBasisPoints: 1000, Description: "d", Version: 2}
	tests := []struct {
		name string
		ch   GroupChanges
		want []string
	}{
		{"nothing", GroupChanges{}, nil},
		{"same values", GroupChanges{Name: Some("VIP"), DiscountBasisPoints: Some(int64(1000))}, nil},
		{"name", GroupChanges{Name: Some("Gold")}, []string{"name"}},
		{"discount", GroupChanges{DiscountBasisPoints: Some(int64(0))}, []string{"discount_basis_points"}},
		{"description cleared", GroupChanges{Description: Some("")}, []string{"description"}},
		{"all, in order", GroupChanges{Description: Some("x"), Name: Some("Gold"), DiscountBasisPoints: Some(int64(5))},
			[]string{"name", "discount_basis_points", "description"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := base
			tt.ch.Apply(&after)
			if after.ID != base.ID || after.Version != base.Version {
				t.Errorf("Apply touched bookkeeping fields: %+v", after)
			}
			if got := GroupChangedFields(&base, &after); !slices.Equal(got, tt.want) {
				t.Errorf("GroupChangedFields = %q, want %q", got, tt.want)
			}
		})
	}
}
