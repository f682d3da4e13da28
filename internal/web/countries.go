package web

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/clientela/clientela/internal/country"
	"github.com/clientela/clientela/internal/i18n"
)

// countryOptions lists every ISO country by its name in lang, sorted as a reader of that
// language expects, after an entry for the shop's default country. Built once at start-up.
func countryOptions(msgs *i18n.Bundle, lang i18n.Lang) []option {
	tag := language.Spanish
	if lang == i18n.English {
		tag = language.English
	}
	names := display.Regions(tag)
	codes := country.Codes()
	opts := make([]option, 0, len(codes)+1)
	for _, code := range codes {
		label := code
		if region, err := language.ParseRegion(code); err == nil {
			if n := names.Name(region); n != "" {
				label = n
			}
		}
		opts = append(opts, option{Value: code, Label: label})
	}
	col := collate.New(tag, collate.IgnoreCase, collate.IgnoreDiacritics)
	slices.SortFunc(opts, func(a, b option) int { return col.CompareString(a.Label, b.Label) })
	return append([]option{{Value: "", Label: msgs.T(lang, "customer.country_default", nil)}}, opts...)
}
