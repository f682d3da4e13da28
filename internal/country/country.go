// Package country knows the officially assigned ISO 3166-1 alpha-2 country
// codes. It is pure: no I/O and no mutable state.
package country

import (
	"sort"
	"strings"
)

// codes holds the 249 officially assigned ISO 3166-1 alpha-2 codes,
// concatenated two characters each, in ascending order, so that Valid can
// binary-search it. User-assigned or reserved codes such as XK (Kosovo),
// UK and EU are deliberately absent. Source: the ISO 3166-1 list as
// shipped by Debian's iso-codes package, cross-checked with the tz
// database's iso3166.tab.
const codes = "" +
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZ" +
	"BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ" +
	"CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ" +
	"DEDJDKDMDODZ" +
	"ECEEEGEHERESET" +
	"FIFJFKFMFOFR" +
	"GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY" +
	"HKHMHNHRHTHU" +
	"IDIEILIMINIOIQIRISIT" +
	"JEJMJOJP" +
	"KEKGKHKIKMKNKPKRKWKYKZ" +
	"LALBLCLILKLRLSLTLULVLY" +
	"MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ" +
	"NANCNENFNGNINLNONPNRNUNZ" +
	"OM" +
	"PAPEPFPGPHPKPLPMPNPRPSPTPWPY" +
	"QA" +
	"RERORSRURW" +
	"SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ" +
	"TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ" +
	"UAUGUMUSUYUZ" +
	"VAVCVEVGVIVNVU" +
	"WFWS" +
	"YEYT" +
	"ZAZMZW"

// count is the number of codes in codes.
const count = len(codes) / 2

// Valid reports whether code (already upper-case, 2 letters; see
// Normalize) is an officially assigned ISO 3166-1 alpha-2 code.
func Valid(code string) bool {
	if len(code) != 2 {
		return false
	}
	i := sort.Search(count, func(i int) bool { return codes[2*i:2*i+2] >= code })
	return i < count && codes[2*i:2*i+2] == code
}

// Normalize trims surrounding white space and upper-cases s, e.g.
// " es " becomes "ES". It does not validate; pass the result to Valid.
func Normalize(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// Codes returns every code in ascending order, for pickers.
func Codes() []string {
	out := make([]string, count)
	for i := range out {
		out[i] = codes[2*i : 2*i+2]
	}
	return out
}
