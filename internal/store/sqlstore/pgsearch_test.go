package sqlstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

func TestPGDocumentMarksEmailOnlyWords(t *testing.T) {
	c := domain.Customer{Kind: domain.KindPerson, FirstName: "María", LastName: "García", Email: "mariacarmen.garcia84@gmail.com",
		Phone: "+34612345678", Reference: "REF-84", Address: domain.Address{City: "Madrid"}}
	got := strings.Fields(pgDocument(&c))
	for _, want := range []string{"maria", "garcia", "84", "@mariacarmen", "@gmail", "@com", "madrid", "§87654321643"} {
		if !slices.Contains(got, want) {
			t.Errorf("pgDocument %q lacks %q", got, want)
		}
	}
	// The same words as on SQLite, only marked.
	var unmarked []string
	for _, w := range got {
		unmarked = append(unmarked, strings.TrimPrefix(w, emailMark))
	}
	want := strings.Fields(c.SearchDocument())
	slices.Sort(unmarked)
	slices.Sort(want)
	if !slices.Equal(unmarked, want) {
		t.Errorf("pgDocument words %q, SearchDocument words %q", unmarked, want)
	}
	c.Email = ""
	if pgDocument(&c) != c.SearchDocument() {
		t.Errorf("without an e-mail: %q, want %q", pgDocument(&c), c.SearchDocument())
	}
}

func TestPGQuery(t *testing.T) {
	for _, tc := range []struct {
		terms      []string
		expansions map[string][]string
		want       string
	}{
		{[]string{"garcia", "m"}, nil, "('garcia':* | '@garcia') & ('m' | '@m')"},
		{[]string{"mari", "lopez"}, map[string][]string{"mari": {"maria", "mario"}, "lopez": {"lopez"}},
			"('maria' | 'mario' | '@mari') & ('lopez' | '@lopez')"},
		{[]string{"zzq"}, map[string][]string{"zzq": nil}, "('@zzq')"},
		{[]string{"0034612345678"}, nil, "('0034612345678':* | '@0034612345678' | '34612345678':* | '@34612345678')"},
	} {
		if got := pgQuery(tc.terms, tc.expansions); got != tc.want {
			t.Errorf("pgQuery(%q, %v) = %s, want %s", tc.terms, tc.expansions, got, tc.want)
		}
	}
}

func TestExpandable(t *testing.T) {
	for term, want := range map[string]bool{"ma": true, "m": false, "612": false, "ñu": true, "münchen": true} {
		if got := expandable(term); got != want {
			t.Errorf("expandable(%q) = %v", term, got)
		}
	}
}
