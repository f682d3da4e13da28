package cli

import (
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/mail"
)

// MailFolder is the folder of the data directory where messages are written as .eml files
// when no SMTP server is configured.
const MailFolder = "mail"

// mailFlags are serve's e-mail flags (docs/mail.md).
type mailFlags struct {
	smtpURL, from              string
	publicURL                  string
	rate                       string
	firstRetry, maxRetry, poll time.Duration
	claim                      time.Duration
	attempts                   int
}

func addMailFlags(fs *flag.FlagSet, env Env) *mailFlags {
	m := &mailFlags{}
	fs.StringVar(&m.smtpURL, "smtp-url", envOr(env, "CLIENTELA_SMTP_URL", ""),
		"smtp://user:pass@host:port?tls=none|starttls|implicit: the SMTP server, winning over /settings/mail (env CLIENTELA_SMTP_URL)")
	fs.StringVar(&m.from, "mail-from", envOr(env, "CLIENTELA_MAIL_FROM", ""),
		`sender of e-mails, "Shop <shop@example.com>", winning over /settings/mail (env CLIENTELA_MAIL_FROM)`)
	fs.StringVar(&m.publicURL, "public-url", envOr(env, "CLIENTELA_PUBLIC_URL", ""),
		"https://shop.example: where customers reach this server, for the unsubscribe links of messages; default http:// and the listen address (env CLIENTELA_PUBLIC_URL)")
	fs.StringVar(&m.rate, "mail-rate", envOr(env, "CLIENTELA_MAIL_RATE", "10"), "e-mails per second this process sends at most; 0: no limit (env CLIENTELA_MAIL_RATE)")
	fs.DurationVar(&m.firstRetry, "mail-retry", envDuration(env, "CLIENTELA_MAIL_RETRY", app.DefaultMailFirstRetry), "wait after a failed delivery, doubled after each (env CLIENTELA_MAIL_RETRY)")
	fs.DurationVar(&m.maxRetry, "mail-retry-max", envDuration(env, "CLIENTELA_MAIL_RETRY_MAX", app.DefaultMailMaxRetry), "longest wait between deliveries (env CLIENTELA_MAIL_RETRY_MAX)")
	fs.IntVar(&m.attempts, "mail-attempts", envInt(env, "CLIENTELA_MAIL_ATTEMPTS", app.DefaultMailMaxAttempts), "deliveries tried before a message is failed (env CLIENTELA_MAIL_ATTEMPTS)")
	fs.DurationVar(&m.poll, "mail-poll", envDuration(env, "CLIENTELA_MAIL_POLL", app.DefaultMailPoll), "how often the outbox is read for messages other processes queued (env CLIENTELA_MAIL_POLL)")
	fs.DurationVar(&m.claim, "mail-claim", envDuration(env, "CLIENTELA_MAIL_CLAIM", app.DefaultMailClaim),
		"how long a claimed message is held before another worker may send it, should this one die (env CLIENTELA_MAIL_CLAIM)")
	return m
}

// config turns the flags into the app's mail config; the password never appears in errors.
func (m *mailFlags) config(dataDir string) (app.MailConfig, error) {
	c := app.MailConfig{Folder: filepath.Join(dataDir, MailFolder), FirstRetry: m.firstRetry, MaxRetry: m.maxRetry,
		MaxAttempts: m.attempts, PollInterval: m.poll, ClaimTimeout: m.claim}
	if m.smtpURL != "" {
		s, err := mail.ParseSMTPURL(m.smtpURL)
		if err != nil {
			return c, fmt.Errorf("--smtp-url: %w", err)
		}
		c.SMTP = &s
	}
	if m.from != "" {
		a, err := mail.ParseAddress("mail_from", m.from)
		if err != nil {
			return c, fmt.Errorf("--mail-from: not an e-mail address")
		}
		c.From = &a
	}
	if m.publicURL != "" {
		u, err := url.Parse(m.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return c, fmt.Errorf("--public-url: want an http:// or https:// address such as https://shop.example")
		}
		c.PublicURL = strings.TrimRight(m.publicURL, "/")
	}
	rate, err := strconv.ParseFloat(m.rate, 64)
	if err != nil || rate < 0 {
		return c, fmt.Errorf("--mail-rate: want a number of messages per second, 0 for no limit")
	}
	c.Rate = rate
	if m.firstRetry <= 0 || m.maxRetry < m.firstRetry || m.attempts < 1 || m.poll <= 0 || m.claim <= 0 {
		return c, fmt.Errorf("--mail-retry, --mail-retry-max, --mail-attempts, --mail-poll, --mail-claim: want positive values, the maximum at least the first wait")
	}
	return c, nil
}

func envDuration(env Env, key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(envOr(env, key, "")); err == nil {
		return d
	}
	return def
}

func envInt(env Env, key string, def int) int {
	if n, err := strconv.Atoi(envOr(env, key, "")); err == nil {
		return n
	}
	return def
}
