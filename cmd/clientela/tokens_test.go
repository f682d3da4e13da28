package main_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestTokenListAndRevoke: token list shows every token without its secret; token revoke
// revokes one live token of one user by its name, audited, and says clearly when there is none.
func TestTokenListAndRevoke(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			s := storageArgs(b)
			cmd := func(stdin string, args ...string) (string, string, int) {
				t.Helper()
				return run(t, stdin, append(args, s...)...)
			}
			for _, u := range []string{"ana", "caja1"} {
				if _, errOut, code := cmd("a good long password\n", "user", "add", "--username", u, "--role", "cashier"); code != 0 {
					t.Fatalf("user add %s: %d %s", u, code, errOut)
				}
			}
			if _, errOut, code := cmd("", "token", "list"); code != 0 || !strings.Contains(errOut, "No API tokens") {
				t.Errorf("empty list: %d %q", code, errOut)
			}
			secrets := map[string]string{}
			for _, tc := range [][2]string{{"ana", "till 1"}, {"ana", "till 2"}, {"caja1", "till 1"}} {
				out, errOut, code := cmd("", "token", "create", "--username", tc[0], "--name", tc[1])
				if code != 0 {
					t.Fatalf("token create %v: %d %q", tc, code, errOut)
				}
				secrets[tc[0]+"/"+tc[1]] = strings.TrimSpace(out)
			}

			out, errOut, code := cmd("", "token", "list")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "NAME") || strings.Contains(out, "clt_") {
				t.Fatalf("token list: %d %q %q", code, out, errOut)
			}
			for _, line := range lines[1:] {
				if !strings.Contains(line, "till ") || !strings.Contains(line, "never") {
					t.Errorf("token list row %q lacks its name or last use", line)
				}
			}
			out, _, code = cmd("", "token", "list", "--username", "ANA")
			if code != 0 || strings.Count(out, "\n") != 3 || strings.Contains(out, "caja1") {
				t.Errorf("token list --username ANA: %d %q", code, out)
			}
			if _, errOut, code := cmd("", "token", "list", "--username", "nobody"); code != 1 || !strings.Contains(errOut, "username: No such user") {
				t.Errorf("token list for an unknown user: %d %q", code, errOut)
			}

			_, errOut, code = cmd("", "token", "revoke", "--username", "ana", "--name", "TILL 1")
			if code != 0 || !strings.Contains(errOut, `Revoked the API token "till 1" of ana`) {
				t.Fatalf("token revoke: %d %q", code, errOut)
			}
			for _, tc := range []struct {
				args []string
				code int
				want string
			}{
				{[]string{"--username", "ana", "--name", "till 1"}, 1, `the API token "till 1" of ana is already revoked`},
				{[]string{"--username", "ana", "--name", "till 9"}, 1, `ana has no live API token named "till 9"`},
				{[]string{"--username", "nobody", "--name", "till 1"}, 1, "username: No such user"},
				{[]string{"--username", "ana"}, 2, "--username and --name are required"},
			} {
				_, errOut, code := cmd("", append([]string{"token", "revoke"}, tc.args...)...)
				if code != tc.code || !strings.Contains(errOut, tc.want) {
					t.Errorf("token revoke %v: code %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
				}
			}
			out, _, _ = cmd("", "token", "list", "--username", "ana")
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "till 1 ") && strings.HasSuffix(strings.TrimSpace(line), " -") {
					t.Errorf("the revoked token is listed without its revocation time: %q", line)
				}
			}

			db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			a := app.New(app.Config{Store: db})
			ctx := context.Background()
			if _, err := a.AuthenticateToken(ctx, secrets["ana/till 1"]); err == nil {
				t.Error("the revoked token still works")
			}
			for _, key := range []string{"ana/till 2", "caja1/till 1"} {
				if _, err := a.AuthenticateToken(ctx, secrets[key]); err != nil {
					t.Errorf("token %s stopped working: %v", key, err)
				}
			}
			page, err := a.AuditLog(ctx, app.System(), app.AuditQuery{EntityType: "api_token"})
			if err != nil {
				t.Fatal(err)
			}
			revokes := 0
			for _, e := range page.Entries {
				if e.Action == domain.ActionAPITokenRevoke {
					revokes++
				}
			}
			if revokes != 1 {
				t.Errorf("audit log has %d token revocations, want 1: %+v", revokes, page.Entries)
			}
		})
	}
}
