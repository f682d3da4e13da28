package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// BackupsView is what the backups page shows.
type BackupsView struct {
	Enabled    bool   // the store takes online copies (SQLite)
	Dir        string // the backups folder ("" when this process keeps none)
	At         string // the daily hour in force
	AtFromFlag bool   // given at start-up (--backup-at): it wins over the setting
	Keep       int
	Status     *BackupStatus  // the last copy's outcome; nil before the first
	Copies     []BackupRecord // newest first
}

// Backups lists the copies in the backups folder and the settings in force (admin).
func (a *App) Backups(ctx context.Context, p domain.Principal) (BackupsView, error) {
	var v BackupsView
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return v, err
	}
	v.Enabled = a.backups != nil && a.backups.CanSnapshot()
	v.Dir, v.AtFromFlag = a.backupCfg.Dir, a.backupCfg.At != ""
	var err error
	if v.At, err = a.backupAt(ctx); err != nil {
		return v, err
	}
	if v.Keep, err = a.backupKeep(ctx); err != nil {
		return v, err
	}
	if v.Status, err = a.backupStatus(ctx); err != nil {
		return v, err
	}
	if v.Dir == "" {
		return v, nil
	}
	names, err := backupNames(v.Dir)
	if err != nil {
		return v, err
	}
	for _, n := range names {
		path := filepath.Join(v.Dir, n)
		r, err := ReadBackupRecord(path)
		if err != nil { // a copy without its record: what the file itself says
			r = BackupRecord{File: n}
			if fi, err := os.Stat(path); err == nil {
				r.Size, r.TakenAt = fi.Size(), fi.ModTime()
			}
		}
		r.File = n
		v.Copies = append(v.Copies, r)
	}
	return v, nil
}

// OpenBackup opens a copy of the backups folder for download and audits it (admin). name
// is a copy's file name as Backups lists it; anything else is not found.
func (a *App) OpenBackup(ctx context.Context, p domain.Principal, name string) (*os.File, BackupRecord, error) {
	var rec BackupRecord
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return nil, rec, err
	}
	if a.backupCfg.Dir == "" || !validBackupName(name) {
		return nil, rec, domain.Errorf(domain.CodeNotFound)
	}
	path := filepath.Join(a.backupCfg.Dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, rec, domain.Errorf(domain.CodeNotFound)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, rec, domain.Errorf(domain.CodeNotFound)
	}
	rec, _ = ReadBackupRecord(path)
	rec.File, rec.Size = name, fi.Size()
	if err := a.store.Write(ctx, func(tx Tx) error {
		return a.audit(ctx, tx, p, domain.ActionBackupDownload, "backup", name, nil, map[string]any{"size": fi.Size()})
	}); err != nil {
		f.Close()
		return nil, rec, err
	}
	return f, rec, nil
}

// BackupAlert is the last copy's failure, for the banner admins see on every page until a
// copy succeeds; nil when the last copy succeeded, or for users who cannot act on it.
func (a *App) BackupAlert(ctx context.Context, p domain.Principal) (*BackupStatus, error) {
	if !p.Role.Can(domain.PermSettingsManage) {
		return nil, nil
	}
	st, err := a.backupStatus(ctx)
	if err != nil || st == nil || st.OK {
		return nil, err
	}
	return st, nil
}

func (a *App) backupStatus(ctx context.Context) (*BackupStatus, error) {
	var raw string
	var ok bool
	if err := a.store.ReadOne(ctx, func(tx Tx) (err error) {
		raw, ok, err = tx.Setting(ctx, settingBackupStatus)
		return err
	}); err != nil || !ok {
		return nil, err
	}
	var st BackupStatus
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return nil, fmt.Errorf("backup status: %w", err)
	}
	return &st, nil
}

