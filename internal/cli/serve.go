package cli

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("serve", env)
	storage := addStorageFlags(fs, env)
	addr := fs.String("addr", envOr(env, "CLIENTELA_ADDR", "127.0.0.1:8080"), "address to listen on (env CLIENTELA_ADDR)")
	level := fs.String("log-level", envOr(env, "CLIENTELA_LOG_LEVEL", "info"), "debug, info, warn or error (env CLIENTELA_LOG_LEVEL)")
	proxies := fs.String("trusted-proxies", envOr(env, "CLIENTELA_TRUSTED_PROXIES", ""),
		"comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client (env CLIENTELA_TRUSTED_PROXIES)")
	mailFlags := addMailFlags(fs, env)
	backupAt := fs.String("backup-at", envOr(env, "CLIENTELA_BACKUP_AT", ""),
		"daily backup hour HH:MM, local time, winning over /settings/backups (default 03:00; SQLite only) (env CLIENTELA_BACKUP_AT)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *backupAt != "" {
		if _, err := app.ParseBackupAt(*backupAt); err != nil {
			return fmt.Errorf("--backup-at: %w", err)
		}
	}
	mailCfg, err := mailFlags.config(storage.dataDir)
	if err != nil {
		return err
	}
	trusted, err := parsePrefixes(*proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	log, err := newLogger(env.Stderr, *level)
	if err != nil {
		return err
	}
	// Bind first: on a port already in use, fail before creating the database and the first
	// admin (whose one-time password would be printed for nothing).
	ln, err := server.Listen(*addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if mailCfg.PublicURL == "" {
		// Unsubscribe links point at this server as it listens, unless --public-url says
		// where customers reach it.
		mailCfg.PublicURL = "http://" + ln.Addr().String()
	}
	var backups app.BackupConfig
	if storage.databaseURL == "" {
		// Restore refuses while this lock is held; a restore running keeps serve from starting.
		lock, err := sqlstore.LockServe(storage.dataDir)
		if errors.Is(err, sqlstore.ErrRestoring) {
			return fmt.Errorf("%w: wait for it to finish", err)
		} else if err != nil {
			return err
		}
		defer lock.Release()
		backups = app.BackupConfig{Dir: filepath.Join(storage.dataDir, BackupFolder), At: *backupAt}
	}
	db, err := storage.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(app.Config{Store: db, Logger: log, Changes: db.ChangeFeed(), Mail: mailCfg, Backups: backups})
	setMemoryLimit(a)
	password, created, err := a.EnsureFirstAdmin(ctx)
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	if created {
		fmt.Fprintf(env.Stdout, "Created the first user: admin / %s\n", password)
		fmt.Fprintln(env.Stdout, "This password is shown only once. Make an API token with: clientela token create --username admin --name my-terminal")
	}
	log.Info("database ready", "backend", db.Backend())
	// API tokens and barcode lookups are cached while this hears every process's changes.
	go a.WatchChanges(ctx)
	h, err := server.Handler(a, i18n.New(), log, server.Options{TrustedProxies: trusted})
	if err != nil {
		return err
	}
	// The outbox's worker: it stops with the server, after the message in hand.
	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); a.RunMailWorker(workerCtx) }()
	defer func() { stopWorker(); <-workerDone }()
	// The daily copy (SQLite): it stops with the server; a copy in progress is abandoned.
	backupDone := make(chan struct{})
	go func() { defer close(backupDone); a.RunBackups(workerCtx) }()
	defer func() { stopWorker(); <-backupDone }()
	// The daily retention run (docs/privacy.md): one process per day, whatever the backend.
	retentionDone := make(chan struct{})
	go func() { defer close(retentionDone); a.RunRetentionSchedule(workerCtx) }()
	defer func() { stopWorker(); <-retentionDone }()
	fmt.Fprintf(env.Stdout, "Clientela is listening on http://%s\n", ln.Addr())
	return server.Serve(ctx, ln, h, log)
}

// workingHeap is what the server's heap may hold besides password checks before a soft memory
// limit makes the collector work harder: caches and requests in flight.
const workingHeap = 128 << 20

// setMemoryLimit gives the Go runtime a soft memory limit, unless the operator set one with
// GOMEMLIMIT. Each password check allocates 64 MiB afresh; under a burst of logins the
// collector, paced by GOGC alone, lets the heap grow to about twice what the checks in
// flight hold before it frees any. With the limit it frees sooner: 180 failed logins at once
// peaked at about 400 MiB resident without it, under 300 MiB with it. The limit is soft: a
// heap that truly needs more gets it, at the cost of more frequent collections.
func setMemoryLimit(a *app.App) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(workingHeap + a.PasswordMemory())
	}
}

// parsePrefixes reads "10.0.0.1, 192.168.0.0/16, ::1" into prefixes; a bare address is a
// prefix of its full length.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(item)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
	}
	return out, nil
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("migrate", env)
	storage := addStorageFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := storage.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(env.Stdout, "The %s database is up to date.\n", db.Backend())
	return nil
}
