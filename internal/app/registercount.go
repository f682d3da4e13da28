package app

import (
	"context"

	"github.com/clientela/clientela/internal/domain"
)

// CountBound is how far CountCustomers counts. Past it the answer is "more than CountBound":
// an exact count of a million customers is a scan of them all, and the register's page shows
// its count on every load.
const CountBound = 10000

// RegisterCount is how many customers a list holds.
type RegisterCount struct {
	N    int64
	More bool // there are more than N (N is then CountBound)
}

// CountCustomers counts the register, or the members of group groupID when it is set, up to
// CountBound.
func (a *App) CountCustomers(ctx context.Context, p domain.Principal, groupID string) (RegisterCount, error) {
	var rc RegisterCount
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return rc, err
	}
	if groupID != "" && !ValidID(groupID) {
		return rc, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "group_id", Code: domain.FieldInvalid}}}
	}
	err := a.store.Read(ctx, func(tx Tx) (err error) {
		rc.N, err = tx.CountCustomers(ctx, groupID, CountBound+1)
		return err
	})
	if rc.N > CountBound {
		rc.N, rc.More = CountBound, true
	}
	return rc, err
}
