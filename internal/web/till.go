package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/money"
)

// The till ("Caja"): the cashier's open tickets, one of them on screen. Every action is a
// plain form that posts to /till/{id}/... and comes back to /till/{id}, so the till works
// without a script; till.js posts the same forms with fetch and swaps in the answer, so that
// a scanned loyalty card lands on the ticket without a page load. A ticket that does not
// exist yet is "new": the first action on it opens it.

// newTicket is the id in the address of a ticket not opened yet.
const newTicket = "new"

// tillMatchLimit is how many customers a search at the till offers.
const tillMatchLimit = 8

type tillPage struct {
	ID     string // the ticket's id, or newTicket
	Ticket domain.Ticket
	Totals domain.Totals
	Lines  []tillLine
	Parked []tillParked // the caller's open tickets, this one included
	Rates  []option

	// What the scan field found: a message, and customers to choose from.
	Q       string
	Status  string
	Alert   bool // the status is a refusal (an unknown card), not news
	Matches []tillMatch

	LineForm form // the add-line form
	// LineErrors are the errors of a changed line, by its id.
	LineID     string
	LineValues map[string]string
	LineErrors map[string]string

	PayForm    form
	PayMessage string
	// Account: the attached customer's account, for those who may read it (nil otherwise):
	// the account and credit tenders are offered with it. CanOverride: the user may let a
	// sale on account pass the credit limit.
	Account     *domain.Account
	CanOverride bool
	ShopLink    bool // the refusal is the shop's missing details: link to the settings
	Key         string
	Focus       string // the id of the element that takes the focus
}

type tillLine struct {
	ID, Label, Quantity, UnitPrice, Rate  string
	UnitPriceCents                        int64
	GrossCents, DiscountCents, TotalCents int64
}

type tillParked struct {
	ID, Label  string
	Lines      int
	TotalCents int64
	Current    bool
}

type tillMatch struct {
	ID, Name, Group, Reference string
}

// Customer is the customer on the ticket, or nil.
func (p tillPage) Customer() *domain.TicketCustomer { return p.Ticket.Customer }

// Action is the address of an action on this ticket.
func (p tillPage) Action(suffix string) string { return "/till/" + p.ID + suffix }

// tillHome opens the caller's most recently changed ticket, or a new one when none is open.
func (s *Server) tillHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	tickets, err := s.app.Tickets(r.Context(), rq.p)
	if err != nil {
		return err
	}
	if len(tickets) == 0 {
		return s.renderTill(w, r, rq, http.StatusOK, &tillPage{ID: newTicket})
	}
	latest := tickets[0]
	for _, t := range tickets[1:] {
		if t.UpdatedAt.After(latest.UpdatedAt) {
			latest = t
		}
	}
	http.Redirect(w, r, "/till/"+latest.ID, http.StatusSeeOther)
	return nil
}

// tillTicket shows one ticket. Without a script, the scan field's search comes here as ?q=.
func (s *Server) tillTicket(w http.ResponseWriter, r *http.Request, rq *request) error {
	page := &tillPage{ID: r.PathValue("id"), Focus: r.URL.Query().Get("focus")}
	if q := r.URL.Query().Get("q"); q != "" {
		if err := s.tillSearch(r, rq, page, q); err != nil {
			return err
		}
	}
	err := s.renderTill(w, r, rq, http.StatusOK, page)
	if domain.ErrorCode(err) == domain.CodeNotFound && page.Ticket.ID == "" && page.ID != newTicket && app.ValidID(page.ID) {
		// Closed or discarded meanwhile (another tab, the back button after a sale): back
		// to the till, saying so.
		s.setFlash(w, r, "flash.ticket_gone", nil)
		http.Redirect(w, r, "/till", http.StatusSeeOther)
		return nil
	}
	return err
}

