package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/testdb"
)

// TestRunBackupsTakesTheDailyCopyOnce: the schedule wakes at the hour, takes the day's copy,
// checks it, and does not take a second one that day however often it wakes.
func TestRunBackupsTakesTheDailyCopyOnce(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name != "sqlite" {
			continue
		}
		db := testdb.Open(t, b)
		dir := filepath.Join(t.TempDir(), "backups")
		// The clock stands still just before 03:00: the schedule wakes every 300 ms.
		now := time.Date(2030, 5, 6, 2, 59, 59, 700_000_000, time.Local)
		a := app.New(app.Config{Store: db, Clock: func() time.Time { return now }, Backups: app.BackupConfig{Dir: dir}})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); a.RunBackups(ctx) }()
		time.Sleep(1200 * time.Millisecond)
		cancel()
		<-done
		v, err := a.Backups(context.Background(), app.System())
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Copies) != 1 || !v.Copies[0].Checked() || v.Copies[0].By != app.BackupBySchedule {
			t.Fatalf("copies after the hour: %+v", v.Copies)
		}
		if v.Status == nil || !v.Status.OK {
			t.Fatalf("status: %+v", v.Status)
		}
		if _, err := os.Stat(filepath.Join(dir, v.Copies[0].File+".json")); err != nil {
			t.Fatalf("no record beside the copy: %v", err)
		}
	}
}

func TestNextBackup(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2030, 5, 6, h, m, s, 0, time.UTC) }
	for _, c := range []struct {
		now  time.Time
		at   string
		want time.Time
	}{
		{at(2, 0, 0), "03:00", at(3, 0, 0)},
		{at(3, 0, 0), "03:00", at(3, 0, 0).AddDate(0, 0, 1)},
		{at(23, 59, 0), "00:15", at(0, 15, 0).AddDate(0, 0, 1)},
		{at(12, 0, 0), "nonsense", at(3, 0, 0).AddDate(0, 0, 1)},
	} {
		if got := app.NextBackup(c.now, c.at); !got.Equal(c.want) {
			t.Errorf("NextBackup(%s, %s) = %s, want %s", c.now, c.at, got, c.want)
		}
	}
	for _, bad := range []string{"3:00", "24:00", "03:60", "", "03:00:00"} {
		if _, err := app.ParseBackupAt(bad); err == nil {
			t.Errorf("ParseBackupAt(%q) accepted", bad)
		}
	}
}
