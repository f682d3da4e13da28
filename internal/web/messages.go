package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
)

// Messages to customers (issue 10, docs/messages.md): write to one customer, a group or the
// customers of a register search; preview; send; the campaigns and their counts.

// messageFormPage is the message being written, and its preview once asked for.
type messageFormPage struct {
	form
	Audience   string // customer, group, search
	CustomerID string
	GroupID    string
	Query      string
	Balance    string
	// AudienceText says to whom, in words ("Grupo Socios", "Ana Núñez").
	AudienceText string
	// Groups is the group picker when the page was opened without an audience.
	Groups    []option
	Languages []option
	Preview   *app.MessagePreview
}

var messageFormFields = []formField{
	{"audience", "messages.audience", "f-group_id"}, {"group_id", "messages.group", ""}, {"customer_id", "messages.audience", ""},
	{"subject", "messages.subject", ""}, {"body", "messages.body", ""}, {"language", "messages.language", ""},
}

// messageNew opens the form: ?customer_id= (from a customer's page), ?group_id= (a group),
// or ?q=, ?group_id=, ?balance= (a search of the register, as its list takes them).
func (s *Server) messageNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	page := messageFormPage{CustomerID: q.Get("customer_id"), GroupID: q.Get("group_id"), Query: q.Get("q"), Balance: q.Get("balance")}
	switch {
	case page.CustomerID != "":
		page.Audience = string(domain.AudienceCustomer)
	case page.Query != "" || page.Balance != "":
		page.Audience = string(domain.AudienceSearch)
	default:
		page.Audience = string(domain.AudienceGroup)
	}
	page.form = form{Values: map[string]string{"language": string(rq.lang), "group_id": page.GroupID}}
	return s.renderMessageForm(w, r, rq, http.StatusOK, page)
}

// messagePost previews the message (action=preview) or sends it (action=send).
func (s *Server) messagePost(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	page := messageFormPage{Audience: f.Get("audience"), CustomerID: f.Get("customer_id"), GroupID: f.Get("group_id"),
		Query: f.Get("q"), Balance: f.Get("balance")}
	page.form = form{Values: map[string]string{"subject": f.Get("subject"), "body": f.Get("body"), "language": f.Get("language"), "group_id": page.GroupID}}
	draft := app.MessageDraft{Audience: domain.AudienceKind(page.Audience), CustomerID: page.CustomerID, GroupID: page.GroupID,
		Query: page.Query, Balance: app.BalanceSide(page.Balance), Subject: f.Get("subject"), Body: f.Get("body"), Language: f.Get("language")}
	var err error
	if f.Get("action") == "send" {
		var c domain.Campaign
		if c, err = s.app.SendMessage(r.Context(), rq.p, draft); err == nil {
			s.setFlash(w, r, i18n.PluralKey("flash.messages_sent", c.Recipients), map[string]any{"count": c.Recipients})
			http.Redirect(w, r, "/messages/"+c.ID, http.StatusSeeOther)
			return nil
		}
	} else {
		var pv app.MessagePreview
		if pv, err = s.app.PreviewMessage(r.Context(), rq.p, draft); err == nil {
			page.Preview = &pv
			return s.renderMessageForm(w, r, rq, http.StatusOK, page)
		}
	}
	problems := fieldProblems(err)
	if problems == nil {
		return err
	}
	page.Errors = s.fieldMessages(rq, problems)
	return s.renderMessageForm(w, r, rq, problemStatus(problems), page)
}

func (s *Server) renderMessageForm(w http.ResponseWriter, r *http.Request, rq *request, status int, page messageFormPage) error {
	l := loc{b: s.msgs, Lang: rq.lang}
	switch domain.AudienceKind(page.Audience) {
	case domain.AudienceCustomer:
		c, err := s.app.Customer(r.Context(), rq.p, page.CustomerID)
		if err != nil {
			return err
		}
		page.AudienceText = l.T("messages.to_customer", "name", c.DisplayName())
	case domain.AudienceSearch:
		page.AudienceText = s.searchText(r, rq, page.Query, page.GroupID, page.Balance)
	default:
		page.Audience = string(domain.AudienceGroup)
		if page.GroupID != "" && page.Preview != nil {
			if g, err := s.app.Group(r.Context(), rq.p, page.GroupID); err == nil {
				page.AudienceText = l.T("messages.to_group", "name", g.Name)
			}
		}
		groups, err := s.app.GroupChoices(r.Context(), rq.p)
		if err != nil {
			return err
		}
		page.Groups = []option{{Value: "", Label: l.T("messages.pick_group")}}
		for _, g := range groups {
			page.Groups = append(page.Groups, option{Value: g.ID, Label: g.Name})
		}
	}
	page.Languages = []option{{Value: "es", Label: l.T("messages.language.es")}, {Value: "en", Label: l.T("messages.language.en")}}
	if page.Values["language"] == "" {
		page.Values["language"] = "es"
	}
	fields := messageFormFields
	if page.Audience != string(domain.AudienceGroup) {
		// No group picker on the page: an audience problem points at the subject.
		fields = append([]formField{{"audience", "messages.audience", "f-subject"}}, messageFormFields[1:]...)
	}
	s.summarize(rq, &page.form, fields)
	return s.render(w, r, rq, status, "message_form", page)
}

