package web

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/reqlog"
)

// sessionCookie holds the session secret; the database keeps only its hash.
const sessionCookie = "clientela_session"

// request is what a page handler knows about the request beyond net/http: who is calling
// (the zero Principal on public pages when nobody is signed in), the session secret, and the
// language to answer in.
type request struct {
	p      domain.Principal
	secret string
	lang   i18n.Lang
}

// withSession resolves the session cookie, enforces the route's access and permission, and
// runs the handler. Errors the handler returns become error pages.
func (s *Server) withSession(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			p, err := s.app.AuthenticateSession(r.Context(), c.Value)
			switch {
			case err == nil:
				rq.p, rq.secret = p, c.Value
			case domain.ErrorCode(err) == domain.CodeUnauthenticated:
				clearCookie(w, r, sessionCookie) // expired or ended elsewhere
			default:
				s.fail(w, r, rq, err)
				return
			}
		}
		rq.lang = s.language(r, rq.p)
		// Pages show personal data: never cache them, never let other sites frame them.
		w.Header().Set("Cache-Control", "no-store")
		if rt.access == signedIn && rq.p.Role == "" {
			s.redirectToLogin(w, r)
			return
		}
		if rt.perm != "" && !rq.p.Role.Can(rt.perm) {
			s.fail(w, r, rq, domain.Errorf(domain.CodeForbidden))
			return
		}
		if rq.p.Role != "" {
			reqlog.SetUser(r.Context(), rq.p.UserID)
		}
		if err := rt.handle(w, r, rq); err != nil {
			s.fail(w, r, rq, err)
		}
	})
}

// language is the user's own setting, else the browser's preference, else Spanish.
func (s *Server) language(r *http.Request, p domain.Principal) i18n.Lang {
	switch i18n.Lang(p.Language) {
	case i18n.Spanish, i18n.English:
		return i18n.Lang(p.Language)
	}
	return s.msgs.Pick(r.Header.Get("Accept-Language"))
}

// redirectToLogin sends a signed-out visitor to the login page, remembering where they were
// going when it was a page they can come back to with GET.
func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site: a path, never "//host" or a scheme;
// otherwise the user's landing page.
func safeNext(next string, p domain.Principal) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return landing(p)
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return landing(p)
	}
	return next
}

// landing is where a user starts: a cashier at the till, where their day is spent; the
// others, who look after the register, at the register.
func landing(p domain.Principal) string {
	if p.Role == domain.RoleCashier {
		return "/till"
	}
	return "/customers"
}

// secure reports whether the browser reached us over TLS, directly or through a proxy that
// says so; the session cookie is then marked Secure. A forged header only makes the cookie
// stricter.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/",
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode,
	})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// clientAddr is the address failed logins are counted against. It is the TCP peer, unless
// the peer is a trusted reverse proxy: then it is the nearest address in X-Forwarded-For that
// is not a trusted proxy itself (the leftmost entries are the client's to forge). Without
// trusted proxies configured, everyone behind a proxy shares its address, and the
// per-address limit would let one visitor lock everybody out.
func (s *Server) clientAddr(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	if !s.trusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !s.trusted(hop) {
			return hop
		}
	}
	return peer
}

func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.p.Role != "" {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next"), rq.p), http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, rq, http.StatusOK, "login", loginPage{Next: r.URL.Query().Get("next")})
}

type loginPage struct {
	Username string
	Next     string
	Error    string
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	username := r.PostForm.Get("username")
	page := loginPage{Username: username, Next: r.PostForm.Get("next")}
	secret, who, err := s.app.Login(r.Context(), username, r.PostForm.Get("password"), s.clientAddr(r))
	if err != nil {
		var de *domain.Error
		if !errors.As(err, &de) {
			return err
		}
		status := http.StatusUnauthorized
		switch de.Code {
		case domain.CodeRateLimited:
			status = http.StatusTooManyRequests
			page.Error = s.msgs.T(rq.lang, "login.too_many_attempts", map[string]any{"minutes": retryMinutes(de)})
			setRetryAfter(w, de)
		case domain.CodeUnauthenticated:
			page.Error = s.msgs.T(rq.lang, "login.invalid_credentials", nil)
		case domain.CodeBusy:
			status = http.StatusServiceUnavailable
			page.Error = s.msgs.T(rq.lang, "error.busy", nil)
			setRetryAfter(w, de)
		default:
			return err
		}
		return s.render(w, r, rq, status, "login", page)
	}
	// A new session id at each login: whatever session the browser held before is ended, so
	// an id planted before login is worthless after it.
	if rq.secret != "" {
		if err := s.app.Logout(r.Context(), rq.secret); err != nil {
			// The new session exists already; the old one expires on its own.
			s.log.WarnContext(r.Context(), "ending the previous session failed", slog.Any("error", err))
		}
	}
	setSessionCookie(w, r, secret)
	http.Redirect(w, r, safeNext(page.Next, who), http.StatusSeeOther)
	return nil
}

func (s *Server) logoutForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.render(w, r, rq, http.StatusOK, "logout", nil)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.app.Logout(r.Context(), rq.secret); err != nil {
		return err
	}
	clearCookie(w, r, sessionCookie)
	s.setFlash(w, r, "flash.logged_out", nil)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
