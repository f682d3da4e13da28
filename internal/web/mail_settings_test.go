package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/mail/mailtest"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

// newMailEnv is newEnv with the e-mail settings of a serve process.
func newMailEnv(t *testing.T, b testdb.Backend, cfg app.MailConfig) *env {
	t.Helper()
	db := testdb.Open(t, b)
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast, Mail: cfg})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, app: a, db: db, ids: map[domain.Role]string{}}
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleManager, domain.RoleCashier} {
		u, err := a.AddUser(context.Background(), app.System(), string(role), role, testPassword)
		if err != nil {
			t.Fatalf("add user: %v", err)
		}
		e.ids[role] = u.ID
	}
	return e
}

func TestMailSettingsPage(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			folder := t.TempDir()
			e := newMailEnv(t, b, app.MailConfig{Folder: folder})
			smtp := mailtest.Start(t)
			smtp.Username, smtp.Password = "tienda", "s3creto-smtp"
			admin := e.loggedIn(domain.RoleAdmin)

			// Nothing configured: the page says plainly that messages go to a folder.
			page := admin.get("/settings/mail")
			wantStatus(t, page, http.StatusOK)
			wantContains(t, page, `data-source="folder"`, "NO se envían", folder)

			// The test message goes to the folder, and the page reports it.
			res := admin.post("/settings/mail/test", url.Values{"to": {"admin@example.com"}})
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, "Mensaje de prueba entregado", ".eml")

			// Save a server: the password is kept but never shown back.
			form := url.Values{"host": {"127.0.0.1"}, "port": {strconv.Itoa(smtp.Port())}, "tls": {"none"}, "username": {"tienda"},
				"password": {"s3creto-smtp"}, "from_name": {"Ferretería Núñez"}, "from_email": {"hola@ferreteria.example"}}
			res = admin.post("/settings/mail", form)
			wantStatus(t, res, http.StatusSeeOther)
			page = admin.get("/settings/mail")
			wantContains(t, page, `data-source="settings"`, "Hay una contraseña guardada", "Ferretería Núñez")
			wantNotContains(t, page, "s3creto")

			// Saved again with an empty password: the stored one still works.
			form.Set("password", "")
			wantStatus(t, admin.post("/settings/mail", form), http.StatusSeeOther)
			res = admin.post("/settings/mail/test", url.Values{"to": {"admin@example.com"}})
			wantContains(t, res, "Mensaje de prueba entregado", "250")
			if smtp.Count() != 1 {
				t.Fatalf("server received %d", smtp.Count())
			}

			// The server refuses: the answer is shown, and the outbox counts it as failed.
			smtp.Refuse(1, 550, "mailbox unavailable")
			res = admin.post("/settings/mail/test", url.Values{"to": {"nadie@example.com"}})
			wantContains(t, res, "no se pudo entregar", "550", "mailbox unavailable")
			page = admin.get("/settings/mail")
			if !strings.Contains(page.body, `data-status="failed">1<`) || !strings.Contains(page.body, `data-status="sent">2<`) {
				t.Errorf("outbox counts not shown:\n%s", page.body)
			}
			wantContains(t, page, "nadie@example.com")

			// Bad input names the field and changes nothing.
			bad := url.Values{"host": {"smtp.example.com"}, "port": {"99999"}, "tls": {"none"}, "from_email": {"no es una dirección"}}
			res = admin.post("/settings/mail", bad)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, `id="e-port"`)
			res = admin.post("/settings/mail", url.Values{"host": {"smtp.example.com"}, "tls": {"none"}, "from_email": {"x\r\nBcc: y@z.example"}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, `id="e-from_email"`)
			res = admin.post("/settings/mail/test", url.Values{"to": {"a@b.example\r\nBcc: c@d.example"}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, `id="e-to"`)

			// Saved from a page shown before someone else saved: refused, the current ones shown.
			stale := url.Values{"version": {"1"}, "host": {"otro.example.com"}, "tls": {"none"}}
			res = admin.post("/settings/mail", stale)
			wantStatus(t, res, http.StatusConflict)
			wantContains(t, res, "Otra persona cambió estos ajustes", `value="127.0.0.1"`)

			// English too.
			en := e.loggedIn(domain.RoleAdmin)
			en.lang = "en"
			wantContains(t, en.get("/settings/mail"), "How e-mail goes out now", "A password is stored")

			// Admins only.
			for _, role := range []domain.Role{domain.RoleManager, domain.RoleCashier} {
				wantStatus(t, e.loggedIn(role).get("/settings/mail"), http.StatusForbidden)
				wantStatus(t, e.loggedIn(role).post("/settings/mail/test", url.Values{"to": {"a@b.example"}}), http.StatusForbidden)
			}
		})
	}
}

func TestMailSettingsPageFlags(t *testing.T) {
	e := newMailEnv(t, sqliteBackend(t), app.MailConfig{SMTP: mustSMTP(t, "smtp://u:pw-in-flag@relay.example.com:587?tls=starttls"),
		From: nil})
	page := e.loggedIn(domain.RoleAdmin).get("/settings/mail")
	wantContains(t, page, `data-source="flags"`, "--smtp-url", "relay.example.com")
	wantNotContains(t, page, "pw-in-flag")
}

func mustSMTP(t *testing.T, u string) *mail.SMTPConfig {
	t.Helper()
	c, err := mail.ParseSMTPURL(u)
	if err != nil {
		t.Fatal(err)
	}
	return &c
}
