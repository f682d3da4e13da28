package app

import (
	"context"
	"errors"
	htmltemplate "html/template"
	"io"
	"strings"
	texttemplate "text/template"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/money"
)

// MessageDraft is a message being written (docs/messages.md): to whom, and its templates.
type MessageDraft struct {
	Audience   domain.AudienceKind
	CustomerID string // AudienceCustomer
	GroupID    string // AudienceGroup; AudienceSearch: the search's group filter
	Query      string // AudienceSearch: the register's search text ("" lists the register)
	Balance    BalanceSide
	// Subject is a text/template; Body is run as a text/template for the plain part and as
	// an html/template for the HTML part. Both see a MessageData.
	Subject string
	Body    string
	// Language is "es" (the default) or "en": how {{.Balance}} is written, and the
	// unsubscribe footer.
	Language string
}

// MessageData is what a message's templates see of its recipient.
type MessageData struct {
	Name      string // as on invoices: first and last name, or the company's name
	FirstName string
	LastName  string
	Group     string // the group's name, "" for none
	// Balance is the account's balance as money in the message's language ("12,50 €"):
	// positive when the customer owes the shop, negative when the shop owes them.
	Balance      string
	BalanceCents int64
}

// MessagePreview is a message rendered for its first recipient, with the audience's counts.
type MessagePreview struct {
	Recipients int // messages that would be queued
	Skipped    int // customers of the audience left out: no e-mail, or no marketing consent
	CustomerID string
	To         mail.Address
	Subject    string
	Text       string
	HTML       string
}

// Campaign bounds.
const (
	// MaxAudience is the most customers one message may be written to.
	MaxAudience       = 100_000
	MaxSubjectLen     = 300
	MaxBodyLen        = 64 << 10
	maxRenderedBody   = 512 << 10 // a template's output, loops included
	audiencePageSize  = 1000
	settingUnsubKey   = "unsubscribe_key"
	unsubscribeFooter = "\n\n-- \n"
)

// PreviewMessage renders d for its first recipient and counts the recipients (managers).
// Nothing is stored.
func (a *App) PreviewMessage(ctx context.Context, p domain.Principal, d MessageDraft) (MessagePreview, error) {
	var out MessagePreview
	if err := authorize(p, domain.PermMessagesSend); err != nil {
		return out, err
	}
	tpl, err := prepareDraft(&d)
	if err != nil {
		return out, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		recipients, skipped, err := a.recipients(ctx, tx, d)
		if err != nil {
			return err
		}
		out.Recipients, out.Skipped = len(recipients), skipped
		data, err := messageData(ctx, tx, recipients[:1], d.Language)
		if err != nil {
			return err
		}
		c := recipients[0]
		out.CustomerID, out.To = c.ID, mail.Address{Name: c.DisplayName(), Email: c.Email}
		out.Subject, out.Text, out.HTML, err = tpl.render(data[0], a.mailCfg.PublicURL+"/unsubscribe/…", d.Language)
		return err
	})
	return out, err
}

