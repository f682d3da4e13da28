package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

const tokenUsage = "usage: clientela token create --username U --name LABEL\n" +
	"       clientela token list [--username U]\n" +
	"       clientela token revoke --username U --name LABEL"

func runToken(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return runTokenCreate(ctx, env, args[1:])
		case "list":
			return runTokenList(ctx, env, args[1:])
		case "revoke":
			return runTokenRevoke(ctx, env, args[1:])
		}
	}
	fmt.Fprintln(env.Stderr, tokenUsage)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return nil
	}
	return errUsage
}

func runTokenCreate(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("token create", env)
	storage := addStorageFlags(fs, env)
	username := fs.String("username", "", "user the token acts as (required)")
	name := fs.String("name", "", "label of the token, e.g. the till it is for (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *username == "" || *name == "" {
		fmt.Fprintln(env.Stderr, "--username and --name are required")
		fs.Usage()
		return errUsage
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	secret, err := newApp(db, nil).CreateAPIToken(ctx, app.System(), *username, *name)
	if err != nil {
		return err
	}
	// The token alone on stdout, so scripts can capture it; it cannot be shown again.
	fmt.Fprintln(env.Stdout, secret)
	return nil
}

// runTokenList prints every API token (or one user's), newest first, without secrets: only
// their hashes are stored.
func runTokenList(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("token list", env)
	storage := addStorageFlags(fs, env)
	username := fs.String("username", "", "list only this user's tokens")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := newApp(db, nil)
	tokens, err := a.APITokens(ctx, app.System())
	if err != nil {
		return err
	}
	if *username != "" {
		u, err := userNamed(ctx, a, *username)
		if err != nil {
			return err
		}
		tokens = tokensOf(tokens, u.ID)
	}
	if len(tokens) == 0 {
		fmt.Fprintln(env.Stderr, "No API tokens.")
		return nil
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tUSER\tCREATED\tLAST USED\tREVOKED")
	for _, t := range tokens {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", printable(t.Name), t.Username, when(&t.CreatedAt, "-"), when(t.LastUsedAt, "never"), when(t.RevokedAt, "-"))
	}
	return w.Flush()
}

// runTokenRevoke revokes a user's live token by its name (live tokens of one user have
// different names), through the same use case as the Tokens page, so it is audited the same.
func runTokenRevoke(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("token revoke", env)
	storage := addStorageFlags(fs, env)
	username := fs.String("username", "", "user the token acts as (required)")
	name := fs.String("name", "", "label of the token, as token list shows it (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *username == "" || *name == "" {
		fmt.Fprintln(env.Stderr, "--username and --name are required")
		fs.Usage()
		return errUsage
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := newApp(db, nil)
	u, err := userNamed(ctx, a, *username)
	if err != nil {
		return err
	}
	tokens, err := a.APITokens(ctx, app.System())
	if err != nil {
		return err
	}
	label := strings.TrimSpace(*name)
	revoked := false
	for _, t := range tokensOf(tokens, u.ID) {
		if !strings.EqualFold(t.Name, label) {
			continue
		}
		if t.RevokedAt != nil {
			revoked = true
			continue
		}
		if err := a.RevokeAPIToken(ctx, app.System(), t.ID); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "Revoked the API token %q of %s.\n", t.Name, u.Username)
		return nil
	}
	if revoked {
		return fmt.Errorf("the API token %q of %s is already revoked", label, u.Username)
	}
	return fmt.Errorf("%s has no live API token named %q (clientela token list --username %s shows them)", u.Username, label, u.Username)
}

// userNamed finds a user by name, as the other user commands match it (case does not matter).
func userNamed(ctx context.Context, a *app.App, username string) (domain.User, error) {
	users, err := a.Users(ctx, app.System())
	if err != nil {
		return domain.User{}, err
	}
	for _, u := range users {
		if strings.EqualFold(u.Username, strings.TrimSpace(username)) {
			return u, nil
		}
	}
	return domain.User{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "username", Code: "unknown_user"}}}
}

func tokensOf(tokens []domain.APIToken, userID string) []domain.APIToken {
	var out []domain.APIToken
	for _, t := range tokens {
		if t.UserID == userID {
			out = append(out, t)
		}
	}
	return out
}

// when writes a time in UTC, or none when t is nil.
func when(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format(time.RFC3339)
}

// printable quotes a name holding anything a terminal would not show as it is (tabs, control
// or direction characters), so the table stays readable and cannot be spoofed.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
