package sqlstore

import (
	"context"
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
//     tsvector makes each check cheap); a common word fills the page here;
//  2. if the page is not full, the words are rare: collect through the GIN index every match
//     after the window, and take the first ones by seq.

// defaultPGWindow is how many customers the first step checks.
const defaultPGWindow = 4000

// pgQuery is the tsquery for search terms. Terms hold only letters and digits, so none can
// be an operator; :* asks for words that start with the term.
func pgQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		alts := search.Alternatives(t)
		for j, a := range alts {
			if search.IsPrefixTerm(a) {
				alts[j] = a + ":*"
			}
		}
		parts[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(parts, " & ")
}

// pgWindowSQL is step 1: matches among the next window customers after f.AfterSeq.
func pgWindowSQL(f app.MatchFilter, window int) (string, []any) {
	args := []any{f.AfterSeq}
	inner := "SELECT * FROM customers WHERE seq > ?"
	if f.GroupID != "" {
		inner += " AND group_id = ?"
		args = append(args, f.GroupID)
	}
	inner += " ORDER BY seq LIMIT ?"
	args = append(args, window, pgQuery(f.Terms), f.Limit)
	return "SELECT " + customerColumns + " FROM (" + inner + ") c WHERE c.search_tsv @@ to_tsquery('simple', ?) ORDER BY c.seq LIMIT ?", args
}

func (t *tx) pgMatch(ctx context.Context, f app.MatchFilter) ([]domain.Customer, error) {
	q, args := pgWindowSQL(f, t.d.pgWindow)
	found, err := t.scanCustomers(t.query(ctx, q, args...))
	if err != nil || len(found) >= f.Limit {
		return found, err
	}
	// Where did the window end? Nothing after it means the window covered the rest.
	endArgs := []any{f.AfterSeq}
	endQ := "SELECT seq FROM customers WHERE seq > ?"
	if f.GroupID != "" {
		endQ += " AND group_id = ?"
		endArgs = append(endArgs, f.GroupID)
	}
	endQ += " ORDER BY seq OFFSET ? LIMIT 1"
	endArgs = append(endArgs, t.d.pgWindow-1)
	rows, err := t.query(ctx, endQ, endArgs...)
	if err != nil {
		return nil, err
	}
	var windowEnd int64
	more := rows.Next()
	if more {
		err = rows.Scan(&windowEnd)
	}
	rows.Close()
	if err != nil || !more {
		return found, err
	}
	// Step 2: the GIN index finds every match after the window (the CTE keeps the planner
	// from walking the primary key instead), then the first ones are taken by seq.
	restArgs := []any{pgQuery(f.Terms), windowEnd}
	restQ := "WITH m AS MATERIALIZED (SELECT seq FROM customers WHERE search_tsv @@ to_tsquery('simple', ?) AND seq > ?"
	if f.GroupID != "" {
		restQ += " AND group_id = ?"
		restArgs = append(restArgs, f.GroupID)
	}
	restQ += ") SELECT " + customerColumns + " FROM customers c JOIN m ON m.seq = c.seq ORDER BY c.seq LIMIT ?"
	restArgs = append(restArgs, f.Limit-len(found))
	rest, err := t.scanCustomers(t.query(ctx, restQ, restArgs...))
	if err != nil {
		return nil, err
	}
	return append(found, rest...), nil
}
