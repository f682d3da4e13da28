package i18n

import (
	"reflect"
	"testing"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	b := New()
	if es, en := b.Keys(Spanish), b.Keys(English); !reflect.DeepEqual(es, en) {
		t.Errorf("catalogs differ:\nes %v\nen %v", es, en)
	}
}

func TestPick(t *testing.T) {
	b := New()
	for header, want := range map[string]Lang{
		"":                       Spanish,
		"en-GB,en;q=0.9":         English,
		"es-ES,es;q=0.9,en;q=.8": Spanish,
		"fr-FR":                  Spanish,
		"de, en;q=0.5":           English,
		"garbage;;q=x":           Spanish,
	} {
		if got := b.Pick(header); got != want {
			t.Errorf("Pick(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestT(t *testing.T) {
	b := New()
	if got, want := b.T(English, "field.too_long", map[string]any{"max": 100}), "At most 100 characters."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := b.T(English, "no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key gave %q", got)
	}
}

func TestCatalogPartsDoNotOverlap(t *testing.T) {
	for name, pair := range map[string][2]map[string]string{
		"es": {spanish(), spanishPages()},
		"en": {english(), englishPages()},
	} {
		for k := range pair[1] {
			if _, ok := pair[0][k]; ok {
				t.Errorf("%s: key %q is in both the API and the pages catalog", name, k)
			}
		}
	}
}
