package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
)

func TestErrorMapping(t *testing.T) {
	s := &Server{msgs: i18n.New(), log: slog.New(slog.DiscardHandler)}
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		retryAfter string
		message    string
	}{
		{"rate limited", &domain.Error{Code: domain.CodeRateLimited, Details: map[string]any{"retry_after_seconds": int64(42)}},
			http.StatusTooManyRequests, "42", "Try again in 42 seconds."},
		{"busy", &domain.Error{Code: domain.CodeBusy, Details: map[string]any{"retry_after_seconds": int64(5)}},
			http.StatusServiceUnavailable, "5", "The server is busy checking other passwords."},
		{"last admin", &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": domain.ReasonLastAdmin}},
			http.StatusConflict, "", "At least one enabled administrator must remain."},
		{"unknown reason", &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": "other"}},
			http.StatusConflict, "", "The operation conflicts with the current data."},
		{"bad credentials", &domain.Error{Code: domain.CodeUnauthenticated, Details: map[string]any{"reason": domain.ReasonInvalidCredentials}},
			http.StatusUnauthorized, "", "Wrong user name or password."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/groups", nil)
			r.Header.Set("Accept-Language", "en")
			w := httptest.NewRecorder()
			s.writeError(w, r, tc.err)
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tc.status || w.Header().Get("Retry-After") != tc.retryAfter || !strings.Contains(body.Error.Message, tc.message) ||
				body.Error.Code != string(domain.ErrorCode(tc.err)) {
				t.Errorf("got %d, Retry-After %q, %+v", w.Code, w.Header().Get("Retry-After"), body.Error)
			}
		})
	}
}
