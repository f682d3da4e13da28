// Package app holds Clientela's use cases. Each use case lives here once, checks the caller's
// permission, owns its transaction and writes the audit trail; the JSON API, the backoffice
// pages and the CLI all call these methods and hold no business rule of their own.
package app

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/country"
	"github.com/clientela/clientela/internal/domain"
)

// Config wires an App.
type Config struct {
	Store          Store
	Clock          func() time.Time // nil: time.Now
	Logger         *slog.Logger     // nil: discard
	PasswordParams *auth.Params     // nil: auth.DefaultParams()
	// Passwords runs every password hash and check, a bounded number at once (nil: one over
	// PasswordParams with a slot per CPU and auth.DefaultWait).
	Passwords *auth.Hasher
	// A session ends after SessionIdleTimeout without a request (0: 12 h) and at the latest
	// SessionMaxAge after login (0: 7 days).
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	// MaxExports bounds the accounting exports (and their totals) running at once (0:
	// DefaultMaxExports); more wait up to auth.DefaultWait, then get CodeBusy.
	MaxExports int
	// Changes, when the store has one, lets API tokens and barcode lookups be cached while
	// WatchChanges runs (nil: never cached).
	Changes ChangeFeed
	// Mail is how this process sends e-mail (mail.go).
	Mail MailConfig
	// Backups is where and when serve keeps its daily copies (backups.go); the store takes
	// them when it is a BackupStore.
	Backups BackupConfig
}

// Session lifetimes when Config leaves them zero.
const (
	DefaultSessionIdleTimeout = 12 * time.Hour
	DefaultSessionMaxAge      = 7 * 24 * time.Hour
)

// App runs the use cases.
type App struct {
	store          Store
	clock          func() time.Time
	log            *slog.Logger
	passwordHasher *auth.Hasher
	tokens         feedCache[domain.Principal] // by token hash
	tokenUses      tokenUses
	sessionIdle    time.Duration
	sessionMaxAge  time.Duration
	// throttleKey is the key of the login throttle's hashes, read from the database once.
	throttleMu  sync.Mutex
	throttleKey []byte
	// lastPurge is when this process last purged expired sessions and throttle counts
	// (Unix microseconds).
	lastPurge atomic.Int64
	changes   ChangeFeed
	lookups   feedCache[domain.Customer] // by domain.ReferenceKey
	dupScans  feedCache[duplicateScan]   // the last scan for duplicates, key "" (duplicate_pairs.go)
	exports   chan struct{}              // a slot per export running (exports.go)
	// E-mail: the settings of this process, the worker's wake-up and its pace (mailworker.go).
	mailCfg  MailConfig
	mailWake chan struct{}
	paceMu   sync.Mutex
	nextSend time.Time
	// Backups: the store's copies, where they go, and the schedule's wake-up (backups*.go).
	backups    BackupStore
	backupCfg  BackupConfig
	backupWake chan struct{}
}

// New returns an App over cfg.Store.
func New(cfg Config) *App {
	a := &App{store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, passwordHasher: cfg.Passwords,
		sessionIdle: cfg.SessionIdleTimeout, sessionMaxAge: cfg.SessionMaxAge, changes: cfg.Changes,
		tokens: newFeedCache[domain.Principal](tokenCacheSize), lookups: newFeedCache[domain.Customer](maxCachedLookups),
		dupScans: newFeedCache[duplicateScan](1),
		exports:  make(chan struct{}, cmp.Or(max(cfg.MaxExports, 0), DefaultMaxExports)),
		mailCfg:  cfg.Mail, mailWake: make(chan struct{}, 1), backupCfg: cfg.Backups, backupWake: make(chan struct{}, 1)}
	a.backups, _ = cfg.Store.(BackupStore)
	a.mailCfg.defaults()
	if a.sessionIdle <= 0 {
		a.sessionIdle = DefaultSessionIdleTimeout
	}
	if a.sessionMaxAge <= 0 {
		a.sessionMaxAge = DefaultSessionMaxAge
	}
	if a.clock == nil {
		a.clock = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.passwordHasher == nil {
		params := auth.DefaultParams()
		if cfg.PasswordParams != nil {
			params = *cfg.PasswordParams
		}
		a.passwordHasher = auth.NewHasher(params, 0, 0)
	}
	return a
}

// now is the time of a use case, at the precision both databases keep (microseconds).
func (a *App) now() time.Time { return a.clock().UTC().Truncate(time.Microsecond) }

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}

// ValidID reports whether s is a well-formed record id; malformed ids are simply not found.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

func authorize(p domain.Principal, perm domain.Permission) error {
	if p.Role == "" {
		return domain.Errorf(domain.CodeUnauthenticated)
	}
	if !p.Role.Can(perm) {
		return domain.Errorf(domain.CodeForbidden)
	}
	return nil
}

func (a *App) audit(ctx context.Context, tx Tx, p domain.Principal, action, entityType, entityID string, fields []string, details map[string]any) error {
	return tx.AppendAudit(ctx, &domain.AuditEntry{
		At: a.now(), ActorID: p.UserID, ActorName: p.Username, Action: action,
		EntityType: entityType, EntityID: entityID, Fields: fields, Details: details,
	})
}

// Settings keys.
const (
	SettingDefaultCountry = "default_country"
	// DefaultCountry is the shop's country when none is set: Clientela is a Spanish shop's tool.
	DefaultCountry = "ES"
)

// ShopCountry is the shop's country (the default_country setting): where addresses without
// a country are, and whose phone numbers are shown in national form.
func (a *App) ShopCountry(ctx context.Context) (string, error) {
	var country string
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		country, err = a.defaultCountry(ctx, tx)
		return err
	})
	return country, err
}

// SetShopCountry changes the shop's country (admin). Customers already saved keep their
// addresses as they are; the new country applies to tax-id and phone checks from now on.
func (a *App) SetShopCountry(ctx context.Context, p domain.Principal, code string) error {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return err
	}
	code = country.Normalize(code)
	if !country.Valid(code) {
		var problems domain.Problems
		problems.Add("country", domain.FieldInvalid, nil)
		return problems.Err()
	}
	return a.store.Write(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, SettingDefaultCountry, code); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionSettingsUpdate, "settings", SettingDefaultCountry, []string{SettingDefaultCountry}, nil)
	})
}

func (a *App) defaultCountry(ctx context.Context, tx Tx) (string, error) {
	v, ok, err := tx.Setting(ctx, SettingDefaultCountry)
	if err != nil {
		return "", err
	}
	if !ok {
		return DefaultCountry, nil
	}
	return v, nil
}
