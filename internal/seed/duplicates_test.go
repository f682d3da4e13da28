package seed_test

import (
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/seed"
)

// TestDuplicatesAreFoundByTheNameKey: a second registration made by the seed is typed
// differently but has the name key of the first (so the duplicates bench has pairs of every
// kind), and about the percentage asked for are second registrations.
func TestDuplicatesAreFoundByTheNameKey(t *testing.T) {
	g := seed.NewGenerator(7)
	dups, differ := 0, 0
	for i := range 5000 {
		if !g.IsDuplicate(i, 10) {
			continue
		}
		dups++
		var src, c domain.Customer
		g.Customer(i-1, nil, &src)
		g.Duplicate(i, &src, &c)
		if c.Reference != "" {
			t.Fatalf("customer %d: a second registration has the card %q", i, c.Reference)
		}
		if k := src.DuplicateNameKey(); k != c.DuplicateNameKey() {
			t.Errorf("customer %d: %q %q / %q %q in %s: name keys differ", i, src.FirstName, src.LastName, c.FirstName, c.LastName, c.Address.PostalCode)
		}
		if src.FirstName+src.LastName+src.CompanyName != c.FirstName+c.LastName+c.CompanyName {
			differ++
		}
	}
	if dups < 400 || dups > 600 {
		t.Errorf("%d second registrations in 5000 at 10 %%", dups)
	}
	if differ < dups/2 {
		t.Errorf("only %d of %d typed differently", differ, dups)
	}
}
