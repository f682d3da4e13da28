package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"José Núñez Peña", "jose nunez pena"},
		{"MUÑOZ", "munoz"},
		{"Françoise Lefèvre", "francoise lefevre"},
		{"Straße", "strasse"},
		{"Łódź", "lodz"},
		{"Søren Ærø", "soren aero"},
		{"Cœur", "coeur"},
		{"plain ascii", "plain ascii"},
		{"bad\xffutf8", "badutf8"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	if got, want := Key("  Clientes   VIP "), "clientes vip"; got != want {
		t.Errorf("Key = %q, want %q", got, want)
	}
	if Key("Pequeños") != Key("PEQUENOS") {
		t.Error("keys differing only in case and accents must be equal")
	}
}

func TestQueryTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"munoz", []string{"munoz"}},
		{"  García   MARÍA ", []string{"garcia", "maria"}},
		{"+34 612 34 56 78", []string{"34612345678"}},
		{"612-34-56-78", []string{"612345678"}},
		{`"*NEAR(`, []string{"near"}},
		{`a AND b OR c NOT "d"`, []string{"a", "and", "b", "or", "c", "not", "d"}},
		{"jose.garcia@example.com", []string{"jose", "garcia", "example", "com"}},
		{"garcia84@example.com", []string{"garcia", "84", "example", "com"}},
		{"B-58378431", []string{"b", "58378431"}},
		{"X2482300W", []string{"x", "2482300", "w"}},
		{"ana ana", []string{"ana"}},
		{"", []string{}},
		{"*** ---", []string{}},
	} {
		got := QueryTerms(tc.in)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("QueryTerms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := QueryTerms(strings.Repeat("ab ", 100)); len(got) != 1 {
		t.Errorf("duplicates not dropped: %q", got)
	}
	many := QueryTerms("a b c d e f g h i j k l")
	if len(many) != MaxQueryTerms {
		t.Errorf("got %d terms, want the cap %d", len(many), MaxQueryTerms)
	}
	long := QueryTerms(strings.Repeat("x", 500))
	if utf8.RuneCountInString(long[0]) != MaxTermLength {
		t.Errorf("term not capped: %d runes", utf8.RuneCountInString(long[0]))
	}
}

func TestDocument(t *testing.T) {
	doc := Document(Fields{
		Name:   []string{"José", "Núñez", ""},
		Text:   []string{"jose.nunez@example.com", "Sevilla"},
		Phones: []string{"+34612345678", "612345678"},
	})
	words := strings.Fields(doc)
	for _, want := range []string{"¶jose", "¶nunez", "example", "com", "sevilla", "34612345678", "612345678", "§87654321643"} {
		if !contains(words, want) {
			t.Errorf("document %q lacks %q", doc, want)
		}
	}
	// Endings are found through the reversed number, not tokens of their own.
	// A word of the name and the e-mail is indexed once, as a name word.
	for _, unwanted := range []string{"5678", "12345678", "§876543216", "jose", "nunez"} {
		if contains(words, unwanted) {
			t.Errorf("document %q has %q", doc, unwanted)
		}
	}
	if strings.Count(doc, "jose ") != 1 || !strings.HasPrefix(doc, "¶jose ¶nunez ") {
		t.Errorf("document %q repeats a token", doc)
	}
}

// FuzzQueryTerms checks that whatever is typed turns into terms made only of letters and
// digits (so no backend ever sees query syntax), within the caps, and that normalising the
// terms again changes nothing.
func FuzzQueryTerms(f *testing.F) {
	for _, s := range []string{"munoz", `"*NEAR(`, "+34 612 34 56 78", "José Núñez", "a\x00b", "ǅ\u0345", "ﬁ", "İstanbul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms := QueryTerms(q)
		if len(terms) > MaxQueryTerms {
			t.Fatalf("%d terms", len(terms))
		}
		for _, term := range terms {
			if term == "" || !utf8.ValidString(term) || utf8.RuneCountInString(term) > MaxTermLength {
				t.Fatalf("bad term %q", term)
			}
			for _, r := range term {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("term %q holds %q", term, r)
				}
			}
		}
		again := QueryTerms(strings.Join(terms, " "))
		if len(terms) > 0 && !reflect.DeepEqual(again, terms) && !digitsMerged(terms) && !mixed(terms) {
			t.Fatalf("not stable: %q -> %q", terms, again)
		}
	})
}

