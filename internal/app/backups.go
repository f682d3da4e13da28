package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// Backups (issue 12, docs/backups.md): one use case takes a copy and checks it, for the CLI,
// serve's daily schedule and the settings page alike. A copy is checked by opening it:
// SQLite's integrity check, the schema at this binary's version, and the invoice chain as
// clientela verify walks it. Beside each copy a record (<copy>.json) keeps what the check
// found and the copy's SHA-256, which restore compares before it trusts the file.

// BackupStore is what a store offers for online copies (sqlstore.DB on SQLite).
type BackupStore interface {
	CanSnapshot() bool
	// Snapshot writes a consistent copy of the database to path (which must not exist)
	// while other connections keep writing.
	Snapshot(ctx context.Context, path string) error
	// OpenCopy opens a copy read-only and as it is (no migrations), to check it.
	OpenCopy(ctx context.Context, path string) (CopyStore, error)
}

// CopyStore is a copy opened for checking.
type CopyStore interface {
	Store
	Inspect(ctx context.Context) (CopyFacts, error)
	Close() error
}

// CopyFacts is what the store reads of a copy besides its invoice chain.
type CopyFacts struct {
	Integrity   string // "ok", or what SQLite's integrity check found
	Schema      int    // the copy's newest migration
	KnownSchema int    // this binary's newest migration
	Customers   int64
	Invoices    int64
}

// BackupCheck is what checking a copy found.
type BackupCheck struct {
	CopyFacts
	Chain ChainReport
	// Problem says, in English, why the copy cannot be trusted; empty when it passed.
	Problem string
}

// OK reports whether the copy passed every check.
func (c BackupCheck) OK() bool { return c.Problem == "" }

// BackupConfig is how serve keeps its daily copies.
type BackupConfig struct {
	Dir string // where copies go (<data dir>/backups); empty: no daily copies, no page copies
	// At is the daily hour "15:04" given at start-up (--backup-at); empty: the stored
	// setting, else DefaultBackupAt.
	At string
}

// Backup defaults and settings keys.
const (
	DefaultBackupAt   = "03:00"
	DefaultBackupKeep = 14
	MaxBackupKeep     = 365

	SettingBackupAt     = "backup.at"
	SettingBackupKeep   = "backup.keep"
	settingBackupStatus = "backup.status"
	settingBackupDaily  = "backup.daily" // the last day a process claimed the daily copy
)

// Who took a copy.
const (
	BackupBySchedule = "schedule"
	BackupByCLI      = "cli"
)

