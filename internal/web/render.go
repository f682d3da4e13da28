package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/money"
)

//go:embed templates
var templateFiles embed.FS

// pages holds one template set per page: the layout, the shared partials and the page's own
// file. All are parsed at start-up, so a broken template stops the server before anyone sees
// it.
type pages struct {
	set map[string]*template.Template
}

func loadPages(as *assets) (*pages, error) {
	funcs := template.FuncMap{
		"asset":      as.path,
		"hasPrefix":  strings.HasPrefix,
		"kindOf":     kindOf,
		"inc":        func(i int) int { return i + 1 },
		"int64":      func(i int) int64 { return int64(i) },
		"rowView":    rowView,
		"ownRowView": ownRowView,
		"ledgerView": ledgerView,
		"mailView":   mailView,
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout for %s: %w", name, err)
		}
		if _, err := t.ParseFS(templateFiles, file); err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		p.set[name] = t
	}
	return p, nil
}

// view is what every template gets: the localizer, who is signed in, a one-time message,
// the page's own data.
type view struct {
	L     loc
	User  domain.Principal
	Flash string
	Path  string
	Data  any
	// BackupAlert (issue 12): the last backup failed; admins see a banner on every page.
	BackupAlert *app.BackupStatus
}

// Can reports whether the signed-in user may do something, so that pages hide what the
// role cannot do (the routes and use cases refuse it anyway).
func (v view) Can(perm string) bool { return v.User.Role.Can(domain.Permission(perm)) }

// render writes a whole page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, rq *request, status int, page string, data any) error {
	// The one-time message is taken only by a whole page, so that a redirect or a fragment
	// in between does not swallow it.
	return s.renderTemplate(w, rq, status, page, "layout", view{
		L: loc{b: s.msgs, Lang: rq.lang}, User: rq.p, Flash: s.takeFlash(w, r).text(s.msgs, rq.lang),
		Path: r.URL.Path, Data: data, BackupAlert: s.backupAlert(r, rq),
	})
}

// backupAlert is the last backup's failure for an admin's banner (issue 12); a failure to
// read it only costs the banner.
func (s *Server) backupAlert(r *http.Request, rq *request) *app.BackupStatus {
	st, err := s.app.BackupAlert(r.Context(), rq.p)
	if err != nil {
		s.log.Warn("backup status", slog.String("error", err.Error()))
	}
	return st
}

