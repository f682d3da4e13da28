package sqlstore

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientela/clientela/internal/app"
)

// heartbeatPrefix starts the payload of a heartbeat; the triggers' notifications carry the
// topic alone (migration 0007).
const heartbeatPrefix = "heartbeat:"

// heartbeatEvery is how often the feed proves it still hears the database: a listening
// connection that went quiet without failing (a dropped NAT entry, a pooler that does not pass
// notifications on) would otherwise leave caching on while changes go unheard.
const heartbeatEvery = 5 * time.Second

// errFeedSilent ends a feed whose heartbeats stopped arriving.
var errFeedSilent = errors.New("no heartbeat came back: the change feed is not hearing the database")

// pgChangeFeed listens for changes on a connection of its own.
type pgChangeFeed struct {
	url   string
	pool  *sql.DB       // sends the heartbeats, as any other session's change would arrive
	every time.Duration // heartbeat interval (tests shorten it)
}

// changeChannel is the channel on which the triggers of migration 0007 announce changes to
// the tables of schema: one per schema, so that installations (and tests) that share a
// database in separate schemas do not hear each other. A channel name holds 63 bytes at
// most; a schema name too long for that is hashed. The triggers compute the same in SQL.
func changeChannel(schema string) string {
	const prefix = "clientela:"
	if len(prefix)+len(schema) <= 63 {
		return prefix + schema
	}
	sum := md5.Sum([]byte(schema))
	return prefix + hex.EncodeToString(sum[:])
}

// Watch implements app.ChangeFeed: it calls ready once a heartbeat sent through the pool has
// come back, then changed after each committed change, until ctx ends, the connection
// fails, or heartbeats stop coming back.
func (f *pgChangeFeed) Watch(ctx context.Context, ready func(), changed func(app.Topic)) error {
	conn, err := pgx.Connect(ctx, f.url)
	if err != nil {
		return fmt.Errorf("listen for changes: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// The tables this server writes are in its current schema, as they were when migrated.
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("listen for changes: current schema: %w", err)
	}
	channel := changeChannel(schema)
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen for changes: %w", err)
	}
	token, err := randomToken()
	if err != nil {
		return err
	}
	mine := heartbeatPrefix + token
	listenCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	heartbeat := func() error {
		// Bounded: on a dead network the send itself may hang.
		hbCtx, cancel := context.WithTimeout(listenCtx, f.every)
		defer cancel()
		_, err := f.pool.ExecContext(hbCtx, "SELECT pg_notify($1, $2)", channel, mine)
		return err
	}

	// Until the first heartbeat is back, changes may be missed: not ready yet.
	if err := heartbeat(); err != nil {
		return fmt.Errorf("change feed heartbeat: %w", err)
	}
	firstCtx, cancelFirst := context.WithTimeout(listenCtx, 2*f.every)
	for {
		n, err := conn.WaitForNotification(firstCtx)
		if err != nil {
			cancelFirst()
			if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				return errFeedSilent
			}
			return fmt.Errorf("wait for changes: %w", err)
		}
		if n.Payload == mine {
			break
		}
	}
	cancelFirst()
	ready()

	var lastHeard atomic.Int64
	lastHeard.Store(time.Now().UnixNano())
	go func() {
		t := time.NewTicker(f.every)
		defer t.Stop()
		for {
			select {
			case <-listenCtx.Done():
				return
			case <-t.C:
			}
			if time.Since(time.Unix(0, lastHeard.Load())) > 3*f.every {
				stop(errFeedSilent)
				return
			}
			if err := heartbeat(); err != nil {
				stop(fmt.Errorf("change feed heartbeat: %w", err))
				return
			}
		}
	}()
	for {
		n, err := conn.WaitForNotification(listenCtx)
		if err != nil {
			if cause := context.Cause(listenCtx); ctx.Err() == nil && cause != nil {
				return cause
			}
			return fmt.Errorf("wait for changes: %w", err)
		}
		lastHeard.Store(time.Now().UnixNano())
		if !strings.HasPrefix(n.Payload, heartbeatPrefix) {
			changed(app.Topic(n.Payload))
		}
	}
}

func randomToken() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("heartbeat token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
