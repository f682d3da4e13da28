package testdb

import "testing"

func TestInCI(t *testing.T) {
	for value, want := range map[string]bool{"": false, "false": false, "0": false, "FALSE": false, "true": true, "1": true, "yes": true} {
		t.Setenv("CI", value)
		if got := InCI(); got != want {
			t.Errorf("CI=%q: InCI() = %v, want %v", value, got, want)
		}
	}
}
