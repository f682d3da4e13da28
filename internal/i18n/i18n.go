// Package i18n holds every message users read, in Spanish (the default) and English, and
// picks the language from the user's preference or the Accept-Language header.
package i18n

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/clientela/clientela/internal/money"
)

// Lang is a supported language.
type Lang string

// Supported languages; the first is the default.
const (
	Spanish Lang = "es"
	English Lang = "en"
)

// Bundle holds the catalogs. It is built once and only read afterwards.
type Bundle struct {
	catalogs map[Lang]map[string]string
	matcher  language.Matcher
}

// New builds the bundle of all catalogs.
func New() *Bundle {
	return &Bundle{
		catalogs: map[Lang]map[string]string{
			Spanish: merge(spanish(), spanishPages(), spanishAccounts(), spanishReports(), spanishAccounting(), spanishMail(), spanishBackups(), spanishMessages(), spanishImport(), spanishPrivacy(), spanishMerge(), spanishDuplicates()),
			English: merge(english(), englishPages(), englishAccounts(), englishReports(), englishAccounting(), englishMail(), englishBackups(), englishMessages(), englishImport(), englishPrivacy(), englishMerge(), englishDuplicates()),
		},
		matcher: language.NewMatcher([]language.Tag{language.Spanish, language.English}),
	}
}

// merge joins an API catalog and a pages catalog; a key in both is a mistake a test catches
// (TestCatalogPartsDoNotOverlap), so either may win here.
func merge(parts ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

// Pick returns the language that best fits an Accept-Language header; Spanish when none fits.
func (b *Bundle) Pick(acceptLanguage string) Lang {
	if acceptLanguage == "" {
		return Spanish
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Spanish
	}
	_, idx, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return Spanish
	}
	if idx == 1 {
		return English
	}
	return Spanish
}

// T returns the message for key in lang with {name} placeholders filled from params. A
// missing key falls back to Spanish, then to the key itself (a test keeps catalogs complete).
func (b *Bundle) T(lang Lang, key string, params map[string]any) string {
	msg, ok := b.catalogs[lang][key]
	if !ok {
		msg, ok = b.catalogs[Spanish][key]
	}
	if !ok {
		msg = key
	}
	if len(params) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]string, 0, 2*len(params))
	for _, k := range names {
		pairs = append(pairs, "{"+k+"}", fmt.Sprint(params[k]))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// PluralKey picks the plural form of key for a count: key+".one" for exactly one, else
// key+".other". Spanish and English both have just these two forms.
func PluralKey(key string, n int64) string {
	if n == 1 {
		return key + ".one"
	}
	return key + ".other"
}

// Has reports whether lang's catalog has key (for tests).
func (b *Bundle) Has(lang Lang, key string) bool {
	_, ok := b.catalogs[lang][key]
	return ok
}

// Keys lists lang's keys (for tests).
func (b *Bundle) Keys(lang Lang) []string {
	keys := make([]string, 0, len(b.catalogs[lang]))
	for k := range b.catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WithMoney returns params with, for each "<name>_cents" amount, a "<name>" formatted as money
// in lang, so that messages say "120,00 €" where the API gives 12000.
func WithMoney(params map[string]any, lang Lang) map[string]any {
	var out map[string]any
	for k, v := range params {
		cents, ok := v.(int64)
		name, isMoney := strings.CutSuffix(k, "_cents")
		if !ok || !isMoney {
			continue
		}
		if out == nil {
			out = make(map[string]any, 2*len(params))
			maps.Copy(out, params)
		}
		out[name] = money.FormatCents(cents, string(lang))
	}
	if out == nil {
		return params
	}
	return out
}
