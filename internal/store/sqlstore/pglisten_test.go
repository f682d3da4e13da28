package sqlstore_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// silencer forwards TCP both ways until frozen, then drops everything without closing the
// connections: what a dropped NAT entry or a partition looks like to both ends.
type silencer struct {
	ln     net.Listener
	frozen atomic.Bool
}

func (s *silencer) serve(target string) {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		d, err := net.Dial("tcp", target)
		if err != nil {
			c.Close()
			continue
		}
		pipe := func(dst, src net.Conn) {
			defer dst.Close()
			buf := make([]byte, 32<<10)
			for {
				n, err := src.Read(buf)
				if n > 0 && !s.frozen.Load() {
					if _, err := dst.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}
		go pipe(d, c)
		go pipe(c, d)
	}
}

// TestChangeFeedNoticesSilence: a feed whose connection goes quiet without failing gives up
// after missed heartbeats (so caching stops), and hears changes while the line is up.
func TestChangeFeedNoticesSilence(t *testing.T) {
	var b testdb.Backend
	for _, x := range testdb.Backends(t) {
		if x.Name == "postgres" {
			b = testdb.Prepare(t, x)
		}
	}
	if b.Name == "" {
		t.Skip("the change feed is PostgreSQL's")
	}
	u, err := url.Parse(b.URL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := &silencer{ln: ln}
	go s.serve(u.Host)
	u.Host = ln.Addr().String()
	db, err := sqlstore.Open(context.Background(), u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	direct, err := sqlstore.Open(context.Background(), b.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()

	feed := sqlstore.FeedWithHeartbeat(db, 100*time.Millisecond)
	var ready atomic.Bool
	var changes atomic.Int64
	done := make(chan error, 1)
	go func() {
		done <- feed.Watch(context.Background(), func() { ready.Store(true) }, func(app.Topic) { changes.Add(1) })
	}()
	for deadline := time.Now().Add(5 * time.Second); !ready.Load(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the feed never became ready")
		}
	}
	if _, err := direct.SQL().Exec("UPDATE customers SET notes = notes"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); changes.Load() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a change was not heard")
		}
	}
	heard := changes.Load()
	time.Sleep(500 * time.Millisecond) // heartbeats are not changes
	if changes.Load() != heard {
		t.Errorf("heartbeats counted as changes: %d → %d", heard, changes.Load())
	}

	s.frozen.Store(true)
	select {
	case err := <-done:
		// Silence shows as missed heartbeats, or as a heartbeat that cannot be sent.
		if err == nil {
			t.Fatal("the feed ended without saying why")
		}
		if !errors.Is(err, sqlstore.ErrFeedSilent) {
			t.Logf("the feed ended with: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a silent feed was not noticed within 5 s")
	}
}
