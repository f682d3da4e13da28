package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"encoding/base64"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/mail/mailtest"
)

var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\n\x00\x01\x02\xff binary \r\n.\r\n trailer\n%%EOF\n")

func invoiceMessage() mail.Message {
	return mail.Message{
		MessageID: "0190f3c1-7a2b-7000-8000-000000000001@tienda.example",
		Date:      time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC),
		From:      mail.Address{Name: "Ferretería Núñez, S.L.", Email: "facturas@tienda.example"},
		To:        []mail.Address{{Name: "Señora Muñoz", Email: "maria.munoz@example.com"}},
		ReplyTo:   &mail.Address{Name: "Atención al cliente", Email: "hola@tienda.example"},
		Subject:   "Señora Muñoz, su factura 2026-A-17 de Ferretería Núñez está lista para descargar",
		Text:      "Señora Muñoz, su factura\n\nLe adjuntamos la factura 2026-A-17 (123,45 €).\n.\nUna línea con un punto solo, arriba.",
		HTML:      "<p>Señora Muñoz, su factura</p>",
		Attachments: []mail.Attachment{
			{Name: "factura-2026-A-17.pdf", ContentType: "application/pdf", Data: pdf},
			{Name: "año.txt", ContentType: "text/plain", Data: []byte("ñ")},
		},
		Headers: mail.UnsubscribeHeaders("https://tienda.example/u/abc", ""),
	}
}

// parsed is a message read back with the standard library only.
type parsed struct {
	header      netmail.Header
	text, html  string
	attachments map[string][]byte
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	p := parsed{header: m.Header, attachments: map[string][]byte{}}
	walk(t, &p, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body)
	return p
}

func walk(t *testing.T, p *parsed, ct, cte, disposition string, body io.Reader) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("content type %q: %v", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("multipart: %v", err)
			}
			walk(t, p, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part)
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	if disposition != "" {
		_, dp, err := mime.ParseMediaType(disposition)
		if err != nil {
			t.Fatalf("disposition %q: %v", disposition, err)
		}
		p.attachments[dp["filename"]] = data
		return
	}
	if params["charset"] != "utf-8" {
		t.Errorf("%s without charset utf-8", mt)
	}
	switch mt {
	case "text/plain":
		p.text = string(data)
	case "text/html":
		p.html = string(data)
	}
}

func decodeHeader(t *testing.T, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		t.Fatalf("decode %q: %v", v, err)
	}
	return s
}

func TestRender(t *testing.T) {
	m := invoiceMessage()
	raw, err := m.Render()
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 || strings.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d is not a proper line: %q", i, line)
		}
	}
	p := parse(t, raw)
	if got := decodeHeader(t, p.header.Get("Subject")); got != m.Subject {
		t.Errorf("subject %q", got)
	}
	from, err := p.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != m.From.Name || from[0].Address != m.From.Email {
		t.Errorf("from %v %v", from, err)
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Señora Muñoz" || to[0].Address != "maria.munoz@example.com" {
		t.Errorf("to %v %v", to, err)
	}
	if rt, err := p.header.AddressList("Reply-To"); err != nil || rt[0].Address != "hola@tienda.example" {
		t.Errorf("reply-to %v %v", rt, err)
	}
	if got := p.header.Get("Message-Id"); got != "<"+m.MessageID+">" {
		t.Errorf("message-id %q", got)
	}
	if d, err := p.header.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("date %v %v", d, err)
	}
	if got := p.header.Get("List-Unsubscribe"); got != "<https://tienda.example/u/abc>" {
		t.Errorf("list-unsubscribe %q", got)
	}
	if got := p.header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("list-unsubscribe-post %q", got)
	}
	if want := strings.ReplaceAll(m.Text, "\n", "\r\n"); p.text != want {
		t.Errorf("text %q, want %q", p.text, want)
	}
	if p.html != m.HTML {
		t.Errorf("html %q", p.html)
	}
	if !bytes.Equal(p.attachments["factura-2026-A-17.pdf"], pdf) {
		t.Errorf("pdf attachment changed: %q", p.attachments["factura-2026-A-17.pdf"])
	}
	if string(p.attachments["año.txt"]) != "ñ" {
		t.Errorf("attachments: %v", p.attachments)
	}
	// The same message renders to the same bytes: a retry sends what the first try sent.
	again, _ := m.Render()
	if !bytes.Equal(raw, again) {
		t.Error("rendering is not stable")
	}
}

