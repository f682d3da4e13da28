package search

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// nameAbbreviations spells out the abbreviations of given names and surnames that a till
// types instead of the whole word ("Mª", "Fco.", "Fdez."), after folding.
var nameAbbreviations = map[string]string{
	"ma": "maria", "mª": "maria", "fco": "francisco", "fdo": "fernando", "ant": "antonio",
	"fdez": "fernandez", "glez": "gonzalez", "rguez": "rodriguez", "hdez": "hernandez",
	"mtnez": "martinez", "mnez": "martinez", "sta": "santa", "sto": "santo",
	"sr": "", "sra": "", "srta": "", "dna": "", "dona": "", "don": "",
}

// nameStopWords are the particles of Spanish, French and English names that one register
// writes and another leaves out ("García de la Fuente", "Garcia Fuente").
var nameStopWords = map[string]bool{
	"de": true, "del": true, "la": true, "las": true, "los": true, "el": true, "y": true,
	"i": true, "e": true, "da": true, "do": true, "du": true, "des": true, "le": true,
	"van": true, "von": true, "the": true, "and": true, "of": true,
}

// NameTokens are the words of a name as duplicate detection compares them: folded (case and
// accents), abbreviations spelled out ("Mª" and "Ma" → "maria", "Fco" → "francisco"), particles
// ("de", "la") and single letters (initials) left out, sorted and without repeats, so that
// "Mª García López" and "Maria Lopez Garcia" give the same words.
func NameTokens(name string) []string {
	// "Mª" and "M.ª": the ordinal indicator is a letter of its own that folding keeps.
	name = strings.NewReplacer("M.ª", "maria ", "m.ª", "maria ", "Mª", "maria ", "mª", "maria ", "ª", "a").Replace(name)
	var out []string
	for _, t := range Tokens(name) {
		if long, ok := nameAbbreviations[t]; ok {
			t = long
		}
		if t == "" || nameStopWords[t] || len([]rune(t)) < 2 || isDigits(t) {
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// DuplicateNameKey is the blocking key under which customers with a similar name in the same
// postal code are found: a hash of the postal code (upper case, without spaces) and
// NameTokens. Empty when there is no postal code or fewer than two name words, which
// would pair too many customers who only share a first name. Stored hashed, so the column
// holds no readable name (an erased customer's row is deleted anyway).
func DuplicateNameKey(name, postalCode string) string {
	pc := strings.ToUpper(strings.Join(strings.Fields(postalCode), ""))
	if pc == "" {
		return ""
	}
	tokens := NameTokens(name)
	if len(tokens) < 2 {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(pc))
	h.Write([]byte{0})
	h.Write([]byte(strings.Join(tokens, " ")))
	return hex.EncodeToString(h.Sum(nil)[:10])
}
