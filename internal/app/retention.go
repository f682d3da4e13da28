package app

import (
	"context"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// Retention settings: how many whole years after the year of issue invoices and ledger
// entries keep the customer's personal data (docs/privacy.md).
const (
	SettingRetentionYears = "retention_years"
	// settingRetentionDaily is the last day a daily run was claimed (ClaimSetting).
	settingRetentionDaily = "retention_daily"
	// settingRetentionLast is when the last run that changed anything ended (RFC 3339).
	settingRetentionLast  = "retention_last_run"
	DefaultRetentionYears = 6
	// MinRetentionYears and MaxRetentionYears bound the setting: Spain keeps tax records 4
	// years and books 6, France accounting documents 10.
	MinRetentionYears = 4
	MaxRetentionYears = 30
	// RetentionHour is the local hour of serve's daily run (after the 03:00 backup).
	RetentionHour = 4
	// retentionBatch rows of each table are anonymised per transaction.
	retentionBatch = 1000
)

// RetentionReport is what a retention run found or did.
type RetentionReport struct {
	Years  int       `json:"years"`
	Before time.Time `json:"before"` // invoices issued and entries created before this lose their personal data
	DryRun bool      `json:"dry_run"`
	// Invoices and LedgerEntries: what still holds personal data past the period (a dry
	// run), or what was anonymised.
	Invoices      int64      `json:"invoices"`
	LedgerEntries int64      `json:"ledger_entries"`
	LastRun       *time.Time `json:"last_run,omitempty"`
}

// RetentionCutoff is the first moment still kept at now with years of retention: 1 January
// (Madrid time) of the year years before this one. An invoice of 2019 is kept, with 6 years,
// until the end of 2025 (6 years after the year it was issued), and anonymised from 2026.
func RetentionCutoff(now time.Time, years int) time.Time {
	loc := verifactu.Madrid()
	return time.Date(now.In(loc).Year()-years, time.January, 1, 0, 0, 0, 0, loc)
}

// RetentionYears returns the retention period in force (admin).
func (a *App) RetentionYears(ctx context.Context, p domain.Principal) (int, error) {
	if err := authorize(p, domain.PermPrivacy); err != nil {
		return 0, err
	}
	return a.retentionYears(ctx)
}

func (a *App) retentionYears(ctx context.Context) (int, error) {
	v, ok, err := a.readSetting(ctx, SettingRetentionYears)
	if err != nil || !ok {
		return DefaultRetentionYears, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < MinRetentionYears || n > MaxRetentionYears {
		return DefaultRetentionYears, nil
	}
	return n, nil
}

// SetRetentionYears stores the retention period (admin; audited) when the period in force
// meets match (the API's ETag of the setting is the period itself); otherwise it fails with
// CodePreconditionFailed. Out of bounds is a field error on "retention_years".
func (a *App) SetRetentionYears(ctx context.Context, p domain.Principal, match domain.Precondition, years int) error {
	if err := authorize(p, domain.PermPrivacy); err != nil {
		return err
	}
	if years < MinRetentionYears || years > MaxRetentionYears {
		return fieldError("retention_years", domain.FieldOutOfRange, map[string]any{"min": MinRetentionYears, "max": MaxRetentionYears})
	}
	return a.store.Write(ctx, func(tx Tx) error {
		old, ok, err := tx.Setting(ctx, SettingRetentionYears)
		if err != nil {
			return err
		}
		current, perr := strconv.Atoi(old)
		if !ok || perr != nil || current < MinRetentionYears || current > MaxRetentionYears {
			current = DefaultRetentionYears
		}
		if !match.Holds(int64(current)) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		if current == years {
			return nil
		}
		if err := tx.PutSetting(ctx, SettingRetentionYears, strconv.Itoa(years)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionRetentionSet, "settings", SettingRetentionYears, []string{SettingRetentionYears},
			map[string]any{"years": years})
	})
}

// RunRetention anonymises the invoice snapshots and ledger entries past the retention
// period (admin), a batch at a time; dryRun only counts them. A run that changed anything
// is audited with its counts.
func (a *App) RunRetention(ctx context.Context, p domain.Principal, dryRun bool) (RetentionReport, error) {
	var rep RetentionReport
	if err := authorize(p, domain.PermPrivacy); err != nil {
		return rep, err
	}
	years, err := a.retentionYears(ctx)
	if err != nil {
		return rep, err
	}
	rep = RetentionReport{Years: years, Before: RetentionCutoff(a.now(), years), DryRun: dryRun}
	if last, ok, err := a.readSetting(ctx, settingRetentionLast); err != nil {
		return rep, err
	} else if t, perr := time.Parse(time.RFC3339Nano, last); ok && perr == nil {
		rep.LastRun = &t
	}
	if dryRun {
		err := a.store.Read(ctx, func(tx Tx) (err error) {
			rep.Invoices, rep.LedgerEntries, err = tx.ExpiredCounts(ctx, rep.Before)
			return err
		})
		return rep, err
	}
	for {
		var inv, led int64
		if err := a.store.Write(ctx, func(tx Tx) (err error) {
			inv, led, err = tx.AnonymiseExpired(ctx, rep.Before, retentionBatch)
			return err
		}); err != nil {
			return rep, err
		}
		rep.Invoices, rep.LedgerEntries = rep.Invoices+inv, rep.LedgerEntries+led
		if inv < retentionBatch && led < retentionBatch {
			break
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
	if rep.Invoices == 0 && rep.LedgerEntries == 0 {
		return rep, nil
	}
	now := a.now()
	err = a.store.Write(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, settingRetentionLast, now.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionRetentionRun, "settings", SettingRetentionYears, nil, map[string]any{
			"years": years, "before": rep.Before.Format(time.DateOnly), "invoices": rep.Invoices, "ledger_entries": rep.LedgerEntries})
	})
	rep.LastRun = &now
	return rep, err
}

// DailyRetention runs day's retention unless another process claimed the day first (the
// settings row, as DailyBackup); ran says whether this one did.
func (a *App) DailyRetention(ctx context.Context, day time.Time) (ran bool, rep RetentionReport, err error) {
	if err := a.store.Write(ctx, func(tx Tx) (err error) {
		ran, err = tx.ClaimSetting(ctx, settingRetentionDaily, day.Format(time.DateOnly))
		return err
	}); err != nil || !ran {
		return false, rep, err
	}
	rep, err = a.RunRetention(ctx, System(), false)
	return true, rep, err
}

// RunRetentionSchedule runs the retention once a day at RetentionHour, local time, until ctx
// ends (serve runs it). Of several processes on one database only one runs a day's.
func (a *App) RunRetentionSchedule(ctx context.Context) {
	for {
		next := NextBackup(a.clock(), strconv.Itoa(100 + RetentionHour)[1:]+":00")
		timer := time.NewTimer(next.Sub(a.clock()))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		ran, rep, err := a.DailyRetention(ctx, next)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("daily retention failed", "err", err)
		case ran:
			a.log.Info("daily retention", "invoices", rep.Invoices, "ledger_entries", rep.LedgerEntries, "before", rep.Before.Format(time.DateOnly))
		}
	}
}
