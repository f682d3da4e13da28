package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// Campaigns and their opt-outs (migrations 0013 on SQLite, 0017 on PostgreSQL).

const campaignColumns = `seq, id, subject, author_id, author_name, audience, audience_id, query, balance, recipients, skipped, created_at`

func (t *tx) CreateCampaign(ctx context.Context, c *domain.Campaign) error {
	err := t.queryRow(ctx, `INSERT INTO campaigns (id, subject, author_id, author_name, audience, audience_id, query, balance,
			recipients, skipped, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		c.ID, c.Subject, c.AuthorID, c.AuthorName, string(c.Audience), c.AudienceID, c.Query, c.Balance,
		c.Recipients, c.Skipped, t.d.ts(c.CreatedAt)).Scan(&c.Seq)
	if err != nil {
		return fmt.Errorf("create campaign: %w", err)
	}
	return nil
}

func scanCampaign(row interface{ Scan(...any) error }) (domain.Campaign, error) {
	var c domain.Campaign
	var audience string
	err := row.Scan(&c.Seq, &c.ID, &c.Subject, &c.AuthorID, &c.AuthorName, &audience, &c.AudienceID, &c.Query, &c.Balance,
		&c.Recipients, &c.Skipped, timeCol{&c.CreatedAt})
	c.Audience = domain.AudienceKind(audience)
	return c, err
}

func (t *tx) Campaign(ctx context.Context, id string) (domain.Campaign, error) {
	c, err := scanCampaign(t.queryRow(ctx, "SELECT "+campaignColumns+" FROM campaigns WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.Errorf(domain.CodeNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read campaign: %w", err)
	}
	return c, nil
}

func (t *tx) Campaigns(ctx context.Context, beforeSeq int64, limit int) ([]domain.Campaign, error) {
	q := "SELECT " + campaignColumns + " FROM campaigns"
	var args []any
	if beforeSeq > 0 {
		q += " WHERE seq < ?"
		args = append(args, beforeSeq)
	}
	rows, err := t.query(ctx, q+" ORDER BY seq DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rows.Close()
	var out []domain.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return out, nil
}

func (t *tx) RecordUnsubscribe(ctx context.Context, campaignID, customerID string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO unsubscribes (campaign_id, customer_id, at) VALUES (?, ?, ?)
		ON CONFLICT (campaign_id, customer_id) DO NOTHING`, campaignID, customerID, t.d.ts(at))
	if err != nil {
		return false, fmt.Errorf("record unsubscribe: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record unsubscribe: %w", err)
	}
	return n == 1, nil
}

func (t *tx) CampaignUnsubscribes(ctx context.Context, campaignID string) (int64, error) {
	var n int64
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM unsubscribes WHERE campaign_id = ?", campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count unsubscribes: %w", err)
	}
	return n, nil
}
