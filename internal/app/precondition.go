package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientela/clientela/internal/domain"
)

// maxRacedAttempts bounds how often an update runs again after losing a race; each lost race
// means another update of the same record committed, so a handful of editors at once is
// served well within it.
const maxRacedAttempts = 10

// errRaced marks a versioned UPDATE that found the row at another version than the one the
// transaction had read: another transaction committed in between.
var errRaced = errors.New("record changed by a concurrent transaction")

// writeMatching runs fn, an update that checks the caller's domain.Precondition against the
// version it reads, in a transaction opened by write. When another transaction changes the
// record between that read and the versioned write, fn runs again in a new transaction, so
// the precondition is decided against the version then current: an update with If-Match *
// or with a list holding the new version still applies (without losing the other change),
// while one whose versions are all stale fails with CodePreconditionFailed.
func (a *App) writeMatching(ctx context.Context, write func(context.Context, func(Tx) error) error, fn func(Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := write(ctx, func(tx Tx) error { return fn(racedTx{tx}) })
		if !errors.Is(err, errRaced) {
			return err
		}
		if attempt == maxRacedAttempts {
			return domain.Errorf(domain.CodePreconditionFailed)
		}
	}
}

// racedTx tells writeMatching when a versioned update lost a race.
type racedTx struct{ Tx }

func (t racedTx) UpdateCustomer(ctx context.Context, c *domain.Customer, expectedVersion int64) error {
	return raced(t.Tx.UpdateCustomer(ctx, c, expectedVersion))
}

func (t racedTx) UpdateGroup(ctx context.Context, g *domain.Group, expectedVersion int64) error {
	return raced(t.Tx.UpdateGroup(ctx, g, expectedVersion))
}

func raced(err error) error {
	if domain.ErrorCode(err) == domain.CodePreconditionFailed {
		return fmt.Errorf("%w: %w", errRaced, err)
	}
	return err
}
