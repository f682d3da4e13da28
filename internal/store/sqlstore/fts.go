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
// (3 characters), by walking doclists lazily in rowid order: the first page costs
// microseconds even for "garcia". A longer prefix ("garc") FTS5 answers by first merging the
// doclists of every word that starts with it, which for a common name costs milliseconds. So
// longer prefixes are looked up in customer_search_words, the vocabulary of words of four
// letters or more, and asked for as an OR of the whole words they start ("garcia" OR
// "garcias"), which FTS5 again walks lazily. A prefix of too many words falls back to FTS5's
// own prefix query.

const (
	minVocabularyLen = 6   // shorter prefixes use the prefix indexes (3, 4 and 5 characters)
	maxExpansion     = 256 // more words than this: FTS5 prefix query
)

// vocabularyWords are the words of a search document that go into the vocabulary.
func vocabularyWords(doc string) []string {
	var out []string
	for _, w := range strings.Fields(doc) {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsLetter(r) && utf8.RuneCountInString(w) >= minVocabularyLen {
			out = append(out, w)
		}
	}
	return out
}

// ftsQuery builds the FTS5 expression for search terms. ok is false when a term starts no
// word at all, so nothing can match.
func (t *tx) ftsQuery(ctx context.Context, terms []string) (expr string, ok bool, err error) {
	parts := make([]string, 0, len(terms))
	for _, term := range terms {
		var alts []string
		for _, a := range search.Alternatives(term) {
			phrases, err := t.ftsPhrases(ctx, a)
			if err != nil {
				return "", false, err
			}
			alts = append(alts, phrases...)
		}
		if len(alts) == 0 {
			return "", false, nil
		}
		parts = append(parts, "("+strings.Join(alts, " OR ")+")")
	}
	return strings.Join(parts, " AND "), true, nil
}

// ftsPhrases returns the FTS5 phrases that find the words a term stands for. Terms hold only
// letters and digits; quoting makes each a plain string to FTS5 whatever it spells (AND,
// NEAR…).
func (t *tx) ftsPhrases(ctx context.Context, term string) ([]string, error) {
	quoted := `"` + term + `"`
	first, _ := utf8.DecodeRuneInString(term)
	switch {
	case !search.IsPrefixTerm(term):
		return []string{quoted}, nil
	case utf8.RuneCountInString(term) < minVocabularyLen || !unicode.IsLetter(first):
		// Digits: phone numbers and references are nearly unique, so their prefixes
		// merge small doclists.
		return []string{quoted + "*"}, nil
	}
	rows, err := t.query(ctx, "SELECT word FROM customer_search_words WHERE word >= ? AND word < ? ORDER BY word LIMIT ?",
		term, term+"\xff", maxExpansion+1)
	if err != nil {
		return nil, fmt.Errorf("search vocabulary: %w", err)
	}
	defer rows.Close()
	var phrases []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, fmt.Errorf("search vocabulary: %w", err)
		}
		phrases = append(phrases, `"`+w+`"`)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search vocabulary: %w", err)
	}
	if len(phrases) > maxExpansion {
		return []string{quoted + "*"}, nil
	}
	return phrases, nil
}
