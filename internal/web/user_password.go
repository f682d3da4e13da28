package web

import (
	"net/http"

	"github.com/clientela/clientela/internal/domain"
)

type userPasswordPage struct {
	form
	User    domain.User
	Message string
}

// userPasswordForm lets an admin give a user who forgot their password a new one.
func (s *Server) userPasswordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	u, err := s.app.User(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, rq, http.StatusOK, "user_password", userPasswordPage{User: u})
}

func (s *Server) userPasswordSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, err := s.app.User(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	password := r.PostForm.Get("password")
	var problems []domain.FieldError
	if password != r.PostForm.Get("confirm_password") {
		problems = []domain.FieldError{{Field: "confirm_password", Code: "mismatch"}}
	} else if err := s.app.ResetPassword(r.Context(), rq.p, u.Username, password); err == nil {
		s.setFlash(w, r, "flash.password_reset", map[string]any{"name": u.Username})
		http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
		return nil
	} else if problems = fieldProblems(err); problems == nil {
		return err
	}
	page := userPasswordPage{User: u, form: form{Errors: s.fieldMessages(rq, problems)}}
	s.summarize(rq, &page.form, passwordFormFields)
	return s.render(w, r, rq, problemStatus(problems), "user_password", page)
}
