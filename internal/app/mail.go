package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// MailConfig is how a process sends e-mail (serve's flags). What it leaves empty comes from
// the settings an admin stores on /settings/mail.
type MailConfig struct {
	// SMTP, when set (--smtp-url), is the server used whatever the stored settings say.
	SMTP *mail.SMTPConfig
	// From, when set (--mail-from), is the sender whatever the stored settings say.
	From *mail.Address
	// Folder receives the messages as .eml files when no SMTP server is configured
	// (serve: <data dir>/mail). Empty: such messages wait in the outbox.
	Folder string
	// Transport, when set, replaces both (tests).
	Transport mail.Transport
	// PublicURL is where customers reach this server (serve's --public-url, by default the
	// listen address): the unsubscribe links of messages point there (empty:
	// DefaultPublicURL).
	PublicURL string

	PollInterval time.Duration // how often the worker looks for due messages (2 s)
	ClaimTimeout time.Duration // how long a claim holds a message (5 min)
	Batch        int           // messages claimed at once (20)
	FirstRetry   time.Duration // wait after the first failure, doubled after each (1 min)
	MaxRetry     time.Duration // longest wait between tries (1 h)
	MaxAttempts  int           // tries before a message is failed (10)
	Rate         float64       // messages per second this process sends at most (0: no limit)
}

// Mail defaults.
const (
	DefaultMailPoll        = 2 * time.Second
	DefaultMailClaim       = 5 * time.Minute
	DefaultMailBatch       = 20
	DefaultMailFirstRetry  = time.Minute
	DefaultMailMaxRetry    = time.Hour
	DefaultMailMaxAttempts = 10
	// DefaultPublicURL is the base of unsubscribe links when MailConfig.PublicURL is empty.
	DefaultPublicURL = "http://127.0.0.1:8080"
	// DefaultMailFrom is the sender when none is configured.
	DefaultMailFrom = "clientela@clientela.invalid"
)

func (c *MailConfig) defaults() {
	if c.PublicURL == "" {
		c.PublicURL = DefaultPublicURL
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultMailPoll
	}
	if c.ClaimTimeout <= 0 {
		c.ClaimTimeout = DefaultMailClaim
	}
	if c.Batch <= 0 {
		c.Batch = DefaultMailBatch
	}
	if c.FirstRetry <= 0 {
		c.FirstRetry = DefaultMailFirstRetry
	}
	if c.MaxRetry <= 0 {
		c.MaxRetry = DefaultMailMaxRetry
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMailMaxAttempts
	}
}

// SettingMail is the settings key of the stored MailSettings (JSON).
const SettingMail = "mail"

// MailSettings are the transport settings an admin stores.
type MailSettings struct {
	Host      string       `json:"host"`
	Port      int          `json:"port"`
	Username  string       `json:"username"`
	Password  string       `json:"password"`
	TLS       mail.TLSMode `json:"tls"`
	FromName  string       `json:"from_name"`
	FromEmail string       `json:"from_email"`
	ReplyTo   string       `json:"reply_to"`
	// Version counts the saves (the API's ETag); 0 before the first.
	Version int64 `json:"version"`
}

// MailSettingsChanges is what the settings form sends. An empty Password keeps the stored
// one (the form never shows it); ClearPassword removes it.
type MailSettingsChanges struct {
	Host, Username, Password string
	Port                     int
	TLS                      mail.TLSMode
	ClearPassword            bool
	FromName, FromEmail      string
	ReplyTo                  string
}

// Where the transport in force comes from.
const (
	MailSourceFlags    = "flags"    // --smtp-url / CLIENTELA_SMTP_URL
	MailSourceSettings = "settings" // stored on /settings/mail
	MailSourceFolder   = "folder"   // no SMTP server: .eml files in a folder
	MailSourceCustom   = "custom"   // a transport given in code (tests)
)

// MailSettingsView is what the settings page shows: the stored settings without the
// password, and what is in force.
type MailSettingsView struct {
	Stored      MailSettings // Password always empty
	HasPassword bool
	Source      string // MailSource…
	Server      string // the server in force, as a URL without password ("" for the folder)
	Folder      string // the folder in force (Source folder)
	From        mail.Address
	FromFlag    bool // the sender comes from --mail-from
	ReplyTo     string
}

