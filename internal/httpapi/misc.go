package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument is the API's OpenAPI 3.1 description.
func OpenAPIDocument() []byte { return openAPIDocument }

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request, _ domain.Principal) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(openAPIDocument)
	return nil
}

func (s *Server) me(w http.ResponseWriter, _ *http.Request, p domain.Principal) error {
	writeJSON(w, http.StatusOK, map[string]string{"user_id": p.UserID, "username": p.Username, "role": string(p.Role)})
	return nil
}

type auditJSON struct {
	ID         int64          `json:"id"`
	At         string         `json:"at"`
	ActorID    string         `json:"actor_id"`
	ActorName  string         `json:"actor_name"`
	Action     string         `json:"action"`
	EntityType string         `json:"entity_type"`
	EntityID   string         `json:"entity_id"`
	Fields     []string       `json:"fields"`
	Details    map[string]any `json:"details"`
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	page, err := s.app.AuditLog(r.Context(), p, app.AuditQuery{
		EntityType: q.Get("entity_type"), EntityID: q.Get("entity_id"), Limit: limit, Cursor: q.Get("cursor"),
	})
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(page.Entries))
	for i, e := range page.Entries {
		fields := e.Fields
		if fields == nil {
			fields = []string{}
		}
		details := e.Details
		if details == nil {
			details = map[string]any{}
		}
		out[i] = auditJSON{ID: e.ID, At: timeJSON(e.At), ActorID: e.ActorID, ActorName: e.ActorName, Action: e.Action,
			EntityType: e.EntityType, EntityID: e.EntityID, Fields: fields, Details: details}
	}
	writeJSON(w, http.StatusOK, newList(out, page.NextCursor))
	return nil
}
