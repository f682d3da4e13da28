package app

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		c    cursor
	}{
		{"list with key and seq", cursor{Mode: cursorList, Key: "garcia ana", Seq: 42}},
		{"list key with accents and quotes", cursor{Mode: cursorList, Key: "muñoz \"el\" <b>&", Seq: 1}},
		{"list group key only", cursor{Mode: cursorList, Key: "clientes vip"}},
		{"search started", cursor{Mode: cursorSearch, Seq: 7, Started: true}},
		{"search not started", cursor{Mode: cursorSearch, Seq: 7}},
		{"audit id", cursor{Mode: cursorList, ID: 1 << 53}},
		{"largest numbers", cursor{Mode: cursorList, Seq: 1<<63 - 1, ID: 1<<63 - 1}},
		{"zero values", cursor{Mode: cursorList}},
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
			got, err := decodeCursor(s, tt.c.Mode)
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
	for _, mode := range []string{cursorList, cursorSearch} {
		t.Run(mode, func(t *testing.T) {
			got, err := decodeCursor("", mode)
			if err != nil || got != (cursor{Mode: mode}) {
				t.Errorf("decodeCursor(\"\", %q) = %+v, %v; want the first page", mode, got, err)
			}
		})
	}
}

func TestDecodeCursorRefused(t *testing.T) {
	raw := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }
	// A well-formed list cursor whose encoding is longer than maxCursorLen.
	long := encodeCursor(cursor{Mode: cursorList, Key: strings.Repeat("k", maxCursorLen)})
	tests := []struct {
		name string
		s    string
		mode string
	}{
		{"list cursor used for search", encodeCursor(cursor{Mode: cursorList, Key: "a", Seq: 1}), cursorSearch},
		{"search cursor used for list", encodeCursor(cursor{Mode: cursorSearch, Seq: 1, Started: true}), cursorList},
		{"no mode", raw(`{"s":5}`), cursorList},
		{"unknown mode", raw(`{"m":"x","s":5}`), cursorList},
		{"negative seq", raw(`{"m":"l","s":-1}`), cursorList},
		{"negative id", raw(`{"m":"l","i":-1}`), cursorList},
		{"seq of wrong type", raw(`{"m":"l","s":"5"}`), cursorList},
		{"seq overflowing int64", raw(`{"m":"l","s":9223372036854775808}`), cursorList},
		{"fractional seq", raw(`{"m":"l","s":1.5}`), cursorList},
		{"JSON null", raw(`null`), cursorList},
		{"JSON array", raw(`["l"]`), cursorList},
		{"truncated JSON", raw(`{"m":"l"`), cursorList},
		{"not JSON", raw(`hello`), cursorList},
		{"not base64", "!!!not base64!!!", cursorList},
		{"standard base64 alphabet", base64.StdEncoding.EncodeToString([]byte(`{"m":"l","k":"??"}`)), cursorList}, // has a "/", no padding
		{"padded base64", base64.URLEncoding.EncodeToString([]byte(`{"m":"l","s":12}`)), cursorList},
		{"single character", "A", cursorList},
		{"white space", " ", cursorList},
		{"oversized valid cursor", long, cursorList},
		{"oversized garbage", strings.Repeat("A", maxCursorLen+1), cursorList},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeCursor(tt.s, tt.mode)
			if !errors.Is(err, errBadCursor) {
				t.Errorf("decodeCursor(%.60q, %q) = %+v, %v; want errBadCursor", tt.s, tt.mode, got, err)
			}
			if err != nil && got != (cursor{}) {
				t.Errorf("decodeCursor returned %+v along with an error", got)
			}
		})
	}
}

func TestDecodeCursorLengthBound(t *testing.T) {
	// RawURLEncoding turns 768 bytes into exactly 1024 characters.
	const overhead = len(`{"m":"l","k":""}`)
	atMax := encodeCursor(cursor{Mode: cursorList, Key: strings.Repeat("k", maxCursorLen*3/4-overhead)})
	if len(atMax) != maxCursorLen {
		t.Fatalf("test cursor has %d characters, want %d", len(atMax), maxCursorLen)
	}
	if _, err := decodeCursor(atMax, cursorList); err != nil {
		t.Errorf("cursor of exactly %d characters refused: %v", maxCursorLen, err)
	}
	over := encodeCursor(cursor{Mode: cursorList, Key: strings.Repeat("k", maxCursorLen*3/4-overhead+1)})
	if _, err := decodeCursor(over, cursorList); !errors.Is(err, errBadCursor) {
		t.Errorf("cursor of %d characters accepted", len(over))
	}
}