// MailSettings returns the stored settings and what is in force (admin).
func (a *App) MailSettings(ctx context.Context, p domain.Principal) (MailSettingsView, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return MailSettingsView{}, err
	}
	var s MailSettings
	if err := a.store.Read(ctx, func(tx Tx) (err error) {
		s, err = readMailSettings(ctx, tx)
		return err
	}); err != nil {
		return MailSettingsView{}, err
	}
	v := MailSettingsView{Stored: s, HasPassword: s.Password != "", ReplyTo: s.ReplyTo}
	v.Stored.Password = ""
	v.From, v.FromFlag = a.senderOf(s)
	switch src, cfg := a.smtpInForce(s); src {
	case MailSourceFlags, MailSourceSettings:
		v.Source, v.Server = src, cfg.Redacted()
	default:
		v.Source, v.Folder = src, a.mailCfg.Folder
	}
	return v, nil
}

// SetMailSettings stores the transport settings (admin) when match holds for the stored
// version (CodePreconditionFailed otherwise), and returns what is in force then. The
// password is never returned nor written to the audit log.
func (a *App) SetMailSettings(ctx context.Context, p domain.Principal, match domain.Precondition, c MailSettingsChanges) (MailSettingsView, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return MailSettingsView{}, err
	}
	n := MailSettings{Host: strings.TrimSpace(c.Host), Port: c.Port, Username: strings.TrimSpace(c.Username),
		TLS: c.TLS, FromName: strings.TrimSpace(c.FromName), FromEmail: strings.TrimSpace(c.FromEmail),
		ReplyTo: strings.TrimSpace(c.ReplyTo)}
	if n.TLS == "" {
		n.TLS = mail.TLSStartTLS
	}
	if err := validateMailSettings(n, c.Password); err != nil {
		return MailSettingsView{}, err
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		old, err := readMailSettings(ctx, tx)
		if err != nil {
			return err
		}
		if !match.Holds(old.Version) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		n.Version = old.Version + 1
		switch {
		case c.Password != "":
			n.Password = c.Password
		case !c.ClearPassword && n.Username != "":
			n.Password = old.Password
		}
		if n.Port == 0 && n.Host != "" {
			n.Port = mail.DefaultPort(n.TLS)
		}
		b, err := json.Marshal(n)
		if err != nil {
			return fmt.Errorf("mail settings: %w", err)
		}
		if err := tx.PutSetting(ctx, SettingMail, string(b)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionSettingsUpdate, "settings", SettingMail, changedMailFields(old, n), nil)
	})
	if err != nil {
		return MailSettingsView{}, err
	}
	return a.MailSettings(ctx, p)
}

func validateMailSettings(s MailSettings, password string) error {
	var p domain.Problems
	if s.Host != "" && !validHost(s.Host) {
		p.Add("host", domain.FieldInvalid, nil)
	}
	if s.Port < 0 || s.Port > 65535 {
		p.Add("port", domain.FieldOutOfRange, map[string]any{"min": 1, "max": 65535})
	}
	if !mail.ValidTLSMode(s.TLS) {
		p.Add("tls", domain.FieldInvalid, nil)
	}
	if len(s.Username) > 200 || strings.ContainsAny(s.Username, "\r\n\x00") {
		p.Add("username", domain.FieldInvalid, nil)
	}
	if len(password) > 200 || strings.ContainsAny(password, "\r\n\x00") {
		p.Add("password", domain.FieldInvalid, nil)
	}
	if s.FromEmail != "" || s.FromName != "" {
		from := mail.Address{Name: s.FromName, Email: s.FromEmail}
		if s.FromEmail == "" {
			p.Add("from_email", domain.FieldRequired, nil)
		} else if err := mail.ValidateAddress("from", from); err != nil {
			addMailProblems(&p, err, map[string]string{"from.name": "from_name", "from.email": "from_email"})
		}
	}
	if s.ReplyTo != "" {
		if err := mail.ValidateAddress("reply_to", mail.Address{Email: s.ReplyTo}); err != nil {
			addMailProblems(&p, err, map[string]string{"reply_to.email": "reply_to"})
		}
	}
	return p.Err()
}

// addMailProblems copies the field errors of a mail validation under the form's names.
func addMailProblems(p *domain.Problems, err error, names map[string]string) {
	de, ok := err.(*domain.Error)
	if !ok {
		return
	}
	for _, f := range de.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		*p = append(*p, f)
	}
}

