package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// audienceFixture is a group with four kinds of member, and a customer outside it.
type audienceFixture struct {
	group                 domain.Group
	ana, bea, carl, dora  domain.Customer // ana: consent; bea: no consent; carl: no e-mail; dora: consent, no group
	manager, cashier, adm domain.Principal
}

func newAudience(t *testing.T, e *env) audienceFixture {
	t.Helper()
	ctx := context.Background()
	f := audienceFixture{manager: e.principal(t, "manu"), cashier: e.principal(t, "till"), adm: e.principal(t, "boss")}
	var err error
	if f.group, err = e.app.CreateGroup(ctx, f.adm, domain.GroupChanges{Name: domain.Some("Socios")}); err != nil {
		t.Fatal(err)
	}
	mk := func(first, last, email, group string, consent bool) domain.Customer {
		ch := domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some(first), LastName: domain.Some(last), MarketingConsent: domain.Some(consent)}
		if email != "" {
			ch.Email = domain.Some(email)
		}
		if group != "" {
			ch.GroupID = domain.Some(group)
		}
		c, err := e.app.CreateCustomer(ctx, f.adm, ch)
		if err != nil {
			t.Fatalf("create %s: %v", first, err)
		}
		return c
	}
	f.ana = mk("Ana", "Núñez", "ana@example.com", f.group.ID, true)
	f.bea = mk("Bea", "Ortiz", "bea@example.com", f.group.ID, false)
	f.carl = mk("Carl", "Pérez", "", f.group.ID, true)
	f.dora = mk("Dora", "Quintana", "dora@example.com", "", true)
	if _, err := e.app.PostAccountMovement(ctx, f.adm, f.ana.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 123456, Reason: "saldo"}, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	var de *domain.Error
	if !asDomain(err, &de) || de.Code != domain.CodeInvalid {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
	for _, fe := range de.Fields {
		if fe.Field == field && fe.Code == code {
			return
		}
	}
	t.Fatalf("got fields %+v, want %s %s", de.Fields, field, code)
}

func asDomain(err error, target **domain.Error) bool {
	de, ok := err.(*domain.Error)
	if ok {
		*target = de
	}
	return ok
}

