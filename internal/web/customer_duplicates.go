package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// dupSide is one customer of a pair as the page shows it.
type dupSide struct {
	ID, Name, TaxID, Email, Phone, PostalCode, Group string
	Created                                          time.Time
}

type dupPair struct {
	Keep, Other dupSide
	Reasons     []string // catalog keys, strongest first
	MergeHref   string
}

type dupCluster struct {
	Reason string // catalog key
	Value  string // empty for a name
	Count  int64
	Sample dupSide
	Search string // the register's search for it
}

type duplicatesPage struct {
	Pairs    []dupPair
	Clusters []dupCluster
	Cursor   string // this page's (to come back to after a dismissal)
	Next     string // the next page's link, empty on the last
}

// customerDuplicates is GET /customers/duplicates: the candidate pairs, strongest first, each
// with both customers side by side, a link to merge them and a "not a duplicate" button.
func (s *Server) customerDuplicates(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	cursor := r.URL.Query().Get("cursor")
	res, err := s.app.Duplicates(ctx, rq.p, app.DuplicatesQuery{Cursor: cursor})
	if domain.ErrorCode(err) == domain.CodeInvalid && cursor != "" {
		// A cursor from before the register changed: start again at the top.
		http.Redirect(w, r, "/customers/duplicates", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	shop, err := s.app.ShopCountry(ctx)
	if err != nil {
		return err
	}
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return err
	}
	side := func(c *domain.Customer) dupSide {
		d := dupSide{ID: c.ID, Name: c.DisplayName(), TaxID: c.TaxID, Email: c.Email, PostalCode: c.Address.PostalCode, Created: c.CreatedAt}
		if c.Phone != "" {
			d.Phone = domain.PhoneDisplay(c.Phone, shop)
		}
		if i := slices.IndexFunc(groups, func(g domain.Group) bool { return g.ID == c.GroupID }); c.GroupID != "" && i >= 0 {
			d.Group = groups[i].Name
		}
		return d
	}
	page := duplicatesPage{Cursor: cursor}
	for i := range res.Pairs {
		p := &res.Pairs[i]
		dp := dupPair{Keep: side(&p.Keep), Other: side(&p.Other), MergeHref: "/customers/" + p.Keep.ID + "/merge?absorb=" + p.Other.ID}
		for _, f := range p.Reasons.Fields() {
			dp.Reasons = append(dp.Reasons, "duplicates.reason_"+string(f))
		}
		page.Pairs = append(page.Pairs, dp)
	}
	for i := range res.Clusters {
		c := &res.Clusters[i]
		dc := dupCluster{Reason: "duplicates.reason_" + string(c.Field), Value: c.Value, Count: c.Count, Sample: side(&c.Sample)}
		q := c.Value
		if c.Field == app.SharedPhone {
			q = dc.Sample.Phone
			dc.Value = q // as the register shows numbers
		}
		if c.Field == app.SharedName {
			q = dc.Sample.Name
		}
		dc.Search = "/customers?" + url.Values{"q": {q}}.Encode()
		page.Clusters = append(page.Clusters, dc)
	}
	if res.NextCursor != "" {
		page.Next = "/customers/duplicates?" + url.Values{"cursor": {res.NextCursor}}.Encode()
	}
	return s.render(w, r, rq, http.StatusOK, "customer_duplicates", page)
}

// customerDuplicateDismiss is POST /customers/duplicates/dismiss: "No es duplicado" on a
// pair; back to the same page of the list, without the pair.
func (s *Server) customerDuplicateDismiss(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.app.DismissDuplicate(r.Context(), rq.p, r.PostForm.Get("keep"), r.PostForm.Get("other")); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.duplicate_dismissed", nil)
	back := "/customers/duplicates"
	if c := r.PostForm.Get("cursor"); c != "" {
		back += "?" + url.Values{"cursor": {c}}.Encode()
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
