package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"encoding/base64"
	"mime/quotedprintable"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/mail/mailtest"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

var invoicePDF = []byte("%PDF-1.4\n% a fake invoice \x00\xff\r\n.\r\n%%EOF\n")

// mailApp is a second App over e's database (another process, or the same one restarted),
// sending through tr.
func (e *env) mailApp(tr mail.Transport, cfg app.MailConfig) *app.App {
	cfg.Transport = tr
	return app.New(app.Config{Store: e.db, Clock: e.clock.Now, PasswordParams: &fast, Mail: cfg,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
}

func smtpTo(srv *mailtest.Server) *mail.SMTP {
	return mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, Timeout: 5 * time.Second})
}

// queue writes one message in its own transaction, as a use case would in its own.
func queue(t testing.TB, a *app.App, db app.Store, m app.OutgoingMail) domain.OutboxMessage {
	t.Helper()
	var out domain.OutboxMessage
	err := db.Write(context.Background(), func(tx app.Tx) (err error) {
		out, err = a.QueueMail(context.Background(), tx, m)
		return err
	})
	if err != nil {
		t.Fatalf("queue mail: %v", err)
	}
	a.NudgeMail()
	return out
}

func invoiceMail(customerID string) app.OutgoingMail {
	return app.OutgoingMail{Kind: domain.MailInvoice, CustomerID: customerID,
		To:      mail.Address{Name: "Señora Muñoz", Email: "maria.munoz@example.com"},
		Subject: "Señora Muñoz, su factura", Text: "Señora Muñoz, su factura está adjunta.\nGracias.",
		HTML:        "<p>Señora Muñoz, su factura está adjunta.</p>",
		Attachments: []mail.Attachment{{Name: "factura-A-1.pdf", ContentType: "application/pdf", Data: invoicePDF}},
		Headers:     mail.UnsubscribeHeaders("https://tienda.example/baja/t0k3n", "")}
}

func deliver(t testing.TB, a *app.App) int {
	t.Helper()
	n, err := a.DeliverMail(context.Background())
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return n
}

func outboxMessage(t testing.TB, e *env, id string) (domain.OutboxMessage, []domain.OutboxAttempt) {
	t.Helper()
	var m domain.OutboxMessage
	var at []domain.OutboxAttempt
	err := e.db.Read(context.Background(), func(tx app.Tx) (err error) {
		if m, err = tx.OutboxMessage(context.Background(), id); err != nil {
			return err
		}
		at, err = tx.OutboxAttempts(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, at
}

// mimeParts reads a message's text part and attachments with the standard library.
func mimeParts(t *testing.T, raw []byte) (netmail.Header, string, map[string][]byte) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a message: %v", err)
	}
	files := map[string][]byte{}
	var text string
	var walk func(ct string, h map[string][]string, body io.Reader)
	walk = func(ct string, h map[string][]string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("content type %q: %v", ct, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p.Header, p)
			}
		}
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		switch get("Content-Transfer-Encoding") {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		}
		b, _ := io.ReadAll(body)
		if d := get("Content-Disposition"); d != "" {
			_, dp, _ := mime.ParseMediaType(d)
			files[dp["filename"]] = b
		} else if mt == "text/plain" {
			text = string(b)
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Header, msg.Body)
	return msg.Header, text, files
}

func TestMailIsDelivered(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		srv := mailtest.Start(t)
		a := e.mailApp(smtpTo(srv), app.MailConfig{})
		c := e.customerWithLimit(t, "MAIL1", 0)
		queued := queue(t, a, e.db, invoiceMail(c.ID))
		if queued.Status != domain.OutboxQueued || queued.Recipient != "maria.munoz@example.com" || queued.CustomerID != c.ID {
			t.Fatalf("queued %+v", queued)
		}
		if n := deliver(t, a); n != 1 {
			t.Fatalf("delivered %d", n)
		}
		got := srv.Received()
		if len(got) != 1 || got[0].To[0] != "maria.munoz@example.com" || got[0].From != app.DefaultMailFrom {
			t.Fatalf("received %+v", got)
		}
		h, text, files := mimeParts(t, got[0].Data)
		if subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); subject != "Señora Muñoz, su factura" {
			t.Errorf("subject %q", subject)
		}
		if !strings.Contains(text, "Señora Muñoz, su factura está adjunta.") {
			t.Errorf("text %q", text)
		}
		if !bytes.Equal(files["factura-A-1.pdf"], invoicePDF) {
			t.Errorf("pdf changed: %q", files["factura-A-1.pdf"])
		}
		if h.Get("List-Unsubscribe") != "<https://tienda.example/baja/t0k3n>" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("unsubscribe headers: %v", h)
		}
		if h.Get("Message-Id") != "<"+queued.MessageID+">" {
			t.Errorf("message-id %q, queued %q", h.Get("Message-Id"), queued.MessageID)
		}
		m, attempts := outboxMessage(t, e, queued.ID)
		if m.Status != domain.OutboxSent || m.SentAt == nil || len(attempts) != 1 || !strings.HasPrefix(attempts[0].Response, "250") {
			t.Errorf("after delivery: %+v %+v", m, attempts)
		}
		// Nothing is due any more.
		if n := deliver(t, a); n != 0 || srv.Count() != 1 {
			t.Errorf("second round claimed %d, server has %d", n, srv.Count())
		}
		history, err := a.MailHistory(context.Background(), e.as("till"), app.OutboxFilter{CustomerID: c.ID})
		if err != nil || len(history) != 1 || history[0].ID != queued.ID {
			t.Errorf("history %+v %v", history, err)
		}
	})
}

