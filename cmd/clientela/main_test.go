package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	clientela "github.com/clientela/clientela/cmd/clientela"
	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// binary is the clientela program the tests run: built once for them, or under go test -cover
// this test binary itself (see TestMain).
var binary string

func TestMain(m *testing.M) {
	// Started through the link named clientela (below): be the program.
	if filepath.Base(os.Args[0]) == "clientela" {
		clientela.Main() // exits
	}
	dir, err := os.MkdirTemp("", "clientela-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "clientela")
	if testing.CoverMode() != "" {
		// Under go test -cover the commands run as this test binary, through a link named
		// clientela: built with coverage, it writes what each command executes to GOCOVERDIR
		// (set by go test) when it exits, and go test counts that with the tests' own
		// coverage. A binary built apart with -cover would not count: go test merges only the
		// data of its own test binary.
		err = linkSelf(binary)
	} else {
		var out []byte
		if out, err = exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
			err = fmt.Errorf("build: %w\n%s", err, out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// linkSelf makes path a link to this test binary.
func linkSelf(path string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	return os.Symlink(self, path)
}

// storageArgs are the flags that put the program on backend b.
func storageArgs(b testdb.Backend) []string {
	if b.URL != "" {
		return []string{"--database-url", b.URL}
	}
	return []string{"--data-dir", b.DataDir}
}

// run runs the program to completion with stdin and returns its outputs and exit code.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runIn(t, "", nil, stdin, args...)
}

// runIn is run in the working directory dir ("": this one), with env added to the
// environment.
func runIn(t *testing.T, dir string, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(append(os.Environ(), "CLIENTELA_DATABASE_URL=", "CLIENTELA_DATA_DIR="), env...)
	err := cmd.Run()
	code = 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// serve starts "clientela serve" on a free port and returns its base URL, everything it
// printed on stdout up to the listening line, and the running command.
func serve(t *testing.T, b testdb.Backend) (string, string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, storageArgs(b)...)...)
	cmd.Env = append(os.Environ(), "CLIENTELA_DATABASE_URL=", "CLIENTELA_DATA_DIR=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(cmd) })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var printed strings.Builder
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited early; it printed:\n%s", printed.String())
			}
			printed.WriteString(line + "\n")
			if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(line); m != nil {
				go func() {
					for range lines { // keep draining
					}
				}()
				return m[1], printed.String(), cmd
			}
		case <-deadline:
			t.Fatalf("serve did not start; it printed:\n%s", printed.String())
		}
	}
}

// migrated prepares b and creates Clientela's tables there, as an operator would before
// adding users: the user and token commands refuse a database that does not exist.
func migrated(t *testing.T, b testdb.Backend) testdb.Backend {
	t.Helper()
	b = testdb.Prepare(t, b)
	if out, errOut, code := run(t, "", append([]string{"migrate"}, storageArgs(b)...)...); code != 0 {
		t.Fatalf("migrate: %d\n%s\n%s", code, out, errOut)
	}
	return b
}

// stop ends a serve the test started, if it still runs: SIGTERM, so that it exits by itself
// (and writes its coverage data under go test -cover), then SIGKILL if it hangs.
func stop(cmd *exec.Cmd) {
	if cmd.Process.Signal(syscall.SIGTERM) != nil {
		return // already ended
	}
	done := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body
}

func TestServeFirstAdminTokenAndGracefulStop(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			base, printed, cmd := serve(t, b)
			m := regexp.MustCompile(`admin / (\S+)`).FindStringSubmatch(printed)
			if m == nil || len(m[1]) < 16 {
				t.Fatalf("no first admin password printed:\n%s", printed)
			}
			if code, _ := get(t, base+"/api/v1/me", ""); code != 401 {
				t.Errorf("no token: %d", code)
			}
			out, errOut, code := run(t, "", append([]string{"token", "create", "--username", "admin", "--name", "till 1"}, storageArgs(b)...)...)
			token := strings.TrimSpace(out)
			if code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(token, "clt_") {
				t.Fatalf("token create: code %d stdout %q stderr %q", code, out, errOut)
			}
			if code, body := get(t, base+"/api/v1/me", token); code != 200 || body["role"] != "admin" {
				t.Errorf("me: %d %v", code, body)
			}
			// The printed password opens the backoffice.
			form := url.Values{"username": {"admin"}, "password": {m[1]}}
			req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			var session *http.Cookie
			for _, c := range res.Cookies() {
				if c.Name == "clientela_session" {
					session = c
				}
			}
			if res.StatusCode != http.StatusSeeOther || session == nil {
				t.Fatalf("login: status %d, cookies %v", res.StatusCode, res.Cookies())
			}
			pageStatus := func(base string) int {
				req, _ := http.NewRequest("GET", base+"/customers", nil)
				req.AddCookie(session)
				res, err := noRedirect.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			if code := pageStatus(base); code != http.StatusOK {
				t.Fatalf("register page after login: %d", code)
			}
			// A second start does not make another admin, and keeps people logged in.
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve after SIGTERM: %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("serve did not stop on SIGTERM")
			}
			base2, printed2, _ := serve(t, b)
			if strings.Contains(printed2, "admin /") {
				t.Errorf("second start printed a new admin password:\n%s", printed2)
			}
			if code := pageStatus(base2); code != http.StatusOK {
				t.Errorf("after a restart the session is lost: status %d", code)
			}
		})
	}
}

