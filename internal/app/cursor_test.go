package app

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// fp is a search fingerprint for the tests.
var fp = queryFingerprint([]string{"garcia"}, [3]string{"garcia", "", ""}, "")

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		c     cursor
		query string
	}{
		{"customers", cursor{List: cursorCustomers, Key: "garcia ana", Seq: 42}, ""},
		{"customers key with accents and quotes", cursor{List: cursorCustomers, Key: "muñoz \"el\" <b>&", Seq: 1}, ""},
		{"customers empty key", cursor{List: cursorCustomers, Seq: 1}, ""},
		{"groups", cursor{List: cursorGroups, Key: "clientes vip"}, ""},
		{"search exact tier", cursor{List: cursorSearch, Seq: 7, Query: fp}, fp},
		{"search last tier", cursor{List: cursorSearch, Tier: TierOther, Seq: 7, Query: fp}, fp},
		{"audit", cursor{List: cursorAudit, ID: 1 << 53}, ""},
		{"largest numbers", cursor{List: cursorCustomers, Seq: 1<<63 - 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := encodeCursor(tt.c)
			if s == "" {
				t.Fatal("encodeCursor returned the empty string, which means the first page")
			}
			if strings.ContainsAny(s, "+/=&?# ") {
				t.Errorf("cursor %q is not URL-safe", s)
			}
			got, err := decodeCursor(s, tt.c.List, tt.query)
			if err != nil {
				t.Fatalf("decodeCursor(%q): %v", s, err)
			}
			if got != tt.c {
				t.Errorf("round trip = %+v, want %+v", got, tt.c)
			}
		})
	}
}

func TestDecodeCursorFirstPage(t *testing.T) {
	for _, list := range []string{cursorCustomers, cursorSearch, cursorGroups, cursorAudit} {
		t.Run(list, func(t *testing.T) {
			got, err := decodeCursor("", list, "")
			if err != nil || got != (cursor{List: list}) {
				t.Errorf("decodeCursor(\"\", %q) = %+v, %v; want the first page", list, got, err)
			}
		})
	}
}

