package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// Settings keys of the account plan: the plan as JSON, and the row an update holds so that
// two updates take turns (PostgreSQL: the second upsert waits for the first to commit).
const (
	SettingAccountPlan     = "account_plan"
	settingAccountPlanLock = "account_plan.lock"
)

// planJSON is the stored form of domain.AccountPlan.
type planJSON struct {
	Length          int                  `json:"length"`
	DefaultCustomer domain.PlanAccount   `json:"default_customer"`
	Sales           []domain.RateAccount `json:"sales"`
	GeneralSales    domain.PlanAccount   `json:"general_sales"`
	OutputVAT       []domain.RateAccount `json:"output_vat"`
	GeneralVAT      domain.PlanAccount   `json:"general_output_vat"`
	Cash            domain.PlanAccount   `json:"cash"`
	Card            domain.PlanAccount   `json:"card"`
	Bank            domain.PlanAccount   `json:"bank"`
	CustomerCredit  domain.PlanAccount   `json:"customer_credit"`
	Adjustments     domain.PlanAccount   `json:"adjustments"`
	UpdatedAt       time.Time            `json:"updated_at"`
	Version         int64                `json:"version"`
}

// AccountPlan returns the account plan (admin): the one saved, or the defaults for the VAT
// rates the shop offers; either way every offered rate has its accounts.
func (a *App) AccountPlan(ctx context.Context, p domain.Principal) (domain.AccountPlan, error) {
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return domain.AccountPlan{}, err
	}
	var plan domain.AccountPlan
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		plan, err = a.accountPlan(ctx, tx)
		return err
	})
	return plan, err
}

func (a *App) accountPlan(ctx context.Context, tx Tx) (domain.AccountPlan, error) {
	shop, err := tx.Shop(ctx)
	if err != nil {
		return domain.AccountPlan{}, err
	}
	v, ok, err := tx.Setting(ctx, SettingAccountPlan)
	if err != nil || !ok {
		return domain.DefaultAccountPlan(shop.VATRates), err
	}
	var j planJSON
	if err := json.Unmarshal([]byte(v), &j); err != nil {
		return domain.AccountPlan{}, fmt.Errorf("read the account plan: %w", err)
	}
	plan := domain.AccountPlan{Length: j.Length, DefaultCustomer: j.DefaultCustomer, Sales: j.Sales, GeneralSales: j.GeneralSales,
		OutputVAT: j.OutputVAT, GeneralVAT: j.GeneralVAT, Cash: j.Cash, Card: j.Card, Bank: j.Bank,
		CustomerCredit: j.CustomerCredit, Adjustments: j.Adjustments, UpdatedAt: j.UpdatedAt, Version: j.Version}
	plan.AddDefaultRates(shop.VATRates)
	return plan, nil
}

// UpdateAccountPlan changes the account plan (admin, audited) when its current version
// meets match. Every account must have the plan's number of digits.
func (a *App) UpdateAccountPlan(ctx context.Context, p domain.Principal, match domain.Precondition, ch domain.AccountPlanChanges) (domain.AccountPlan, error) {
	var plan domain.AccountPlan
	if err := authorize(p, domain.PermSettingsManage); err != nil {
		return plan, err
	}
	err := a.store.Write(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, settingAccountPlanLock, ""); err != nil {
			return err
		}
		var err error
		plan, err = a.accountPlan(ctx, tx)
		if err != nil {
			return err
		}
		if !match.Holds(plan.Version) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		before := plan
		ch.Apply(&plan)
		if err := plan.Prepare(); err != nil {
			return err
		}
		changed := domain.AccountPlanChangedFields(&before, &plan)
		if len(changed) == 0 {
			plan = before
			return nil
		}
		plan.Version, plan.UpdatedAt = before.Version+1, a.now()
		b, err := json.Marshal(planJSON{Length: plan.Length, DefaultCustomer: plan.DefaultCustomer, Sales: plan.Sales,
			GeneralSales: plan.GeneralSales, OutputVAT: plan.OutputVAT, GeneralVAT: plan.GeneralVAT, Cash: plan.Cash,
			Card: plan.Card, Bank: plan.Bank, CustomerCredit: plan.CustomerCredit, Adjustments: plan.Adjustments,
			UpdatedAt: plan.UpdatedAt, Version: plan.Version})
		if err != nil {
			return fmt.Errorf("write the account plan: %w", err)
		}
		if err := tx.PutSetting(ctx, SettingAccountPlan, string(b)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionAccountPlanUpdate, "settings", SettingAccountPlan, changed, nil)
	})
	return plan, err
}
