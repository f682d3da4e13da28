package sqlstore

import (
	"context"
	"slices"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
)

// How PostgreSQL searches. Results come in seq order so that pages follow one another, but
// a GIN index yields matches in no order: asking for "the first 20 matches by seq" makes the
// planner either walk the primary key checking every row (fast for a common word, a full scan
// for a rare one) or collect every match and sort (fast for a rare word, slow for "garcia").
// Its choice rests on estimates that are often wrong for prefixes. So the search takes both
// roads in turn, each bounded:
//  1. walk the next few thousand customers in seq order, keeping those that match (the stored
//     tsvector makes each check cheap); a common word fills the page here. If it found some
//     matches but not a page, walk on in order as far as their rate says the page needs, up
//     to a few windows more;
//  2. if the page is still not full, the words are rare: collect through the GIN index every
//     match after the rows walked, and take the first ones by seq. Prefixes of letters are
//     first turned into the few whole words they start (pgvocab.go), which GIN answers far
//     faster.

// defaultPGWindow is how many customers the first step checks.
const defaultPGWindow = 4000

// emailMark starts the indexed form of a word that a customer has only in their e-mail
// address. Such words are matched whole, never as a prefix: address local parts run names
// together ("mariacarmen", "jlopez", "josegarcia"), so at a million customers "maria" starts
// thousands of them, and a GIN prefix query merges the posting lists of every one (~30 ms).
// Query terms hold only letters and digits, so no prefix of a term reaches a marked word.
const emailMark = "@"

// pgDocument is the search document PostgreSQL stores for c: the tokens of
// c.SearchDocument(), those that come only from the e-mail address marked with emailMark.
// The database indexes them as they are (array_to_tsvector, no parsing).
func pgDocument(c *domain.Customer) string {
	doc := c.SearchDocument()
	if c.Email == "" {
		return doc
	}
	withoutEmail := *c
	withoutEmail.Email = ""
	others := strings.Fields(withoutEmail.SearchDocument())
	tokens := strings.Fields(doc)
	for i, t := range tokens {
		if !slices.Contains(others, t) {
			tokens[i] = emailMark + t
		}
	}
	return strings.Join(tokens, " ")
}

// pgQuery is the tsquery for search terms, to be cast with ::tsquery (lexemes as they are,
// no parsing). Terms hold only letters and digits, and their alternatives add only the
// reversed-ending mark, so quoted they are plain lexemes whatever they spell. A term matches the words it starts (:*, or the whole words listed for it in
// expansions, see pgvocab.go) and, in its marked form, an e-mail word equal to it.
func pgQuery(terms []string, expansions map[string][]string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		var alts []string
		for _, a := range search.Alternatives(t) {
			words, expanded := expansions[a]
			switch {
			case expanded:
				for _, w := range words {
					alts = append(alts, "'"+w+"'")
				}
			case search.IsPrefixTerm(a):
				alts = append(alts, "'"+a+"':*")
			default:
				alts = append(alts, "'"+a+"'")
			}
			if !strings.HasPrefix(a, search.ReversedMark) { // no e-mail word is a reversed number
				alts = append(alts, "'"+emailMark+a+"'")
			}
		}
		parts[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(parts, " & ")
}

// pgWindowSQL is step 1: matches among the next window customers after f.AfterSeq.
func pgWindowSQL(f app.MatchFilter, window int) (string, []any) {
	return pgWindowAfterSQL(f, 0, window, f.Limit)
}

// pgWindowAfterSQL returns the first limit matches among the window customers that follow
// the first skip customers after f.AfterSeq.
func pgWindowAfterSQL(f app.MatchFilter, skip, window, limit int) (string, []any) {
	group := ""
	if f.GroupID != "" {
		group = " AND group_id = ?"
	}
	args := []any{f.AfterSeq}
	start := "?"
	if skip > 0 {
		start = "(SELECT seq FROM customers WHERE seq > ?" + group + " ORDER BY seq OFFSET ? LIMIT 1)"
		if f.GroupID != "" {
			args = append(args, f.GroupID)
		}
		args = append(args, skip-1)
	}
	if f.GroupID != "" {
		args = append(args, f.GroupID)
	}
	args = append(args, window, pgQuery(f.Terms, nil), limit)
	return "SELECT " + customerColumns + " FROM (SELECT * FROM customers WHERE seq > " + start + group +
		" ORDER BY seq LIMIT ?) c WHERE c.search_tsv @@ ?::tsquery ORDER BY c.seq LIMIT ?", args
}

// pgRestSQL is step 2: the first matches after the first covered customers after
// f.AfterSeq (the windows of steps 1 and 1b). The last covered seq is found by a subquery (NULL, so nothing, when the window reached the end). The GIN index collects
// every later match inside a materialised CTE, which also takes the first ones. "seq + 0"
// keeps the primary key out of it: ordering by it would let the planner walk the key instead
// (a full scan for a rare word), and filtering on it, with the subquery's value unknown when
// planning, makes it AND the GIN bitmap with a bitmap of the whole key (~40 ms). Limiting
// before the join reads only the rows shown.
func pgRestSQL(f app.MatchFilter, expansions map[string][]string, covered, limit int) (string, []any) {
	group := ""
	if f.GroupID != "" {
		group = " AND group_id = ?"
	}
	q := "WITH m AS MATERIALIZED (SELECT seq FROM customers WHERE search_tsv @@ ?::tsquery" + group +
		" AND seq + 0 > (SELECT seq FROM customers WHERE seq > ?" + group + " ORDER BY seq OFFSET ? LIMIT 1)" +
		" ORDER BY seq + 0 LIMIT ?) SELECT " + customerColumns + " FROM customers c JOIN m ON m.seq = c.seq ORDER BY c.seq"
	args := []any{pgQuery(f.Terms, expansions)}
	if f.GroupID != "" {
		args = append(args, f.GroupID)
	}
	args = append(args, f.AfterSeq)
	if f.GroupID != "" {
		args = append(args, f.GroupID)
	}
	return q, append(args, covered-1, limit)
}

// pgMaxMoreWindows bounds step 1b: it walks at most this many windows more.
const pgMaxMoreWindows = 2

func (t *tx) pgMatch(ctx context.Context, f app.MatchFilter) ([]domain.Customer, error) {
	window := t.d.pgWindow
	q, args := pgWindowSQL(f, window)
	found, err := t.scanCustomers(t.query(ctx, q, args...))
	if err != nil || len(found) >= f.Limit {
		return found, err
	}
	covered := window
	// The window found some matches but not a page. Step 2 would fetch every later
	// match from the table, a few thousand for a word this common; walking on in order until
	// the page is likely full (half as far again as the window's rate says) costs less, up
	// to a few windows.
	if k := len(found); k > 0 {
		more := (f.Limit - k) * window * 3 / (2 * k)
		if more <= pgMaxMoreWindows*window {
			q, args = pgWindowAfterSQL(f, covered, more, f.Limit-k)
			next, err := t.scanCustomers(t.query(ctx, q, args...))
			if err != nil {
				return nil, err
			}
			if found = append(found, next...); len(found) >= f.Limit {
				return found, nil
			}
			covered += more
		}
	}
	expansions, err := t.pgExpansions(ctx, f.Terms)
	if err != nil {
		return nil, err
	}
	q, args = pgRestSQL(f, expansions, covered, f.Limit-len(found))
	rest, err := t.scanCustomers(t.query(ctx, q, args...))
	if err != nil {
		return nil, err
	}
	return append(found, rest...), nil
}