// loadTill fills the page's ticket, parked tickets and VAT rates.
func (s *Server) loadTill(r *http.Request, rq *request, page *tillPage) error {
	ctx := r.Context()
	if page.ID != newTicket {
		t, err := s.app.Ticket(ctx, rq.p, page.ID)
		if err != nil {
			return err
		}
		page.Ticket = t
	}
	page.Totals = page.Ticket.Totals()
	l := loc{b: s.msgs, Lang: rq.lang}
	for i, line := range page.Ticket.Lines {
		pl := page.Totals.Lines[i]
		page.Lines = append(page.Lines, tillLine{ID: line.ID, Label: line.Label, Quantity: formatQuantity(line.Quantity, rq.lang),
			UnitPrice: money.FormatAmount(line.UnitPriceCents, string(rq.lang)), UnitPriceCents: line.UnitPriceCents,
			Rate: l.Percent(line.VATRateBasisPoints), GrossCents: pl.GrossCents, DiscountCents: pl.DiscountCents, TotalCents: pl.TotalCents})
	}
	tickets, err := s.app.Tickets(ctx, rq.p)
	if err != nil {
		return err
	}
	for _, t := range tickets {
		label := l.T("till.ticket_at", "time", t.CreatedAt.Local().Format("15:04"))
		if t.Customer != nil && t.Customer.Name != "" {
			label = t.Customer.Name
		}
		page.Parked = append(page.Parked, tillParked{ID: t.ID, Label: label, Lines: len(t.Lines),
			TotalCents: t.Totals().TotalCents, Current: t.ID == page.ID})
	}
	rates, err := s.app.VATRates(ctx, rq.p)
	if err != nil {
		return err
	}
	for _, rate := range rates {
		page.Rates = append(page.Rates, option{Value: strconv.FormatInt(rate, 10), Label: l.Percent(rate)})
	}
	if page.LineForm.Values == nil {
		page.LineForm.Values = map[string]string{"quantity": "1"}
		if len(rates) > 0 {
			page.LineForm.Values["vat_rate"] = strconv.FormatInt(rates[0], 10)
		}
	}
	if page.PayForm.Values == nil {
		page.PayForm.Values = map[string]string{}
	}
	page.Account = nil
	if c := page.Ticket.Customer; c != nil {
		acct, err := s.accountSummary(r, rq, c.ID, 1)
		if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return err
		}
		if acct != nil {
			page.Account = &acct.Account
			page.CanOverride = rq.p.Role.Can(domain.PermAccountsOverride)
		}
	}
	if page.Key == "" {
		page.Key = uuid.NewString()
	}
	return nil
}

// tillSearch runs the register's search for what was typed in the scan field and offers the
// customers found.
func (s *Server) tillSearch(r *http.Request, rq *request, page *tillPage, q string) error {
	page.Q = q
	res, err := s.app.Customers(r.Context(), rq.p, app.CustomerQuery{Q: q, Limit: tillMatchLimit})
	if err != nil {
		return err
	}
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(groups))
	for _, g := range groups {
		names[g.ID] = groupLabel(g, string(rq.lang))
	}
	for _, c := range res.Customers {
		page.Matches = append(page.Matches, tillMatch{ID: c.ID, Name: c.DisplayName(), Group: names[c.GroupID], Reference: c.Reference})
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	switch {
	case len(page.Matches) == 0 && looksLikeCard(q):
		page.Status, page.Alert = l.T("till.unknown_reference", "q", q), true
	case len(page.Matches) == 0:
		page.Status, page.Alert = l.T("till.no_match", "q", q), true
	case looksLikeCard(q):
		page.Status = l.N("till.unknown_reference_matches", int64(len(page.Matches)), "q", q)
	default:
		page.Status = l.N("till.matches", int64(len(page.Matches)), "q", q)
	}
	if len(page.Matches) > 0 {
		page.Focus = "match-0"
	}
	return nil
}

