package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/clientela/clientela/internal/app"
)

// groupCommit lets writers that arrive while another write is running share one SQLite
// transaction, and so one fsync of the write-ahead log: with synchronous=FULL the fsync is
// most of a small write's time, and SQLite writes one transaction at a time anyway.
//
// Each writer's function runs inside its own SAVEPOINT: a function that fails (or panics) is
// rolled back to its savepoint and gets its own error, while the others of the batch go on.
// The batch commits once; every function that succeeded learns the commit's outcome, so no
// writer is told "done" before its data is on disk. Writers queue in arrival order; the first
// of a queue leads: it runs the batch on its goroutine and hands the lead to the next queued
// writer, whose own function is then part of the next batch.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*writeRequest
	leading bool // a writer is running a batch; newcomers queue behind it
	// transactions and writes count what was run, so tests (and a curious operator) can see
	// how many writes shared each transaction.
	transactions, writes atomic.Int64
}

// maxBatch bounds how many writes share a transaction, and so how long the last of them waits.
const maxBatch = 64

type writeRequest struct {
	ctx  context.Context
	fn   func(app.Tx) error
	done chan writeOutcome // buffered: the leader never waits on a writer
}

// writeOutcome is either the end of a writer's function, or the message that it leads next.
type writeOutcome struct {
	lead     bool
	err      error
	panicked bool
	panicVal any
	stack    []byte
}

// errBatchLost: the transaction was rolled back under the batch (SQLite does that on an
// interrupted statement, a full disk or an I/O error), taking the work of every function that
// had run in it. Their writers get this error; nothing of theirs was stored.
var errBatchLost = errors.New("the write transaction was rolled back by the database; nothing was stored")

// writeGrouped is Write on SQLite.
func (db *DB) writeGrouped(ctx context.Context, fn func(app.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g := db.group
	req := &writeRequest{ctx: ctx, fn: fn, done: make(chan writeOutcome, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, req)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if lead {
		db.leadBatch()
	}
	for {
		out := <-req.done
		if out.lead {
			db.leadBatch()
			continue
		}
		if out.panicked {
			panic(fmt.Sprintf("%v\n\n(raised in a grouped write; original stack:)\n%s", out.panicVal, out.stack))
		}
		return out.err
	}
}

// leadBatch runs the queued writes (the leader's own among them) in one transaction, tells
// each its outcome, then passes the lead to the next queued writer or gives it up.
func (db *DB) leadBatch() {
	g := db.group
	g.mu.Lock()
	n := min(len(g.queue), maxBatch)
	batch := g.queue[:n:n]
	g.queue = append([]*writeRequest(nil), g.queue[n:]...)
	g.mu.Unlock()

	outcomes, requeue := db.runBatch(batch)

	g.mu.Lock()
	g.queue = append(requeue, g.queue...)
	next := len(g.queue) > 0
	if next {
		g.queue[0].done <- writeOutcome{lead: true}
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	for i, req := range batch {
		if outcomes[i] != nil {
			req.done <- *outcomes[i]
		}
	}
}

// runBatch runs the batch's functions in one transaction. It returns each one's outcome (nil
// for those given back to the queue: not run because the transaction was lost before them).
func (db *DB) runBatch(batch []*writeRequest) (outcomes []*writeOutcome, requeue []*writeRequest) {
	outcomes = make([]*writeOutcome, len(batch))
	db.group.transactions.Add(1)
	db.group.writes.Add(int64(len(batch)))
	// The transaction outlives any one writer's context: a writer that gives up must not roll
	// back the others. Each statement still runs under its own writer's context.
	ctx := context.WithoutCancel(batch[0].ctx)
	if len(batch) == 1 {
		req := batch[0]
		out := db.runAlone(req)
		outcomes[0] = &out
		return outcomes, nil
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		for i := range batch {
			outcomes[i] = &writeOutcome{err: fmt.Errorf("begin transaction: %w", err)}
		}
		return outcomes, nil
	}
	scrub := false
	ran := make([]bool, len(batch)) // ran and succeeded: its work awaits the commit
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			outcomes[i] = &writeOutcome{err: err}
			continue
		}
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT grouped_write"); err != nil {
			// The transaction is gone: what ran is lost, what did not run goes back to the queue.
			return db.loseBatch(sqlTx, batch, outcomes, ran, i, err)
		}
		t := &tx{tx: sqlTx, d: db.d, stmts: db.writeStmts}
		out := callWrite(req.fn, t)
		if out.err != nil || out.panicked {
			if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO grouped_write"); err != nil {
				outcomes[i] = &out
				return db.loseBatch(sqlTx, batch, outcomes, ran, i+1, err)
			}
			outcomes[i] = &out
		} else {
			ran[i] = true
			scrub = scrub || t.scrubWAL
		}
		if _, err := sqlTx.ExecContext(ctx, "RELEASE grouped_write"); err != nil {
			return db.loseBatch(sqlTx, batch, outcomes, ran, i+1, err)
		}
	}
	commitErr := sqlTx.Commit()
	for i := range batch {
		if !ran[i] {
			continue
		}
		if commitErr != nil {
			outcomes[i] = &writeOutcome{err: fmt.Errorf("commit: %w", commitErr)}
		} else {
			outcomes[i] = &writeOutcome{}
		}
	}
	if commitErr == nil {
		db.writeStmts.prepareWanted(ctx)
		if scrub {
			db.scrubWAL(ctx)
		}
	}
	return outcomes, nil
}

// loseBatch ends a batch whose transaction the database rolled back: the functions that had
// run get errBatchLost, those from index from on have not run and are given back to the queue.
func (db *DB) loseBatch(sqlTx *sql.Tx, batch []*writeRequest, outcomes []*writeOutcome, ran []bool, from int, cause error) ([]*writeOutcome, []*writeRequest) {
	_ = sqlTx.Rollback() // already rolled back by SQLite; this ends database/sql's side
	for i := range from {
		if ran[i] {
			outcomes[i] = &writeOutcome{err: fmt.Errorf("%w: %w", errBatchLost, cause)}
		}
	}
	return outcomes, batch[from:]
}

// runAlone is a batch of one: the plain transaction of db.run, with fn's panic turned into
// an outcome its writer re-raises. The transaction outlives the writer's context, as a
// batch's does.
func (db *DB) runAlone(req *writeRequest) writeOutcome {
	var out writeOutcome
	err := db.run(context.WithoutCancel(req.ctx), func(t app.Tx) error {
		out = callWrite(req.fn, t.(*tx))
		if out.panicked {
			return errWritePanicked
		}
		return out.err
	})
	if out.panicked {
		return out
	}
	return writeOutcome{err: err}
}

// errWritePanicked rolls back the transaction of a write that panicked.
var errWritePanicked = errors.New("the write panicked")

// callWrite runs fn, turning a panic into an outcome its writer re-raises on its own goroutine.
func callWrite(fn func(app.Tx) error, t *tx) (out writeOutcome) {
	defer func() {
		if p := recover(); p != nil {
			out = writeOutcome{panicked: true, panicVal: p, stack: debug.Stack()}
		}
	}()
	return writeOutcome{err: fn(t)}
}
