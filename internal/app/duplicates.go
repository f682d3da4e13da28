package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/clientela/clientela/internal/domain"
)

// SharedField names a value that usually belongs to one customer but may be held by several:
// a couple shares a landline, a company's branches share its tax id. A form about to save such
// a value that another customer has is warned, since it is more often the same customer
// registered twice.
type SharedField string

// Shared fields, by their API names.
const (
	SharedTaxID SharedField = "tax_id"
	SharedEmail SharedField = "email"
	SharedPhone SharedField = "phone"
)

// RegisterLookups are the reads of the register behind a form's warnings and a list's count.
// Each walks one index, so that it costs the same at a thousand customers as at a million.
type RegisterLookups interface {
	// CustomersSharing returns up to limit customers other than exceptID (none when empty)
	// whose field holds key: the normalised tax id, domain.EmailKey, or the E.164 number
	// without its extension (domain.ExtensionMark).
	CustomersSharing(ctx context.Context, field SharedField, key, exceptID string, limit int) ([]domain.Customer, error)
	// CountCustomers counts the customers, of one group when groupID is set, reading at most
	// limit of them.
	CountCustomers(ctx context.Context, groupID string, limit int64) (int64, error)
}

// maxHolders is how many customers holding one shared value a check names.
const maxHolders = 5

// Shared is a value of the customer being saved that other customers have already.
type Shared struct {
	Field   SharedField
	Holders []domain.Customer // in registration order, at most maxHolders
	More    bool              // more customers than Holders have it
}

// CustomerCheck is what saving a customer would meet, found without saving.
type CustomerCheck struct {
	// Problems refuse the save: every one that CreateCustomer or UpdateCustomer would report
	// for the same changes, a reference taken by another customer included. Empty when the
	// save would go through (unless something changes in between).
	Problems []domain.FieldError
	// ReferenceHolder is the customer who has the reference, when Problems says it is taken.
	ReferenceHolder *domain.Customer
	// Shared lists the tax id, e-mail and phone number that this save sets and that other
	// customers already have. They do not refuse the save.
	Shared []Shared
}

// SharedKey fingerprints Shared: the values and who holds them. A user who was shown the
// warning and saves anyway sends it back; a save whose key differs (another value, a new
// holder) is warned again.
func (c CustomerCheck) SharedKey() string {
	if len(c.Shared) == 0 {
		return ""
	}
	h := sha256.New()
	for _, s := range c.Shared {
		h.Write([]byte(s.Field))
		for _, holder := range s.Holders {
			h.Write([]byte{0})
			h.Write([]byte(holder.ID))
		}
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// CheckCustomer reports what saving ch would meet — on a new customer when id is empty, else
// on customer id — without saving anything: the problems that would refuse it, all of them at
// once, and the values other customers already have. Only values the save changes are looked
// up, so that a customer who shares a phone with another, once accepted, is not warned about
// it at every later edit.
func (a *App) CheckCustomer(ctx context.Context, p domain.Principal, id string, ch domain.CustomerChanges) (CustomerCheck, error) {
	var check CustomerCheck
	perm := domain.PermCustomersCreate
	if id != "" {
		perm = domain.PermCustomersUpdate
		if !ValidID(id) {
			return check, domain.Errorf(domain.CodeNotFound)
		}
	}
	if err := authorize(p, perm); err != nil {
		return check, err
	}
	err := a.store.Read(ctx, func(tx Tx) error {
		var before domain.Customer
		if id != "" {
			var err error
			if before, err = tx.Customer(ctx, id); err != nil {
				return err
			}
		}
		c := before
		ch.Apply(&c)
		country, err := a.defaultCountry(ctx, tx)
		if err != nil {
			return err
		}
		var problems domain.Problems
		if err := collectProblems(&problems, c.Prepare(country)); err != nil {
			return err
		}
		if c.GroupID != before.GroupID && !problems.Has("group_id") {
			if err := collectProblems(&problems, checkGroup(ctx, tx, "group_id", c.GroupID)); err != nil {
				return err
			}
		}
		if err := a.checkReference(ctx, tx, &check, &problems, id, before, c); err != nil {
			return err
		}
		check.Problems = problems
		return a.findShared(ctx, tx, &check, problems, id, before, c)
	})
	return check, err
}

// collectProblems adds the field errors of a validation error to problems; any other error
// is returned.
func collectProblems(problems *domain.Problems, err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.CodeInvalid && len(de.Fields) > 0 {
		*problems = append(*problems, de.Fields...)
		return nil
	}
	return err
}

// checkReference reports a reference that another customer holds, naming them.
func (a *App) checkReference(ctx context.Context, tx Tx, check *CustomerCheck, problems *domain.Problems, id string, before, c domain.Customer) error {
	key := domain.ReferenceKey(c.Reference)
	if key == "" || key == domain.ReferenceKey(before.Reference) || problems.Has("reference") {
		return nil
	}
	holder, err := tx.CustomerByReference(ctx, c.Reference)
	switch {
	case domain.ErrorCode(err) == domain.CodeNotFound:
		return nil
	case err != nil:
		return err
	case holder.ID != id:
		problems.Add("reference", domain.FieldTaken, nil)
		check.ReferenceHolder = &holder
	}
	return nil
}

// findShared looks up the valid values the save changes among other customers.
func (a *App) findShared(ctx context.Context, tx Tx, check *CustomerCheck, problems domain.Problems, id string, before, c domain.Customer) error {
	keys := []struct {
		field    SharedField
		now, was string
	}{
		{SharedTaxID, c.TaxID, before.TaxID},
		{SharedEmail, domain.EmailKey(c.Email), domain.EmailKey(before.Email)},
		{SharedPhone, phoneKey(c.Phone), phoneKey(before.Phone)},
	}
	for _, k := range keys {
		if k.now == "" || k.now == k.was || problems.Has(string(k.field)) {
			continue
		}
		holders, err := tx.CustomersSharing(ctx, k.field, k.now, id, maxHolders+1)
		if err != nil {
			return err
		}
		if len(holders) == 0 {
			continue
		}
		slices.SortFunc(holders, func(x, y domain.Customer) int { return cmp.Compare(x.Seq, y.Seq) })
		s := Shared{Field: k.field, Holders: holders}
		if len(holders) > maxHolders {
			s.Holders, s.More = holders[:maxHolders], true
		}
		check.Shared = append(check.Shared, s)
	}
	return nil
}

// phoneKey is a stored phone number without its extension: two extensions of one
// switchboard are one number to compare.
func phoneKey(stored string) string {
	number, _, _ := strings.Cut(stored, domain.ExtensionMark)
	return number
}
