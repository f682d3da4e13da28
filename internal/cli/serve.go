package cli

import (
	"context"
	"fmt"
	"net"

	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("serve", env)
	storage := addStorageFlags(fs, env)
	addr := fs.String("addr", envOr(env, "CLIENTELA_ADDR", "127.0.0.1:8080"), "address to listen on (env CLIENTELA_ADDR)")
	level := fs.String("log-level", envOr(env, "CLIENTELA_LOG_LEVEL", "info"), "debug, info, warn or error (env CLIENTELA_LOG_LEVEL)")
	if err := parse(fs, args); err != nil {
		return err
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
	h, err := server.Handler(a, i18n.New(), log)
	if err != nil {
		return err
	}
	return server.Run(ctx, *addr, h, log, func(a net.Addr) {
		fmt.Fprintf(env.Stdout, "Clientela is listening on http://%s\n", a)
	})
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
