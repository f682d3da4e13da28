// Package httpapi is the JSON API under /api/v1: the face that POS terminals, e-shops and
// integrators use with a bearer token. Handlers decode, call one use case of package app and
// encode; the rules live in the use cases.
package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/reqlog"
)

// Server serves the API.
type Server struct {
	app  *app.App
	msgs *i18n.Bundle
	log  *slog.Logger
	mux  *http.ServeMux
	// served holds each served path without its methods, to tell a wrong method (405) from
	// a path that does not exist (404).
	served *http.ServeMux
}

// New returns the API's handler, ready to mount at the root of a server.
func New(a *app.App, msgs *i18n.Bundle, log *slog.Logger) *Server {
	s := &Server{app: a, msgs: msgs, log: log, mux: http.NewServeMux()}
	allow := map[string][]string{} // path → methods served on it
	var paths []string
	shared := map[string]http.Handler{}
	for _, rt := range s.routes() {
		pattern := rt.pattern
		if muxPattern, ok := sharedPatterns[pattern]; ok {
			shared[pattern] = s.authenticated(rt)
			if len(shared) < len(sharedPatterns) {
				continue
			}
			pattern = muxPattern
			s.mux.Handle(pattern, s.splitCustomerLeaf(shared))
		} else {
			s.mux.Handle(pattern, s.authenticated(rt))
		}
		method, path, _ := strings.Cut(pattern, " ")
		if allow[path] == nil {
			paths = append(paths, path)
		}
		allow[path] = append(allow[path], method)
	}
	// Any other method on a served path answers 405 with the methods it has. The paths live in
	// a mux of their own, consulted only when no route matched: registered beside the routes,
	// a path without a method would collide with routes such as GET /api/v1/customers/export
	// and PATCH /api/v1/customers/{id}, neither of which is more specific than the other.
	s.served = http.NewServeMux()
	for _, path := range paths {
		methods := strings.Join(allow[path], ", ")
		s.served.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", methods)
			s.writeError(w, r, &requestError{status: http.StatusMethodNotAllowed, code: "method_not_allowed"})
		})
	}
	s.mux.HandleFunc("/api/", s.unrouted)
	return s
}

// The lookup by card (/customers/by-reference/{reference}) and a customer's account
// (/customers/{id}/account) or statement (/customers/{id}/statement) overlap on
// /customers/by-reference/account, and ServeMux refuses to register two patterns neither of
// which is more specific. All go through one pattern and are told apart here; a reference is
// looked up as before, whatever it is.
const (
	customerByReference = "GET /api/v1/customers/by-reference/{reference}"
	customerAccount     = "GET /api/v1/customers/{id}/account"
	customerStatement   = "GET /api/v1/customers/{id}/statement"
	customerLeaf        = "GET /api/v1/customers/{id}/{leaf}"
)

var sharedPatterns = map[string]string{
	customerByReference: customerLeaf,
	customerAccount:     customerLeaf,
	customerStatement:   customerLeaf,
}

// splitCustomerLeaf serves customerLeaf with the handlers of sharedPatterns, by pattern.
func (s *Server) splitCustomerLeaf(handlers map[string]http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "by-reference" {
			r.SetPathValue("reference", r.PathValue("leaf"))
			r.Pattern = customerByReference
			handlers[customerByReference].ServeHTTP(w, r)
			return
		}
		pattern := "GET /api/v1/customers/{id}/" + r.PathValue("leaf")
		if h, ok := handlers[pattern]; ok && pattern != customerByReference {
			r.Pattern = pattern
			h.ServeHTTP(w, r)
			return
		}
		s.notFound(w, r)
	})
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handlerFunc is an API handler: it gets the authenticated principal and returns an error
// for writeError to answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p domain.Principal) error

// route is one line of the route table: pattern, the permission it needs (empty: any
// signed-in user) and its handler.
type route struct {
	pattern string
	perm    domain.Permission
	handle  handlerFunc
}

// Routes lists the served patterns with their permissions, for the authorization and
// OpenAPI tests.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range s.routes() {
		out = append(out, RouteInfo{Pattern: rt.pattern, Permission: rt.perm})
	}
	return out
}

// RouteInfo describes one route.
type RouteInfo struct {
	Pattern    string
	Permission domain.Permission
}

// authenticated checks the bearer token and the route's permission before the handler runs.
func (s *Server) authenticated(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			s.writeError(w, r, domain.Errorf(domain.CodeUnauthenticated))
			return
		}
		p, err := s.app.AuthenticateToken(r.Context(), token)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if rt.perm != "" && !p.Role.Can(rt.perm) {
			s.writeError(w, r, domain.Errorf(domain.CodeForbidden))
			return
		}
		reqlog.SetUser(r.Context(), p.UserID)
		if err := rt.handle(w, r, p); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}

// unrouted answers a request no route took: 405 when its path is served with other methods,
// 404 otherwise.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.served.Handler(r); pattern != "" {
		s.served.ServeHTTP(w, r)
		return
	}
	s.notFound(w, r)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, domain.Errorf(domain.CodeNotFound))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing to do
}

// listJSON is the shape of every list answer.
type listJSON[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

func newList[T any](items []T, next string) listJSON[T] {
	if items == nil {
		items = []T{}
	}
	l := listJSON[T]{Data: items}
	if next != "" {
		l.NextCursor = &next
	}
	return l
}

func timeJSON(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
