package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// mailPage is the admin's e-mail settings page: the SMTP server and sender, what is in force
// (flags win over the stored settings; without a server, .eml files in a folder), a test
// message with the server's answer, and the outbox's counts and last failures.
type mailPage struct {
	form
	View     app.MailSettingsView
	Outbox   app.OutboxSummary
	TLSModes []option
	Message  string // the test message's outcome
	TestOK   bool
	Answer   string // the server's answer to the test message
	Conflict string // the settings changed since the form was shown
}

// PasswordHint is the key of the text that says whether a password is stored.
func (p mailPage) PasswordHint() string {
	if p.View.HasPassword {
		return "mail.password_kept"
	}
	return "mail.password_none"
}

// Count is the number of messages in a state.
func (p mailPage) Count(status string) int64 { return p.Outbox.Counts[domain.OutboxStatus(status)] }

var mailFormFields = []formField{
	{"host", "mail.host", ""}, {"port", "mail.port", ""}, {"username", "mail.username", ""},
	{"password", "mail.password", ""}, {"tls", "mail.tls", ""}, {"from_name", "mail.from_name", ""},
	{"from_email", "mail.from_email", ""}, {"reply_to", "mail.reply_to", ""}, {"to", "mail.test_to", ""},
}

func (s *Server) mailSettings(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderMail(w, r, rq, http.StatusOK, mailPage{})
}

func (s *Server) renderMail(w http.ResponseWriter, r *http.Request, rq *request, status int, page mailPage) error {
	v, err := s.app.MailSettings(r.Context(), rq.p)
	if err != nil {
		return err
	}
	if page.Outbox, err = s.app.MailOutbox(r.Context(), rq.p, 10); err != nil {
		return err
	}
	page.View = v
	if page.Values == nil {
		port := ""
		if v.Stored.Port != 0 {
			port = strconv.Itoa(v.Stored.Port)
		}
		tls := string(v.Stored.TLS)
		if tls == "" {
			tls = string(mail.TLSStartTLS)
		}
		page.Values = map[string]string{"host": v.Stored.Host, "port": port, "username": v.Stored.Username, "tls": tls,
			"from_name": v.Stored.FromName, "from_email": v.Stored.FromEmail, "reply_to": v.Stored.ReplyTo}
	}
	for _, m := range []mail.TLSMode{mail.TLSStartTLS, mail.TLSImplicit, mail.TLSNone} {
		page.TLSModes = append(page.TLSModes, option{Value: string(m), Label: s.msgs.T(rq.lang, "mail.tls."+string(m), nil)})
	}
	s.summarize(rq, &page.form, mailFormFields)
	return s.render(w, r, rq, status, "mail_settings", page)
}

func (s *Server) mailSettingsSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	values := map[string]string{}
	for _, k := range []string{"host", "port", "username", "tls", "from_name", "from_email", "reply_to"} {
		values[k] = strings.TrimSpace(f.Get(k))
	}
	var problems []domain.FieldError
	port := 0
	if values["port"] != "" {
		n, err := strconv.Atoi(values["port"])
		if err != nil || n < 1 || n > 65535 {
			problems = append(problems, domain.FieldError{Field: "port", Code: domain.FieldOutOfRange, Params: map[string]any{"min": 1, "max": 65535}})
		}
		port = n
	}
	match := domain.IfAnyVersion()
	if v, err := strconv.ParseInt(f.Get("version"), 10, 64); err == nil {
		match = domain.IfVersion(v)
	}
	if problems == nil {
		_, err := s.app.SetMailSettings(r.Context(), rq.p, match, app.MailSettingsChanges{Host: values["host"], Port: port,
			Username: values["username"], Password: f.Get("password"), ClearPassword: f.Get("clear_password") == "1",
			TLS: mail.TLSMode(values["tls"]), FromName: values["from_name"], FromEmail: values["from_email"], ReplyTo: values["reply_to"]})
		if domain.ErrorCode(err) == domain.CodePreconditionFailed {
			page := mailPage{Conflict: s.msgs.T(rq.lang, "mail.changed_meanwhile", nil)}
			return s.renderMail(w, r, rq, http.StatusConflict, page)
		}
		if err == nil {
			s.setFlash(w, r, "mail.saved", nil)
			http.Redirect(w, r, "/settings/mail", http.StatusSeeOther)
			return nil
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page := mailPage{form: form{Values: values, Errors: s.fieldMessages(rq, problems)}}
	return s.renderMail(w, r, rq, problemStatus(problems), page)
}

// mailTest sends a test message at once and shows the server's answer.
func (s *Server) mailTest(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	to := strings.TrimSpace(r.PostForm.Get("to"))
	answer, err := s.app.SendTestMail(r.Context(), rq.p, to, string(rq.lang))
	page := mailPage{Answer: answer}
	switch {
	case err == nil:
		page.TestOK, page.Message = true, s.msgs.T(rq.lang, "mail.test_sent", nil)
	case domain.ErrorCode(err) == domain.CodeInvalid:
		problems := fieldProblems(err)
		page.form = form{Values: map[string]string{"to": to}, Errors: s.fieldMessages(rq, problems)}
		v, verr := s.app.MailSettings(r.Context(), rq.p)
		if verr != nil {
			return verr
		}
		page.form.Values = mailValues(v, to)
		return s.renderMail(w, r, rq, http.StatusUnprocessableEntity, page)
	case domain.ErrorCode(err) == domain.CodeInternal && answer != "":
		page.Message = s.msgs.T(rq.lang, "mail.test_failed", nil)
	case domain.ErrorCode(err) == domain.CodeConflict:
		page.Message = s.msgs.T(rq.lang, "mail.test_nowhere", nil)
	default:
		return err
	}
	v, err := s.app.MailSettings(r.Context(), rq.p)
	if err != nil {
		return err
	}
	page.form.Values = mailValues(v, to)
	return s.renderMail(w, r, rq, http.StatusOK, page)
}

func mailValues(v app.MailSettingsView, to string) map[string]string {
	port := ""
	if v.Stored.Port != 0 {
		port = strconv.Itoa(v.Stored.Port)
	}
	return map[string]string{"host": v.Stored.Host, "port": port, "username": v.Stored.Username, "tls": string(v.Stored.TLS),
		"from_name": v.Stored.FromName, "from_email": v.Stored.FromEmail, "reply_to": v.Stored.ReplyTo, "to": to}
}