func TestQueueMailIsPartOfTheTransaction(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		a := e.mailApp(mail.NewFolder(t.TempDir()), app.MailConfig{})
		boom := errors.New("the sale failed")
		err := e.db.Write(context.Background(), func(tx app.Tx) error {
			if _, err := a.QueueMail(context.Background(), tx, invoiceMail("")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("write: %v", err)
		}
		if n := deliver(t, a); n != 0 {
			t.Errorf("a rolled-back message was sent (%d)", n)
		}
		// Bad input names the field and queues nothing.
		bad := invoiceMail("")
		bad.Subject = "Factura\r\nBcc: todos@example.com"
		err = e.db.Write(context.Background(), func(tx app.Tx) error {
			_, err := a.QueueMail(context.Background(), tx, bad)
			return err
		})
		if de := wantCode(t, "header injection", err, domain.CodeInvalid); de.Fields[0].Field != "subject" {
			t.Errorf("fields %+v", de.Fields)
		}
		bad = invoiceMail("")
		bad.To.Email = "maria@example.com, otro@example.com"
		err = e.db.Write(context.Background(), func(tx app.Tx) error {
			_, err := a.QueueMail(context.Background(), tx, bad)
			return err
		})
		if de := wantCode(t, "two addresses", err, domain.CodeInvalid); de.Fields[0].Field != "to.email" {
			t.Errorf("fields %+v", de.Fields)
		}
	})
}

// The SMTP server is down: the message stays queued, each failure is recorded and waits
// longer (1 min, 2 min, …); when the server is back, it goes out once.
func TestMailWaitsForTheServer(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		srv := mailtest.Start(t)
		srv.Stop()
		a := e.mailApp(smtpTo(srv), app.MailConfig{})
		q := queue(t, a, e.db, invoiceMail(""))
		start := e.clock.Now()
		deliver(t, a)
		m, attempts := outboxMessage(t, e, q.ID)
		if m.Status != domain.OutboxQueued || m.Attempts != 1 || !m.NextAttemptAt.Equal(start.Add(time.Minute)) || len(attempts) != 1 ||
			attempts[0].Outcome != domain.OutboxQueued || !strings.Contains(attempts[0].Response, "connect") {
			t.Fatalf("after a failure: %+v %+v", m, attempts)
		}
		e.clock.Advance(30 * time.Second)
		if n := deliver(t, a); n != 0 {
			t.Fatalf("retried before its time (%d)", n)
		}
		e.clock.Advance(31 * time.Second)
		deliver(t, a)
		m, _ = outboxMessage(t, e, q.ID)
		if m.Attempts != 2 || !m.NextAttemptAt.Equal(e.clock.Now().Add(2*time.Minute)) {
			t.Fatalf("second failure: %+v", m)
		}
		srv.Restart(t)
		e.clock.Advance(2 * time.Minute)
		deliver(t, a)
		m, attempts = outboxMessage(t, e, q.ID)
		if m.Status != domain.OutboxSent || len(attempts) != 3 || srv.Count() != 1 {
			t.Fatalf("after the server came back: %+v %+v, %d received", m, attempts, srv.Count())
		}
	})
}

