package web

import (
	"errors"
	"net/http"

	"github.com/clientela/clientela/internal/domain"
)

type accountPage struct {
	Language string
	form     // the password form
	Message  string
}

// passwordFormFields name the password form's fields for its summary.
var passwordFormFields = []formField{
	{"current_password", "account.current_password", ""}, {"new_password", "account.new_password", ""},
	{"confirm_password", "account.confirm_password", ""}, {"password", "account.new_password", ""},
}

// accountForm is the signed-in user's own settings: language and password.
func (s *Server) accountForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.render(w, r, rq, http.StatusOK, "account", accountPage{Language: rq.p.Language})
}

func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := s.app.SetLanguage(r.Context(), rq.p, r.PostForm.Get("language")); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.language_saved", nil)
	http.Redirect(w, r, "/settings/account", http.StatusSeeOther)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := accountPage{Language: rq.p.Language}
	next := r.PostForm.Get("new_password")
	var problems []domain.FieldError
	if next != r.PostForm.Get("confirm_password") {
		problems = append(problems, domain.FieldError{Field: "confirm_password", Code: "mismatch"})
	} else {
		secret, err := s.app.ChangePassword(r.Context(), rq.p, r.PostForm.Get("current_password"), next)
		var de *domain.Error
		switch {
		case err == nil:
			// The use case replaced this session with a new one (a new id, as at any login).
			setSessionCookie(w, r, secret)
			s.setFlash(w, r, "flash.password_changed", nil)
			http.Redirect(w, r, "/settings/account", http.StatusSeeOther)
			return nil
		case errors.As(err, &de) && de.Code == domain.CodeRateLimited:
			setRetryAfter(w, de)
			page.Message = s.msgs.T(rq.lang, "login.too_many_attempts", map[string]any{"minutes": retryMinutes(de)})
			return s.render(w, r, rq, http.StatusTooManyRequests, "account", page)
		case errors.As(err, &de) && de.Code == domain.CodeBusy:
			setRetryAfter(w, de)
			page.Message = s.msgs.T(rq.lang, "error.busy", nil)
			return s.render(w, r, rq, http.StatusServiceUnavailable, "account", page)
		default:
			if problems = fieldProblems(err); problems == nil {
				return err
			}
		}
	}
	page.Errors = s.fieldMessages(rq, problems)
	s.summarize(rq, &page.form, passwordFormFields)
	return s.render(w, r, rq, http.StatusUnprocessableEntity, "account", page)
}

type usersPage struct {
	Users []domain.User
	Self  string
	form
	Message string
	Roles   []domain.Role
}

var allRoles = []domain.Role{domain.RoleCashier, domain.RoleManager, domain.RoleAdmin}

// userList is the admin's page of users: add one, change a role, disable or enable.
func (s *Server) userList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderUsers(w, r, rq, http.StatusOK, usersPage{form: form{Values: map[string]string{"role": string(domain.RoleCashier)}}})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, rq *request, status int, page usersPage) error {
	users, err := s.app.Users(r.Context(), rq.p)
	if err != nil {
		return err
	}
	page.Users, page.Self, page.Roles = users, rq.p.UserID, allRoles
	return s.render(w, r, rq, status, "users", page)
}

func (s *Server) userAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	values := map[string]string{"username": r.PostForm.Get("username"), "role": r.PostForm.Get("role")}
	u, err := s.app.AddUser(r.Context(), rq.p, values["username"], domain.Role(values["role"]), r.PostForm.Get("password"))
	if err == nil {
		s.setFlash(w, r, "flash.user_added", map[string]any{"name": u.Username})
		http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
		return nil
	}
	problems := fieldProblems(err)
	if problems == nil {
		return err
	}
	page := usersPage{form: form{Values: values, Errors: s.fieldMessages(rq, problems)}}
	s.summarize(rq, &page.form, []formField{{"username", "users.col_username", ""}, {"role", "users.col_role", ""}, {"password", "login.password", ""}})
	return s.renderUsers(w, r, rq, problemStatus(problems), page)
}

