package cli

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("serve", env)
	storage := addStorageFlags(fs, env)
	addr := fs.String("addr", envOr(env, "CLIENTELA_ADDR", "127.0.0.1:8080"), "address to listen on (env CLIENTELA_ADDR)")
	level := fs.String("log-level", envOr(env, "CLIENTELA_LOG_LEVEL", "info"), "debug, info, warn or error (env CLIENTELA_LOG_LEVEL)")
	proxies := fs.String("trusted-proxies", envOr(env, "CLIENTELA_TRUSTED_PROXIES", ""),
		"comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client (env CLIENTELA_TRUSTED_PROXIES)")
	if err := parse(fs, args); err != nil {
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
	db, err := storage.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := newApp(db, log)
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
	return server.Run(ctx, *addr, h, log, func(a net.Addr) {
		fmt.Fprintf(env.Stdout, "Clientela is listening on http://%s\n", a)
	})
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
