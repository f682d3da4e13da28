package web

import (
	"net/http"
)

type customerDeletePage struct {
	ID   string
	Name string
}

// customerDeleteForm asks to confirm, naming the customer: the red trash icon of the list
// leads here, and works without JavaScript.
func (s *Server) customerDeleteForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.app.Customer(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, rq, http.StatusOK, "customer_delete", customerDeletePage{ID: c.ID, Name: c.DisplayName()})
}

func (s *Server) customerDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	c, err := s.app.Customer(r.Context(), rq.p, id)
	if err != nil {
		return err
	}
	if err := s.app.DeleteCustomer(r.Context(), rq.p, id); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.customer_deleted", map[string]any{"name": c.DisplayName()})
	http.Redirect(w, r, "/customers", http.StatusSeeOther)
	return nil
}
