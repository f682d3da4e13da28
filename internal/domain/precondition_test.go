package domain

import "testing"

func TestPreconditionHolds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		p       Precondition
		current int64
		want    bool
	}{
		{"one version, current", IfVersion(3), 3, true},
		{"one version, stale", IfVersion(2), 3, false},
		{"list holding the current one", IfVersion(1, 2, 3), 3, true},
		{"list without it", IfVersion(1, 2), 3, false},
		{"any", IfAnyVersion(), 7, true},
		{"empty list", IfVersion(), 1, false},
		{"zero value", Precondition{}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Holds(tc.current); got != tc.want {
				t.Errorf("Holds(%d) = %v, want %v", tc.current, got, tc.want)
			}
		})
	}
}