// mixed reports whether a term mixes letters and digits: that only happens when the term cap
// cut a run short, and the next pass splits it.
func mixed(terms []string) bool {
	for _, t := range terms {
		letters, digits := false, false
		for _, r := range t {
			letters = letters || unicode.IsLetter(r)
			digits = digits || unicode.IsDigit(r)
		}
		if letters && digits {
			return true
		}
	}
	return false
}

// digitsMerged reports whether two adjacent terms are both digits: joined by a space they
// become one term on the next pass, which is intended.
func digitsMerged(terms []string) bool {
	for i := 0; i+1 < len(terms); i++ {
		if isDigits(terms[i]) && isDigits(terms[i+1]) {
			return true
		}
	}
	return false
}

func TestAlternatives(t *testing.T) {
	for in, want := range map[string][]string{
		"0034612345678": {"0034612345678", "34612345678"},
		"0012":          {"0012", "§2100"},
		"5678":          {"5678", "§8765"},
		"2345678":       {"2345678", "§8765432"},
		"567":           {"567"},
		"garcia":        {"garcia"},
		"00garcia12":    {"00garcia12"},
	} {
		if got := Alternatives(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Alternatives(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTierQueries(t *testing.T) {
	syn := Syntax{And: " & ", Or: " | "}
	name := func(term string, prefixes ...string) TermForms {
		return TermForms{Whole: []string{"N" + term}, Prefix: append([]string{"N" + term}, prefixes...), Strict: prefixes, Other: []string{term + "*"}}
	}
	for _, tc := range []struct {
		name  string
		forms []TermForms
		want  [3]TierQuery
	}{
		{"one term", []TermForms{name("vela", "Nvelasco")}, [3]TierQuery{
			{Pos: "(Nvela)", OK: true},
			{Pos: "(Nvelasco)", Neg: "(Nvela)", OK: true},
			{Pos: "(vela*)", Neg: "(Nvela | Nvelasco)", OK: true},
		}},
		{"two terms", []TermForms{name("ana", "Nanabel"), name("vela")}, [3]TierQuery{
			{Pos: "(Nana) & (Nvela)", OK: true},
			{Pos: "(Nana | Nanabel) & (Nvela) & ((Nanabel))", Neg: "(Nana) & (Nvela)", OK: true},
			{Pos: "(Nana | Nanabel | ana*) & (Nvela | vela*) & ((ana*) | (vela*))", Neg: "(Nana | Nanabel) & (Nvela)", OK: true},
		}},
		// A term whose longer name words are not known apart: asking for them again says
		// nothing more.
		{"strict words not known apart", []TermForms{
			{Whole: []string{"Nana"}, Prefix: []string{"Nana*"}, Strict: []string{"Nana*"}, Other: []string{"ana*"}}, name("vela")}, [3]TierQuery{
			{Pos: "(Nana) & (Nvela)", OK: true},
			{Pos: "(Nana*) & (Nvela)", Neg: "(Nana) & (Nvela)", OK: true},
			{Pos: "(Nana* | ana*) & (Nvela | vela*) & ((ana*) | (vela*))", Neg: "(Nana*) & (Nvela)", OK: true},
		}},
		{"no name has the term", []TermForms{{Other: []string{"barcelona"}}}, [3]TierQuery{
			{}, {}, {Pos: "(barcelona)", OK: true},
		}},
		{"no whole name word", []TermForms{{Prefix: []string{"Nbarrios"}, Strict: []string{"Nbarrios"}, Other: []string{"barcelona"}}}, [3]TierQuery{
			{},
			{Pos: "(Nbarrios)", OK: true},
			{Pos: "(barcelona)", Neg: "(Nbarrios)", OK: true},
		}},
		{"only name words", []TermForms{{Whole: []string{"Nm"}, Prefix: []string{"Nm"}}}, [3]TierQuery{
			{Pos: "(Nm)", OK: true}, {}, {},
		}},
		{"a term that matches nothing", []TermForms{name("ana"), {}}, [3]TierQuery{}},
	} {
		if got := TierQueries(tc.forms, syn); got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}