// searchText says which customers a search of the register holds.
func (s *Server) searchText(r *http.Request, rq *request, q, groupID, balance string) string {
	l := loc{b: s.msgs, Lang: rq.lang}
	parts := []string{}
	if q != "" {
		parts = append(parts, l.T("messages.search_text", "q", q))
	} else {
		parts = append(parts, l.T("messages.search_all"))
	}
	if groupID != "" {
		if g, err := s.app.Group(r.Context(), rq.p, groupID); err == nil {
			parts = append(parts, l.T("messages.to_group", "name", g.Name))
		}
	}
	if balance == string(app.BalanceDebtors) || balance == string(app.BalanceCreditors) {
		parts = append(parts, l.T("messages.balance."+balance))
	}
	return strings.Join(parts, " · ")
}

// campaignListPage lists the campaigns, newest first.
type campaignListPage struct {
	Rows []campaignRow
	Next string
}

type campaignRow struct {
	domain.Campaign
	AudienceText string
}

func (s *Server) messageList(w http.ResponseWriter, r *http.Request, rq *request) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := s.app.Campaigns(r.Context(), rq.p, before, app.DefaultPageSize)
	if err != nil {
		return err
	}
	page := campaignListPage{}
	l := loc{b: s.msgs, Lang: rq.lang}
	for _, c := range list {
		page.Rows = append(page.Rows, campaignRow{Campaign: c, AudienceText: l.T("messages.audience." + string(c.Audience))})
	}
	if len(list) == app.DefaultPageSize {
		page.Next = "/messages?before=" + url.QueryEscape(strconv.FormatInt(list[len(list)-1].Seq, 10))
	}
	return s.render(w, r, rq, http.StatusOK, "messages", page)
}

// campaignPage is one campaign with where its messages are.
type campaignPage struct {
	app.CampaignView
	AudienceText string
	CustomerLink string
}

// Count is the number of the campaign's messages in a state.
func (p campaignPage) Count(status string) int64 { return p.Counts[domain.OutboxStatus(status)] }

func (s *Server) messageShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.app.Campaign(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	page := campaignPage{CampaignView: v}
	switch v.Audience {
	case domain.AudienceCustomer:
		page.AudienceText = l.T("messages.audience.customer")
		if c, err := s.app.Customer(r.Context(), rq.p, v.AudienceID); err == nil {
			page.AudienceText = l.T("messages.to_customer", "name", c.DisplayName())
			page.CustomerLink = "/customers/" + c.ID
		}
	case domain.AudienceGroup:
		page.AudienceText = l.T("messages.audience.group")
		if v.GroupName != "" {
			page.AudienceText = l.T("messages.to_group", "name", v.GroupName)
		}
	default:
		page.AudienceText = s.searchText(r, rq, v.Query, v.AudienceID, v.Balance)
	}
	return s.render(w, r, rq, http.StatusOK, "campaign", page)
}

// unsubscribePage is the public page of an unsubscribe link.
type unsubscribePage struct {
	Token string
	app.UnsubscribeStatus
	Unknown bool
}

// unsubscribeForm shows the confirm button (public: the customer has no login). A GET never
// changes anything: mail scanners follow links.
func (s *Server) unsubscribeForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	token := r.PathValue("token")
	st, err := s.app.CheckUnsubscribe(r.Context(), token)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return s.render(w, r, rq, http.StatusNotFound, "unsubscribe", unsubscribePage{Unknown: true})
	}
	if err != nil {
		return err
	}
	return s.render(w, r, rq, http.StatusOK, "unsubscribe", unsubscribePage{Token: token, UnsubscribeStatus: st})
}

// unsubscribe records the opt-out: from the page's button, or the mail program's one-click
// POST (RFC 8058, body List-Unsubscribe=One-Click, no cookie, from no page of ours: this
// route alone is exempt from the cross-origin check).
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request, rq *request) error {
	token := r.PathValue("token")
	err := s.app.Unsubscribe(r.Context(), token)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return s.render(w, r, rq, http.StatusNotFound, "unsubscribe", unsubscribePage{Unknown: true})
	}
	if err != nil {
		return err
	}
	st, err := s.app.CheckUnsubscribe(r.Context(), token)
	if err != nil {
		return err
	}
	return s.render(w, r, rq, http.StatusOK, "unsubscribe", unsubscribePage{Token: token, UnsubscribeStatus: st})
}