func TestMessagesToCustomers(t *testing.T) {
	eachBackend(t, app.Config{Mail: app.MailConfig{PublicURL: "https://tienda.example/"}}, func(t *testing.T, e *env) {
		ctx := context.Background()
		f := newAudience(t, e)
		draft := app.MessageDraft{Audience: domain.AudienceGroup, GroupID: f.group.ID,
			Subject: "Hola {{.FirstName}}, novedades de {{.Group}}",
			Body:    "Querida {{.Name}}:\nsu saldo es {{.Balance}}.\n<b>{{.Group}}</b>"}

		// Only cashiers and up may read customers; writing to them is the managers'.
		if _, err := e.app.PreviewMessage(ctx, f.cashier, draft); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Fatalf("cashier preview: %v", err)
		}

		// The preview: rendered for the first recipient, with the counts. Bea (no consent)
		// and Carl (no e-mail) are left out of a campaign.
		pv, err := e.app.PreviewMessage(ctx, f.manager, draft)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Recipients != 1 || pv.Skipped != 2 || pv.To.Email != "ana@example.com" {
			t.Fatalf("preview counts: %+v", pv)
		}
		if pv.Subject != "Hola Ana, novedades de Socios" {
			t.Errorf("subject %q", pv.Subject)
		}
		if !strings.Contains(pv.Text, "Querida Ana Núñez:\nsu saldo es 1.234,56\u00a0€.\n<b>Socios</b>") {
			t.Errorf("text part %q", pv.Text)
		}
		if !strings.Contains(pv.HTML, "Querida Ana Núñez:<br>\nsu saldo es 1.234,56\u00a0€.<br>\n<b>Socios</b>") || !strings.Contains(pv.HTML, "Darse de baja") {
			t.Errorf("html part %q", pv.HTML)
		}
		// English: money written the English way.
		en := draft
		en.Language = "en"
		if pv, err := e.app.PreviewMessage(ctx, f.manager, en); err != nil || !strings.Contains(pv.Text, "€1,234.56") || !strings.Contains(pv.Text, "unsubscribe") {
			t.Errorf("english preview: %v %q", err, pv.Text)
		}

		// Template errors name their field.
		bad := draft
		bad.Subject = "{{.Nmae}}"
		_, err = e.app.PreviewMessage(ctx, f.manager, bad)
		wantField(t, err, "subject", domain.FieldTemplate)
		bad = draft
		bad.Body = "{{if .Name}}sin cerrar"
		_, err = e.app.SendMessage(ctx, f.manager, bad)
		wantField(t, err, "body", domain.FieldTemplate)
		bad.Body, bad.Subject = "", ""
		_, err = e.app.SendMessage(ctx, f.manager, bad)
		wantField(t, err, "subject", domain.FieldRequired)
		wantField(t, err, "body", domain.FieldRequired)
		// HTML escaping: a name is text in the HTML part.
		evil := draft
		evil.Body = "{{.Name}}<script>x</script>"

		// Send: one outbox message per recipient, with the unsubscribe headers.
		c, err := e.app.SendMessage(ctx, f.manager, draft)
		if err != nil {
			t.Fatal(err)
		}
		if c.Recipients != 1 || c.Skipped != 2 || c.Audience != domain.AudienceGroup {
			t.Fatalf("campaign %+v", c)
		}
		msgs, err := e.app.MailHistory(ctx, f.manager, app.OutboxFilter{CampaignID: c.ID})
		if err != nil || len(msgs) != 1 || msgs[0].Recipient != "ana@example.com" || msgs[0].CustomerID != f.ana.ID || msgs[0].Kind != domain.MailMessage {
			t.Fatalf("outbox: %v %+v", err, msgs)
		}
		raw := rawOf(t, e, msgs[0].ID)
		m, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		link := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
		if !strings.HasPrefix(link, "https://tienda.example/unsubscribe/") || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Fatalf("unsubscribe headers: %q %q", m.Header.Get("List-Unsubscribe"), m.Header.Get("List-Unsubscribe-Post"))
		}
		_, text, _ := mimeParts(t, raw)
		if !strings.Contains(text, link) {
			t.Errorf("the text part lacks the link: %q", text)
		}

		// The audit says who sent which campaign to how many, and no address.
		entries := auditOf(t, e, domain.ActionCampaignSend)
		if len(entries) != 1 || entries[0].ActorName != "manu" || entries[0].EntityID != c.ID {
			t.Fatalf("audit %+v", entries)
		}
		js, _ := json.Marshal(entries[0])
		if !strings.Contains(string(js), `"recipients":1`) || strings.Contains(string(js), "@") {
			t.Errorf("audit details %s", js)
		}

		// One customer: a service message, sent without marketing consent.
		one, err := e.app.SendMessage(ctx, f.manager, app.MessageDraft{Audience: domain.AudienceCustomer, CustomerID: f.bea.ID,
			Subject: "Su pedido", Body: "{{.Name}}, su pedido ha llegado."})
		if err != nil || one.Recipients != 1 {
			t.Fatalf("one customer: %v %+v", err, one)
		}
		// Nobody to write to: no e-mail.
		_, err = e.app.SendMessage(ctx, f.manager, app.MessageDraft{Audience: domain.AudienceCustomer, CustomerID: f.carl.ID, Subject: "x", Body: "y"})
		wantField(t, err, "audience", domain.FieldNoRecipients)

		// A search of the register: those it finds who gave consent (Ana and Dora match
		// "example"; Bea has no consent).
		pv, err = e.app.PreviewMessage(ctx, f.manager, app.MessageDraft{Audience: domain.AudienceSearch, Query: "example.com", Subject: "s", Body: "b"})
		if err != nil || pv.Recipients != 2 || pv.Skipped != 1 {
			t.Fatalf("search preview: %v %+v", err, pv)
		}
		pv, err = e.app.PreviewMessage(ctx, f.manager, app.MessageDraft{Audience: domain.AudienceSearch, Balance: app.BalanceDebtors, Subject: "s", Body: "b"})
		if err != nil || pv.Recipients != 1 || pv.To.Email != "ana@example.com" {
			t.Fatalf("debtors preview: %v %+v", err, pv)
		}
		if pv, err = e.app.PreviewMessage(ctx, f.manager, evil); err != nil || !strings.Contains(pv.HTML, "Ana Núñez<script>") {
			// The body is the author's HTML; only what the data brings is escaped.
			t.Errorf("html body: %v %q", err, pv.HTML)
		}

		// The unsubscribe link: the opt-out recorded with its date, as the customer's action.
		token := link[strings.LastIndex(link, "/")+1:]
		st, err := e.app.CheckUnsubscribe(ctx, token)
		if err != nil || st.Done {
			t.Fatalf("check: %v %+v", err, st)
		}
		e.clock.Advance(3600e9)
		if err := e.app.Unsubscribe(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := e.app.Unsubscribe(ctx, token); err != nil {
			t.Fatalf("twice: %v", err)
		}
		ana, err := e.app.Customer(ctx, f.adm, f.ana.ID)
		if err != nil || ana.MarketingConsent || ana.MarketingConsentAt == nil || !ana.MarketingConsentAt.Equal(e.clock.Now().UTC().Truncate(1000)) {
			t.Fatalf("after unsubscribe: %v %v %v", err, ana.MarketingConsent, ana.MarketingConsentAt)
		}
		if st, err := e.app.CheckUnsubscribe(ctx, token); err != nil || !st.Done {
			t.Fatalf("check after: %v %+v", err, st)
		}
		un := auditOf(t, e, domain.ActionCustomerUnsubscribe)
		if len(un) != 1 || un[0].ActorID != "customer:"+f.ana.ID || un[0].EntityID != f.ana.ID {
			t.Fatalf("unsubscribe audit %+v", un)
		}
		view, err := e.app.Campaign(ctx, f.manager, c.ID)
		if err != nil || view.Unsubscribed != 1 || view.Counts[domain.OutboxQueued] != 1 || view.GroupName != "Socios" {
			t.Fatalf("campaign view: %v %+v", err, view)
		}
		// Ana is now left out of campaigns.
		if _, err := e.app.PreviewMessage(ctx, f.manager, draft); err == nil {
			t.Fatal("no one should be left in the group")
		}
		list, err := e.app.Campaigns(ctx, f.manager, 0, 10)
		if err != nil || len(list) != 2 || list[0].ID != one.ID {
			t.Fatalf("campaigns: %v %+v", err, list)
		}

		// Forged, altered or unknown tokens are not found, and say nothing more.
		for _, tok := range []string{"", "abc", strings.Repeat("A", 64), token[:63] + "B", token[:10] + "x" + token[11:]} {
			if tok == token {
				continue
			}
			if err := e.app.Unsubscribe(ctx, tok); domain.ErrorCode(err) != domain.CodeNotFound {
				t.Errorf("token %q: %v", tok, err)
			}
		}
	})
}

func rawOf(t *testing.T, e *env, id string) []byte {
	t.Helper()
	var raw []byte
	err := e.db.Read(context.Background(), func(tx app.Tx) (err error) {
		raw, err = tx.OutboxMessageBytes(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