// 451 then 250: one delivery, both answers recorded. 550: failed at once. A message that
// keeps failing is failed after MaxAttempts.
func TestMailRetriesAndGivesUp(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		srv := mailtest.Start(t)
		a := e.mailApp(smtpTo(srv), app.MailConfig{MaxAttempts: 3})
		srv.Refuse(1, 451, "greylisted, try again later")
		q := queue(t, a, e.db, invoiceMail(""))
		deliver(t, a)
		e.clock.Advance(time.Minute)
		deliver(t, a)
		m, attempts := outboxMessage(t, e, q.ID)
		if m.Status != domain.OutboxSent || srv.Count() != 1 || len(attempts) != 2 ||
			!strings.Contains(attempts[0].Response, "451") || !strings.HasPrefix(attempts[1].Response, "250") {
			t.Fatalf("451 then 250: %+v %+v, %d received", m, attempts, srv.Count())
		}

		srv.Refuse(1, 550, "no such mailbox")
		q = queue(t, a, e.db, invoiceMail(""))
		deliver(t, a)
		if m, _ := outboxMessage(t, e, q.ID); m.Status != domain.OutboxFailed || !strings.Contains(m.LastResponse, "550") {
			t.Fatalf("550: %+v", m)
		}

		srv.Refuse(3, 421, "busy")
		q = queue(t, a, e.db, invoiceMail(""))
		for i := 0; i < 3; i++ {
			deliver(t, a)
			e.clock.Advance(time.Hour)
		}
		m, attempts = outboxMessage(t, e, q.ID)
		if m.Status != domain.OutboxFailed || len(attempts) != 3 || attempts[2].Outcome != domain.OutboxFailed {
			t.Fatalf("after the last try: %+v %+v", m, attempts)
		}
		summary, err := a.MailOutbox(context.Background(), e.as("boss"), 10)
		if err != nil || summary.Counts[domain.OutboxSent] != 1 || summary.Counts[domain.OutboxFailed] != 2 || len(summary.Failures) != 2 {
			t.Errorf("summary %+v %v", summary, err)
		}
		if _, err := a.MailOutbox(context.Background(), e.as("manu"), 10); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("a manager read the outbox summary: %v", err)
		}
	})
}

// crash is a transport that stands for a process killed during a delivery: it panics,
// after handing the message to next when next is set (killed after the server accepted).
type crash struct{ next mail.Transport }

type crashed struct{}

func (c crash) Send(ctx context.Context, from string, to []string, raw []byte) (string, error) {
	if c.next != nil {
		_, _ = c.next.Send(ctx, from, to, raw)
	}
	panic(crashed{})
}

func deliverCrashing(t *testing.T, a *app.App) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(crashed); !ok {
				panic(r)
			}
		}
	}()
	_, _ = a.DeliverMail(context.Background())
	t.Fatal("the worker did not crash")
}

// A worker killed between claiming a message and sending it: the message is sent once,
// by the next worker, after the claim expires. Killed after the server accepted it but
// before recording that: sent again with the same Message-ID (one accepted duplicate).
func TestMailAfterACrash(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		srv := mailtest.Start(t)
		cfg := app.MailConfig{ClaimTimeout: 5 * time.Minute}
		q := queue(t, e.mailApp(nil, cfg), e.db, invoiceMail(""))
		deliverCrashing(t, e.mailApp(crash{}, cfg))

		restarted := e.mailApp(smtpTo(srv), cfg)
		if n := deliver(t, restarted); n != 0 {
			t.Fatalf("claimed while the dead worker's claim holds (%d)", n)
		}
		e.clock.Advance(5*time.Minute + time.Second)
		deliver(t, restarted)
		if m, _ := outboxMessage(t, e, q.ID); m.Status != domain.OutboxSent || srv.Count() != 1 || m.Attempts != 2 {
			t.Fatalf("after restart: %+v, %d received", m, srv.Count())
		}

		q = queue(t, restarted, e.db, invoiceMail(""))
		deliverCrashing(t, e.mailApp(crash{next: smtpTo(srv)}, cfg))
		e.clock.Advance(5*time.Minute + time.Second)
		deliver(t, restarted)
		if m, _ := outboxMessage(t, e, q.ID); m.Status != domain.OutboxSent {
			t.Fatalf("after restart: %+v", m)
		}
		if got := srv.ByMessageID()[q.MessageID]; got != 2 {
			t.Fatalf("killed after acceptance: %d deliveries, want the one duplicate", got)
		}
		t.Logf("killed between acceptance and record: 1 accepted duplicate, same Message-ID %s", q.MessageID)
	})
}

