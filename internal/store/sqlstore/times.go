package sqlstore

import (
	"fmt"
	"time"
)

// Timestamps are microseconds since the epoch in an INTEGER on SQLite (8 bytes, where text
// would take 30), and timestamptz on PostgreSQL. Both keep microseconds, which the use cases
// round to.

// nullTS is ts for an optional time.
func (d *dialect) nullTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return d.ts(*t)
}

// timeCol scans a timestamp column of either backend into a UTC time.
type timeCol struct{ dst *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		*c.dst = time.UnixMicro(x).UTC()
	case time.Time:
		*c.dst = x.UTC()
	default:
		return fmt.Errorf("timestamp column holds %T", v)
	}
	return nil
}

// nullTimeCol scans an optional timestamp column.
type nullTimeCol struct{ dst **time.Time }

func (c nullTimeCol) Scan(v any) error {
	if v == nil {
		*c.dst = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(v); err != nil {
		return err
	}
	*c.dst = &t
	return nil
}
