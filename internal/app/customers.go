package app

import (
	"context"

	"github.com/clientela/clientela/internal/domain"
)

// CreateCustomer registers a customer. An e-mail address turns invoices by e-mail on unless
// the caller says otherwise (the seed's "Consejo 1"; see domain.CustomerChanges.Apply).
func (a *App) CreateCustomer(ctx context.Context, p domain.Principal, ch domain.CustomerChanges) (domain.Customer, error) {
	if err := authorize(p, domain.PermCustomersCreate); err != nil {
		return domain.Customer{}, err
	}
	id, err := newID()
	if err != nil {
		return domain.Customer{}, err
	}
	now := a.now()
	c := domain.Customer{ID: id, CreatedAt: now, UpdatedAt: now, Version: 1}
	ch.Apply(&c)
	err = a.writeCustomers(ctx, func(tx Tx) error {
		country, err := a.defaultCountry(ctx, tx)
		if err != nil {
			return err
		}
		if err := c.Prepare(country); err != nil {
			return err
		}
		if c.MarketingConsent {
			c.MarketingConsentAt = &now
		}
		if err := checkGroup(ctx, tx, "group_id", c.GroupID); err != nil {
			return err
		}
		if err := tx.CreateCustomer(ctx, &c); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionCustomerCreate, "customer", c.ID, domain.ChangedFields(&domain.Customer{}, &c), nil)
	})
	return c, err
}

// checkGroup reports a field error when groupID is set and names no group.
func checkGroup(ctx context.Context, tx Tx, field, groupID string) error {
	if groupID == "" {
		return nil
	}
	unknown := &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Code: domain.FieldNoSuchGroup}}}
	if !ValidID(groupID) {
		return unknown
	}
	if _, err := tx.Group(ctx, groupID); err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return unknown
		}
		return err
	}
	return nil
}

// Customer returns one customer.
func (a *App) Customer(ctx context.Context, p domain.Principal, id string) (domain.Customer, error) {
	var c domain.Customer
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return c, err
	}
	if !ValidID(id) {
		return c, domain.Errorf(domain.CodeNotFound)
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		c, err = tx.Customer(ctx, id)
		return err
	})
	return c, err
}

// CustomerByReference finds the customer whose loyalty card was scanned.
func (a *App) CustomerByReference(ctx context.Context, p domain.Principal, reference string) (domain.Customer, error) {
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return domain.Customer{}, err
	}
	key := domain.ReferenceKey(reference)
	if cached, ok := a.lookups.get(key); ok {
		return cached, nil
	}
	return a.customerByReferenceFromStore(ctx, key, reference)
}

// customerByReferenceFromStore reads a lookup the cache did not have and offers it to the
// cache. It is apart so that a cache hit, the till's usual case, allocates nothing: the
// closure's captured result would otherwise live on the heap for every lookup.
func (a *App) customerByReferenceFromStore(ctx context.Context, key, reference string) (domain.Customer, error) {
	var c domain.Customer
	gen := a.lookups.begin()
	err := a.store.ReadOne(ctx, func(tx Tx) (err error) {
		c, err = tx.CustomerByReference(ctx, reference)
		return err
	})
	if err == nil {
		a.lookups.put(key, c, gen)
	}
	return c, err
}

// UpdateCustomer changes the given fields of a customer when its current version meets match
// (checked in the writing transaction), with the rules domain.CustomerChanges.Apply completes a
// change with (the kind's fields, invoices by e-mail following the e-mail). Otherwise it fails
// with CodePreconditionFailed and changes nothing.
func (a *App) UpdateCustomer(ctx context.Context, p domain.Principal, id string, match domain.Precondition, ch domain.CustomerChanges) (domain.Customer, error) {
	var c domain.Customer
	if err := authorize(p, domain.PermCustomersUpdate); err != nil {
		return c, err
	}
	if !ValidID(id) {
		return c, domain.Errorf(domain.CodeNotFound)
	}
	err := a.writeMatching(ctx, a.writeCustomers, func(tx Tx) error {
		var err error
		c, err = tx.Customer(ctx, id)
		if err != nil {
			return err
		}
		if !match.Holds(c.Version) {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
		before := c
		ch.Apply(&c)
		country, err := a.defaultCountry(ctx, tx)
		if err != nil {
			return err
		}
		if err := c.Prepare(country); err != nil {
			return err
		}
		now := a.now()
		if c.MarketingConsent && !before.MarketingConsent {
			c.MarketingConsentAt = &now
		}
		if c.GroupID != before.GroupID {
			if err := checkGroup(ctx, tx, "group_id", c.GroupID); err != nil {
				return err
			}
		}
		changed := domain.ChangedFields(&before, &c)
		if len(changed) == 0 {
			c = before
			return nil
		}
		c.Version, c.UpdatedAt = before.Version+1, now
		if err := tx.UpdateCustomer(ctx, &c, before.Version); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionCustomerUpdate, "customer", c.ID, changed, nil)
	})
	return c, err
}

// DeleteCustomer removes a customer and their personal data for good. Issued invoices keep
// their own copy of the customer (a later piece); the audit log keeps only the id.
func (a *App) DeleteCustomer(ctx context.Context, p domain.Principal, id string) error {
	if err := authorize(p, domain.PermCustomersDelete); err != nil {
		return err
	}
	if !ValidID(id) {
		return domain.Errorf(domain.CodeNotFound)
	}
	return a.writeCustomers(ctx, func(tx Tx) error {
		// A customer who owes us, or whom we owe, stays until the account is settled. The
		// account is held, so no till books on it between this check and the delete.
		balance, err := tx.LockAccount(ctx, id, a.now())
		if err != nil {
			return err
		}
		if balance != 0 {
			return &domain.Error{Code: domain.CodeBalanceNotZero, Details: map[string]any{"balance_cents": balance}}
		}
		if err := tx.DeleteCustomer(ctx, id); err != nil {
			return err
		}
		// The entries stay, with the name and account number accounting needs; the balance
		// row goes.
		if err := tx.DeleteAccount(ctx, id); err != nil {
			return err
		}
		// Messages not sent yet are dropped; those sent keep no address, subject nor body.
		if _, err := a.DropCustomerMail(ctx, tx, id); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionCustomerDelete, "customer", id, nil, nil)
	})
}
