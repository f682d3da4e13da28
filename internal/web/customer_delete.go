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
	if err := s.app.DeleteCustomer(r.Context(), rq.p, r.PathValue("id")); err != nil {
		return err
	}
	// The message does not name the customer: the flash travels in a cookie, and a deleted
	// customer's data is to be gone, not kept in the browser.
	s.setFlash(w, r, "flash.customer_deleted", nil)
	http.Redirect(w, r, "/customers", http.StatusSeeOther)
	return nil
}