func TestDecodeCursorRefused(t *testing.T) {
	raw := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }
	// A well-formed cursor whose encoding is longer than maxCursorLen.
	long := encodeCursor(cursor{List: cursorCustomers, Key: strings.Repeat("k", maxCursorLen), Seq: 1})
	customers := encodeCursor(cursor{List: cursorCustomers, Key: "a", Seq: 1})
	search := encodeCursor(cursor{List: cursorSearch, Tier: TierNameWords, Seq: 1, Query: fp})
	groups := encodeCursor(cursor{List: cursorGroups, Key: "vip"})
	audit := encodeCursor(cursor{List: cursorAudit, ID: 5})
	tests := []struct {
		name string
		s    string
		list string
	}{
		// Another list's cursor.
		{"customers cursor for search", customers, cursorSearch},
		{"customers cursor for groups", customers, cursorGroups},
		{"customers cursor for audit", customers, cursorAudit},
		{"search cursor for customers", search, cursorCustomers},
		{"search cursor for groups", search, cursorGroups},
		{"groups cursor for customers", groups, cursorCustomers},
		{"groups cursor for search", groups, cursorSearch},
		{"groups cursor for audit", groups, cursorAudit},
		{"audit cursor for customers", audit, cursorCustomers},
		{"audit cursor for groups", audit, cursorGroups},
		// Another search's cursor.
		{"cursor of another search", encodeCursor(cursor{List: cursorSearch, Seq: 1, Query: "0123456789ab"}), cursorSearch},
		{"search cursor without its query", encodeCursor(cursor{List: cursorSearch, Seq: 1}), cursorSearch},
		// Cursors no list issues.
		{"customers without seq", raw(`{"l":"customers","k":"a"}`), cursorCustomers},
		{"customers seq 0", raw(`{"l":"customers","k":"a","s":0}`), cursorCustomers},
		{"customers with an audit id", raw(`{"l":"customers","s":3,"i":4}`), cursorCustomers},
		{"search seq 0", raw(`{"l":"search","t":1,"q":"` + fp + `"}`), cursorSearch},
		{"search tier out of range", raw(`{"l":"search","t":4,"s":3,"q":"` + fp + `"}`), cursorSearch},
		{"search negative tier", raw(`{"l":"search","t":-1,"s":3,"q":"` + fp + `"}`), cursorSearch},
		{"search with a key", raw(`{"l":"search","k":"x","s":3,"q":"` + fp + `"}`), cursorSearch},
		{"groups without key", raw(`{"l":"groups"}`), cursorGroups},
		{"groups with seq", raw(`{"l":"groups","k":"vip","s":2}`), cursorGroups},
		{"audit id 0", raw(`{"l":"audit","i":0}`), cursorAudit},
		{"audit with a seq", raw(`{"l":"audit","i":3,"s":3}`), cursorAudit},
		{"old list cursor", raw(`{"m":"l","k":"a","s":1}`), cursorCustomers},
		{"old search cursor", raw(`{"m":"s","s":0,"p":true}`), cursorSearch},
		{"unknown field", raw(`{"l":"audit","i":3,"x":1}`), cursorAudit},
		{"two values", raw(`{"l":"audit","i":3}{"l":"audit","i":4}`), cursorAudit},
		// Malformed.
		{"no list", raw(`{"s":5}`), cursorCustomers},
		{"unknown list", raw(`{"l":"x","s":5}`), cursorCustomers},
		{"negative seq", raw(`{"l":"customers","s":-1}`), cursorCustomers},
		{"negative id", raw(`{"l":"audit","i":-1}`), cursorAudit},
		{"seq of wrong type", raw(`{"l":"customers","s":"5"}`), cursorCustomers},
		{"seq overflowing int64", raw(`{"l":"customers","s":9223372036854775808}`), cursorCustomers},
		{"fractional seq", raw(`{"l":"customers","s":1.5}`), cursorCustomers},
		{"JSON null", raw(`null`), cursorCustomers},
		{"JSON array", raw(`["customers"]`), cursorCustomers},
		{"truncated JSON", raw(`{"l":"customers"`), cursorCustomers},
		{"not JSON", raw(`hello`), cursorCustomers},
		{"not base64", "!!!not base64!!!", cursorCustomers},
		{"standard base64 alphabet", base64.StdEncoding.EncodeToString([]byte(`{"l":"groups","k":"??"}`)), cursorGroups}, // has a "/", no padding
		{"padded base64", base64.URLEncoding.EncodeToString([]byte(`{"l":"customers","s":123}`)), cursorCustomers},       // ends in "=="
		{"single character", "A", cursorCustomers},
		{"white space", " ", cursorCustomers},
		{"oversized valid cursor", long, cursorCustomers},
		{"oversized garbage", strings.Repeat("A", maxCursorLen+1), cursorCustomers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			query := ""
			if tt.list == cursorSearch {
				query = fp
			}
			got, err := decodeCursor(tt.s, tt.list, query)
			if !errors.Is(err, errBadCursor) {
				t.Errorf("decodeCursor(%.60q, %q) = %+v, %v; want errBadCursor", tt.s, tt.list, got, err)
			}
			if err != nil && got != (cursor{}) {
				t.Errorf("decodeCursor returned %+v along with an error", got)
			}
		})
	}
}

func TestDecodeCursorLengthBound(t *testing.T) {
	// RawURLEncoding turns 768 bytes into exactly 1024 characters.
	const overhead = len(`{"l":"groups","k":""}`)
	atMax := encodeCursor(cursor{List: cursorGroups, Key: strings.Repeat("k", maxCursorLen*3/4-overhead)})
	if len(atMax) != maxCursorLen {
		t.Fatalf("test cursor has %d characters, want %d", len(atMax), maxCursorLen)
	}
	if _, err := decodeCursor(atMax, cursorGroups, ""); err != nil {
		t.Errorf("cursor of exactly %d characters refused: %v", maxCursorLen, err)
	}
	over := encodeCursor(cursor{List: cursorGroups, Key: strings.Repeat("k", maxCursorLen*3/4-overhead+1)})
	if _, err := decodeCursor(over, cursorGroups, ""); !errors.Is(err, errBadCursor) {
		t.Errorf("cursor of %d characters accepted", len(over))
	}
}

func TestQueryFingerprint(t *testing.T) {
	base := queryFingerprint([]string{"ana", "ruiz"}, [3]string{"ana ruiz", "", ""}, "")
	for name, other := range map[string]string{
		"other terms":      queryFingerprint([]string{"ana", "ruiz", "x"}, [3]string{"ana ruiz", "", ""}, ""),
		"terms run across": queryFingerprint([]string{"anar", "uiz"}, [3]string{"ana ruiz", "", ""}, ""),
		"other exact key":  queryFingerprint([]string{"ana", "ruiz"}, [3]string{"ana-ruiz", "", ""}, ""),
		"a group":          queryFingerprint([]string{"ana", "ruiz"}, [3]string{"ana ruiz", "", ""}, "g"),
	} {
		if other == base {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	if again := queryFingerprint([]string{"ana", "ruiz"}, [3]string{"ana ruiz", "", ""}, ""); again != base {
		t.Error("the same search gives another fingerprint")
	}
}