// SetBackupSettings stores the daily hour and how many copies to keep (admin).
func (a *App) SetBackupSettings(ctx context.Context, p domain.Principal, at string, keep int) error {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return err
	}
	var problems domain.Problems
	if _, err := ParseBackupAt(at); err != nil {
		problems.Add("at", domain.FieldInvalid, nil)
	}
	if keep < 1 || keep > MaxBackupKeep {
		problems.Add("keep", domain.FieldOutOfRange, map[string]any{"min": 1, "max": MaxBackupKeep})
	}
	if err := problems.Err(); err != nil {
		return err
	}
	if err := a.store.Write(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, SettingBackupAt, at); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, SettingBackupKeep, strconv.Itoa(keep)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionSettingsUpdate, "settings", "backup", []string{SettingBackupAt, SettingBackupKeep}, nil)
	}); err != nil {
		return err
	}
	select { // the schedule recomputes its next copy
	case a.backupWake <- struct{}{}:
	default:
	}
	return nil
}

// ParseBackupAt reads a daily hour "HH:MM" (24 h) into minutes after midnight.
func ParseBackupAt(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("want a time of day as HH:MM, like 03:00")
	}
	return t.Hour()*60 + t.Minute(), nil
}

func (a *App) backupAt(ctx context.Context) (string, error) {
	if a.backupCfg.At != "" {
		return a.backupCfg.At, nil
	}
	v, ok, err := a.readSetting(ctx, SettingBackupAt)
	if err != nil || !ok {
		return DefaultBackupAt, err
	}
	if _, err := ParseBackupAt(v); err != nil {
		return DefaultBackupAt, nil
	}
	return v, nil
}

func (a *App) backupKeep(ctx context.Context) (int, error) {
	v, ok, err := a.readSetting(ctx, SettingBackupKeep)
	if err != nil || !ok {
		return DefaultBackupKeep, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return DefaultBackupKeep, nil
	}
	return n, nil
}

func (a *App) readSetting(ctx context.Context, key string) (v string, ok bool, err error) {
	err = a.store.ReadOne(ctx, func(tx Tx) error {
		v, ok, err = tx.Setting(ctx, key)
		return err
	})
	return v, ok, err
}

// RunBackups takes the daily copy at the hour in force until ctx ends (serve runs it). Of
// several processes on one database only one takes a day's copy: each claims the day in the
// settings table with a conditional upsert (ClaimSetting), and only the one whose claim
// changed the row goes on. A failure is logged at error level and kept in the backup status
// that admins see on every page until a copy succeeds.
func (a *App) RunBackups(ctx context.Context) {
	if a.backups == nil || !a.backups.CanSnapshot() || a.backupCfg.Dir == "" {
		a.log.Info("daily backups off: the database is PostgreSQL (use pg_dump) or there is no backups folder")
		return
	}
	for {
		at, err := a.backupAt(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Error("daily backup: read settings", "err", err)
		}
		next := NextBackup(a.clock(), at)
		a.log.Info("next daily backup", "at", next.Format(time.RFC3339))
		timer := time.NewTimer(next.Sub(a.clock()))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-a.backupWake:
			timer.Stop()
			continue
		case <-timer.C:
		}
		if _, err := a.DailyBackup(ctx, next); err != nil && ctx.Err() == nil {
			a.log.Error("daily backup failed", "err", err)
		}
	}
}

// DailyBackup takes day's copy unless another process claimed it first; taken says whether
// this one did.
func (a *App) DailyBackup(ctx context.Context, day time.Time) (taken bool, err error) {
	if err := a.store.Write(ctx, func(tx Tx) (err error) {
		taken, err = tx.ClaimSetting(ctx, settingBackupDaily, day.Format("2006-01-02"))
		return err
	}); err != nil || !taken {
		return false, err
	}
	_, err = a.BackupNow(ctx, System(), BackupBySchedule)
	return true, err
}

// NextBackup is the first moment after now at the daily hour at ("HH:MM", local time).
func NextBackup(now time.Time, at string) time.Time {
	mins, err := ParseBackupAt(at)
	if err != nil {
		mins, _ = ParseBackupAt(DefaultBackupAt)
	}
	y, m, d := now.Date()
	next := time.Date(y, m, d, mins/60, mins%60, 0, 0, now.Location())
	if !next.After(now) {
		next = time.Date(y, m, d+1, mins/60, mins%60, 0, 0, now.Location())
	}
	return next
}
