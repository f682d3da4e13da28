package sqlstore

import (
	"context"
	"slices"
	"strings"

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
//     turned into the few whole words they start (pgvocab.go), which GIN answers far faster.
//
// Each tier of results (search.TierQueries: name words, name prefixes, the rest) is such a
// search of its own, run in turn until the page is full.

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

// pgSyntax is how a tsquery combines expressions.
var pgSyntax = search.Syntax{And: " & ", Or: " | "}

// pgTierQueries returns each tier's tsquery (search.TierQueries), to be cast with ::tsquery
// (lexemes as they are, no parsing). Terms hold only letters and digits, and their
// alternatives and forms add only the marks of internal/search, so quoted they are plain
// lexemes whatever they spell. A term matches the words it starts (:*, or the whole words
// the vocabulary lists for it, see pgvocab.go) and, in its marked form, an e-mail word equal
// to it. The vocabulary also tells which name forms no customer has: a tier that needs one
// has no matches and is skipped without a query.
func (t *tx) pgTierQueries(ctx context.Context, terms []string) ([3]search.TierQuery, error) {
	var lookup []string
	for _, term := range terms {
		lookup = append(lookup, search.NameForm(term))
		lookup = append(lookup, search.Alternatives(term)...)
	}
	vocab, err := t.pgVocabulary(ctx, lookup)
	if err != nil {
		return [3]search.TierQuery{}, err
	}
	return search.TierQueries(pgTermForms(terms, vocab), pgSyntax), nil
}

// pgTermForms writes the lexemes each term stands for, given what the vocabulary says.
func pgTermForms(terms []string, vocab map[string]pgVocab) []search.TermForms {
	quote := func(w string) string { return "'" + w + "'" }
	forms := make([]search.TermForms, len(terms))
	for i, term := range terms {
		f := &forms[i]
		name := search.NameForm(term)
		v := vocab[name]
		if v.whole {
			f.Whole = []string{quote(name)}
		}
		switch {
		case !search.IsPrefixTerm(term):
			f.Prefix = f.Whole
		case v.many:
			f.Prefix = []string{quote(name) + ":*"}
			f.Strict = f.Prefix
		default:
			for _, w := range v.words {
				f.Prefix = append(f.Prefix, quote(w))
				if w != name {
					f.Strict = append(f.Strict, quote(w))
				}
			}
		}
		for _, a := range search.Alternatives(term) {
			v, looked := vocab[a]
			switch {
			case looked && !v.many:
				for _, w := range v.words {
					f.Other = append(f.Other, quote(w))
				}
			case search.IsPrefixTerm(a):
				f.Other = append(f.Other, quote(a)+":*")
			default:
				f.Other = append(f.Other, quote(a))
			}
			if !strings.HasPrefix(a, search.ReversedMark) { // no e-mail word is a reversed number
				f.Other = append(f.Other, quote(emailMark+a))
			}
		}
	}
	return forms
}

// pgTier is one tier's search: its tsqueries (search.TierQuery) and where it starts.
type pgTier struct {
	pos, neg string
	after    int64
}

// where is the condition a row of the tier meets, for table alias c (or none), with its
// arguments.
func (q pgTier) where(c string) (string, []any) {
	if q.neg == "" {
		return c + "search_tsv @@ ?::tsquery", []any{q.pos}
	}
	return c + "search_tsv @@ ?::tsquery AND NOT " + c + "search_tsv @@ ?::tsquery", []any{q.pos, q.neg}
}

// pgWindowSQL returns the first limit matches of a tier among the window customers that
// follow the first skip customers after q.after (step 1; skip > 0: step 1b).
func pgWindowSQL(groupID string, q pgTier, skip, window, limit int) (string, []any) {
	group := ""
	if groupID != "" {
		group = " AND group_id = ?"
	}
	args := []any{q.after}
	start := "?"
	if skip > 0 {
		start = "(SELECT seq FROM customers WHERE seq > ?" + group + " ORDER BY seq OFFSET ? LIMIT 1)"
		if groupID != "" {
			args = append(args, groupID)
		}
		args = append(args, skip-1)
	}
	if groupID != "" {
		args = append(args, groupID)
	}
	match, matchArgs := q.where("c.")
	args = append(append(append(args, window), matchArgs...), limit)
	return "SELECT " + customerColumns + " FROM (SELECT * FROM customers WHERE seq > " + start + group +
		" ORDER BY seq LIMIT ?) c WHERE " + match + " ORDER BY c.seq LIMIT ?", args
}

// pgRestSQL is step 2: the first matches of a tier after the first covered customers after
// q.after (the windows of steps 1 and 1b). The last covered seq is found by a subquery
// (NULL, so nothing, when the window reached the end). The GIN index collects every later
// match inside a materialised CTE, which also takes the first ones; the tier's neg is a
// filter on those rows, not an index condition. "seq + 0" keeps the primary key out of it:
// ordering by it would let the planner walk the key instead (a full scan for a rare word),
// and filtering on it, with the subquery's value unknown when planning, makes it AND the GIN
// bitmap with a bitmap of the whole key (~40 ms). Limiting before the join reads only the
// rows shown.
func pgRestSQL(groupID string, q pgTier, covered, limit int) (string, []any) {
	group := ""
	if groupID != "" {
		group = " AND group_id = ?"
	}
	match, args := q.where("")
	sql := "WITH m AS MATERIALIZED (SELECT seq FROM customers WHERE " + match + group +
		" AND seq + 0 > (SELECT seq FROM customers WHERE seq > ?" + group + " ORDER BY seq OFFSET ? LIMIT 1)" +
		" ORDER BY seq + 0 LIMIT ?) SELECT " + customerColumns + " FROM customers c JOIN m ON m.seq = c.seq ORDER BY c.seq"
	if groupID != "" {
		args = append(args, groupID)
	}
	args = append(args, q.after)
	if groupID != "" {
		args = append(args, groupID)
	}
	return sql, append(args, covered-1, limit)
}

// pgMaxMoreWindows bounds step 1b: it walks at most this many windows more.
const pgMaxMoreWindows = 2

// pgMatchTier returns the first limit matches of one tier, along the two roads.
func (t *tx) pgMatchTier(ctx context.Context, groupID string, q pgTier, window, limit int) ([]domain.Customer, error) {
	sql, args := pgWindowSQL(groupID, q, 0, window, limit)
	found, err := t.scanCustomers(t.query(ctx, sql, args...))
	if err != nil || len(found) >= limit {
		return found, err
	}
	covered := window
	// The window found some matches but not a page. Step 2 would fetch every later
	// match from the table, a few thousand for a word this common; walking on in order until
	// the page is likely full (half as far again as the window's rate says) costs less, up
	// to a few windows.
	if k := len(found); k > 0 {
		more := (limit - k) * window * 3 / (2 * k)
		if more <= pgMaxMoreWindows*window {
			sql, args = pgWindowSQL(groupID, q, covered, more, limit-k)
			next, err := t.scanCustomers(t.query(ctx, sql, args...))
			if err != nil {
				return nil, err
			}
			if found = append(found, next...); len(found) >= limit {
				return found, nil
			}
			covered += more
		}
	}
	sql, args = pgRestSQL(groupID, q, covered, limit-len(found))
	rest, err := t.scanCustomers(t.query(ctx, sql, args...))
	if err != nil {
		return nil, err
	}
	return append(found, rest...), nil
}
