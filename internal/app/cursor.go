package app

import (
	"encoding/base64"
	"encoding/json"
	"errors"
)

// Cursor modes: a cursor from a plain listing cannot continue a search, and the reverse.
const (
	cursorList   = "l"
	cursorSearch = "s"
)

// cursor is where the next page starts. Clients get it as an opaque string.
type cursor struct {
	Mode    string `json:"m"`
	Key     string `json:"k,omitempty"`
	Seq     int64  `json:"s,omitempty"`
	Started bool   `json:"p,omitempty"` // search: past the first page (exact hits shown)
	ID      int64  `json:"i,omitempty"` // audit log
}

const maxCursorLen = 1024

func encodeCursor(c cursor) string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a struct of strings and numbers always encodes
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

var errBadCursor = errors.New("bad cursor")

// decodeCursor reads a cursor made for mode; the empty string is the first page.
func decodeCursor(s, mode string) (cursor, error) {
	if s == "" {
		return cursor{Mode: mode}, nil
	}
	if len(s) > maxCursorLen {
		return cursor{}, errBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, errBadCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Mode != mode || c.Seq < 0 || c.ID < 0 {
		return cursor{}, errBadCursor
	}
	return c, nil
}