// BackupRecord describes one copy: what its record file beside it holds.
type BackupRecord struct {
	File         string    `json:"file"` // base name
	TakenAt      time.Time `json:"taken_at"`
	By           string    `json:"by"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	TookMillis   int64     `json:"took_ms"`
	Customers    int64     `json:"customers"`
	Invoices     int64     `json:"invoices"`
	ChainRecords int64     `json:"chain_records"`
	Schema       int       `json:"schema"`
	Check        string    `json:"check"` // "ok", or the problem found
}

// Checked reports whether the copy has a record saying it passed its checks.
func (r BackupRecord) Checked() bool { return r.Check == "ok" }

// BackupStatus is the outcome of the last copy taken by any process (a setting, so every
// process shows the same banner).
type BackupStatus struct {
	At      time.Time `json:"at"`
	OK      bool      `json:"ok"`
	File    string    `json:"file,omitempty"`
	Problem string    `json:"problem,omitempty"`
}

// BackupResult is what Backup did.
type BackupResult struct {
	Path   string
	Record BackupRecord
	Took   time.Duration
	Check  BackupCheck
}

// CheckCopyFile checks the copy at path: its recorded checksum when a record lies beside
// it, then the copy itself. olderSchema accepts a copy an older Clientela made (restore
// migrates it); a backup just taken must be at this binary's version.
func CheckCopyFile(ctx context.Context, open func(context.Context, string) (CopyStore, error), path string, olderSchema bool) BackupCheck {
	var chk BackupCheck
	if rec, err := ReadBackupRecord(path); err == nil && rec.SHA256 != "" {
		sum, err := fileSHA256(path)
		if err != nil {
			chk.Problem = fmt.Sprintf("cannot read the file: %v", err)
			return chk
		}
		if sum != rec.SHA256 {
			chk.Problem = fmt.Sprintf("the file is not the one recorded when it was taken (its SHA-256 differs from %s): it was changed or damaged since", filepath.Base(path)+".json")
			return chk
		}
	}
	c, err := open(ctx, path)
	if err != nil {
		chk.Problem = fmt.Sprintf("the file does not open as a database: %v", err)
		return chk
	}
	defer c.Close()
	return checkCopy(ctx, c, olderSchema)
}

func checkCopy(ctx context.Context, c CopyStore, olderSchema bool) BackupCheck {
	var chk BackupCheck
	f, err := c.Inspect(ctx)
	chk.CopyFacts = f
	switch {
	case err != nil:
		chk.Problem = fmt.Sprintf("the file is damaged or is not a Clientela database: %v", err)
		return chk
	case f.Integrity != "ok":
		chk.Problem = "SQLite's integrity check fails: " + f.Integrity
		return chk
	case f.Schema > f.KnownSchema:
		chk.Problem = fmt.Sprintf("a newer Clientela made it (schema version %d; this one knows up to %d)", f.Schema, f.KnownSchema)
		return chk
	case f.Schema < f.KnownSchema && !olderSchema:
		chk.Problem = fmt.Sprintf("its schema is at version %d, not this Clientela's %d", f.Schema, f.KnownSchema)
		return chk
	}
	rep, err := New(Config{Store: c}).VerifyChain(ctx, System())
	chk.Chain = rep
	if err != nil {
		chk.Problem = fmt.Sprintf("its invoice chain cannot be read: %v", err)
	} else if rep.Break != nil {
		chk.Problem = fmt.Sprintf("its invoice chain is broken at record %d of %d (%s)", rep.Break.Position, rep.Length, rep.Break.Reason)
	}
	return chk
}

// Backup takes a copy of the database to path (which must not exist), checks it, writes its
// record to path.json and the outcome to the backup status. A copy that fails its check is
// removed and the failure returned: a file left under a backup's name would be trusted.
func (a *App) Backup(ctx context.Context, p domain.Principal, path, by string) (BackupResult, error) {
	res := BackupResult{Path: path}
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return res, err
	}
	if a.backups == nil || !a.backups.CanSnapshot() {
		return res, &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": "backup_postgres"}}
	}
	start := a.clock()
	took := func() time.Duration { return a.clock().Sub(start) }
	res.Record = BackupRecord{File: filepath.Base(path), TakenAt: a.now(), By: by}
	err := a.takeCopy(ctx, path, &res)
	res.Took = took()
	res.Record.TookMillis = res.Took.Milliseconds()
	status := BackupStatus{At: res.Record.TakenAt, OK: err == nil, File: res.Record.File}
	if err != nil {
		status.Problem = err.Error()
		a.log.Error("backup failed", "file", res.Record.File, "by", by, "err", err)
	} else {
		a.log.Info("backup taken", "file", res.Record.File, "by", by, "bytes", res.Record.Size, "took", res.Took.String())
	}
	if serr := a.recordBackup(ctx, p, status, res.Record); serr != nil {
		err = errors.Join(err, serr)
	}
	return res, err
}

func (a *App) takeCopy(ctx context.Context, path string, res *BackupResult) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	part := path + ".part"
	_ = os.Remove(part) // a copy a crash interrupted
	if err := a.backups.Snapshot(ctx, part); err != nil {
		return err
	}
	res.Check = CheckCopyFile(ctx, a.backups.OpenCopy, part, false)
	if !res.Check.OK() {
		_ = os.Remove(part)
		return fmt.Errorf("the copy fails its check: %s", res.Check.Problem)
	}
	r := &res.Record
	r.Check, r.Customers, r.Invoices = "ok", res.Check.Customers, res.Check.Invoices
	r.ChainRecords, r.Schema = res.Check.Chain.Checked, res.Check.Schema
	sum, err := fileSHA256(part)
	if err != nil {
		_ = os.Remove(part)
		return fmt.Errorf("checksum: %w", err)
	}
	r.SHA256 = sum
	if fi, err := os.Stat(part); err == nil {
		r.Size = fi.Size()
	}
	if err := os.Rename(part, path); err != nil {
		_ = os.Remove(part)
		return fmt.Errorf("backup: %w", err)
	}
	return writeRecord(path, *r)
}

// recordBackup stores the status and audits the copy.
func (a *App) recordBackup(ctx context.Context, p domain.Principal, status BackupStatus, rec BackupRecord) error {
	js, err := json.Marshal(status)
	if err != nil {
		return fmt.Errorf("backup status: %w", err)
	}
	return a.store.Write(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, settingBackupStatus, string(js)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionBackupCreate, "backup", rec.File, nil,
			map[string]any{"ok": status.OK, "size": rec.Size, "by": rec.By})
	})
}

// BackupNow takes a copy into the backups folder and keeps the newest ones the keep
// setting allows.
func (a *App) BackupNow(ctx context.Context, p domain.Principal, by string) (BackupResult, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return BackupResult{}, err
	}
	if a.backupCfg.Dir == "" {
		return BackupResult{}, &domain.Error{Code: domain.CodeConflict, Details: map[string]any{"reason": "backup_no_folder"}}
	}
	name := "clientela-" + a.now().Format("20060102-150405.000000") + ".db"
	if err := os.MkdirAll(a.backupCfg.Dir, 0o700); err != nil {
		err = fmt.Errorf("backups folder: %w", err)
		a.log.Error("backup failed", "file", name, "by", by, "err", err)
		status := BackupStatus{At: a.now(), File: name, Problem: err.Error()}
		return BackupResult{}, errors.Join(err, a.recordBackup(ctx, p, status, BackupRecord{File: name, By: by}))
	}
	res, err := a.Backup(ctx, p, filepath.Join(a.backupCfg.Dir, name), by)
	if err != nil {
		return res, err
	}
	keep, err := a.backupKeep(ctx)
	if err != nil {
		return res, err
	}
	return res, a.pruneBackups(keep)
}

// pruneBackups removes all but the newest keep copies (and their records).
func (a *App) pruneBackups(keep int) error {
	names, err := backupNames(a.backupCfg.Dir)
	if err != nil {
		return err
	}
	var errs []error
	for i := keep; i < len(names); i++ { // names: newest first
		p := filepath.Join(a.backupCfg.Dir, names[i])
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		if err := os.Remove(p + ".json"); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// backupNames lists the copies in dir, newest first (the names sort by time).
func backupNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backups folder: %w", err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); validBackupName(n) && e.Type().IsRegular() {
			names = append(names, n)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	return names, nil
}

func validBackupName(n string) bool {
	return strings.HasPrefix(n, "clientela-") && strings.HasSuffix(n, ".db") && filepath.Base(n) == n &&
		!strings.ContainsAny(n, `/\`) && len(n) < 100
}

// ReadBackupRecord reads the record beside the copy at path.
func ReadBackupRecord(path string) (BackupRecord, error) {
	var r BackupRecord
	b, err := os.ReadFile(path + ".json")
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: %w", filepath.Base(path)+".json", err)
	}
	return r, nil
}

func writeRecord(path string, r BackupRecord) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("backup record: %w", err)
	}
	if err := os.WriteFile(path+".json", append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("backup record: %w", err)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
