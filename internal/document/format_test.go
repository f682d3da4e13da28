package document

import (
	"math"
	"testing"
)

func TestFormatQuantity(t *testing.T) {
	for _, c := range []struct {
		q      int64
		es, en string
	}{
		{1000, "1", "1"},
		{350, "0,350", "0.350"},
		{1, "0,001", "0.001"},
		{2500, "2,500", "2.500"},
		{0, "0", "0"},
		{-350, "-0,350", "-0.350"},
		{123456789, "123456,789", "123456.789"},
		{math.MinInt64, "-9223372036854775,808", "-9223372036854775.808"},
	} {
		if got := formatQuantity(c.q, Spanish); got != c.es {
			t.Errorf("formatQuantity(%d, es) = %q, want %q", c.q, got, c.es)
		}
		if got := formatQuantity(c.q, English); got != c.en {
			t.Errorf("formatQuantity(%d, en) = %q, want %q", c.q, got, c.en)
		}
	}
}

func TestPartyNameAndAddress(t *testing.T) {
	lb := catalog(Spanish)
	if got := partyName(&Party{Kind: KindPerson, Title: "mrs", FirstName: " María ", LastName: "Peña\u00a0Ruiz"}, lb); got != "Sra. María Peña Ruiz" {
		t.Errorf("person: %q", got)
	}
	if got := partyName(&Party{Kind: KindPerson, FirstName: "Ana"}, catalog(English)); got != "Ana" {
		t.Errorf("person without title or last name: %q", got)
	}
	if got := partyName(&Party{Kind: KindCompany, CompanyName: "Hermanos Núñez", LegalForm: "S.L.", FirstName: "ignored"}, lb); got != "Hermanos Núñez S.L." {
		t.Errorf("company: %q", got)
	}
	got := addressLines(Address{Line1: "Calle Mayor 1", PostalCode: "28001", City: "Madrid", Region: "madrid", Country: "es"}, "ES")
	if len(got) != 2 || got[0] != "Calle Mayor 1" || got[1] != "28001 Madrid" {
		t.Errorf("address at home: %q", got)
	}
	got = addressLines(Address{Line2: "Bâtiment B", City: "Bayonne", Country: "fr"}, "ES")
	if len(got) != 3 || got[0] != "Bâtiment B" || got[1] != "Bayonne" || got[2] != "FR" {
		t.Errorf("address abroad: %q", got)
	}
}
