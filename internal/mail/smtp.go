package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail/smtp"
)

// TLSMode is how an SMTP connection is secured.
type TLSMode string

// The TLS modes: none (plain text: for a relay on the same machine), STARTTLS (port 587:
// upgrade the plain connection, refusing a server that cannot), implicit (port 465: TLS from
// the first byte).
const (
	TLSNone     TLSMode = "none"
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "implicit"
)

// ValidTLSMode reports whether m is one of the modes.
func ValidTLSMode(m TLSMode) bool { return m == TLSNone || m == TLSStartTLS || m == TLSImplicit }

// SMTPConfig says how to reach an SMTP server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
	// HeloName is the name given in EHLO ("localhost" when empty).
	HeloName string
	// Timeout bounds one delivery, connection included (30 s when zero).
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests: a self-signed server); nil: verify Host.
	TLSConfig *tls.Config
}

// DefaultPort is the usual port of each TLS mode.
func DefaultPort(m TLSMode) int {
	switch m {
	case TLSImplicit:
		return 465
	case TLSStartTLS:
		return 587
	}
	return 25
}

// ParseSMTPURL reads smtp://user:pass@host:port?tls=none|starttls|implicit. Without a port
// the mode's usual one is used; without tls, starttls (none for localhost).
func ParseSMTPURL(s string) (SMTPConfig, error) {
	u, err := url.Parse(s)
	if err != nil {
		return SMTPConfig{}, errors.New("not a URL")
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return SMTPConfig{}, fmt.Errorf("scheme %q: want smtp://", u.Scheme)
	}
	c := SMTPConfig{Host: u.Hostname()}
	if c.Host == "" {
		return SMTPConfig{}, errors.New("no host")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	mode := TLSMode(strings.ToLower(u.Query().Get("tls")))
	switch {
	case mode == "" && u.Scheme == "smtps":
		mode = TLSImplicit
	case mode == "" && (c.Host == "localhost" || c.Host == "127.0.0.1" || c.Host == "::1"):
		mode = TLSNone
	case mode == "":
		mode = TLSStartTLS
	case !ValidTLSMode(mode):
		return SMTPConfig{}, fmt.Errorf("tls=%s: want none, starttls or implicit", mode)
	}
	c.TLS = mode
	c.Port = DefaultPort(mode)
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("port %q", p)
		}
		c.Port = n
	}
	return c, nil
}

// Redacted is the config as a URL without the password, for logs and pages.
func (c SMTPConfig) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), RawQuery: "tls=" + string(c.TLS)}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	return u.String()
}

// SMTP sends each message over its own connection to one server.
type SMTP struct{ cfg SMTPConfig }

// NewSMTP returns a transport to the server cfg names.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.HeloName == "" {
		cfg.HeloName = "localhost"
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	return &SMTP{cfg: cfg}
}

// Send delivers raw and returns the server's answer to the end of DATA.
func (s *SMTP) Send(ctx context.Context, from string, to []string, raw []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	c, err := s.dial(ctx)
	if err != nil {
		return "", err
	}
	defer c.Close()
	// The deadline bounds every step below; a cancelled context closes the connection.
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	if err := c.Hello(s.cfg.HeloName); err != nil {
		return "", smtpError("EHLO", err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return "", &SendError{Response: "the server does not offer STARTTLS"}
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return "", smtpError("STARTTLS", err)
		}
	}
	if s.cfg.Username != "" {
		auth, err := s.auth(c)
		if err != nil {
			return "", err
		}
		if err := c.Auth(auth); err != nil {
			return "", smtpError("AUTH", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return "", smtpError("MAIL FROM", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return "", smtpError("RCPT TO", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return "", smtpError("DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return "", smtpError("DATA", err)
	}
	if err := w.Close(); err != nil {
		return "", smtpError("end of DATA", err)
	}
	response := "250"
	if dc, ok := w.(*smtp.DataCloser); ok && dc.ServerResponse() != "" {
		response = "250 " + dc.ServerResponse()
	}
	_ = c.Quit() // the message is accepted; a failed QUIT changes nothing
	return response, nil
}

func (s *SMTP) dial(ctx context.Context) (*smtp.Client, error) {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &SendError{Response: "cannot connect: " + netReason(err), Err: err}
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if s.cfg.TLS == TLSImplicit {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, &SendError{Response: "TLS handshake failed", Err: err}
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return nil, smtpError("greeting", err)
	}
	return c, nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	if s.cfg.TLSConfig != nil {
		return s.cfg.TLSConfig.Clone()
	}
	return &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
}

// auth picks PLAIN, or LOGIN when the server offers only that. Both refuse to send the
// password over a plain connection to anything but localhost.
func (s *SMTP) auth(c *smtp.Client) (smtp.Auth, error) {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return nil, &SendError{Response: "the server does not offer AUTH"}
	}
	allowPlain := s.cfg.TLS == TLSNone && isLoopback(s.cfg.Host)
	if !strings.Contains(" "+strings.ToUpper(mechs)+" ", " PLAIN ") && strings.Contains(strings.ToUpper(mechs), "LOGIN") {
		return smtp.LoginAuth(s.cfg.Username, s.cfg.Password, s.cfg.Host, allowPlain), nil
	}
	return smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host, allowPlain), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// smtpError turns a failed step into a SendError: a 5xx answer is permanent, anything else
// (a 4xx answer, a broken connection) may pass later.
func smtpError(step string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		return &SendError{Permanent: te.Code >= 500, Code: te.Code, Response: te.Msg, Err: err}
	}
	return &SendError{Response: step + ": " + netReason(err), Err: err}
}

// netReason is a short, address-free description of a network error.
func netReason(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Op + ": " + oe.Err.Error()
	}
	return err.Error()
}