// renderTemplate executes one named template of a page's set into a buffer first, so that a
// template error becomes a clean 500 instead of half a page.
func (s *Server) renderTemplate(w http.ResponseWriter, rq *request, status int, page, name string, v view) error {
	t, ok := s.pages.set[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	if v.L.b == nil {
		v.L = loc{b: s.msgs, Lang: rq.lang}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(rq.lang))
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // an error here means the browser went away
	return nil
}

// kindView is what the "kind" partial draws: an icon, and the kind's name for screen readers
// and as a tooltip.
type kindView struct {
	Company bool
	Label   string
}

func kindOf(company bool, l loc) kindView {
	if company {
		return kindView{Company: true, Label: l.T("kind.company")}
	}
	return kindView{Label: l.T("kind.person")}
}

// invoiceRowView is what the "invoice-row" partial draws: a row and the page's localizer.
type invoiceRowView struct {
	Row invoiceRow
	L   loc
	// Own leaves the customer out: the list is of one customer's invoices, on their profile.
	Own bool
}

func rowView(row invoiceRow, l loc) invoiceRowView { return invoiceRowView{Row: row, L: l} }

// ledgerEntriesView is what the "ledger-entries" partial draws: a customer's entries, newest
// first, and the page's localizer.
type ledgerEntriesView struct {
	Entries    []domain.LedgerEntry
	CustomerID string
	L          loc
}

func ledgerView(entries []domain.LedgerEntry, customerID string, l loc) ledgerEntriesView {
	return ledgerEntriesView{Entries: entries, CustomerID: customerID, L: l}
}

// mailListView is what the "mail-list" partial draws.
type mailListView struct {
	Mails []domain.OutboxMessage
	L     loc
}

func mailView(mails []domain.OutboxMessage, l loc) mailListView {
	return mailListView{Mails: mails, L: l}
}

func ownRowView(row invoiceRow, l loc) invoiceRowView {
	return invoiceRowView{Row: row, L: l, Own: true}
}

// loc formats text, numbers, money and dates in one language for the templates.
type loc struct {
	b    *i18n.Bundle
	Lang i18n.Lang
}

// T translates key; kv are name/value pairs for its {placeholders}.
func (l loc) T(key string, kv ...any) string {
	var params map[string]any
	if len(kv) > 1 {
		params = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			params[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return l.b.T(l.Lang, key, params)
}

// N translates the plural form of key for n; {count} is n in the language's digits.
func (l loc) N(key string, n int64, kv ...any) string {
	return l.T(i18n.PluralKey(key, n), append(kv, "count", l.Int(n))...)
}

// Money formats cents: "1.234,56 €" in Spanish.
func (l loc) Money(cents int64) string { return money.FormatCents(cents, string(l.Lang)) }

// Percent formats basis points: "12,5 %" in Spanish.
func (l loc) Percent(bp int64) string { return money.FormatPercent(bp, string(l.Lang)) }

// Int formats a count with the language's digit grouping.
func (l loc) Int(n int64) string { return money.FormatInt(n, string(l.Lang)) }

// Date formats a moment in the server's time zone: "27/11/2026 15:04" in Spanish,
// "27 Nov 2026 15:04" in English.
func (l loc) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.Local()
	if l.Lang == i18n.English {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// Day formats the day of a moment in the server's time zone: "27/11/2026" in Spanish,
// "27 Nov 2026" in English.
func (l loc) Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l.Lang == i18n.English {
		return t.Local().Format("2 Jan 2006")
	}
	return t.Local().Format("02/01/2006")
}

// DatePtr is Date for an optional moment.
func (l loc) DatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return l.Date(*t)
}

// fail answers a request whose handler returned err with an error page in the user's
// language. Internal errors are logged with their cause; users see a generic message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status := http.StatusInternalServerError
	key := "error.internal"
	var params map[string]any
	var de *domain.Error
	if errors.As(err, &de) && de.Code != domain.CodeInternal {
		key = "error." + string(de.Code)
		params = i18n.WithMoney(de.Details, rq.lang)
		switch de.Code {
		case domain.CodeNotFound:
			status = http.StatusNotFound
		case domain.CodeForbidden:
			status = http.StatusForbidden
			key = "web.forbidden"
		case domain.CodeUnauthenticated:
			s.redirectToLogin(w, r)
			return
		case domain.CodeInvalid:
			status = http.StatusUnprocessableEntity
		case domain.CodeConflict, domain.CodeDuplicate, domain.CodeGroupNotEmpty, domain.CodeBalanceNotZero:
			status = http.StatusConflict
		case domain.CodePreconditionFailed:
			status = http.StatusPreconditionFailed
		case domain.CodeRateLimited:
			status = http.StatusTooManyRequests
			setRetryAfter(w, de)
		case domain.CodeBusy:
			status = http.StatusServiceUnavailable
			setRetryAfter(w, de)
		}
	} else {
		var fe *formError
		if errors.As(err, &fe) {
			status, key = fe.status, fe.key
		} else {
			s.log.ErrorContext(r.Context(), "page failed", slog.String("route", r.Pattern), slog.Any("error", err))
		}
	}
	msg := s.msgs.T(rq.lang, key, params)
	if rerr := s.render(w, r, rq, status, "error", errorPage{Status: status, Message: msg}); rerr != nil {
		s.log.ErrorContext(r.Context(), "error page failed", slog.Any("error", rerr))
		http.Error(w, msg, status)
	}
}

type errorPage struct {
	Status  int
	Message string
}

// formError is a request the pages refuse before any use case runs (a body too large, a
// form that does not parse).
type formError struct {
	status int
	key    string
}

func (e *formError) Error() string { return e.key }

// maxFormBytes bounds a form post; the longest form (a customer) is far below it.
const maxFormBytes = 1 << 20

// parseForm reads a urlencoded form post, bounded in size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &formError{status: http.StatusRequestEntityTooLarge, key: "web.form_too_large"}
		}
		return &formError{status: http.StatusBadRequest, key: "web.form_invalid"}
	}
	return nil
}

func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	rq := &request{lang: s.msgs.Pick(r.Header.Get("Accept-Language"))}
	s.fail(w, r, rq, &formError{status: http.StatusForbidden, key: "web.cross_origin"})
}

// flash is a one-time message shown on the next page, carried by a short-lived cookie. Only
// catalog keys travel, with their parameters, so the cookie cannot inject text of its own
// beyond the parameters, which templates escape.
type flash struct {
	Key    string         `json:"k"`
	Params map[string]any `json:"p,omitempty"`
}

const flashCookie = "clientela_flash"

func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, key string, params map[string]any) {
	b, err := json.Marshal(flash{Key: key, Params: params})
	if err != nil {
		return // parameters are plain strings and numbers; this cannot fail
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	clearCookie(w, r, flashCookie)
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(b, &f) != nil || !strings.HasPrefix(f.Key, "flash.") {
		return nil
	}
	return &f
}

func (f *flash) text(b *i18n.Bundle, lang i18n.Lang) string {
	if f == nil {
		return ""
	}
	return b.T(lang, f.Key, f.Params)
}

// retryMinutes is how long a rate-limited user waits, in whole minutes for people.
func retryMinutes(de *domain.Error) int64 {
	secs, _ := de.Details["retry_after_seconds"].(int64)
	return max(1, (secs+59)/60)
}

// setRetryAfter tells the client when a rate-limited request may be tried again.
func setRetryAfter(w http.ResponseWriter, de *domain.Error) {
	if secs, ok := de.Details["retry_after_seconds"]; ok {
		w.Header().Set("Retry-After", fmt.Sprint(secs))
	}
}
