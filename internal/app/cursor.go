package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/clientela/clientela/internal/domain"
)

// The lists that hand out cursors. A cursor names its list, and each list refuses the
// cursors of the others: read as its own, another list's cursor would restart at page 1 or
// at a made-up place, and a client following next_cursor could loop forever.
const (
	cursorCustomers = "customers" // the register in name order
	cursorSearch    = "search"    // the matches of one query
	cursorGroups    = "groups"
	cursorAudit     = "audit"
	cursorInvoices  = "invoices" // newest first: Seq and ID (issued_at, Unix microseconds) of the last row
	// The debtors and creditors reports: Seq is the balance of the last row, Key its
	// customer's id.
	cursorDebtors   = "debtors"
	cursorCreditors = "creditors"
	cursorLedger    = "ledger" // a customer's entries, newest first: Seq of the last row; Query the customer's id
	// Duplicate pairs, strongest first: Key the rank of the last pair, Seq and ID the seqs of
	// its two customers.
	cursorDuplicates = "duplicates"
)

// cursor is where the next page starts. Clients get it as an opaque string. Which fields a
// list uses, and the values it can have issued, are checked by valid.
type cursor struct {
	List  string `json:"l"`
	Key   string `json:"k,omitempty"` // customers: sort key; groups: name key
	Seq   int64  `json:"s,omitempty"` // customers, search: seq of the last row shown
	Tier  Tier   `json:"t,omitempty"` // search: the tier of the last row shown
	Query string `json:"q,omitempty"` // search: queryFingerprint of the query it belongs to
	ID    int64  `json:"i,omitempty"` // audit log: id of the last entry shown
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

// decodeCursor reads a cursor issued by list (for a search, for the query whose
// queryFingerprint is query); the empty string is the first page, anything else that list
// cannot have issued is refused.
func decodeCursor(s, list, query string) (cursor, error) {
	if s == "" {
		return cursor{List: list, Query: query}, nil
	}
	if len(s) > maxCursorLen {
		return cursor{}, errBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, errBadCursor
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c cursor
	if err := dec.Decode(&c); err != nil || dec.Decode(&struct{}{}) != io.EOF {
		return cursor{}, errBadCursor
	}
	if c.List != list || c.Query != query || !c.valid() {
		return cursor{}, errBadCursor
	}
	return c, nil
}

// valid reports whether c's list can have issued it: every issued cursor points after a row
// that was shown, so its position is set, and it holds nothing another list uses.
func (c cursor) valid() bool {
	switch c.List {
	case cursorCustomers:
		return c.Seq > 0 && c.Tier == 0 && c.ID == 0
	case cursorSearch:
		return c.Seq > 0 && c.Tier >= TierExact && c.Tier <= TierOther && c.Key == "" && c.ID == 0
	case cursorGroups:
		return c.Key != "" && c.Seq == 0 && c.Tier == 0 && c.ID == 0
	case cursorAudit:
		return c.ID > 0 && c.Key == "" && c.Seq == 0 && c.Tier == 0
	case cursorInvoices:
		return c.Seq > 0 && c.ID > 0 && c.Key == "" && c.Tier == 0
	case cursorDebtors:
		return c.Seq > 0 && c.Key != "" && c.Tier == 0 && c.ID == 0
	case cursorCreditors:
		return c.Seq < 0 && c.Key != "" && c.Tier == 0 && c.ID == 0
	case cursorLedger:
		return c.Seq > 0 && c.ID == 0 && c.Key == "" && c.Tier == 0
	case cursorDuplicates:
		return c.Seq > 0 && c.ID > c.Seq && c.Key != "" && c.Tier == 0
	}
	return false
}

// queryFingerprint names one search: its terms, the exact keys it looks for and the group it
// is limited to. A search's positions mean nothing for another search, so its cursors carry
// this and are refused by any other (a short hash keeps the cursor small and the query out of
// it).
func queryFingerprint(terms []string, exactKeys [3]string, groupID string) string {
	h := sha256.New()
	for _, part := range [][]string{terms, exactKeys[:], {groupID}} {
		h.Write([]byte(strings.Join(part, "\x00")))
		h.Write([]byte{0x01})
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// pageLimit is the page size a list asks for: DefaultPageSize when it asks for none, and a
// field error on "limit" outside 1..MaxPageSize.
func pageLimit(limit int, problems *domain.Problems) int {
	switch {
	case limit == 0:
		return DefaultPageSize
	case limit < 1 || limit > MaxPageSize:
		problems.Add("limit", domain.FieldOutOfRange, map[string]any{"min": 1, "max": MaxPageSize})
	}
	return limit
}
