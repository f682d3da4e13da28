package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/mail/mailtest"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

// newPublicEnv is newEnv whose unsubscribe links point at its own server (--public-url),
// sending through tr.
func newPublicEnv(t *testing.T, b testdb.Backend, tr mail.Transport) *env {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	db := testdb.Open(t, b)
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast, Mail: app.MailConfig{Transport: tr, PublicURL: "http://" + ln.Addr().String()}})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
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

// messageAudience makes the group Socios with Ana (consent), Bea (no consent) and Carl (no
// e-mail).
func messageAudience(t *testing.T, e *env) (domain.Group, domain.Customer, domain.Customer) {
	t.Helper()
	g, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some("Socios")})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(first, email string, consent bool) domain.Customer {
		ch := person(first, "Núñez")
		ch.GroupID, ch.MarketingConsent = domain.Some(g.ID), domain.Some(consent)
		if email != "" {
			ch.Email = domain.Some(email)
		}
		return e.mustCreateCustomer(ch)
	}
	ana := mk("Ana", "ana@example.com", true)
	bea := mk("Bea", "bea@example.com", false)
	mk("Carl", "", true)
	return g, ana, bea
}

var campaignURL = regexp.MustCompile(`^/messages/[0-9a-f-]{36}$`)

func TestMessagesPagesAndOneClickUnsubscribe(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			smtp := mailtest.Start(t)
			e := newPublicEnv(t, b, mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: smtp.Port(), TLS: mail.TLSNone, Timeout: 5 * time.Second}))
			g, ana, bea := messageAudience(t, e)
			manager := e.loggedIn(domain.RoleManager)

			// Cashiers may not write to customers.
			wantStatus(t, e.loggedIn(domain.RoleCashier).get("/messages"), http.StatusForbidden)

			// From the group: the form, then the preview with the count.
			page := manager.get("/messages/new?group_id=" + g.ID)
			wantStatus(t, page, http.StatusOK)
			wantContains(t, page, "Escribir a clientes", "Socios", "aceptado comunicaciones comerciales")
			wantNotContains(t, page, `value="send"`)
			form := url.Values{"audience": {"group"}, "group_id": {g.ID}, "subject": {"Hola {{.FirstName}}"},
				"body": {"Querida {{.Name}}, del grupo {{.Group}}: ¡ofertas!"}, "language": {"es"}, "action": {"preview"}}
			page = manager.post("/messages/new", form)
			wantStatus(t, page, http.StatusOK)
			wantContains(t, page, "Lo recibirá 1 cliente", "2 quedan fuera", "Hola Ana", "Querida Ana Núñez, del grupo Socios: ¡ofertas!",
				"ana@example.com", `value="send"`, "Enviar a 1 cliente")

			// A template error names its field.
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Set("subject", "Hola {{.Nmae}}")
			page = manager.post("/messages/new", bad)
			wantStatus(t, page, http.StatusUnprocessableEntity)
			wantContains(t, page, "La plantilla no es válida", `href="#f-subject"`)

			// Send: to the campaign's page.
			form.Set("action", "send")
			res := manager.post("/messages/new", form)
			wantStatus(t, res, http.StatusSeeOther)
			where := res.header.Get("Location")
			if !campaignURL.MatchString(where) {
				t.Fatalf("redirected to %q", where)
			}
			page = manager.get(where)
			wantContains(t, page, "Mensaje puesto en cola para 1 cliente", "Hola {{.FirstName}}", "Grupo Socios", `data-status="queued">1<`)
			wantContains(t, manager.get("/messages"), where, "Hola {{.FirstName}}")

			// The message arrives through SMTP with the one-click headers.
			if n, err := e.app.DeliverMail(context.Background()); err != nil || n != 1 {
				t.Fatalf("deliver: %d %v", n, err)
			}
			got := smtp.Received()
			if len(got) != 1 || got[0].To[0] != "ana@example.com" {
				t.Fatalf("received %+v", got)
			}
			msg, err := netmail.ReadMessage(bytes.NewReader(got[0].Data))
			if err != nil {
				t.Fatal(err)
			}
			if msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Fatalf("List-Unsubscribe-Post: %q", msg.Header.Get("List-Unsubscribe-Post"))
			}
			link := strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
			if !strings.HasPrefix(link, e.url+"/unsubscribe/") {
				t.Fatalf("List-Unsubscribe: %q", link)
			}
			if text := textPart(t, msg); !strings.Contains(text, "Querida Ana Núñez") || !strings.Contains(text, link) {
				t.Errorf("text part: %q", text)
			}
			page = manager.get(where)
			wantContains(t, page, `data-status="sent">1<`)

			// The page of the link (no login) asks; a GET changes nothing.
			visitor := e.browser()
			page = visitor.get(strings.TrimPrefix(link, e.url))
			wantStatus(t, page, http.StatusOK)
			wantContains(t, page, "Sí, darme de baja")
			wantNotContains(t, page, "ana@example.com", "Ana")

			// The mail program's one-click POST: no cookie, from no page of ours.
			req, _ := http.NewRequest(http.MethodPost, link, strings.NewReader("List-Unsubscribe=One-Click"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Origin", "https://mail.example")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("one-click POST: %d", resp.StatusCode)
			}
			c, err := e.app.Customer(context.Background(), app.System(), ana.ID)
			if err != nil || c.MarketingConsent || c.MarketingConsentAt == nil {
				t.Fatalf("after one-click: %v %v %v", err, c.MarketingConsent, c.MarketingConsentAt)
			}
			wantContains(t, visitor.get(strings.TrimPrefix(link, e.url)), "no recibirá más mensajes")
			wantContains(t, manager.get(where), `data-status="unsubscribed">1<`)

			// Other forms stay protected from cross-site posts.
			req, _ = http.NewRequest(http.MethodPost, e.url+"/messages/new", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			if a := manager.do(req); a.status != http.StatusForbidden {
				t.Fatalf("cross-site post to /messages/new: %d", a.status)
			}

			// An unknown link says so, and nothing else.
			page = visitor.get("/unsubscribe/" + strings.Repeat("x", 64))
			wantStatus(t, page, http.StatusNotFound)
			wantContains(t, page, "no es válido")
			res = visitor.post("/unsubscribe/nope", nil)
			wantStatus(t, res, http.StatusNotFound)

			// Ana has opted out: nobody of the group can receive a campaign now.
			form.Set("action", "preview")
			page = manager.post("/messages/new", form)
			wantStatus(t, page, http.StatusUnprocessableEntity)
			wantContains(t, page, "Nadie puede recibirlo")

			// One customer, from their page: a service message, without consent.
			page = manager.get("/messages/new?customer_id=" + bea.ID)
			wantContains(t, page, "A Bea Núñez", "Mensaje de servicio")
			res = manager.post("/messages/new", url.Values{"audience": {"customer"}, "customer_id": {bea.ID}, "subject": {"Su pedido"},
				"body": {"Ya está aquí."}, "action": {"send"}})
			wantStatus(t, res, http.StatusSeeOther)

			// A search of the register, with the list's filters.
			page = manager.get("/messages/new?q=example.com&group_id=" + g.ID)
			wantContains(t, page, "Búsqueda «example.com»", "Grupo Socios", `name="q" value="example.com"`)

			// In English.
			manager.lang = "en"
			wantContains(t, manager.get(where), "Delivery", "Unsubscribed")
		})
	}
}

// textPart returns a message's decoded text/plain part.
func textPart(t *testing.T, msg *netmail.Message) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err != nil {
			t.Fatalf("no text part: %v", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(quotedprintable.NewReader(p))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}

func smtpTransport(srv *mailtest.Server) mail.Transport {
	return mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, Timeout: 5 * time.Second})
}

// unsubscribeLink is the List-Unsubscribe link of a raw message.
func unsubscribeLink(t *testing.T, raw []byte) string {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
}
