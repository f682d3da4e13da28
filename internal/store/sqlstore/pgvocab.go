package sqlstore

import (
	"context"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/search"
)

// A GIN index answers a prefix query ('maria':*) by first merging the posting lists of every
// word that starts with the prefix into a bitmap: ~30 ms for "maria" at a million customers,
// even when another word of the query is rare. Asked for the same words as an OR of whole
// words, it skips through the lists, guided by the rarest word (~4 ms). But every extra word
// costs a step per candidate, so past a handful of words the bitmap is cheaper again
// (docs/performance.md). customer_search_words (migration 0003) lists the words that can be
// expanded; triggers keep it in step with customers.

// pgMaxExpansion is the most whole words a prefix is turned into; a prefix of more words is
// asked for as a prefix.
const pgMaxExpansion = 16

// expandable reports whether a term is looked up in the vocabulary: a prefix term that starts
// with a letter. Digit prefixes (phone numbers, references) start thousands of nearly unique
// words each, but their posting lists are short, so the GIN prefix query is cheap.
func expandable(term string) bool {
	r, _ := utf8.DecodeRuneInString(term)
	return search.IsPrefixTerm(term) && unicode.IsLetter(r)
}

// pgExpansions returns, for each expandable term (or alternative of one), the whole words it
// starts: an empty list when none does, no entry when there are more than pgMaxExpansion.
func (t *tx) pgExpansions(ctx context.Context, terms []string) (map[string][]string, error) {
	var lookup []string
	for _, term := range terms {
		for _, a := range search.Alternatives(term) {
			if expandable(a) {
				lookup = append(lookup, a)
			}
		}
	}
	if len(lookup) == 0 {
		return nil, nil
	}
	// chr(1114111) is the last code point: in the "C" collation every word that starts with
	// the term sorts before the term followed by it.
	rows, err := t.query(ctx, `SELECT t.term, w.word FROM unnest(?::text[]) AS t(term)
		CROSS JOIN LATERAL (SELECT word FROM customer_search_words
			WHERE word >= t.term AND word < t.term || chr(1114111) ORDER BY word LIMIT ?) w`,
		lookup, pgMaxExpansion+1)
	if err != nil {
		return nil, fmt.Errorf("search vocabulary: %w", err)
	}
	defer rows.Close()
	out := make(map[string][]string, len(lookup))
	for _, term := range lookup {
		out[term] = nil
	}
	for rows.Next() {
		var term, word string
		if err := rows.Scan(&term, &word); err != nil {
			return nil, fmt.Errorf("search vocabulary: %w", err)
		}
		out[term] = append(out[term], word)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search vocabulary: %w", err)
	}
	for term, words := range out {
		if len(words) > pgMaxExpansion {
			delete(out, term)
		}
	}
	return out, nil
}
