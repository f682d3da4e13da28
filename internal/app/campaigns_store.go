package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// CampaignStore is what a transaction does to the campaigns and their opt-outs
// (sqlstore/campaigns.go).
type CampaignStore interface {
	// CreateCampaign stores a campaign; it sets c.Seq.
	CreateCampaign(ctx context.Context, c *domain.Campaign) error
	Campaign(ctx context.Context, id string) (domain.Campaign, error)
	// Campaigns lists campaigns newest first, before the one with seq beforeSeq (0: from the
	// newest).
	Campaigns(ctx context.Context, beforeSeq int64, limit int) ([]domain.Campaign, error)
	// RecordUnsubscribe records that a customer followed a campaign's unsubscribe link at at,
	// and reports whether this is the first time.
	RecordUnsubscribe(ctx context.Context, campaignID, customerID string, at time.Time) (bool, error)
	// CampaignUnsubscribes counts the customers who unsubscribed through a campaign's link.
	CampaignUnsubscribes(ctx context.Context, campaignID string) (int64, error)
}
