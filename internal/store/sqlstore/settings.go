package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (t *tx) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := t.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, true, nil
}

func (t *tx) PutSetting(ctx context.Context, key, value string) error {
	_, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// PutSettingIfAbsent stores value unless key has one, and returns the value key holds. Two
// processes racing store one value and both get it: on PostgreSQL the second INSERT waits for
// the first to commit and then does nothing, and the SELECT, a new statement, sees the row.
func (t *tx) PutSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	if _, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
		return "", fmt.Errorf("add setting %s: %w", key, err)
	}
	v, ok, err := t.Setting(ctx, key)
	if err == nil && !ok {
		err = fmt.Errorf("setting %s vanished after it was added", key)
	}
	return v, err
}

// ClaimSetting stores value when key has none or a smaller one, in one conditional upsert:
// the database's row lock (PostgreSQL) or write lock (SQLite) lets one claimant through, and
// the others find the value already there.
func (t *tx) ClaimSetting(ctx context.Context, key, value string) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value < excluded.value`, key, value)
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	return n == 1, nil
}
