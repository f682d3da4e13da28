package sqlstore

import (
	"context"
	"fmt"
	"strings"
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
// expanded: every indexed word that starts with neither a digit nor the e-mail or
// reversed-number mark, so every name word ("¶garcia", "¶2000") too. Triggers keep it in step
// with customers.

// pgMaxExpansion is the most whole words a prefix is turned into; a prefix of more words is
// asked for as a prefix.
const pgMaxExpansion = 16

// expandable reports whether a term is looked up in the vocabulary: a prefix term that starts
// with a letter, or any name form (the vocabulary holds every name word, so it also tells
// which name words do not exist). Other digit prefixes (phone numbers, references) start
// thousands of nearly unique words each, but their posting lists are short, so the GIN
// prefix query is cheap.
func expandable(term string) bool {
	if strings.HasPrefix(term, search.NameMark) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(term)
	return search.IsPrefixTerm(term) && unicode.IsLetter(r)
}

// pgVocab is what the vocabulary says about a prefix.
type pgVocab struct {
	words []string // the words it starts, when there are at most pgMaxExpansion
	many  bool     // it starts more: words is empty, ask for the prefix
	whole bool     // it is a word itself
}

// pgVocabulary looks up each expandable term of lookup in the vocabulary.
func (t *tx) pgVocabulary(ctx context.Context, lookup []string) (map[string]pgVocab, error) {
	out := make(map[string]pgVocab, len(lookup))
	var terms []string
	for _, term := range lookup {
		if _, seen := out[term]; !seen && expandable(term) {
			out[term] = pgVocab{}
			terms = append(terms, term)
		}
	}
	if len(terms) == 0 {
		return out, nil
	}
	// chr(1114111) is the last code point: in the "C" collation every word that starts with
	// the term sorts before the term followed by it, and the term itself first.
	rows, err := t.query(ctx, `SELECT t.term, w.word FROM unnest(?::text[]) AS t(term)
		CROSS JOIN LATERAL (SELECT word FROM customer_search_words
			WHERE word >= t.term AND word < t.term || chr(1114111) ORDER BY word LIMIT ?) w`,
		terms, pgMaxExpansion+1)
	if err != nil {
		return nil, fmt.Errorf("search vocabulary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var term, word string
		if err := rows.Scan(&term, &word); err != nil {
			return nil, fmt.Errorf("search vocabulary: %w", err)
		}
		v := out[term]
		v.whole = v.whole || word == term
		v.words = append(v.words, word)
		out[term] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search vocabulary: %w", err)
	}
	for term, v := range out {
		if len(v.words) > pgMaxExpansion {
			out[term] = pgVocab{many: true, whole: v.whole}
		}
	}
	return out, nil
}
