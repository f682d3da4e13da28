package web

import (
	"net/http"
	"strings"

	"github.com/clientela/clientela/internal/domain"
)

// userDisableForm asks before disabling a user: they are signed out at once, and every API
// token of theirs stops working, so a till that uses one stops.
func (s *Server) userDisableForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	u, err := s.app.User(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !u.Enabled() {
		http.Redirect(w, r, "/settings/users", http.StatusSeeOther)
		return nil
	}
	tokens, err := s.app.APITokens(r.Context(), rq.p)
	if err != nil {
		return err
	}
	var names []string
	for _, t := range tokens {
		if t.UserID == u.ID && t.RevokedAt == nil {
			names = append(names, "«"+t.Name+"»")
		}
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	facts := []string{l.T("users.disable_sessions")}
	if len(names) > 0 {
		facts = append(facts, l.N("users.disable_tokens", int64(len(names)), "names", strings.Join(names, ", ")))
	}
	facts = append(facts, l.T("users.disable_undo"))
	return s.renderConfirm(w, r, rq, confirmPage{
		Title: l.T("users.disable_title"), Question: l.T("users.disable_question", "name", u.Username), Facts: facts,
		Action: "/settings/users/" + u.ID + "/disable", Confirm: l.T("users.disable_named", "name", u.Username),
		Danger: true, Cancel: "/settings/users",
	})
}

// tokenRevokeForm asks before revoking an API token: whatever uses it (a till, the online
// shop) stops at once, for good.
func (s *Server) tokenRevokeForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	tokens, err := s.app.APITokens(r.Context(), rq.p)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	var tok *domain.APIToken
	for i := range tokens {
		if tokens[i].ID == id {
			tok = &tokens[i]
		}
	}
	if tok == nil {
		return domain.Errorf(domain.CodeNotFound)
	}
	if tok.RevokedAt != nil {
		http.Redirect(w, r, "/settings/tokens", http.StatusSeeOther)
		return nil
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	used := l.T("tokens.never_used")
	if tok.LastUsedAt != nil {
		used = l.T("tokens.last_used", "date", l.Date(*tok.LastUsedAt))
	}
	return s.renderConfirm(w, r, rq, confirmPage{
		Title:    l.T("tokens.revoke_title"),
		Question: l.T("tokens.revoke_question", "name", tok.Name, "user", tok.Username),
		Facts:    []string{l.T("tokens.revoke_stops"), used, l.T("tokens.revoke_final")},
		Action:   "/settings/tokens/" + tok.ID + "/revoke", Confirm: l.T("tokens.revoke_named", "name", tok.Name, "user", tok.Username),
		Danger: true, Cancel: "/settings/tokens",
	})
}
