package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

func enqueue(t *testing.T, db *sqlstore.DB, id, customerID string, at time.Time) {
	t.Helper()
	m := domain.OutboxMessage{ID: id, MessageID: id + "@tienda.example", Kind: domain.MailInvoice, Status: domain.OutboxQueued,
		CustomerID: customerID, Sender: "hola@tienda.example", Recipient: "ana@example.com", Subject: "Su factura",
		NextAttemptAt: at, CreatedAt: at, UpdatedAt: at}
	err := db.Write(context.Background(), func(tx app.Tx) error { return tx.EnqueueMail(context.Background(), &m, []byte("raw "+id), "") })
	if err != nil {
		t.Fatal(err)
	}
}

func mailID(i int) string { return fmt.Sprintf("01900000-0000-7000-8000-%012d", i) }

// The outbox's claims: only due messages, never one another holds until its claim expires,
// the outcome recorded only by the claim's holder.
func TestOutboxClaims(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		enqueue(t, db, mailID(1), "", t0)
		enqueue(t, db, mailID(2), "", t0.Add(time.Minute)) // due later
		claim := func(now time.Time, token string) []app.ClaimedMail {
			t.Helper()
			var got []app.ClaimedMail
			if err := db.Write(ctx, func(tx app.Tx) (err error) {
				got, err = tx.ClaimMail(ctx, now, now.Add(5*time.Minute), token, 10)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		got := claim(t0, "A")
		if len(got) != 1 || got[0].ID != mailID(1) || got[0].Attempts != 1 || string(got[0].Raw) != "raw "+mailID(1) {
			t.Fatalf("first claim: %+v", got)
		}
		if got := claim(t0.Add(2*time.Minute), "B"); len(got) != 1 || got[0].ID != mailID(2) {
			t.Fatalf("second claim took %+v", got)
		}
		// A's claim expired: C takes the message; A's late outcome changes nothing.
		if got := claim(t0.Add(6*time.Minute), "C"); len(got) != 1 || got[0].ID != mailID(1) || got[0].Attempts != 2 {
			t.Fatalf("after expiry: %+v", got)
		}
		var held bool
		finish := func(o app.MailOutcome) bool {
			t.Helper()
			if err := db.Write(ctx, func(tx app.Tx) (err error) { held, err = tx.FinishMail(ctx, o); return err }); err != nil {
				t.Fatal(err)
			}
			return held
		}
		if finish(app.MailOutcome{ID: mailID(1), Claim: "A", Attempt: 1, At: t0.Add(7 * time.Minute), Status: domain.OutboxSent, Response: "250 late"}) {
			t.Error("an expired claim recorded an outcome")
		}
		if !finish(app.MailOutcome{ID: mailID(1), Claim: "C", Attempt: 2, At: t0.Add(7 * time.Minute), Status: domain.OutboxSent, Response: "250 ok"}) {
			t.Error("the holder could not record")
		}
		// B hands its message back: due again at once, the attempt not counted.
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.ReleaseMail(ctx, []string{mailID(2)}, "B", t0.Add(8*time.Minute)) }); err != nil {
			t.Fatal(err)
		}
		if got := claim(t0.Add(8*time.Minute), "D"); len(got) != 1 || got[0].ID != mailID(2) || got[0].Attempts != 1 {
			t.Fatalf("after release: %+v", got)
		}
		var counts map[domain.OutboxStatus]int64
		var attempts []domain.OutboxAttempt
		_ = db.Read(ctx, func(tx app.Tx) (err error) {
			if counts, err = tx.OutboxCounts(ctx, ""); err != nil {
				return err
			}
			attempts, err = tx.OutboxAttempts(ctx, mailID(1))
			return err
		})
		if counts[domain.OutboxSent] != 1 || counts[domain.OutboxQueued] != 1 || len(attempts) != 1 || attempts[0].Response != "250 ok" {
			t.Errorf("counts %v, attempts %+v", counts, attempts)
		}
	})
}

// The worker's look for due messages and its claim walk the partial index of queued
// messages, however many sent ones the outbox holds.
func TestOutboxUsesItsIndex(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		var now any = t0.UnixMicro()
		if db.Backend() == "postgres" {
			now = t0
		}
		for name, q := range map[string]struct {
			sql  string
			args []any
		}{
			"due":   {db.Rebind(sqlstore.MailDueSQL), []any{now}},
			"claim": {sqlstore.ClaimSQL(db), []any{"c", now, now, now, 10}},
		} {
			plan := explain(t, ctx, db, q.sql, q.args)
			if !strings.Contains(plan, "outbox_due") || strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("%s does not walk outbox_due in order:\n%s", name, plan)
			}
		}
	})
}