// SendMessage queues d, one outbox message per recipient, each with its own unsubscribe
// link, in one transaction with the campaign's record and its audit entry (managers): the
// campaign is queued whole or not at all. Only customers with an e-mail are written to; for a
// group or a search, only those who gave marketing consent.
func (a *App) SendMessage(ctx context.Context, p domain.Principal, d MessageDraft) (domain.Campaign, error) {
	var c domain.Campaign
	if err := authorize(p, domain.PermMessagesSend); err != nil {
		return c, err
	}
	tpl, err := prepareDraft(&d)
	if err != nil {
		return c, err
	}
	id, err := newID()
	if err != nil {
		return c, err
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		recipients, skipped, err := a.recipients(ctx, tx, d)
		if err != nil {
			return err
		}
		data, err := messageData(ctx, tx, recipients, d.Language)
		if err != nil {
			return err
		}
		key, err := a.unsubscribeKey(ctx, tx, true)
		if err != nil {
			return err
		}
		c = domain.Campaign{ID: id, Subject: d.Subject, AuthorID: p.UserID, AuthorName: p.Username, Audience: d.Audience,
			Query: d.Query, Balance: string(d.Balance), Skipped: int64(skipped), CreatedAt: a.now()}
		c.AudienceID = d.GroupID
		if d.Audience == domain.AudienceCustomer {
			c.AudienceID = d.CustomerID
		}
		for i, r := range recipients {
			link := a.mailCfg.PublicURL + "/unsubscribe/" + unsubscribeToken(key, id, r.ID)
			subject, text, html, err := tpl.render(data[i], link, d.Language)
			if err != nil {
				return err
			}
			_, err = a.QueueMail(ctx, tx, OutgoingMail{Kind: domain.MailMessage, CustomerID: r.ID, CampaignID: id,
				To: mail.Address{Name: r.DisplayName(), Email: r.Email}, Subject: subject, Text: text, HTML: html,
				Headers: mail.UnsubscribeHeaders(link, "")})
			if badRecipient(err) {
				// An address or name the message format refuses (refused before anything
				// is written): this customer is left out, the others still get it.
				c.Skipped++
				continue
			}
			if err != nil {
				return err
			}
			c.Recipients++
		}
		if c.Recipients == 0 {
			return fieldError("audience", domain.FieldNoRecipients, nil)
		}
		if err := tx.CreateCampaign(ctx, &c); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionCampaignSend, "campaign", id, nil,
			map[string]any{"recipients": c.Recipients, "skipped": c.Skipped, "audience": string(c.Audience)})
	})
	if err != nil {
		return domain.Campaign{}, err
	}
	a.NudgeMail()
	return c, nil
}

// badRecipient reports whether QueueMail refused a message for its recipient's address or
// name.
func badRecipient(err error) bool {
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
		return false
	}
	for _, f := range de.Fields {
		if !strings.HasPrefix(f.Field, "to.") {
			return false
		}
	}
	return len(de.Fields) > 0
}

// prepareDraft checks d and parses its templates; problems name the field (subject, body,
// audience, customer_id, group_id, balance, language).
func prepareDraft(d *MessageDraft) (messageTemplates, error) {
	var p domain.Problems
	d.Subject, d.Query = strings.TrimSpace(d.Subject), strings.TrimSpace(d.Query)
	switch d.Language {
	case "":
		d.Language = "es"
	case "es", "en":
	default:
		p.Add("language", domain.FieldInvalid, map[string]any{"allowed": "es, en"})
	}
	switch d.Audience {
	case domain.AudienceCustomer:
		if !ValidID(d.CustomerID) {
			p.Add("customer_id", domain.FieldInvalid, nil)
		}
	case domain.AudienceGroup:
		if d.GroupID == "" {
			p.Add("group_id", domain.FieldRequired, nil)
		} else if !ValidID(d.GroupID) {
			p.Add("group_id", domain.FieldNoSuchGroup, nil)
		}
	case domain.AudienceSearch:
		if d.GroupID != "" && !ValidID(d.GroupID) {
			p.Add("group_id", domain.FieldNoSuchGroup, nil)
		}
		if !ValidBalanceSide(string(d.Balance)) {
			p.Add("balance", domain.FieldInvalid, map[string]any{"allowed": "debtors, creditors"})
		}
	default:
		p.Add("audience", domain.FieldInvalid, map[string]any{"allowed": "customer, group, search"})
	}
	var t messageTemplates
	var err error
	switch {
	case d.Subject == "":
		p.Add("subject", domain.FieldRequired, nil)
	case len(d.Subject) > MaxSubjectLen:
		p.Add("subject", domain.FieldTooLong, map[string]any{"max": MaxSubjectLen})
	default:
		if t.subject, err = texttemplate.New("subject").Parse(d.Subject); err != nil {
			p.Add("subject", domain.FieldTemplate, map[string]any{"error": err.Error()})
		}
	}
	switch {
	case strings.TrimSpace(d.Body) == "":
		p.Add("body", domain.FieldRequired, nil)
	case len(d.Body) > MaxBodyLen:
		p.Add("body", domain.FieldTooLong, map[string]any{"max": MaxBodyLen})
	default:
		if t.text, err = texttemplate.New("body").Parse(d.Body); err != nil {
			p.Add("body", domain.FieldTemplate, map[string]any{"error": err.Error()})
		} else if t.html, err = htmltemplate.New("body").Parse(d.Body); err != nil {
			p.Add("body", domain.FieldTemplate, map[string]any{"error": err.Error()})
		}
	}
	if err := p.Err(); err != nil {
		return t, err
	}
	// Run once on made-up data: a template that names a field MessageData lacks fails here,
	// for the right field, before any recipient is read.
	_, _, _, err = t.render(MessageData{Name: "Ana", FirstName: "Ana", Balance: "0", Group: "—"}, "https://example.invalid/", d.Language)
	return t, err
}