func TestRenderTextOnly(t *testing.T) {
	m := mail.Message{MessageID: "a@b.example", Date: time.Unix(0, 0), From: mail.Address{Email: "a@b.example"},
		To: []mail.Address{{Email: "c@d.example"}}, Subject: "Hola", Text: "línea 1\nlínea 2"}
	raw, err := m.Render()
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, raw)
	if p.text != "línea 1\r\nlínea 2" || p.html != "" || len(p.attachments) != 0 {
		t.Errorf("parsed %+v", p)
	}
	if !strings.HasPrefix(p.header.Get("Content-Type"), "text/plain") {
		t.Errorf("content type %q", p.header.Get("Content-Type"))
	}
}

func fieldOf(t *testing.T, err error) (string, string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || len(de.Fields) == 0 {
		t.Fatalf("want a validation error, got %v", err)
	}
	return de.Fields[0].Field, de.Fields[0].Code
}

func TestValidateRefusesInjection(t *testing.T) {
	cases := []struct {
		name        string
		change      func(m *mail.Message)
		field, code string
	}{
		{"CRLF in subject", func(m *mail.Message) { m.Subject = "Hola\r\nBcc: victim@example.com" }, "subject", domain.FieldBadControl},
		{"LF in subject", func(m *mail.Message) { m.Subject = "Hola\nX: y" }, "subject", domain.FieldBadControl},
		{"NUL in subject", func(m *mail.Message) { m.Subject = "Hola\x00" }, "subject", domain.FieldBadControl},
		{"CR in display name", func(m *mail.Message) { m.To[0].Name = "Ana\rBcc: x@y.z" }, "to[0].name", domain.FieldBadControl},
		{"address in display name", func(m *mail.Message) { m.To[0].Email = "Ana <x@y.example>" }, "to[0].email", domain.FieldInvalid},
		{"two addresses", func(m *mail.Message) { m.To[0].Email = "a@b.example,c@d.example" }, "to[0].email", domain.FieldInvalid},
		{"newline in address", func(m *mail.Message) { m.To[0].Email = "a@b.example\r\nBcc: c@d.example" }, "to[0].email", domain.FieldInvalid},
		{"not an address", func(m *mail.Message) { m.From.Email = "nobody" }, "from.email", domain.FieldInvalid},
		{"no recipient", func(m *mail.Message) { m.To = nil }, "to", domain.FieldRequired},
		{"header value with LF", func(m *mail.Message) { m.Headers[0].Value = "<https://x>\nBcc: a@b.c" }, "headers[0].value", domain.FieldBadControl},
		{"header name with colon", func(m *mail.Message) { m.Headers[0].Name = "X-A: b" }, "headers[0].name", domain.FieldInvalid},
		{"header overriding From", func(m *mail.Message) { m.Headers[0].Name = "from" }, "headers[0].name", domain.FieldNotAllowed},
		{"bad message id", func(m *mail.Message) { m.MessageID = "a b@c" }, "message_id", domain.FieldInvalid},
		{"file name with a path", func(m *mail.Message) { m.Attachments[0].Name = "../x.pdf" }, "attachments[0].name", domain.FieldInvalid},
		{"content type with params", func(m *mail.Message) { m.Attachments[0].ContentType = "text/plain; boundary=x" }, "attachments[0].content_type", domain.FieldInvalid},
		{"reply-to", func(m *mail.Message) { m.ReplyTo.Email = "x" }, "reply_to.email", domain.FieldInvalid},
		{"no text", func(m *mail.Message) { m.Text = " " }, "text", domain.FieldRequired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := invoiceMessage()
			c.change(&m)
			_, err := m.Render()
			field, code := fieldOf(t, err)
			if field != c.field || code != c.code {
				t.Errorf("got %s %s, want %s %s", field, code, c.field, c.code)
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	a, err := mail.ParseAddress("mail_from", "Ferretería Núñez <facturas@tienda.example>")
	if err != nil || a.Name != "Ferretería Núñez" || a.Email != "facturas@tienda.example" {
		t.Errorf("got %+v %v", a, err)
	}
	for _, bad := range []string{"", "x", "a@b.example, c@d.example", "A <a@b.example>\r\nBcc: x@y.z"} {
		if _, err := mail.ParseAddress("mail_from", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseSMTPURL(t *testing.T) {
	c, err := mail.ParseSMTPURL("smtp://ana:p%40ss@mail.example.com:2525?tls=implicit")
	if err != nil || c.Host != "mail.example.com" || c.Port != 2525 || c.Username != "ana" || c.Password != "p@ss" || c.TLS != mail.TLSImplicit {
		t.Errorf("got %+v %v", c, err)
	}
	if strings.Contains(c.Redacted(), "p@ss") || strings.Contains(c.Redacted(), "p%40ss") {
		t.Errorf("redacted shows the password: %s", c.Redacted())
	}
	if c, _ := mail.ParseSMTPURL("smtp://mail.example.com"); c.TLS != mail.TLSStartTLS || c.Port != 587 {
		t.Errorf("defaults: %+v", c)
	}
	for _, bad := range []string{"http://x", "smtp://", "smtp://h?tls=maybe", "smtp://h:99999"} {
		if _, err := mail.ParseSMTPURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSMTPTransport(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Username, srv.Password = "tienda", "secreto"
	tr := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda", Password: "secreto", TLS: mail.TLSNone, Timeout: 5 * time.Second})
	m := invoiceMessage()
	raw, err := m.Render()
	if err != nil {
		t.Fatal(err)
	}
	from, to := m.Envelope()
	resp, err := tr.Send(context.Background(), from, to, raw)
	if err != nil || !strings.HasPrefix(resp, "250") {
		t.Fatalf("send: %q %v", resp, err)
	}
	got := srv.Received()
	if len(got) != 1 || got[0].From != "facturas@tienda.example" || got[0].To[0] != "maria.munoz@example.com" {
		t.Fatalf("received %+v", got)
	}
	p := parse(t, got[0].Data)
	if !strings.Contains(p.text, "Señora Muñoz, su factura") || !bytes.Equal(p.attachments["factura-2026-A-17.pdf"], pdf) {
		t.Errorf("arrived changed: %q", p.text)
	}
	if p.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Error("unsubscribe header lost")
	}

	// A 4xx answer may pass later; a 5xx answer will not.
	srv.Refuse(1, 451, "try again later")
	_, err = tr.Send(context.Background(), from, to, raw)
	if err == nil || mail.IsPermanent(err) || !strings.Contains(mail.Response(err), "451") {
		t.Errorf("451: %v", err)
	}
	srv.Refuse(1, 550, "no such user")
	_, err = tr.Send(context.Background(), from, to, raw)
	if !mail.IsPermanent(err) || !strings.Contains(mail.Response(err), "550") || !strings.Contains(mail.Response(err), "no such user") {
		t.Errorf("550: %v", err)
	}
	// A wrong password is refused; the error does not hold the password.
	bad := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda", Password: "wrong-one", TLS: mail.TLSNone})
	if _, err := bad.Send(context.Background(), from, to, raw); err == nil || strings.Contains(err.Error(), "wrong-one") {
		t.Errorf("bad password: %v", err)
	}
	// STARTTLS required but not offered: refused before anything is sent.
	tls := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSStartTLS})
	if _, err := tls.Send(context.Background(), from, to, raw); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("starttls: %v", err)
	}
	// Server down: a temporary failure.
	srv.Stop()
	_, err = tr.Send(context.Background(), from, to, raw)
	if err == nil || mail.IsPermanent(err) {
		t.Errorf("server down: %v", err)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("server accepted %d messages, want 1", n)
	}
}

func TestFolderTransport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	m := invoiceMessage()
	raw, _ := m.Render()
	f := mail.NewFolder(dir)
	for i := 0; i < 2; i++ {
		resp, err := f.Send(context.Background(), "", nil, raw)
		if err != nil || !strings.Contains(resp, ".eml") {
			t.Fatalf("send: %q %v", resp, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "0190f3c1-7a2b-7000-8000-000000000001@tienda.example.eml" {
		t.Fatalf("folder holds %v", entries)
	}
	back, _ := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if !bytes.Equal(back, raw) {
		t.Error("file differs from the message")
	}
}

// STARTTLS and implicit TLS, with the password sent only inside TLS; a certificate the
// client does not trust is refused.
func TestSMTPTransportTLS(t *testing.T) {
	m := invoiceMessage()
	raw, _ := m.Render()
	from, to := m.Envelope()
	for _, mode := range []mail.TLSMode{mail.TLSStartTLS, mail.TLSImplicit} {
		t.Run(string(mode), func(t *testing.T) {
			srv, trust := mailtest.StartTLS(t, mode == mail.TLSImplicit)
			srv.Username, srv.Password = "tienda", "secreto"
			tr := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda", Password: "secreto",
				TLS: mode, TLSConfig: trust, Timeout: 5 * time.Second})
			if resp, err := tr.Send(context.Background(), from, to, raw); err != nil || !strings.HasPrefix(resp, "250") {
				t.Fatalf("send: %q %v", resp, err)
			}
			if srv.Count() != 1 {
				t.Fatalf("received %d", srv.Count())
			}
			untrusted := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda", Password: "secreto",
				TLS: mode, Timeout: 5 * time.Second})
			if _, err := untrusted.Send(context.Background(), from, to, raw); err == nil || srv.Count() != 1 {
				t.Errorf("an untrusted certificate was accepted: %v", err)
			}
		})
	}
}
