package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
)

// queued: how many writes wait behind the running batch.
func (g *groupCommit) queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// holdTheLead starts a write that runs alone until release is closed, so that the writes
// started meanwhile queue and then share one transaction.
func holdTheLead(t *testing.T, db *DB) (release func(), done <-chan error) {
	t.Helper()
	started, hold, errc := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		errc <- db.Write(context.Background(), func(tx app.Tx) error {
			close(started)
			<-hold
			return tx.PutSetting(context.Background(), "gc.leader", "yes")
		})
	}()
	<-started
	return func() { close(hold) }, errc
}

func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for db.group.queued() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", db.group.queued(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func openGrouped(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if db.group == nil {
		t.Fatal("SQLite opened without group commit")
	}
	return db
}

func setting(t *testing.T, db *DB, key string) (string, bool) {
	t.Helper()
	var v string
	var ok bool
	err := db.Read(context.Background(), func(tx app.Tx) (err error) {
		v, ok, err = tx.Setting(context.Background(), key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v, ok
}

// TestGroupedWritesKeepTheirOwnOutcome: writes queued behind a running one share a
// transaction, yet each keeps its own outcome: a failing or panicking write leaves nothing,
// a write whose context ended before its turn does not run, the others are all stored, and
// a later write in the batch sees what an earlier one wrote.
func TestGroupedWritesKeepTheirOwnOutcome(t *testing.T) {
	db := openGrouped(t)
	ctx := context.Background()
	release, leaderDone := holdTheLead(t, db)
	txBefore, writesBefore := db.group.transactions.Load(), db.group.writes.Load()

	const n = 40
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	cancelled, cancel := context.WithCancel(ctx)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			wctx := ctx
			if i == 7 {
				wctx = cancelled
			}
			errs[i] = db.Write(wctx, func(tx app.Tx) error {
				if err := tx.PutSetting(ctx, fmt.Sprintf("gc.%d", i), "stored"); err != nil {
					return err
				}
				switch {
				case i%5 == 3:
					return fmt.Errorf("write %d refuses", i)
				case i == 11:
					panic("write 11 panics")
				}
				return nil
			})
		}()
		waitQueued(t, db, i+1) // in order, so that the batch is the queue as written
	}
	cancel()
	release()
	wg.Wait()
	if err := <-leaderDone; err != nil {
		t.Fatal(err)
	}

	for i := range n {
		v, ok := setting(t, db, fmt.Sprintf("gc.%d", i))
		switch {
		case i == 7:
			if !errors.Is(errs[i], context.Canceled) || ok {
				t.Errorf("write %d with its context ended: err %v, stored %v", i, errs[i], ok)
			}
		case i%5 == 3:
			if errs[i] == nil || !strings.Contains(errs[i].Error(), "refuses") || ok {
				t.Errorf("failing write %d: err %v, stored %v", i, errs[i], ok)
			}
		case i == 11:
			if p, _ := panics[i].(string); !strings.Contains(p, "write 11 panics") || ok {
				t.Errorf("panicking write: panic %v, stored %v", panics[i], ok)
			}
		default:
			if errs[i] != nil || panics[i] != nil || !ok || v != "stored" {
				t.Errorf("write %d: err %v, panic %v, stored %q %v", i, errs[i], panics[i], v, ok)
			}
		}
	}
	txs, writes := db.group.transactions.Load()-txBefore, db.group.writes.Load()-writesBefore
	if writes != n || txs != 1 {
		t.Errorf("%d writes in %d transactions, want %d in 1", writes, txs, n)
	}
}

// TestGroupedWriteSeesEarlierOnes: within a batch, a write reads what the one before it wrote.
func TestGroupedWriteSeesEarlierOnes(t *testing.T) {
	db := openGrouped(t)
	ctx := context.Background()
	release, leaderDone := holdTheLead(t, db)
	var seen string
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.PutSetting(ctx, "gc.first", "one") }); err != nil {
			t.Error(err)
		}
	}()
	waitQueued(t, db, 1)
	go func() {
		defer wg.Done()
		err := db.Write(ctx, func(tx app.Tx) (err error) {
			seen, _, err = tx.Setting(ctx, "gc.first")
			return err
		})
		if err != nil {
			t.Error(err)
		}
	}()
	waitQueued(t, db, 2)
	release()
	wg.Wait()
	if err := <-leaderDone; err != nil {
		t.Fatal(err)
	}
	if seen != "one" {
		t.Errorf("the second write of the batch read %q", seen)
	}
}

// TestGroupedBatchLost: when the database rolls the transaction back under a batch (here a
// write ends it behind the store's back, as SQLite does on an interrupted statement or a full
// disk), the writes that had run are told nothing was stored, and those that had not run yet
// are run in a new transaction and stored.
func TestGroupedBatchLost(t *testing.T) {
	db := openGrouped(t)
	ctx := context.Background()
	release, leaderDone := holdTheLead(t, db)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(atx app.Tx) error {
				if err := atx.PutSetting(ctx, fmt.Sprintf("lost.%d", i), "x"); err != nil {
					return err
				}
				if i == 1 {
					_, err := atx.(*tx).tx.ExecContext(ctx, "ROLLBACK")
					return err
				}
				return nil
			})
		}()
		waitQueued(t, db, i+1)
	}
	release()
	wg.Wait()
	if err := <-leaderDone; err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, false, true} {
		if _, ok := setting(t, db, fmt.Sprintf("lost.%d", i)); ok != want {
			t.Errorf("write %d stored: %v, want %v (err %v)", i, ok, want, errs[i])
		}
	}
	if !errors.Is(errs[0], errBatchLost) {
		t.Errorf("the write whose work was rolled back under it: %v", errs[0])
	}
	if errs[2] != nil {
		t.Errorf("the write that had not run yet: %v", errs[2])
	}
	// The store writes on afterwards.
	if err := db.Write(ctx, func(tx app.Tx) error { return tx.PutSetting(ctx, "after", "ok") }); err != nil {
		t.Fatal(err)
	}
}
