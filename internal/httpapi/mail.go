package httpapi

import (
	"net/http"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// mailSettingsJSON is the e-mail transport settings as stored, without the password, and
// what is in force (docs/mail.md).
type mailSettingsJSON struct {
	Host        string           `json:"host"`
	Port        int              `json:"port"`
	Username    string           `json:"username"`
	HasPassword bool             `json:"has_password"`
	TLS         string           `json:"tls"`
	FromName    string           `json:"from_name"`
	FromEmail   string           `json:"from_email"`
	ReplyTo     string           `json:"reply_to"`
	InForce     mailInForceJSON  `json:"in_force"`
	Outbox      map[string]int64 `json:"outbox"`
}

type mailInForceJSON struct {
	Source    string `json:"source"`
	Server    string `json:"server"`
	Folder    string `json:"folder"`
	FromName  string `json:"from_name"`
	FromEmail string `json:"from_email"`
	FromFlag  bool   `json:"from_flag"`
}

func (s *Server) mailSettingsJSON(r *http.Request, p domain.Principal, v app.MailSettingsView) (mailSettingsJSON, error) {
	out, err := s.app.MailOutbox(r.Context(), p, 0)
	if err != nil {
		return mailSettingsJSON{}, err
	}
	counts := map[string]int64{}
	for _, st := range []domain.OutboxStatus{domain.OutboxQueued, domain.OutboxSent, domain.OutboxFailed, domain.OutboxDropped} {
		counts[string(st)] = out.Counts[st]
	}
	tls := string(v.Stored.TLS)
	if tls == "" {
		tls = string(mail.TLSStartTLS)
	}
	return mailSettingsJSON{Host: v.Stored.Host, Port: v.Stored.Port, Username: v.Stored.Username, HasPassword: v.HasPassword,
		TLS: tls, FromName: v.Stored.FromName, FromEmail: v.Stored.FromEmail, ReplyTo: v.Stored.ReplyTo,
		InForce: mailInForceJSON{Source: v.Source, Server: v.Server, Folder: v.Folder, FromName: v.From.Name,
			FromEmail: v.From.Email, FromFlag: v.FromFlag}, Outbox: counts}, nil
}

func (s *Server) getMailSettings(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	v, err := s.app.MailSettings(r.Context(), p)
	if err != nil {
		return err
	}
	body, err := s.mailSettingsJSON(r, p, v)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(v.Stored.Version))
	writeJSON(w, http.StatusOK, body)
	return nil
}

// updateMailSettings is a JSON merge patch of the settings: members left out keep their
// value; "password" sets it, null removes it; it is never returned.
func (s *Server) updateMailSettings(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	host, user, tls := f.str("host"), f.str("username"), f.str("tls")
	fromName, fromEmail, replyTo := f.str("from_name"), f.str("from_email"), f.str("reply_to")
	port := f.integer("port")
	var password string
	clear := false
	if v, ok := f.raw("password"); ok {
		if isNull(v) {
			clear = true
		} else if pw := f.str("password"); pw.Set {
			password = pw.Value
			clear = pw.Value == ""
		}
	}
	for _, ro := range []string{"has_password", "in_force", "outbox"} {
		f.raw(ro)
	}
	if port.Set && (port.Value < 0 || port.Value > 65535) {
		f.fail("port", domain.FieldOutOfRange, map[string]any{"min": 1, "max": 65535})
	}
	if err := f.done(); err != nil {
		return err
	}
	cur, err := s.app.MailSettings(r.Context(), p)
	if err != nil {
		return err
	}
	st := cur.Stored
	c := app.MailSettingsChanges{Host: pick(host, st.Host), Username: pick(user, st.Username), TLS: mail.TLSMode(pick(tls, string(st.TLS))),
		FromName: pick(fromName, st.FromName), FromEmail: pick(fromEmail, st.FromEmail), ReplyTo: pick(replyTo, st.ReplyTo),
		Port: st.Port, Password: password, ClearPassword: clear}
	if port.Set {
		c.Port = int(port.Value)
	}
	v, err := s.app.SetMailSettings(r.Context(), p, match, c)
	if err != nil {
		return err
	}
	body, err := s.mailSettingsJSON(r, p, v)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(v.Stored.Version))
	writeJSON(w, http.StatusOK, body)
	return nil
}

func pick(o domain.Opt[string], old string) string {
	if o.Set {
		return o.Value
	}
	return old
}
