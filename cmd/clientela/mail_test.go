package main_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
	"github.com/clientela/clientela/internal/mail/mailtest"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// serveArgs starts "clientela serve" with extra arguments and waits until it listens.
func serveArgs(t *testing.T, b testdb.Backend, extra ...string) *exec.Cmd {
	t.Helper()
	args := append(append([]string{"serve", "--addr", "127.0.0.1:0"}, storageArgs(b)...), extra...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "CLIENTELA_DATABASE_URL=", "CLIENTELA_DATA_DIR=", "CLIENTELA_SMTP_URL=", "CLIENTELA_MAIL_FROM=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(cmd) })
	sc := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		if regexp.MustCompile(`listening on http://`).MatchString(sc.Text()) {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return cmd
		}
	}
	t.Fatal("serve did not start")
	return nil
}

// queueFromOutside queues a message from another process's point of view: its own store
// and App on the same database, as a use case in another serve would.
func queueFromOutside(t *testing.T, b testdb.Backend, subject string) domain.OutboxMessage {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := app.New(app.Config{Store: db})
	var m domain.OutboxMessage
	err = db.Write(ctx, func(tx app.Tx) (err error) {
		m, err = a.QueueMail(ctx, tx, app.OutgoingMail{Kind: domain.MailMessage,
			To: mail.Address{Name: "Señora Muñoz", Email: "maria@example.com"}, Subject: subject, Text: "Hola, señora Muñoz."})
		return err
	})
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
	return m
}

// TestServeDeliversMailAcrossAKill: serve's worker finds a message another process queued,
// and when serve is killed (SIGKILL) in the middle of sending it, the serve started after
// it sends the message once its claim expires: delivered exactly once.
func TestServeDeliversMailAcrossAKill(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			srv := mailtest.Start(t)
			flags := []string{"--smtp-url", fmt.Sprintf("smtp://127.0.0.1:%d?tls=none", srv.Port()),
				"--mail-from", "Ultramarinos Pepa <hola@pepa.example>", "--mail-poll", "100ms", "--mail-claim", "2s"}
			cmd := serveArgs(t, b, flags...)

			first := queueFromOutside(t, b, "Primero")
			if got := srv.Wait(1, 10*time.Second); got != 1 {
				t.Fatalf("serve's worker did not send the message queued by another process (%d)", got)
			}
			// The sender is fixed when a message is queued: here by the queuing process, which
			// has no --mail-from.
			if r := srv.Received()[0]; r.From != app.DefaultMailFrom || r.MessageID() != first.MessageID {
				t.Fatalf("received from %s, Message-ID %s", r.From, r.MessageID())
			}

			arrived, release := srv.HoldNext()
			second := queueFromOutside(t, b, "Segundo")
			select {
			case <-arrived:
			case <-time.After(10 * time.Second):
				t.Fatal("the second message never reached the server")
			}
			_ = cmd.Process.Kill() // killed while the server holds the message: not accepted
			_, _ = cmd.Process.Wait()
			release()

			start := time.Now()
			serveArgs(t, b, flags...)
			if got := srv.Wait(2, 15*time.Second); got != 2 {
				t.Fatalf("after the restart %d messages arrived, want 2", got)
			}
			t.Logf("re-sent %v after the restart (claim 2s)", time.Since(start).Round(100*time.Millisecond))
			time.Sleep(300 * time.Millisecond)
			counts := srv.ByMessageID()
			if counts[second.MessageID] != 1 || counts[first.MessageID] != 1 || srv.Count() != 2 {
				t.Fatalf("deliveries per Message-ID: %v", counts)
			}
		})
	}
}

// Without an SMTP server, serve writes messages as .eml files in the data directory.
func TestServeWritesMailToAFolder(t *testing.T) {
	b := testdb.Prepare(t, testdb.Backend{Name: "sqlite"})
	cmd := exec.Command(binary, "migrate", "--data-dir", b.DataDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	serveArgs(t, b, "--mail-poll", "100ms")
	m := queueFromOutside(t, b, "Carpeta")
	dir := filepath.Join(b.DataDir, "mail")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), strings.SplitN(m.MessageID, "@", 2)[0]) && strings.HasSuffix(e.Name(), ".eml") {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no .eml file for %s in %s", m.MessageID, dir)
}

// A bad --smtp-url or --mail-from stops serve with a message naming the flag and not the
// password.
func TestServeRefusesBadMailFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--smtp-url", "smtp://ana:pw-secreta@mail.example.com?tls=maybe"},
		{"--smtp-url", "http://ana:pw-secreta@mail.example.com"},
		{"--mail-from", "Tienda <no es>\r\nBcc: x@y.example"},
		{"--mail-rate", "-1"},
	} {
		_, errOut, code := run(t, "", append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, args...)...)
		if code == 0 || !strings.Contains(errOut, args[0]) || strings.Contains(errOut, "pw-secreta") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