func validHost(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':') {
			return false
		}
	}
	return true
}

// changedMailFields names what changed, the password as "password" without its value.
func changedMailFields(o, n MailSettings) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("host", o.Host != n.Host)
	add("port", o.Port != n.Port)
	add("username", o.Username != n.Username)
	add("password", o.Password != n.Password)
	add("tls", o.TLS != n.TLS)
	add("from_name", o.FromName != n.FromName)
	add("from_email", o.FromEmail != n.FromEmail)
	add("reply_to", o.ReplyTo != n.ReplyTo)
	return out
}

func readMailSettings(ctx context.Context, tx Tx) (MailSettings, error) {
	v, ok, err := tx.Setting(ctx, SettingMail)
	if err != nil || !ok {
		return MailSettings{}, err
	}
	var s MailSettings
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return MailSettings{}, fmt.Errorf("read mail settings: %w", err)
	}
	return s, nil
}

// senderOf is the sender in force: --mail-from, else the stored one, else DefaultMailFrom.
func (a *App) senderOf(s MailSettings) (mail.Address, bool) {
	if a.mailCfg.From != nil {
		return *a.mailCfg.From, true
	}
	if s.FromEmail != "" {
		return mail.Address{Name: s.FromName, Email: s.FromEmail}, false
	}
	return mail.Address{Name: "Clientela", Email: DefaultMailFrom}, false
}

// smtpInForce says which SMTP server is in force, if any: the flags', else the stored one.
func (a *App) smtpInForce(s MailSettings) (string, mail.SMTPConfig) {
	switch {
	case a.mailCfg.Transport != nil:
		return MailSourceCustom, mail.SMTPConfig{}
	case a.mailCfg.SMTP != nil:
		return MailSourceFlags, *a.mailCfg.SMTP
	case s.Host != "":
		port := s.Port
		if port == 0 {
			port = mail.DefaultPort(s.TLS)
		}
		return MailSourceSettings, mail.SMTPConfig{Host: s.Host, Port: port, Username: s.Username, Password: s.Password, TLS: s.TLS}
	}
	return MailSourceFolder, mail.SMTPConfig{}
}

// transport returns the transport in force, nil when there is none (no SMTP, no folder).
func (a *App) transport(s MailSettings) mail.Transport {
	src, cfg := a.smtpInForce(s)
	switch src {
	case MailSourceCustom:
		return a.mailCfg.Transport
	case MailSourceFlags, MailSourceSettings:
		return mail.NewSMTP(cfg)
	}
	if a.mailCfg.Folder == "" {
		return nil
	}
	return mail.NewFolder(a.mailCfg.Folder)
}

// SendTestMail sends a short message to the address given, right away through the
// transport in force, and returns the server's answer (admin). The message is recorded in
// the outbox as sent or failed, like any other.
func (a *App) SendTestMail(ctx context.Context, p domain.Principal, to, lang string) (string, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return "", err
	}
	addr, err := mail.ParseAddress("to", to)
	if err != nil {
		return "", err
	}
	subject, text := "Clientela: mensaje de prueba", "Este es un mensaje de prueba de Clientela: el correo sale bien."
	if lang == "en" {
		subject, text = "Clientela: test message", "This is a test message from Clientela: e-mail works."
	}
	claim, err := newID()
	if err != nil {
		return "", err
	}
	// Sent here rather than by the worker, so the page can show the answer: stored already
	// claimed, so that no worker takes it meanwhile.
	var queued ClaimedMail
	var settings MailSettings
	err = a.store.Write(ctx, func(tx Tx) error {
		if settings, err = readMailSettings(ctx, tx); err != nil {
			return err
		}
		if a.transport(settings) == nil {
			return domain.Errorf(domain.CodeConflict) // nowhere to send it
		}
		_, queued, err = a.queueMail(ctx, tx, OutgoingMail{Kind: domain.MailTest, To: addr, Subject: subject, Text: text}, claim)
		if err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionMailTest, "outbox", queued.ID, nil, nil)
	})
	if err != nil {
		return "", err
	}
	res := a.sendOne(ctx, a.transport(settings), claim, queued)
	return res.Response, res.Err
}
