package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/domain"
)

// Unsubscribe links. A token is the campaign's and the customer's ids (16 bytes each) and the
// first 16 bytes of an HMAC-SHA256 of both under a key made at random once and kept in the
// settings (unsubscribe_key): nobody without the key can make one, no table of tokens is
// needed, and a token works for as long as its campaign and customer exist.

// unsubscribeKey returns the key of the tokens; create makes it if there is none yet (the
// same in every process, whichever stores it first).
func (a *App) unsubscribeKey(ctx context.Context, tx Tx, create bool) ([]byte, error) {
	v, ok, err := tx.Setting(ctx, settingUnsubKey)
	if err != nil {
		return nil, err
	}
	if !ok {
		if !create {
			return nil, nil
		}
		b := make32()
		if v, err = tx.PutSettingIfAbsent(ctx, settingUnsubKey, hex.EncodeToString(b)); err != nil {
			return nil, err
		}
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("setting %s is not a key", settingUnsubKey)
	}
	return key, nil
}

func make32() []byte {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return b
}

func unsubscribeMAC(key, ids []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("clientela unsubscribe\x00"))
	m.Write(ids)
	return m.Sum(nil)[:16]
}

// unsubscribeToken is the token of the link a customer of a campaign gets.
func unsubscribeToken(key []byte, campaignID, customerID string) string {
	c, cu := uuid.MustParse(campaignID), uuid.MustParse(customerID)
	ids := append(c[:], cu[:]...)
	return base64.RawURLEncoding.EncodeToString(append(ids, unsubscribeMAC(key, ids)...))
}

// parseUnsubscribeToken returns the campaign and customer a token names, if key made it.
func parseUnsubscribeToken(key []byte, token string) (campaignID, customerID string, ok bool) {
	if key == nil || len(token) != 64 {
		return "", "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 48 || !hmac.Equal(b[32:], unsubscribeMAC(key, b[:32])) {
		return "", "", false
	}
	c, _ := uuid.FromBytes(b[:16])
	cu, _ := uuid.FromBytes(b[16:32])
	return c.String(), cu.String(), true
}

// UnsubscribeStatus is what the unsubscribe page says of a valid link (nothing personal: the
// link may have been forwarded).
type UnsubscribeStatus struct {
	Shop string // the shop's name, "" when not set up
	Done bool   // the customer no longer receives campaigns
}

// CheckUnsubscribe reads the link of token without changing anything (public: no login). An
// unknown or forged token, or one whose customer is gone, is CodeNotFound.
func (a *App) CheckUnsubscribe(ctx context.Context, token string) (UnsubscribeStatus, error) {
	var s UnsubscribeStatus
	err := a.store.Read(ctx, func(tx Tx) error {
		c, _, err := a.unsubscribeTarget(ctx, tx, token)
		if err != nil {
			return err
		}
		s.Done = !c.MarketingConsent
		if shop, err := tx.Shop(ctx); err == nil {
			s.Shop = shop.Name
		}
		return nil
	})
	return s, err
}

func (a *App) unsubscribeTarget(ctx context.Context, tx Tx, token string) (domain.Customer, string, error) {
	key, err := a.unsubscribeKey(ctx, tx, false)
	if err != nil {
		return domain.Customer{}, "", err
	}
	campaignID, customerID, ok := parseUnsubscribeToken(key, token)
	if !ok {
		return domain.Customer{}, "", domain.Errorf(domain.CodeNotFound)
	}
	if _, err := tx.Campaign(ctx, campaignID); err != nil {
		return domain.Customer{}, "", err
	}
	c, err := tx.Customer(ctx, customerID)
	return c, campaignID, err
}

// Unsubscribe records the opt-out of the customer a link names (public: the customer's own
// action, from the page or from their mail program's one-click POST, RFC 8058): marketing
// consent off, dated now, audited with the customer as the actor; the campaign counts it.
// Following the link again changes nothing. An unknown token is CodeNotFound.
func (a *App) Unsubscribe(ctx context.Context, token string) error {
	return a.writeMatching(ctx, a.writeCustomers, func(tx Tx) error {
		c, campaignID, err := a.unsubscribeTarget(ctx, tx, token)
		if err != nil {
			return err
		}
		now := a.now()
		if _, err := tx.RecordUnsubscribe(ctx, campaignID, c.ID, now); err != nil {
			return err
		}
		if !c.MarketingConsent {
			return nil
		}
		before := c.Version
		c.MarketingConsent, c.MarketingConsentAt = false, &now
		c.Version, c.UpdatedAt = before+1, now
		if err := tx.UpdateCustomer(ctx, &c, before); err != nil {
			return err
		}
		self := domain.Principal{UserID: "customer:" + c.ID, Username: "customer"}
		return a.audit(ctx, tx, self, domain.ActionCustomerUnsubscribe, "customer", c.ID, []string{"marketing_consent"},
			map[string]any{"campaign_id": campaignID})
	})
}

// CampaignView is a campaign with where its messages are.
type CampaignView struct {
	domain.Campaign
	Counts       map[domain.OutboxStatus]int64 // queued, sent, failed, dropped
	Unsubscribed int64                         // customers who followed its unsubscribe link
	GroupName    string                        // the audience's group, "" when none or deleted
}

// Campaign returns a campaign with its counts (managers).
func (a *App) Campaign(ctx context.Context, p domain.Principal, id string) (CampaignView, error) {
	var v CampaignView
	if err := authorize(p, domain.PermMessagesSend); err != nil {
		return v, err
	}
	if !ValidID(id) {
		return v, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		if v.Campaign, err = tx.Campaign(ctx, id); err != nil {
			return err
		}
		if v.Counts, err = tx.OutboxCounts(ctx, id); err != nil {
			return err
		}
		if v.Audience != domain.AudienceCustomer && v.AudienceID != "" {
			if g, err := tx.Group(ctx, v.AudienceID); err == nil {
				v.GroupName = g.Name
			}
		}
		v.Unsubscribed, err = tx.CampaignUnsubscribes(ctx, id)
		return err
	})
	return v, err
}

// Campaigns lists campaigns newest first, before the one with seq beforeSeq (0: from the
// newest), at most limit (managers).
func (a *App) Campaigns(ctx context.Context, p domain.Principal, beforeSeq int64, limit int) ([]domain.Campaign, error) {
	if err := authorize(p, domain.PermMessagesSend); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPageSize {
		limit = DefaultPageSize
	}
	var out []domain.Campaign
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.Campaigns(ctx, beforeSeq, limit)
		return err
	})
	return out, err
}
