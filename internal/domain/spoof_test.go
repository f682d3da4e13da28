package domain

import (
	"slices"
	"testing"
)

// TestCustomerPrepareSpoofingCharacters: characters that reorder or hide text are refused in
// every one-line field with a field error naming the character; notes refuse only those
// that reorder text or carry invisible text, and keep what prose in other scripts needs.
func TestCustomerPrepareSpoofingCharacters(t *testing.T) {
	inputs := []struct {
		name  string
		v     string
		char  string
		multi bool // allowed in multi-line fields
	}{
		{"right-to-left override", "Ana\u202Egnp.exe", "U+202E", false},
		{"left-to-right embedding", "\u202AAna", "U+202A", false},
		{"pop directional formatting", "Ana\u202C", "U+202C", false},
		{"right-to-left isolate", "Ana \u2067x\u2069", "U+2067", false},
		{"pop directional isolate", "Ana\u2069", "U+2069", false},
		{"first strong isolate", "\u2068Ana", "U+2068", false},
		{"tag character", "Ana\U000E0041", "U+E0041", false},
		{"left-to-right mark", "Ana\u200E", "U+200E", true},
		{"right-to-left mark", "Ana\u200F", "U+200F", true},
		{"Arabic letter mark", "Ana\u061C", "U+061C", true},
		{"zero-width space", "An\u200Ba", "U+200B", true},
		{"zero-width joiner between Latin letters", "A\u200Dna", "U+200D", true},
		{"zero-width non-joiner at the end", "Ana\u200C", "U+200C", true},
		{"word joiner", "An\u2060a", "U+2060", true},
		{"byte order mark", "\uFEFFAna", "U+FEFF", true},
		{"soft hyphen", "An\u00ADa", "U+00AD", true},
		{"invisible separator", "A\u2063na", "U+2063", true},
		{"Hangul filler", "\u3164", "U+3164", true},
		{"combining grapheme joiner", "A\u034Fna", "U+034F", true},
	}
	for _, f := range textFields() {
		for _, in := range inputs {
			t.Run(f.name+"/"+in.name, func(t *testing.T) {
				c := f.base()
				v := in.v
				if f.name == "email" {
					v = "a" + v + "@example.com"
				}
				f.set(&c, v)
				err := c.Prepare("ES")
				got := problems(t, err)
				var want []string
				if !(f.multiline && in.multi) {
					want = []string{f.name + ":invisible_character"}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("problems = %q, want %q", got, want)
				}
				if want != nil {
					if fe, _ := fieldError(t, err, f.name); fe.Params["char"] != in.char {
						t.Errorf("params = %v, want char %s", fe.Params, in.char)
					}
				}
			})
		}
	}
	t.Run("tax id and phone", func(t *testing.T) {
		c := validPerson()
		c.TaxID, c.Phone = "1234\u200B5678Z", "612\u202E345678"
		if got, want := problems(t, c.Prepare("ES")), []string{"phone:invisible_character", "tax_id:invisible_character"}; !slices.Equal(got, want) {
			t.Errorf("problems = %q, want %q", got, want)
		}
	})
	t.Run("group name and description", func(t *testing.T) {
		g := Group{Name: "VIP\u202E", Description: "For\u2066 regulars"}
		err := g.Prepare()
		if got, want := problems(t, err), []string{"description:invisible_character", "name:invisible_character"}; !slices.Equal(got, want) {
			t.Errorf("problems = %q, want %q", got, want)
		}
		g = Group{Name: "VIP", Description: "Para clientes \u200Fעברית\u200F habituales"}
		if err := g.Prepare(); err != nil {
			t.Errorf("a description with right-to-left marks: %v", err)
		}
	})
}

// TestJoinersWhereScriptsNeedThem: the zero-width joiner and non-joiner stay allowed where
// writing needs them, between letters of scripts that use them and inside emoji sequences.
func TestJoinersWhereScriptsNeedThem(t *testing.T) {
	for name, v := range map[string]string{
		"Persian name with a non-joiner":  "علی\u200Cرضا",
		"Devanagari with a joiner":        "क्\u200Dष",
		"emoji sequence":                  "Taller 👩\u200D💻",
		"emoji with skin tone and joiner": "Taller 👩🏽\u200D💻",
		"emoji with variation selector":   "Bar ❤\uFE0F\u200D🔥",
	} {
		c := validCompany()
		c.CompanyName = v
		if err := c.Prepare("ES"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, v := range map[string]string{
		"between Latin letters":     "Gar\u200Dcía",
		"between Cyrillic letters":  "Ива\u200Dн",
		"after an emoji at the end": "Bar 👩\u200D",
		"next to a space":           "Bar \u200C👩",
	} {
		c := validCompany()
		c.CompanyName = v
		if got := problems(t, c.Prepare("ES")); !slices.Equal(got, []string{"company_name:invisible_character"}) {
			t.Errorf("%s: problems = %q", name, got)
		}
	}
}
