package httpapi

import (
	"net/http"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// duplicatePairJSON is a pair of customers who may be one: keep is the proposed survivor of
// a merge, other the record it would absorb, reasons what they share (strongest first).
type duplicatePairJSON struct {
	Keep    customerJSON `json:"keep"`
	Other   customerJSON `json:"other"`
	Reasons []string     `json:"reasons"`
	Score   int          `json:"score"`
	// MergeURL is the backoffice page that merges other into keep.
	MergeURL string `json:"merge_url"`
}

// duplicateClusterJSON is a value shared by too many customers to list their pairs.
type duplicateClusterJSON struct {
	Reason string       `json:"reason"`
	Value  *string      `json:"value"` // null for a name (stored as a hash)
	Count  int64        `json:"count"`
	Sample customerJSON `json:"sample"`
}

type duplicatesJSON struct {
	listJSON[duplicatePairJSON]
	Clusters []duplicateClusterJSON `json:"clusters"`
}

func reasonNames(r app.DuplicateReasons) []string {
	out := []string{}
	for _, f := range r.Fields() {
		out = append(out, string(f))
	}
	return out
}

// listDuplicates pages through the candidate pairs, strongest first (docs/duplicates.md).
func (s *Server) listDuplicates(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	page, err := s.app.Duplicates(r.Context(), p, app.DuplicatesQuery{Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	pairs := make([]duplicatePairJSON, len(page.Pairs))
	for i := range page.Pairs {
		pr := &page.Pairs[i]
		pairs[i] = duplicatePairJSON{Keep: toCustomerJSON(&pr.Keep), Other: toCustomerJSON(&pr.Other),
			Reasons: reasonNames(pr.Reasons), Score: pr.Reasons.Score(),
			MergeURL: "/customers/" + pr.Keep.ID + "/merge?absorb=" + pr.Other.ID}
	}
	out := duplicatesJSON{listJSON: newList(pairs, page.NextCursor), Clusters: []duplicateClusterJSON{}}
	for i := range page.Clusters {
		c := &page.Clusters[i]
		out.Clusters = append(out.Clusters, duplicateClusterJSON{Reason: string(c.Field), Value: optional(c.Value),
			Count: c.Count, Sample: toCustomerJSON(&c.Sample)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// dismissDuplicate records that customer {id} and other_id are two customers.
func (s *Server) dismissDuplicate(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	other := f.str("other_id")
	if err := f.done(); err != nil {
		return err
	}
	reasons, err := s.app.DismissDuplicate(r.Context(), p, r.PathValue("id"), other.Value)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"customer_id": r.PathValue("id"), "other_id": other.Value, "reasons": reasonNames(reasons)})
	return nil
}

// undismissDuplicate lists the pair again.
func (s *Server) undismissDuplicate(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	if err := s.app.UndismissDuplicate(r.Context(), p, r.PathValue("id"), r.PathValue("other_id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
