package main_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/testdb"
)

// TestFailedLoginsKeepMemoryBounded: every password check is argon2id with 64 MiB, so a burst
// of failed logins must queue for a bounded number of checks (then be refused with 503)
// instead of running them all at once. 150 simultaneous failed logins from 150 addresses
// behind a trusted proxy, and 30 from one address, keep the server's peak resident memory
// under 400 MiB; every answer is 401, 429 or 503. The names are all different and unknown,
// so the per-name limit does not refuse them before the check: an unknown name costs what
// a real one does. SQLite only: the memory is the password checks', not the database's.
func TestFailedLoginsKeepMemoryBounded(t *testing.T) {
	b := testdb.Prepare(t, testdb.Backend{Name: "sqlite"})
	base, pid := serveBehindProxy(t, b)

	client := &http.Client{
		Timeout:       time.Minute,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 200, MaxConnsPerHost: 0},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	type attempt struct{ user, forwardedFor string }
	var attempts []attempt
	for i := range 150 {
		attempts = append(attempts, attempt{fmt.Sprintf("guess%d", i), fmt.Sprintf("198.51.100.%d", i+1)})
	}
	for i := range 30 {
		attempts = append(attempts, attempt{fmt.Sprintf("single%d", i), "203.0.113.7"})
	}
	statuses := make([]int, len(attempts))
	errs := make([]error, len(attempts))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, at := range attempts {
		wg.Go(func() {
			<-start
			form := url.Values{"username": {at.user}, "password": {"not the password at all"}, "next": {"/customers"}}
			req, err := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", at.forwardedFor)
			res, err := client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
			if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
				errs[i] = fmt.Errorf("503 without Retry-After")
			}
		})
	}
	close(start)
	wg.Wait()

	counts := map[int]int{}
	for i, st := range statuses {
		if errs[i] != nil {
			t.Errorf("login %d (%s from %s): %v", i, attempts[i].user, attempts[i].forwardedFor, errs[i])
			continue
		}
		counts[st]++
		switch st {
		case http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		default:
			t.Errorf("login %d (%s from %s): status %d, want 401, 429 or 503", i, attempts[i].user, attempts[i].forwardedFor, st)
		}
	}
	if counts[http.StatusUnauthorized] == 0 {
		t.Errorf("no login was checked at all: %v", counts)
	}
	peak := peakRSS(t, pid)
	t.Logf("answers %v; peak resident memory %d MiB", counts, peak>>20)
	if peak >= 400<<20 {
		t.Errorf("peak resident memory %d MiB, want under 400 MiB", peak>>20)
	}
}

// serveBehindProxy starts "clientela serve" trusting 127.0.0.1 as a reverse proxy, and returns
// its base URL and process id.
func serveBehindProxy(t *testing.T, b testdb.Backend) (string, int) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--trusted-proxies", "127.0.0.1"}, storageArgs(b)...)...)
	cmd.Env = append(os.Environ(), "CLIENTELA_DATABASE_URL=", "CLIENTELA_DATA_DIR=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case base := <-found:
		return base, cmd.Process.Pid
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", 0
}

// peakRSS is the process's peak resident memory (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no VmHWM in /proc/%d/status", pid)
	}
	kb, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return kb << 10
}
