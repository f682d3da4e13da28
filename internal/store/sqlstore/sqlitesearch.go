package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/search"
)

// How SQLite searches. FTS5 answers a whole word, or a prefix that has a prefix index
// (3, 4 or 5 characters), by walking doclists lazily in rowid order: the first page costs
// microseconds even for "garcia". A longer prefix ("garcia") FTS5 answers by first merging
// the doclists of every word that starts with it, which for a common name costs milliseconds.
// So longer prefixes are looked up in customer_search_words, the vocabulary of words of six
// characters or more, and asked for as an OR of the whole words they start ("garcia" OR
// "garcias"), which FTS5 again walks lazily. A prefix of too many words falls back to FTS5's
// own prefix query.
//
// Name words are indexed marked ("¶garcia", search.NameMark), so a name prefix is one
// character longer than the term: "garci" is looked for among names as "¶garci", through the
// vocabulary. Each tier of results (search.TierQueries) is one FTS5 query, walked in rowid
// order like any other.

const (
	minVocabularyLen = 6   // shorter prefixes use the prefix indexes (3, 4 and 5 characters)
	maxExpansion     = 256 // more words than this: FTS5 prefix query
)

// ftsSyntax is how FTS5 queries combine expressions.
var ftsSyntax = search.Syntax{And: " AND ", Or: " OR "}

// inVocabulary reports whether a word, or a prefix, is long enough for the vocabulary and
// starts with a letter (after the name mark, if any). Digits (phone numbers, references) are
// nearly unique, so their prefixes merge small doclists and need no vocabulary.
func inVocabulary(w string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(w, search.NameMark))
	return unicode.IsLetter(r) && utf8.RuneCountInString(w) >= minVocabularyLen
}

// vocabularyWords are the words of a search document that go into the vocabulary.
func vocabularyWords(doc string) []string {
	var out []string
	for _, w := range strings.Fields(doc) {
		if inVocabulary(w) {
			out = append(out, w)
		}
	}
	return out
}

// ftsTierQueries returns the FTS5 expression of each tier (search.TierQueries) for search
// terms; "" for a tier that cannot have matches.
func (t *tx) ftsTierQueries(ctx context.Context, terms []string) ([3]string, error) {
	var out [3]string
	forms := make([]search.TermForms, len(terms))
	for i, term := range terms {
		f := &forms[i]
		name := search.NameForm(term)
		f.Whole = []string{quoteFTS(name)}
		switch words, expanded, err := t.ftsWords(ctx, name); {
		case err != nil:
			return out, err
		case !search.IsPrefixTerm(term):
			f.Prefix = f.Whole
		case expanded:
			f.Whole = nil
			for _, w := range words {
				f.Prefix = append(f.Prefix, quoteFTS(w))
				if w == name {
					f.Whole = []string{quoteFTS(w)}
				} else {
					f.Strict = append(f.Strict, quoteFTS(w))
				}
			}
		default:
			f.Prefix = []string{quoteFTS(name) + "*"}
			f.Strict = f.Prefix
		}
		for _, a := range search.Alternatives(term) {
			phrases, err := t.ftsPhrases(ctx, a)
			if err != nil {
				return out, err
			}
			f.Other = append(f.Other, phrases...)
		}
	}
	for i, q := range search.TierQueries(forms, ftsSyntax) {
		switch {
		case !q.OK:
		case q.Neg == "":
			out[i] = q.Pos
		default:
			out[i] = "(" + q.Pos + ") NOT (" + q.Neg + ")"
		}
	}
	return out, nil
}

// quoteFTS makes a word a plain string to FTS5 whatever it spells (AND, NEAR…). Words hold
// only letters, digits and the marks of internal/search, never a quote.
func quoteFTS(w string) string { return `"` + w + `"` }

// ftsPhrases returns the FTS5 phrases that find the words a term (not a name form) stands
// for.
func (t *tx) ftsPhrases(ctx context.Context, term string) ([]string, error) {
	if !search.IsPrefixTerm(term) {
		return []string{quoteFTS(term)}, nil
	}
	words, expanded, err := t.ftsWords(ctx, term)
	if err != nil || !expanded {
		return []string{quoteFTS(term) + "*"}, err
	}
	phrases := make([]string, len(words))
	for i, w := range words {
		phrases[i] = quoteFTS(w)
	}
	return phrases, nil
}

// ftsWords returns the words of the vocabulary that start with prefix. expanded is false
// when the prefix is not one the vocabulary holds, or starts more than maxExpansion words:
// then it must be asked for as a prefix.
func (t *tx) ftsWords(ctx context.Context, prefix string) (words []string, expanded bool, err error) {
	if !inVocabulary(prefix) {
		return nil, false, nil
	}
	rows, err := t.query(ctx, "SELECT word FROM customer_search_words WHERE word >= ? AND word < ? ORDER BY word LIMIT ?",
		prefix, prefix+"\xff", maxExpansion+1)
	if err != nil {
		return nil, false, fmt.Errorf("search vocabulary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, false, fmt.Errorf("search vocabulary: %w", err)
		}
		words = append(words, w)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("search vocabulary: %w", err)
	}
	if len(words) > maxExpansion {
		return nil, false, nil
	}
	return words, true, nil
}

// ftsTierSQL is the statement that finds the next matches of one tier, whose FTS5
// expression is the first argument, after seq. FTS5 walks its doclists in rowid order and
// stops at the LIMIT: no match is scored.
func ftsTierSQL(expr, groupID string, after int64, limit int) (string, []any) {
	q := "SELECT " + customerColumns + " FROM customer_search s JOIN customers c ON c.seq = s.rowid WHERE customer_search MATCH ? AND s.rowid > ?"
	args := []any{expr, after}
	if groupID != "" {
		q += " AND c.group_id = ?"
		args = append(args, groupID)
	}
	return q + " ORDER BY s.rowid LIMIT ?", append(args, limit)
}