// Two processes on one database, each with its worker: every message is sent exactly once.
func TestTwoWorkersNeverSendTwice(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			b = testdb.Prepare(t, b)
			srv := mailtest.Start(t)
			var apps []*app.App
			var dbs []app.Store
			for i := 0; i < 2; i++ {
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
				apps = append(apps, app.New(app.Config{Store: db, PasswordParams: &fast,
					Mail: app.MailConfig{Transport: smtpTo(srv), Batch: 5}}))
			}
			const n = 120
			for i := 0; i < n; i++ {
				queue(t, apps[i%2], dbs[i%2], invoiceMail(""))
			}
			var wg sync.WaitGroup
			for i := range apps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						k, err := apps[i].DeliverMail(context.Background())
						if err != nil {
							t.Errorf("worker %d: %v", i, err)
							return
						}
						if k == 0 {
							return
						}
					}
				}()
			}
			wg.Wait()
			seen := srv.ByMessageID()
			if len(seen) != n || srv.Count() != n {
				t.Fatalf("%d messages, %d deliveries, want %d", len(seen), srv.Count(), n)
			}
			for id, k := range seen {
				if k != 1 {
					t.Errorf("%s sent %d times", id, k)
				}
			}
		})
	}
}

func TestDropCustomerMail(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		srv := mailtest.Start(t)
		a := e.mailApp(smtpTo(srv), app.MailConfig{})
		c := e.customerWithLimit(t, "DROP1", 0)
		sent := queue(t, a, e.db, invoiceMail(c.ID))
		deliver(t, a)
		waiting := queue(t, a, e.db, invoiceMail(c.ID))
		other := queue(t, a, e.db, invoiceMail(""))
		var dropped int64
		err := e.db.Write(context.Background(), func(tx app.Tx) (err error) {
			dropped, err = a.DropCustomerMail(context.Background(), tx, c.ID)
			return err
		})
		if err != nil || dropped != 1 {
			t.Fatalf("drop: %d %v", dropped, err)
		}
		deliver(t, a)
		if srv.Count() != 2 || srv.ByMessageID()[other.MessageID] != 1 || srv.ByMessageID()[waiting.MessageID] != 0 {
			t.Fatalf("after the drop: %v", srv.ByMessageID())
		}
		for _, id := range []string{sent.ID, waiting.ID} {
			m, attempts := outboxMessage(t, e, id)
			var raw []byte
			_ = e.db.Read(context.Background(), func(tx app.Tx) (err error) {
				raw, err = tx.OutboxMessageBytes(context.Background(), id)
				return err
			})
			if m.Recipient != "" || m.Subject != "" || raw != nil || m.LastResponse != "" {
				t.Errorf("kept personal data: %+v (%d bytes)", m, len(raw))
			}
			for _, at := range attempts {
				if at.Response != "" {
					t.Errorf("kept a server answer: %q", at.Response)
				}
			}
		}
		if m, _ := outboxMessage(t, e, waiting.ID); m.Status != domain.OutboxDropped {
			t.Errorf("queued message: %s", m.Status)
		}
		if m, _ := outboxMessage(t, e, sent.ID); m.Status != domain.OutboxSent {
			t.Errorf("sent message: %s", m.Status)
		}
	})
}

