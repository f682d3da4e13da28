package app

import (
	"context"
	"slices"

	"github.com/clientela/clientela/internal/domain"
)

// Shop returns the shop's details (admin): what receipts and invoices print, the invoice
// prefix, the VAT rates offered at the till, and the country (the default_country setting).
func (a *App) Shop(ctx context.Context, p domain.Principal) (domain.Shop, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return domain.Shop{}, err
	}
	var s domain.Shop
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		s, err = a.shop(ctx, tx)
		return err
	})
	return s, err
}

// VATRates are the VAT rates the till offers, highest first (anyone who uses the till).
func (a *App) VATRates(ctx context.Context, p domain.Principal) ([]int64, error) {
	if err := authorize(p, domain.PermTillUse); err != nil {
		return nil, err
	}
	var s domain.Shop
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		s, err = tx.Shop(ctx)
		return err
	})
	return s.VATRates, err
}

// shop reads the shop's details with its country.
func (a *App) shop(ctx context.Context, tx Tx) (domain.Shop, error) {
	s, err := tx.Shop(ctx)
	if err != nil {
		return s, err
	}
	s.Address.Country, err = a.defaultCountry(ctx, tx)
	return s, err
}

// UpdateShop changes the shop's details (admin, audited) when its current version meets
// match. A new country is the shop's country for every check from then on, as SetShopCountry
// makes it. The tax id is checked for the shop's country as a customer's is.
func (a *App) UpdateShop(ctx context.Context, p domain.Principal, match domain.Precondition, ch domain.ShopChanges) (domain.Shop, error) {
	var s domain.Shop
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return s, err
	}
	err := a.writeMatching(ctx, a.store.Write, func(tx Tx) error {
		var err error
		s, err = a.shop(ctx, tx)
		if err != nil {
			return err
		}
		if !match.Holds(s.Version) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		before := s
		before.VATRates = slices.Clone(s.VATRates)
		ch.Apply(&s)
		if err := s.Prepare(); err != nil {
			return err
		}
		changed := domain.ShopChangedFields(&before, &s)
		if len(changed) == 0 {
			s = before
			return nil
		}
		if s.Address.Country != before.Address.Country {
			if err := tx.PutSetting(ctx, SettingDefaultCountry, s.Address.Country); err != nil {
				return err
			}
		}
		s.Version, s.UpdatedAt = before.Version+1, a.now()
		if err := tx.UpdateShop(ctx, &s, before.Version); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionShopUpdate, "settings", "shop", changed, nil)
	})
	return s, err
}

// UpdateShop in writeMatching: a stale version means another update committed in between.
func (t racedTx) UpdateShop(ctx context.Context, s *domain.Shop, expectedVersion int64) error {
	return raced(t.Tx.UpdateShop(ctx, s, expectedVersion))
}