func (s *Server) userSetRole(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	err := s.app.SetUserRole(r.Context(), rq.p, r.PathValue("id"), domain.Role(r.PostForm.Get("role")))
	return s.afterUserChange(w, r, rq, err, "flash.role_changed")
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, rq *request) error {
	err := s.app.SetUserDisabled(r.Context(), rq.p, r.PathValue("id"), true)
	return s.afterUserChange(w, r, rq, err, "flash.user_disabled")
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request, rq *request) error {
	err := s.app.SetUserDisabled(r.Context(), rq.p, r.PathValue("id"), false)
	return s.afterUserChange(w, r, rq, err, "flash.user_enabled")
}

// afterUserChange shows a refusal (the last admin, oneself) on the users page, or goes back
// to it with a confirmation.
func (s *Server) afterUserChange(w http.ResponseWriter, r *http.Request, rq *request, err error, done string) error {
	if err == nil {
		s.setFlash(w, r, done, nil)
		http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
		return nil
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	key, status := "", http.StatusConflict
	switch de.Code {
	case domain.CodeConflict:
		key = "web.user_refused"
		if reason, ok := de.Details["reason"].(string); ok && (reason == "last_admin" || reason == "self") {
			key = "web.user_refused_" + reason
		}
	case domain.CodeInvalid:
		key, status = "web.role_invalid", http.StatusUnprocessableEntity
	default:
		return err
	}
	page := usersPage{form: form{Values: map[string]string{"role": string(domain.RoleCashier)}}, Message: s.msgs.T(rq.lang, key, nil)}
	return s.renderUsers(w, r, rq, status, page)
}

type tokensPage struct {
	Tokens []domain.APIToken
	Users  []domain.User
	form
	Message   string
	NewSecret string // shown once, right after creation
	NewName   string
}

// tokenList is the admin's page of API tokens: create one (its secret is shown once) and
// revoke.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderTokens(w, r, rq, http.StatusOK, tokensPage{form: form{Values: map[string]string{}}})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, rq *request, status int, page tokensPage) error {
	tokens, err := s.app.APITokens(r.Context(), rq.p)
	if err != nil {
		return err
	}
	users, err := s.app.Users(r.Context(), rq.p)
	if err != nil {
		return err
	}
	page.Tokens, page.Users = tokens, users
	return s.render(w, r, rq, status, "tokens", page)
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	values := map[string]string{"username": r.PostForm.Get("username"), "name": r.PostForm.Get("name")}
	secret, err := s.app.CreateAPIToken(r.Context(), rq.p, values["username"], values["name"])
	if err == nil {
		// Rendered, not redirected: the secret exists only in this answer.
		return s.renderTokens(w, r, rq, http.StatusOK, tokensPage{form: form{Values: map[string]string{}}, NewSecret: secret, NewName: values["name"]})
	}
	problems := fieldProblems(err)
	if problems == nil {
		return err
	}
	page := tokensPage{form: form{Values: values, Errors: s.fieldMessages(rq, problems)}}
	s.summarize(rq, &page.form, []formField{{"username", "tokens.col_user", ""}, {"name", "tokens.col_name", ""}})
	return s.renderTokens(w, r, rq, problemStatus(problems), page)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.app.RevokeAPIToken(r.Context(), rq.p, r.PathValue("id")); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.token_revoked", nil)
	http.Redirect(w, r, "/settings/tokens", http.StatusSeeOther)
	return nil
}

// RoleOptions are the roles for the add-user form, named in the user's language.
func (p usersPage) RoleOptions(l loc) []option {
	out := make([]option, 0, len(p.Roles))
	for _, r := range p.Roles {
		out = append(out, option{Value: string(r), Label: l.T("role." + string(r))})
	}
	return out
}

// UserOptions are the enabled users a new token may belong to.
func (p tokensPage) UserOptions() []option {
	var out []option
	for _, u := range p.Users {
		if u.DisabledAt == nil {
			out = append(out, option{Value: u.Username, Label: u.Username})
		}
	}
	return out
}
