package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// RunMailWorker sends the outbox's messages until ctx ends (serve runs one per process). It
// claims due messages a batch at a time, sends each, and records every attempt; it wakes on
// NudgeMail and otherwise every PollInterval, which is how it learns of messages other
// processes queued. When ctx ends it finishes the message in hand, hands the rest of its
// batch back, and returns.
func (a *App) RunMailWorker(ctx context.Context) {
	a.log.Info("mail worker started", "poll", a.mailCfg.PollInterval.String(), "rate", a.mailCfg.Rate)
	for {
		n, err := a.DeliverMail(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("mail worker", "err", err)
		}
		if ctx.Err() != nil {
			a.log.Info("mail worker stopped")
			return
		}
		if n >= a.mailCfg.Batch && err == nil {
			continue // there may be more due
		}
		select {
		case <-ctx.Done():
			a.log.Info("mail worker stopped")
			return
		case <-a.mailWake:
		case <-time.After(a.mailCfg.PollInterval):
		}
	}
}

// DeliverMail claims one batch of due messages and tries each once; it returns how many
// it claimed. Messages left when ctx ends are handed back untried.
func (a *App) DeliverMail(ctx context.Context) (int, error) {
	now := a.now()
	var due bool
	if err := a.store.ReadOne(ctx, func(tx Tx) (err error) {
		due, err = tx.MailDue(ctx, now)
		return err
	}); err != nil || !due {
		return 0, err
	}
	var settings MailSettings
	if err := a.store.Read(ctx, func(tx Tx) (err error) {
		settings, err = readMailSettings(ctx, tx)
		return err
	}); err != nil {
		return 0, err
	}
	tr := a.transport(settings)
	if tr == nil {
		return 0, nil // nowhere to send: the messages wait
	}
	claim, err := newID()
	if err != nil {
		return 0, err
	}
	var batch []ClaimedMail
	if err := a.store.Write(ctx, func(tx Tx) (err error) {
		batch, err = tx.ClaimMail(ctx, now, now.Add(a.mailCfg.ClaimTimeout), claim, a.mailCfg.Batch)
		return err
	}); err != nil {
		return 0, err
	}
	for i, m := range batch {
		if err := a.pace(ctx); err != nil {
			return len(batch), a.release(batch[i:], claim)
		}
		if m.Raw == nil {
			raw, err := a.renderDeferred(ctx, &m, claim)
			if err != nil {
				// Recorded as a failed try (retried with back-off): an invoice that cannot be
				// read now may be readable later; the error is in the log, not the outbox.
				a.log.ErrorContext(ctx, "rendering a queued message failed", "outbox_id", m.ID, "error", err)
				if res := a.recordFailure(ctx, claim, m, "render: "+string(domain.ErrorCode(err))); res.storeErr != nil {
					return len(batch), res.storeErr
				}
				continue
			}
			m.Raw = raw
		}
		if res := a.sendOne(ctx, tr, claim, m); res.storeErr != nil {
			return len(batch), res.storeErr
		}
	}
	return len(batch), nil
}

// release hands claimed messages back (the worker is stopping).
func (a *App) release(batch []ClaimedMail, claim string) error {
	ids := make([]string, len(batch))
	for i, m := range batch {
		ids[i] = m.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return a.store.Write(ctx, func(tx Tx) error { return tx.ReleaseMail(ctx, ids, claim, a.now()) })
}

// sendResult is how one attempt went.
type sendResult struct {
	Status   domain.OutboxStatus
	Response string
	Err      error // the delivery's error, nil when sent
	storeErr error // recording the outcome failed
}

// sendOne sends a claimed message and records the attempt. The send is not cut short when
// ctx ends (the transport's own timeout bounds it): a message the server accepted is
// recorded as sent.
func (a *App) sendOne(ctx context.Context, tr mail.Transport, claim string, m ClaimedMail) sendResult {
	sendCtx := context.WithoutCancel(ctx)
	response, err := tr.Send(sendCtx, m.Sender, []string{m.Recipient}, m.Raw)
	return a.finish(ctx, claim, m, response, err)
}

// recordFailure records a try that failed before the message reached a server (it could not
// be rendered): retried with back-off as a temporary failure.
func (a *App) recordFailure(ctx context.Context, claim string, m ClaimedMail, response string) sendResult {
	return a.finish(ctx, claim, m, "", errors.New(response))
}

// finish records how a try ended: sent (err nil), failed for good (a permanent refusal, or
// the last try), or queued again after the back-off.
func (a *App) finish(ctx context.Context, claim string, m ClaimedMail, response string, err error) sendResult {
	sendCtx := context.WithoutCancel(ctx)
	at := a.now()
	o := MailOutcome{ID: m.ID, Claim: claim, Attempt: m.Attempts, At: at, Status: domain.OutboxSent, Response: response}
	if err != nil {
		o.Response = mail.Response(err)
		switch {
		case mail.IsPermanent(err), m.Attempts >= a.mailCfg.MaxAttempts:
			o.Status = domain.OutboxFailed
		default:
			o.Status, o.NextAttemptAt = domain.OutboxQueued, at.Add(a.backoff(m.Attempts))
		}
	}
	if len(o.Response) > 1000 {
		o.Response = o.Response[:1000]
	}
	var held bool
	storeErr := a.store.Write(sendCtx, func(tx Tx) (err error) {
		held, err = tx.FinishMail(sendCtx, o)
		return err
	})
	// No address in the logs: the outbox id says which message.
	level := slog.LevelDebug
	if o.Status != domain.OutboxSent || !held {
		level = slog.LevelInfo
	}
	a.log.Log(ctx, level, "mail attempt", "outbox_id", m.ID, "attempt", m.Attempts, "status", string(o.Status), "claim_held", held)
	return sendResult{Status: o.Status, Response: o.Response, Err: err, storeErr: storeErr}
}

// backoff is the wait after the attempt-th failure: FirstRetry doubled each time, at most
// MaxRetry.
func (a *App) backoff(attempt int) time.Duration {
	d := a.mailCfg.FirstRetry
	for i := 1; i < attempt && d < a.mailCfg.MaxRetry; i++ {
		d *= 2
	}
	if d > a.mailCfg.MaxRetry {
		d = a.mailCfg.MaxRetry
	}
	return d
}

// pace waits until this process may send the next message under MailConfig.Rate.
func (a *App) pace(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a.mailCfg.Rate <= 0 {
		return nil
	}
	interval := time.Duration(float64(time.Second) / a.mailCfg.Rate)
	a.paceMu.Lock()
	now := time.Now()
	at := a.nextSend
	if at.Before(now) {
		at = now
	}
	a.nextSend = at.Add(interval)
	a.paceMu.Unlock()
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
