package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

func runUser(ctx context.Context, env Env, args []string) error {
	usage := "usage: clientela user add --username U --role " + roleNames() + "\n" +
		"       clientela user password --username U\n" +
		"(the password is read from stdin, or prompted twice on a terminal)"
	if len(args) == 0 || (args[0] != "add" && args[0] != "password") {
		fmt.Fprintln(env.Stderr, usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	if args[0] == "password" {
		return runUserPassword(ctx, env, args[1:])
	}
	fs := newFlagSet("user add", env)
	storage := addStorageFlags(fs, env)
	username := fs.String("username", "", "user name (required)")
	role := fs.String("role", "", "role: "+roleNames()+" (required)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *username == "" || *role == "" {
		fmt.Fprintln(env.Stderr, "--username and --role are required")
		fs.Usage()
		return errUsage
	}
	return withPassword(ctx, env, storage, func(a *app.App, password string) error {
		u, err := a.AddUser(ctx, app.System(), *username, domain.Role(strings.ToLower(*role)), password)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "Created user %s (%s).\n", u.Username, u.Role)
		return nil
	})
}

// withPassword reads a password (before opening the database, so a prompt never holds it
// open), then runs fn on the app. A missing database is refused before the prompt, so nobody
// types a password twice to be told they are in the wrong folder.
func withPassword(ctx context.Context, env Env, storage *storageFlags, fn func(a *app.App, password string) error) error {
	probe, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	if err := probe.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	password, err := readPassword(env)
	if err != nil {
		return err
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(newApp(db, nil), password)
}

// runUserPassword sets a new password for a user who forgot theirs, ending their sessions.
func runUserPassword(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("user password", env)
	storage := addStorageFlags(fs, env)
	username := fs.String("username", "", "user name (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *username == "" {
		fmt.Fprintln(env.Stderr, "--username is required")
		fs.Usage()
		return errUsage
	}
	return withPassword(ctx, env, storage, func(a *app.App, password string) error {
		if err := a.ResetPassword(ctx, app.System(), *username, password); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "New password set for %s; their sessions have been ended.\n", strings.TrimSpace(*username))
		return nil
	})
}

// readPassword asks for the password twice, without echo, on a terminal; otherwise it reads
// the first line of stdin.
func readPassword(env Env) (string, error) {
	if f, ok := stdinIsTerminal(env); ok {
		fmt.Fprint(env.Stderr, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(env.Stderr, "Again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", fmt.Errorf("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, app.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
