package sqlstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
)

func TestPGDocumentMarksEmailOnlyWords(t *testing.T) {
	c := domain.Customer{Kind: domain.KindPerson, FirstName: "María", LastName: "García", Email: "mariacarmen.garcia84@gmail.com",
		Phone: "+34612345678", Reference: "REF-84", Address: domain.Address{City: "Madrid"}}
	got := strings.Fields(pgDocument(&c))
	for _, want := range []string{"¶maria", "¶garcia", "84", "@mariacarmen", "@gmail", "@com", "madrid", "§87654321643"} {
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

func TestPGTermForms(t *testing.T) {
	vocab := map[string]pgVocab{
		"¶mari": {words: []string{"¶maria", "¶mario"}},
		"mari":  {words: []string{"mariachi"}},
		"¶vela": {words: []string{"¶vela", "¶velasco"}, whole: true},
		"vela":  {},
		"¶gar":  {many: true},
		"¶z":    {words: []string{"¶zapata"}},
	}
	for _, tc := range []struct {
		terms []string
		want  [3]string // the tiers' tsqueries, "!" between positive and negative
	}{
		{[]string{"mari"}, [3]string{"", "('¶maria' | '¶mario')", "('mariachi' | '@mari')!('¶maria' | '¶mario')"}},
		{[]string{"vela"}, [3]string{"('¶vela')", "('¶velasco')!('¶vela')", "('@vela')!('¶vela' | '¶velasco')"}},
		{[]string{"gar"}, [3]string{"", "('¶gar':*)", "('gar':* | '@gar')!('¶gar':*)"}},
		{[]string{"vela", "z"}, [3]string{"",
			"",
			"('¶vela' | '¶velasco' | '@vela') & ('z' | '@z')"}}, // "z" starts no name word: the rest is implied
		// The vocabulary holds every name word: a name form it does not list, no name has.
		{[]string{"0034612345678"}, [3]string{"", "",
			"('0034612345678':* | '@0034612345678' | '34612345678':* | '@34612345678')"}},
	} {
		var got [3]string
		for i, q := range search.TierQueries(pgTermForms(tc.terms, vocab), pgSyntax) {
			if q.OK {
				got[i] = q.Pos
				if q.Neg != "" {
					got[i] += "!" + q.Neg
				}
			}
		}
		if got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.terms, got, tc.want)
		}
	}
}

func TestExpandable(t *testing.T) {
	for term, want := range map[string]bool{"ma": true, "m": false, "612": false, "ñu": true, "münchen": true, "¶612": true, "¶m": true} {
		if got := expandable(term); got != want {
			t.Errorf("expandable(%q) = %v", term, got)
		}
	}
}
