package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// The e-mail settings over the API: a merge patch where a left-out password is kept, null
// removes it, and it never comes back; a stale ETag is refused.
func TestMailSettingsAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		const path = "/api/v1/settings/mail"
		patch := func(etag string, body any) response {
			return e.do(t, "PATCH "+path, req{method: "PATCH", path: path, role: domain.RoleAdmin, body: body, header: map[string]string{"If-Match": etag}})
		}
		r := patch(`"0"`, map[string]any{"host": "smtp.example.com", "port": 2525, "username": "tienda", "password": "s3creto",
			"tls": "implicit", "from_name": "Ferretería Núñez", "from_email": "facturas@ferreteria.example", "reply_to": "hola@ferreteria.example"})
		if r.status != http.StatusOK || r.header.Get("ETag") != `"1"` || strings.Contains(string(r.body), "s3creto") {
			t.Fatalf("first patch: %d %s %s", r.status, r.header.Get("ETag"), r.body)
		}
		got := e.do(t, "GET "+path, req{method: "GET", path: path, role: domain.RoleAdmin}).obj(t)
		force := got["in_force"].(map[string]any)
		if got["has_password"] != true || got["from_name"] != "Ferretería Núñez" || force["server"] != "smtp://tienda@smtp.example.com:2525?tls=implicit" {
			t.Errorf("read back: %v", got)
		}
		// Left out: kept.
		if r := patch(`"1"`, map[string]any{"from_name": "Ferretería"}); r.status != http.StatusOK || r.obj(t)["has_password"] != true {
			t.Errorf("password left out: %d %s", r.status, r.body)
		}
		// Stale.
		if r := patch(`"1"`, map[string]any{"host": ""}); r.status != http.StatusPreconditionFailed {
			t.Errorf("stale: %d", r.status)
		}
		// null: removed.
		if r := patch(`"2"`, map[string]any{"password": nil}); r.status != http.StatusOK || r.obj(t)["has_password"] != false {
			t.Errorf("password null: %d %s", r.status, r.body)
		}
		// Header injection through the sender's name is refused, naming the field.
		r = patch(`*`, map[string]any{"from_name": "Tienda\r\nBcc: todos@example.com"})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(r.errorFields(t), ","), "from_name") {
			t.Errorf("injection: %d %s", r.status, r.body)
		}
	})
}
