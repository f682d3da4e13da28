package httpapi

import (
	"net/http"

	"github.com/clientela/clientela/internal/domain"
)

type groupJSON struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	DiscountBasisPoints int64  `json:"discount_basis_points"`
	Description         string `json:"description"`
	MemberCount         int64  `json:"member_count"`
	CreatedAt           string `json:"created_at"`
	UpdatedAt           string `json:"updated_at"`
	Version             int64  `json:"version"`
}

func toGroupJSON(g *domain.Group) groupJSON {
	return groupJSON{ID: g.ID, Name: g.Name, DiscountBasisPoints: g.DiscountBasisPoints, Description: g.Description,
		MemberCount: g.MemberCount, CreatedAt: timeJSON(g.CreatedAt), UpdatedAt: timeJSON(g.UpdatedAt), Version: g.Version}
}

func readGroupChanges(w http.ResponseWriter, r *http.Request) (domain.GroupChanges, error) {
	var ch domain.GroupChanges
	obj, err := readObject(w, r)
	if err != nil {
		return ch, err
	}
	f := newFieldReader(obj, "")
	ch.Name, ch.Description = f.str("name"), f.str("description")
	ch.DiscountBasisPoints = f.integer("discount_basis_points")
	for _, ro := range []string{"id", "member_count", "created_at", "updated_at", "version"} {
		f.raw(ro)
	}
	return ch, f.done()
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	ch, err := readGroupChanges(w, r)
	if err != nil {
		return err
	}
	g, err := s.app.CreateGroup(r.Context(), p, ch)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/groups/"+g.ID)
	w.Header().Set("ETag", etag(g.Version))
	writeJSON(w, http.StatusCreated, toGroupJSON(&g))
	return nil
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	g, err := s.app.Group(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(g.Version))
	writeJSON(w, http.StatusOK, toGroupJSON(&g))
	return nil
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	page, err := s.app.Groups(r.Context(), p, limit, q.Get("cursor"))
	if err != nil {
		return err
	}
	out := make([]groupJSON, len(page.Groups))
	for i := range page.Groups {
		out[i] = toGroupJSON(&page.Groups[i])
	}
	writeJSON(w, http.StatusOK, newList(out, page.NextCursor))
	return nil
}

func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	ch, err := readGroupChanges(w, r)
	if err != nil {
		return err
	}
	g, err := s.app.UpdateGroup(r.Context(), p, r.PathValue("id"), match, ch)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(g.Version))
	writeJSON(w, http.StatusOK, toGroupJSON(&g))
	return nil
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	if err := s.app.DeleteGroup(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) moveGroupMembers(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	to := f.str("to_group_id")
	if err := f.done(); err != nil {
		return err
	}
	if !to.Set { // well-formed but incomplete: a validation error like any missing field
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "to_group_id", Code: domain.FieldRequired}}}
	}
	moved, err := s.app.MoveGroupMembers(r.Context(), p, r.PathValue("id"), to.Value)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"moved": moved})
	return nil
}