// looksLikeCard reports whether text is what a barcode scanner types: one word of digits.
func looksLikeCard(text string) bool {
	if len(text) < 4 {
		return false
	}
	for _, c := range text {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// tillScan is the scan field: a loyalty card's reference attaches its customer at once; an
// unknown one is said plainly and the ticket stays as it was; anything else is a search of
// the register, whose customers the page offers to attach.
func (s *Server) tillScan(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	q := strings.TrimSpace(r.PostForm.Get("q"))
	page := &tillPage{ID: r.PathValue("id")}
	if q == "" {
		page.Focus = "scan"
		return s.tillAnswer(w, r, rq, http.StatusOK, page)
	}
	// Look the card up before opening a ticket, so that an unknown card opens nothing.
	c, err := s.app.CustomerByReference(r.Context(), rq.p, q)
	switch {
	case err == nil:
		err = s.onTicket(r, rq, page, func(id string) (domain.Ticket, error) {
			return s.app.AttachCustomer(r.Context(), rq.p, id, app.CustomerChoice{CustomerID: c.ID})
		})
		if err != nil {
			return err
		}
		page.Focus = "scan"
		page.Status = s.attachedStatus(rq, page.Ticket.Customer)
		return s.tillDone(w, r, rq, page)
	case domain.ErrorCode(err) != domain.CodeNotFound:
		return err
	}
	if !wantsJSON(r) && page.ID != newTicket {
		// Without a script the search is a page of its own, which a reload shows again.
		http.Redirect(w, r, "/till/"+page.ID+"?q="+urlQuery(q), http.StatusSeeOther)
		return nil
	}
	if err := s.tillSearch(r, rq, page, q); err != nil {
		return err
	}
	if page.Focus == "" {
		page.Focus = "scan"
	}
	return s.tillAnswer(w, r, rq, http.StatusOK, page)
}

func (s *Server) attachedStatus(rq *request, c *domain.TicketCustomer) string {
	if c == nil {
		return ""
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	if c.GroupName != "" && c.DiscountBasisPoints > 0 {
		return l.T("till.attached_discount", "name", c.Name, "group", c.GroupName, "discount", l.Percent(c.DiscountBasisPoints))
	}
	return l.T("till.attached", "name", c.Name)
}

// tillAttach attaches a customer chosen from the search's matches.
func (s *Server) tillAttach(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := &tillPage{ID: r.PathValue("id"), Focus: "scan"}
	id := r.PostForm.Get("customer_id")
	err := s.onTicket(r, rq, page, func(tid string) (domain.Ticket, error) {
		return s.app.AttachCustomer(r.Context(), rq.p, tid, app.CustomerChoice{CustomerID: id})
	})
	if fieldProblems(err) != nil || (domain.ErrorCode(err) == domain.CodeNotFound && hasField(err, "customer_id")) {
		page.Status, page.Alert = s.msgs.T(rq.lang, "till.customer_gone", nil), true
		return s.tillAnswer(w, r, rq, http.StatusNotFound, page)
	}
	if err != nil {
		return err
	}
	page.Status = s.attachedStatus(rq, page.Ticket.Customer)
	return s.tillDone(w, r, rq, page)
}

func (s *Server) tillDetach(w http.ResponseWriter, r *http.Request, rq *request) error {
	page := &tillPage{ID: r.PathValue("id"), Focus: "scan"}
	if _, err := s.app.DetachCustomer(r.Context(), rq.p, page.ID); err != nil {
		return err
	}
	page.Status = s.msgs.T(rq.lang, "till.detached", nil)
	return s.tillDone(w, r, rq, page)
}

// tillAddLine adds a line; the label field takes the focus again for the next one.
func (s *Server) tillAddLine(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := &tillPage{ID: r.PathValue("id"), Focus: "f-label"}
	values := map[string]string{"label": r.PostForm.Get("label"), "quantity": r.PostForm.Get("quantity"),
		"unit_price": r.PostForm.Get("unit_price"), "vat_rate": r.PostForm.Get("vat_rate")}
	ch, problems := lineChanges(values, rq, true)
	if problems == nil {
		err := s.onTicket(r, rq, page, func(id string) (domain.Ticket, error) {
			return s.app.AddTicketLine(r.Context(), rq.p, id, ch)
		})
		if err == nil {
			page.Status = s.msgs.T(rq.lang, "till.line_added", map[string]any{"label": strings.TrimSpace(values["label"])})
			return s.tillDone(w, r, rq, page)
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.LineForm = form{Values: values, Errors: s.lineMessages(rq, problems)}
	page.Focus = "line-errors"
	return s.tillAnswer(w, r, rq, problemStatus(problems), page)
}

// tillChangeLine changes a line's quantity or price.
func (s *Server) tillChangeLine(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := &tillPage{ID: r.PathValue("id"), Focus: "scan"}
	lineID := r.PathValue("line")
	values := map[string]string{"quantity": r.PostForm.Get("quantity"), "unit_price": r.PostForm.Get("unit_price")}
	ch, problems := lineChanges(values, rq, false)
	if problems == nil {
		t, err := s.app.UpdateTicketLine(r.Context(), rq.p, page.ID, lineID, domain.IfAnyVersion(), ch)
		if err == nil {
			page.Ticket = t
			return s.tillDone(w, r, rq, page)
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.LineID, page.LineValues, page.LineErrors = lineID, values, s.lineMessages(rq, problems)
	page.Focus = "line-" + lineID + "-quantity"
	return s.tillAnswer(w, r, rq, problemStatus(problems), page)
}

func (s *Server) tillRemoveLine(w http.ResponseWriter, r *http.Request, rq *request) error {
	page := &tillPage{ID: r.PathValue("id"), Focus: "scan"}
	if _, err := s.app.RemoveTicketLine(r.Context(), rq.p, page.ID, r.PathValue("line")); err != nil {
		return err
	}
	page.Status = s.msgs.T(rq.lang, "till.line_removed", nil)
	return s.tillDone(w, r, rq, page)
}

// tillNew parks the current ticket (it stays open) and starts another.
func (s *Server) tillNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	t, err := s.app.OpenTicket(r.Context(), rq.p)
	if err != nil {
		return err
	}
	return s.tillDone(w, r, rq, &tillPage{ID: t.ID, Focus: "scan"})
}

// tillDiscard drops an open ticket and goes back to the till.
func (s *Server) tillDiscard(w http.ResponseWriter, r *http.Request, rq *request) error {
	if id := r.PathValue("id"); id != newTicket {
		if err := s.app.DiscardTicket(r.Context(), rq.p, id); err != nil {
			return err
		}
	}
	s.setFlash(w, r, "flash.ticket_discarded", nil)
	if wantsJSON(r) {
		return writeJSON(w, http.StatusOK, tillJSON{Redirect: "/till"})
	}
	http.Redirect(w, r, "/till", http.StatusSeeOther)
	return nil
}

// tillClose takes the payments and closes the ticket: its invoice is issued and the receipt
// shown. The form carries an idempotency key, so a second press of the button, or a retry
// after a lost answer, shows the same invoice instead of booking another.
func (s *Server) tillClose(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := &tillPage{ID: r.PathValue("id"), Key: r.PostForm.Get("key")}
	values := map[string]string{"cash": r.PostForm.Get("cash"), "card": r.PostForm.Get("card"),
		"account": r.PostForm.Get("account"), "credit": r.PostForm.Get("credit"), "override": r.PostForm.Get("override")}
	page.PayForm = form{Values: values}
	if page.ID == newTicket {
		page.PayMessage = s.msgs.T(rq.lang, "till.ticket_empty", nil)
		return s.tillAnswer(w, r, rq, http.StatusUnprocessableEntity, page)
	}
	t, err := s.app.Ticket(r.Context(), rq.p, page.ID)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound && page.Key != "" {
			// Closed already: a second press of the button finds the invoice by its key.
			if inv, cerr := s.app.CloseTicket(r.Context(), rq.p, page.ID, nil, page.Key); cerr == nil {
				return s.toReceipt(w, r, inv.ID)
			}
		}
		return err
	}
	total := t.Totals().TotalCents
	var tenders []domain.Tender
	var problems []domain.FieldError
	switch r.PostForm.Get("pay") {
	case "card":
		// "All by card" and "Exact cash": one tender of the whole total.
		values["card"] = ""
		values["cash"] = ""
		tenders = append(tenders, domain.Tender{Method: domain.TenderCard, AmountCents: total})
	case "exact":
		values["card"] = ""
		values["cash"] = ""
		tenders = append(tenders, domain.Tender{Method: domain.TenderCash, AmountCents: total})
	default:
		for _, m := range domain.TenderMethods {
			text := strings.TrimSpace(values[string(m)])
			if text == "" {
				continue
			}
			cents, perr := money.ParseAmount(text, string(rq.lang), false)
			if perr != nil {
				problems = append(problems, domain.FieldError{Field: string(m), Code: amountErrorCode(perr)})
				continue
			}
			if cents > 0 {
				tenders = append(tenders, domain.Tender{Method: m, AmountCents: cents})
			}
		}
	}
	if problems == nil {
		inv, err := s.app.CloseTicketWith(r.Context(), rq.p, page.ID,
			app.CloseRequest{Tenders: tenders, OverrideCreditLimit: values["override"] != ""}, page.Key)
		if err == nil {
			return s.toReceipt(w, r, inv.ID)
		}
		var de *domain.Error
		if !errors.As(err, &de) {
			return err
		}
		l := loc{b: s.msgs, Lang: rq.lang}
		amount := func(name string) string { c, _ := de.Details[name].(int64); return l.Money(c) }
		switch de.Code {
		case domain.CodeCreditLimit:
			page.PayMessage = l.T("till.credit_limit", "balance", amount("balance_cents"), "limit", amount("limit_cents"), "amount", amount("amount_cents"))
			if rq.p.Role.Can(domain.PermAccountsOverride) {
				page.PayMessage += " " + l.T("till.credit_limit_manager")
			}
		case domain.CodeInsufficientCredit:
			page.PayMessage = l.T("till.insufficient_credit", "credit", amount("credit_cents"), "amount", amount("amount_cents"))
		case domain.CodeShopNotReady:
			page.PayMessage, page.ShopLink = l.T("till.shop_not_ready"), true
		case domain.CodeTicketEmpty:
			page.PayMessage = l.T("till.ticket_empty")
		case domain.CodeInvalid:
			for _, f := range de.Fields {
				switch f.Code {
				case domain.FieldPaymentShort:
					paid, _ := f.Params["paid_cents"].(int64)
					page.PayMessage = l.T("till.payment_short", "total", l.Money(total), "missing", l.Money(total-paid))
				case domain.FieldPaymentExceeds:
					page.PayMessage = l.T("till.card_exceeds", "total", l.Money(total))
					if slices.ContainsFunc(tenders, func(t domain.Tender) bool { return t.Method.OnAccount() }) {
						page.PayMessage = l.T("till.noncash_exceeds", "total", l.Money(total))
					}
				case domain.FieldNeedsCustomer:
					page.PayMessage = l.T("till.account_needs_customer")
				default:
					if page.PayMessage == "" {
						page.PayMessage = l.T("till.payment_invalid")
					}
				}
			}
			if page.PayMessage == "" && len(tenders) == 0 {
				page.PayMessage = l.T("till.payment_short", "total", l.Money(total), "missing", l.Money(total))
			}
		default:
			return err
		}
	} else {
		page.PayForm.Errors = s.fieldMessages(rq, problems)
	}
	if len(tenders) == 0 && page.PayMessage == "" && problems == nil {
		page.PayMessage = s.msgs.T(rq.lang, "till.payment_none", nil)
	}
	page.Focus = "pay-message"
	return s.tillAnswer(w, r, rq, http.StatusUnprocessableEntity, page)
}

func (s *Server) toReceipt(w http.ResponseWriter, r *http.Request, invoiceID string) error {
	target := "/invoices/" + invoiceID + "/receipt"
	if wantsJSON(r) {
		return writeJSON(w, http.StatusOK, tillJSON{Redirect: target})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// onTicket runs fn on the page's ticket, opening it first when it is new; an action refused
// on a ticket it opened discards that ticket again, so a refusal leaves nothing behind.
func (s *Server) onTicket(r *http.Request, rq *request, page *tillPage, fn func(id string) (domain.Ticket, error)) error {
	opened := false
	if page.ID == newTicket {
		t, err := s.app.OpenTicket(r.Context(), rq.p)
		if err != nil {
			return err
		}
		page.ID, opened = t.ID, true
	}
	t, err := fn(page.ID)
	if err != nil {
		if opened {
			if derr := s.app.DiscardTicket(r.Context(), rq.p, page.ID); derr != nil {
				return derr
			}
			page.ID = newTicket
		}
		return err
	}
	page.Ticket = t
	return nil
}

// tillDone answers a change that succeeded: the ticket again (a redirect to it, or to the
// script, the fragment).
func (s *Server) tillDone(w http.ResponseWriter, r *http.Request, rq *request, page *tillPage) error {
	if wantsJSON(r) {
		return s.tillAnswer(w, r, rq, http.StatusOK, page)
	}
	target := "/till/" + page.ID
	if page.Focus != "" && page.Focus != "scan" {
		target += "?focus=" + urlQuery(page.Focus)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// tillJSON is what till.js gets back: the ticket's part of the page to swap in, the address
// of the ticket, the message for the status line and what takes the focus; or an address to
// go to.
type tillJSON struct {
	URL      string `json:"url,omitempty"`
	HTML     string `json:"html,omitempty"`
	Status   string `json:"status,omitempty"`
	Alert    bool   `json:"alert,omitempty"`
	Focus    string `json:"focus,omitempty"`
	Redirect string `json:"redirect,omitempty"`
}

// tillAnswer shows the till: the whole page, or to the script the ticket's part of it.
func (s *Server) tillAnswer(w http.ResponseWriter, r *http.Request, rq *request, status int, page *tillPage) error {
	if err := s.loadTill(r, rq, page); err != nil {
		return err
	}
	if !wantsJSON(r) {
		return s.renderTill(w, r, rq, status, page)
	}
	t, ok := s.pages.set["till"]
	if !ok {
		return fmt.Errorf("no page template %q", "till")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "till-main", view{L: loc{b: s.msgs, Lang: rq.lang}, User: rq.p, Path: r.URL.Path, Data: page}); err != nil {
		return fmt.Errorf("render till: %w", err)
	}
	return writeJSON(w, status, tillJSON{URL: "/till/" + page.ID, HTML: buf.String(), Status: page.Status, Alert: page.Alert, Focus: page.Focus})
}

func (s *Server) renderTill(w http.ResponseWriter, r *http.Request, rq *request, status int, page *tillPage) error {
	if page.Rates == nil {
		if err := s.loadTill(r, rq, page); err != nil {
			return err
		}
	}
	return s.render(w, r, rq, status, "till", page)
}

// wantsJSON reports whether the request comes from till.js.
func wantsJSON(r *http.Request) bool { return r.Header.Get("Accept") == "application/json" }

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode till answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b) // an error here means the browser went away
	return nil
}

// lineChanges reads a line form. Quantities take up to three decimals with a comma or a
// point ("0,350", "0.350"); prices are euros VAT included ("2,50").
func lineChanges(v map[string]string, rq *request, adding bool) (domain.LineChanges, []domain.FieldError) {
	var ch domain.LineChanges
	var problems []domain.FieldError
	if adding {
		ch.Label = domain.Some(v["label"])
		rate, err := strconv.ParseInt(v["vat_rate"], 10, 64)
		if err != nil {
			problems = append(problems, domain.FieldError{Field: "vat_rate", Code: domain.FieldInvalid})
		} else {
			ch.VATRateBasisPoints = domain.Some(rate)
		}
	}
	if q, code := parseQuantity(v["quantity"]); code != "" {
		var params map[string]any
		if code == domain.FieldTooManyDecimals {
			params = map[string]any{"max": domain.QuantityDecimals}
		}
		problems = append(problems, domain.FieldError{Field: "quantity", Code: code, Params: params})
	} else {
		ch.Quantity = domain.Some(q)
	}
	text := strings.TrimSpace(v["unit_price"])
	if text == "" {
		problems = append(problems, domain.FieldError{Field: "unit_price", Code: domain.FieldRequired})
	} else if cents, err := money.ParseAmount(text, string(rq.lang), false); err != nil {
		problems = append(problems, domain.FieldError{Field: "unit_price", Code: amountErrorCode(err)})
	} else {
		ch.UnitPriceCents = domain.Some(cents)
	}
	return ch, problems
}

// parseQuantity reads a quantity as typed at the till: a decimal comma or point, up to three
// decimals, exactly (domain.ParseQuantity reads the number's text, never a float).
func parseQuantity(text string) (domain.Quantity, string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, domain.FieldRequired
	}
	if strings.Count(text, ",")+strings.Count(text, ".") > 1 {
		return 0, "quantity_format"
	}
	text = strings.Replace(text, ",", ".", 1)
	if strings.HasPrefix(text, ".") {
		text = "0" + text
	}
	if strings.ContainsAny(text, "eE+") {
		return 0, "quantity_format"
	}
	q, code := domain.ParseQuantity(text)
	switch code {
	case "":
	case domain.FieldWrongType:
		return 0, "quantity_format"
	case domain.FieldTooManyDecimals:
		return 0, domain.FieldTooManyDecimals
	default:
		return 0, code
	}
	if q <= 0 {
		return 0, "quantity_positive"
	}
	return q, ""
}

// formatQuantity writes a quantity as the till shows it: "2", or three decimals for a
// weight ("0,350").
func formatQuantity(q domain.Quantity, lang i18n.Lang) string {
	v := int64(q)
	whole, frac := v/domain.QuantityScale, v%domain.QuantityScale
	if frac < 0 {
		frac = -frac
	}
	w := money.FormatInt(whole, string(lang))
	if v < 0 && whole == 0 {
		w = "-" + w
	}
	if frac == 0 {
		return w
	}
	sep := ","
	if lang == i18n.English {
		sep = "."
	}
	return fmt.Sprintf("%s%s%03d", w, sep, frac)
}

// lineMessages names the use case's fields after the form's inputs.
func (s *Server) lineMessages(rq *request, problems []domain.FieldError) map[string]string {
	for i, f := range problems {
		switch f.Field {
		case "unit_price_cents":
			problems[i].Field = "unit_price"
			if f.Code == domain.FieldOutOfRange {
				problems[i].Params = map[string]any{"min": money.FormatCents(0, string(rq.lang)), "max": money.FormatCents(domain.MaxUnitPriceCents, string(rq.lang))}
			}
		case "vat_rate_basis_points":
			problems[i].Field = "vat_rate"
		case "quantity":
			if f.Code == domain.FieldOutOfRange {
				problems[i].Params = map[string]any{"min": "0,001", "max": money.FormatInt(int64(domain.MaxQuantity/domain.QuantityScale), string(rq.lang))}
			}
		}
	}
	return s.fieldMessages(rq, problems)
}

func hasField(err error, field string) bool {
	var de *domain.Error
	if !errors.As(err, &de) {
		return false
	}
	for _, f := range de.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Qty formats a quantity for templates: "0,35" in Spanish, a returned one with a true minus.
func (l loc) Qty(q domain.Quantity) string {
	return strings.Replace(formatQuantity(q, l.Lang), "-", "−", 1)
}

func urlQuery(s string) string { return url.QueryEscape(s) }