func TestUserAdd(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			s := storageArgs(b)
			if _, errOut, code := run(t, "a good long password\n", append([]string{"user", "add", "--username", "caja1", "--role", "cashier"}, s...)...); code != 0 {
				t.Fatalf("user add: %d %s", code, errOut)
			}
			for _, tc := range []struct {
				stdin string
				args  []string
				code  int
				want  string
			}{
				{"a good long password\n", []string{"--username", "CAJA1", "--role", "cashier"}, 1, "username: Already in use"},
				{"a good long password\n", []string{"--username", "x", "--role", "boss"}, 1, "role: Not a valid value"},
				{"short\n", []string{"--username", "y", "--role", "manager"}, 1, "password: At least 10 characters"},
				{"a good long password\n", []string{"--username", "bad name", "--role", "manager"}, 1, "username: Not a valid value"},
				{"", []string{"--role", "manager"}, 2, "--username and --role are required"},
			} {
				_, errOut, code := run(t, tc.stdin, append(append([]string{"user", "add"}, tc.args...), s...)...)
				if code != tc.code || !strings.Contains(errOut, tc.want) {
					t.Errorf("user add %v: code %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
				}
			}
			if out, errOut, code := run(t, "", append([]string{"token", "create", "--username", "caja1", "--name", "t"}, s...)...); code != 0 || !strings.HasPrefix(out, "clt_") {
				t.Errorf("token for new user: %d %q %q", code, out, errOut)
			}
			if _, errOut, code := run(t, "", append([]string{"token", "create", "--username", "nobody", "--name", "t"}, s...)...); code != 1 || !strings.Contains(errOut, "No such user") {
				t.Errorf("token for unknown user: %d %q", code, errOut)
			}
		})
	}
}

func TestSeedThenBench(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			s := storageArgs(b)
			out, errOut, code := run(t, "", append([]string{"seed", "--customers", "3000"}, s...)...)
			if code != 0 || !strings.Contains(out, "Added 3000 customers") || !strings.Contains(errOut, "100%") {
				t.Fatalf("seed: %d\n%s\n%s", code, out, errOut)
			}
			out, errOut, code = run(t, "", append([]string{"bench", "--requests", "40", "--concurrency", "2"}, s...)...)
			if code != 0 {
				t.Fatalf("bench: %d\n%s\n%s", code, out, errOut)
			}
			for _, want := range []string{"3000 customers", "| barcode lookup (HTTP) | 40 | 0 |", "| search: 3 common letters (HTTP) | 40 | 0 |", "| empty net/http handler |", "barcode lookup over HTTP: p99"} {
				if !strings.Contains(out, want) {
					t.Errorf("bench output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"seed", "-h"}, {"bench", "--help"}, {"user", "--help"}, {"token", "--help"}, {"token", "list", "--help"}, {"token", "revoke", "--help"}, {"migrate", "--help"}} {
		if _, _, code := run(t, "", args...); code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if _, errOut, code := run(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if _, _, code := run(t, "", "serve", "--no-such-flag"); code != 2 {
		t.Errorf("bad flag: %d", code)
	}
}

// TestUserPassword: a forgotten password is replaced from the command line, and the old one
// stops working.
func TestUserPassword(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			s := storageArgs(b)
			if _, errOut, code := run(t, "the first long password\n", append([]string{"user", "add", "--username", "ana", "--role", "manager"}, s...)...); code != 0 {
				t.Fatalf("user add: %d %s", code, errOut)
			}
			// A new password leaves the user's API tokens alive (the README says so, and how to
			// revoke them).
			token, errOut, code := run(t, "", append([]string{"token", "create", "--username", "ana", "--name", "till 1"}, s...)...)
			if code != 0 {
				t.Fatalf("token create: %d %q", code, errOut)
			}
			_, errOut, code = run(t, "the second long password\n", append([]string{"user", "password", "--username", "ana"}, s...)...)
			if code != 0 || !strings.Contains(errOut, "New password set for ana") {
				t.Fatalf("user password: %d %q", code, errOut)
			}
			for _, tc := range []struct {
				stdin string
				args  []string
				code  int
				want  string
			}{
				{"a good long password\n", []string{"--username", "nobody"}, 1, "No such user"},
				{"short\n", []string{"--username", "ana"}, 1, "password: At least 10 characters"},
				{"", []string{}, 2, "--username is required"},
			} {
				_, errOut, code := run(t, tc.stdin, append(append([]string{"user", "password"}, tc.args...), s...)...)
				if code != tc.code || !strings.Contains(errOut, tc.want) {
					t.Errorf("user password %v: code %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
				}
			}
			db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			a := app.New(app.Config{Store: db})
			if _, _, err := a.Login(context.Background(), "ana", "the first long password", "192.0.2.1"); err == nil {
				t.Error("the old password still works")
			}
			if _, _, err := a.Login(context.Background(), "ana", "the second long password", "192.0.2.1"); err != nil {
				t.Errorf("the new password does not work: %v", err)
			}
			if _, err := a.AuthenticateToken(context.Background(), strings.TrimSpace(token)); err != nil {
				t.Errorf("the API token stopped working after a new password: %v", err)
			}
		})
	}
}