func TestMailSettings(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		srv.Username, srv.Password = "tienda", "s3creto-smtp"
		folder := t.TempDir()
		a := app.New(app.Config{Store: e.db, Clock: e.clock.Now, PasswordParams: &fast, Mail: app.MailConfig{Folder: folder},
			Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		boss := e.as("boss")
		v, err := a.MailSettings(ctx, boss)
		if err != nil || v.Source != app.MailSourceFolder || v.Folder != folder {
			t.Fatalf("nothing configured: %+v %v", v, err)
		}
		// With no server, the test message is written to the folder.
		resp, err := a.SendTestMail(ctx, boss, "admin@example.com", "es")
		if err != nil || !strings.Contains(resp, ".eml") {
			t.Fatalf("test message to the folder: %q %v", resp, err)
		}

		err = setMail(a, boss, app.MailSettingsChanges{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda",
			Password: "s3creto-smtp", TLS: mail.TLSNone, FromName: "Ultramarinos Pepa", FromEmail: "hola@pepa.example", ReplyTo: "tienda@pepa.example"})
		if err != nil {
			t.Fatalf("set: %v", err)
		}
		v, _ = a.MailSettings(ctx, boss)
		if v.Source != app.MailSourceSettings || v.Stored.Password != "" || !v.HasPassword || strings.Contains(v.Server, "s3creto") ||
			v.From.Email != "hola@pepa.example" {
			t.Fatalf("view: %+v", v)
		}
		// An empty password keeps the stored one: the test message authenticates.
		if err := setMail(a, boss, app.MailSettingsChanges{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda",
			TLS: mail.TLSNone, FromName: "Ultramarinos Pepa", FromEmail: "hola@pepa.example"}); err != nil {
			t.Fatal(err)
		}
		resp, err = a.SendTestMail(ctx, boss, "admin@example.com", "es")
		if err != nil || !strings.HasPrefix(resp, "250") || srv.Count() != 1 || srv.Received()[0].From != "hola@pepa.example" {
			t.Fatalf("test message: %q %v", resp, err)
		}
		// A wrong password: the server's answer is reported.
		if err := setMail(a, boss, app.MailSettingsChanges{Host: "127.0.0.1", Port: srv.Port(), Username: "tienda",
			Password: "wrong", TLS: mail.TLSNone}); err != nil {
			t.Fatal(err)
		}
		if resp, err = a.SendTestMail(ctx, boss, "admin@example.com", "en"); err == nil || resp == "" {
			t.Errorf("bad password: %q %v", resp, err)
		}
		if strings.Contains(e.logs.String(), "s3creto") {
			t.Error("the password is in the logs")
		}
		page, _ := a.AuditLog(ctx, boss, app.AuditQuery{EntityType: "settings"})
		if len(page.Entries) == 0 {
			t.Error("no audit entry for the settings")
		}
		for _, en := range page.Entries {
			if strings.Contains(strings.Join(en.Fields, ","), "s3creto") || len(en.Details) != 0 {
				t.Errorf("audit entry %+v", en)
			}
		}
		// Bad settings name their fields.
		err = setMail(a, boss, app.MailSettingsChanges{Host: "smtp.example.com\r\nX", Port: 70000, TLS: "maybe", FromEmail: "nobody"})
		de := wantCode(t, "bad settings", err, domain.CodeInvalid)
		fields := map[string]bool{}
		for _, f := range de.Fields {
			fields[f.Field] = true
		}
		for _, f := range []string{"host", "port", "tls", "from_email"} {
			if !fields[f] {
				t.Errorf("no error for %s: %+v", f, de.Fields)
			}
		}
		if err := setMail(a, e.as("manu"), app.MailSettingsChanges{}); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("a manager changed the mail settings: %v", err)
		}
		// Flags win over the stored settings.
		flagged := app.New(app.Config{Store: e.db, PasswordParams: &fast, Mail: app.MailConfig{
			SMTP: &mail.SMTPConfig{Host: "relay.example.com", Port: 25, TLS: mail.TLSNone}, From: &mail.Address{Email: "flag@pepa.example"}}})
		v, _ = flagged.MailSettings(ctx, boss)
		if v.Source != app.MailSourceFlags || !v.FromFlag || v.From.Email != "flag@pepa.example" || !strings.Contains(v.Server, "relay.example.com") {
			t.Errorf("flags: %+v", v)
		}
	})
}

// The worker in serve: it sends what is queued, at the rate asked, and stops when told.
func TestMailWorkerRuns(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		srv := mailtest.Start(t)
		a := e.mailApp(smtpTo(srv), app.MailConfig{Rate: 20, PollInterval: 50 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { a.RunMailWorker(ctx); close(done) }()
		start := time.Now()
		for i := 0; i < 6; i++ {
			queue(t, a, e.db, invoiceMail(""))
		}
		if got := srv.Wait(6, 10*time.Second); got != 6 {
			t.Fatalf("worker sent %d of 6", got)
		}
		if took := time.Since(start); took < 200*time.Millisecond {
			t.Errorf("6 messages at 20/s took %v", took)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the worker did not stop")
		}
	})
}

func setMail(a *app.App, p domain.Principal, c app.MailSettingsChanges) error {
	_, err := a.SetMailSettings(context.Background(), p, domain.IfAnyVersion(), c)
	return err
}

func TestMailSettingsVersion(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.as("boss")
		v, err := e.app.SetMailSettings(ctx, boss, domain.IfVersion(0), app.MailSettingsChanges{Host: "smtp.example.com", TLS: mail.TLSStartTLS})
		if err != nil || v.Stored.Version != 1 || v.Stored.Port != 587 {
			t.Fatalf("first save: %+v %v", v, err)
		}
		_, err = e.app.SetMailSettings(ctx, boss, domain.IfVersion(0), app.MailSettingsChanges{Host: "other.example.com"})
		wantCode(t, "stale version", err, domain.CodePreconditionFailed)
	})
}