// messageTemplates are a draft's parsed templates.
type messageTemplates struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// render runs the templates for one recipient and adds the unsubscribe footer to both parts.
func (t messageTemplates) render(data MessageData, link, lang string) (subject, text, html string, err error) {
	run := func(field string, limit int, exec func(io.Writer) error) (string, error) {
		w := &cappedWriter{max: limit}
		if err := exec(w); err != nil {
			if errors.Is(err, errTooLong) {
				return "", fieldError(field, domain.FieldTooLong, map[string]any{"max": limit})
			}
			return "", fieldError(field, domain.FieldTemplate, map[string]any{"error": err.Error()})
		}
		return w.b.String(), nil
	}
	if subject, err = run("subject", MaxSubjectLen*4, func(w io.Writer) error { return t.subject.Execute(w, data) }); err != nil {
		return
	}
	// A subject is one line: line breaks a name or a template brought become spaces.
	subject = strings.Join(strings.FieldsFunc(subject, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
	if subject = strings.TrimSpace(subject); subject == "" {
		return "", "", "", fieldError("subject", domain.FieldRequired, nil)
	}
	if text, err = run("body", maxRenderedBody, func(w io.Writer) error { return t.text.Execute(w, data) }); err != nil {
		return
	}
	if html, err = run("body", maxRenderedBody, func(w io.Writer) error { return t.html.Execute(w, data) }); err != nil {
		return
	}
	f := footers[lang]
	text = strings.TrimRight(text, "\r\n ") + unsubscribeFooter + f.text + "\n" + link + "\n"
	var b strings.Builder
	if err = htmlMessage.Execute(&b, map[string]any{"Body": htmltemplate.HTML(breakLines(html)), "Link": link, "Footer": f.html, "Lang": lang}); err != nil {
		return "", "", "", err
	}
	return subject, text, b.String(), nil
}

// footers are the unsubscribe footer's words in each language of messages.
var footers = map[string]struct{ text, html string }{
	"es": {"Si no desea recibir más mensajes como este, dése de baja aquí:", "Darse de baja de estos mensajes"},
	"en": {"If you would rather not receive messages like this one, unsubscribe here:", "Unsubscribe from these messages"},
}

// breakLines keeps the body's line breaks in HTML: each one outside a tag gets a <br> (mail
// programs ignore white-space styles too often to rely on them).
func breakLines(html string) string {
	var b strings.Builder
	inTag := false
	for _, r := range strings.ReplaceAll(html, "\r\n", "\n") {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case r == '\n' && !inTag:
			b.WriteString("<br>")
		}
		b.WriteRune(r)
	}
	return b.String()
}

// htmlMessage wraps the body's HTML and adds the unsubscribe link.
var htmlMessage = htmltemplate.Must(htmltemplate.New("message").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"></head>
<body><div style="font-family:sans-serif">{{.Body}}</div>
<hr><p style="font-size:small;color:#555;font-family:sans-serif"><a href="{{.Link}}">{{.Footer}}</a></p></body></html>
`))

var errTooLong = errors.New("rendered message too long")

// cappedWriter keeps at most max bytes and fails after.
type cappedWriter struct {
	b   strings.Builder
	max int
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.max {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

// recipients reads d's audience and keeps those who may receive it: an e-mail, and for a
// group or a search, marketing consent. skipped counts the others.
func (a *App) recipients(ctx context.Context, tx Tx, d MessageDraft) (out []domain.Customer, skipped int, err error) {
	members, err := a.audience(ctx, tx, d)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range members {
		if c.Email == "" || (d.Audience != domain.AudienceCustomer && !c.MarketingConsent) {
			skipped++
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, skipped, fieldError("audience", domain.FieldNoRecipients, map[string]any{"skipped": skipped})
	}
	return out, skipped, nil
}

// audience reads every customer d is written to, in the register's order (a search: in its
// order of results).
func (a *App) audience(ctx context.Context, tx Tx, d MessageDraft) ([]domain.Customer, error) {
	switch d.Audience {
	case domain.AudienceCustomer:
		c, err := tx.Customer(ctx, d.CustomerID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return nil, fieldError("customer_id", domain.FieldInvalid, nil)
		}
		return []domain.Customer{c}, err
	case domain.AudienceGroup:
		if err := checkGroup(ctx, tx, "group_id", d.GroupID); err != nil {
			return nil, err
		}
		return listAll(ctx, tx, ListFilter{GroupID: d.GroupID})
	}
	if err := checkGroup(ctx, tx, "group_id", d.GroupID); err != nil {
		return nil, err
	}
	if d.Query == "" {
		return listAll(ctx, tx, ListFilter{GroupID: d.GroupID, Balance: d.Balance})
	}
	sq := newSearchQuery(d.Query, d.GroupID, d.Balance)
	var out []domain.Customer
	cur := cursor{List: cursorSearch, Query: sq.fingerprint}
	for {
		var page CustomerPage
		if err := a.searchPage(ctx, tx, sq, audiencePageSize, cur, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Customers...)
		if len(out) > MaxAudience {
			return nil, fieldError("audience", domain.FieldOutOfRange, map[string]any{"min": 1, "max": MaxAudience})
		}
		if page.NextCursor == "" {
			return out, nil
		}
		next, err := decodeCursor(page.NextCursor, cursorSearch, sq.fingerprint)
		if err != nil {
			return nil, err
		}
		cur = next
	}
}

// listAll pages through the register with f.
func listAll(ctx context.Context, tx Tx, f ListFilter) ([]domain.Customer, error) {
	var out []domain.Customer
	f.Limit = audiencePageSize
	for {
		rows, err := tx.ListCustomers(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(out) > MaxAudience {
			return nil, fieldError("audience", domain.FieldOutOfRange, map[string]any{"min": 1, "max": MaxAudience})
		}
		if len(rows) < f.Limit {
			return out, nil
		}
		last := rows[len(rows)-1]
		f.AfterKey, f.AfterSeq = last.SortKey(), last.Seq
	}
}

// messageData is what the templates see of each customer: their balances are read in
// batches, their groups' names once each.
func messageData(ctx context.Context, tx Tx, cs []domain.Customer, lang string) ([]MessageData, error) {
	out := make([]MessageData, len(cs))
	groups := map[string]string{}
	for start := 0; start < len(cs); start += audiencePageSize {
		batch := cs[start:min(start+audiencePageSize, len(cs))]
		ids := make([]string, len(batch))
		for i, c := range batch {
			ids[i] = c.ID
		}
		balances, err := tx.AccountBalances(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i, c := range batch {
			name, ok := groups[c.GroupID]
			if !ok && c.GroupID != "" {
				g, err := tx.Group(ctx, c.GroupID)
				if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
					return nil, err
				}
				name, groups[c.GroupID] = g.Name, g.Name
			}
			b := balances[c.ID]
			out[start+i] = MessageData{Name: c.DisplayName(), FirstName: c.FirstName, LastName: c.LastName, Group: name,
				Balance: money.FormatCents(b, lang), BalanceCents: b}
			if c.Kind == domain.KindCompany {
				out[start+i].FirstName = c.DisplayName()
			}
		}
	}
	return out, nil
}

// fieldError is a validation error about one field.
func fieldError(field, code string, params map[string]any) error {
	return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Code: code, Params: params}}}
}
