package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// BalanceSide is one side of the customer accounts: who owes us, or whom we owe.
type BalanceSide string

// The sides. BalanceAny (the zero value) is everyone, accounts or not.
const (
	BalanceAny       BalanceSide = ""
	BalanceDebtors   BalanceSide = "debtors"   // balance > 0: the customer owes us
	BalanceCreditors BalanceSide = "creditors" // balance < 0: we owe the customer
)

// ValidBalanceSide reports whether s names a side (or is empty: everyone).
func ValidBalanceSide(s string) bool {
	switch BalanceSide(s) {
	case BalanceAny, BalanceDebtors, BalanceCreditors:
		return true
	}
	return false
}

// HolderFilter pages through the customers on one side of their accounts.
type HolderFilter struct {
	Side         BalanceSide // BalanceDebtors or BalanceCreditors
	AfterBalance int64       // the balance of the last row of the previous page
	AfterID      string      // and its customer id; "" for the first page
	Limit        int
}

// AccountHolder is a customer of the register and their balance.
type AccountHolder struct {
	Customer     domain.Customer
	BalanceCents int64
}

// ReportQuery pages through a report. All asks for every row at once (the CSV downloads).
type ReportQuery struct {
	Limit  int
	Cursor string
	All    bool
}

// DebtorRow is one customer who owes us, and how old their debt is.
type DebtorRow struct {
	Customer     domain.Customer
	BalanceCents int64
	Aged         [domain.AgeBuckets]int64 // by domain.Age0To30…AgeOver90; they add up to the balance
}

// DebtorsReport is who owes what, aged. The totals are of every debtor, whatever page the
// rows are.
type DebtorsReport struct {
	// Today is the day ages are counted to: midnight, shop time (Madrid).
	Today      time.Time
	Count      int64
	TotalCents int64
	Aged       [domain.AgeBuckets]int64
	Rows       []DebtorRow
	NextCursor string
}

// CreditorRow is one customer who holds credit with us.
type CreditorRow struct {
	Customer    domain.Customer
	CreditCents int64 // what we owe them (> 0)
}

// CreditorsReport is who holds credit with us; the totals are of every creditor.
type CreditorsReport struct {
	Count      int64
	TotalCents int64 // what we owe in all (> 0)
	Rows       []CreditorRow
	NextCursor string
}

// reportBatch is how many debtors the report reads at once while it adds up the ages.
const reportBatch = 500

// Debtors is the debtors report (manager): every customer who owes us, the largest debt
// first, each debt spread over the ages of the sales that made it (payments settle the
// oldest first; see domain.AgeDebt), with the totals of every age and of all. Ages are
// counted in calendar days of the shop (Madrid) to today. The report reads every debtor to
// total the ages, a batch at a time, in one snapshot; of each it reads only the entries that
// cover the balance.
func (a *App) Debtors(ctx context.Context, p domain.Principal, q ReportQuery) (DebtorsReport, error) {
	var rep DebtorsReport
	if err := authorize(p, domain.PermReportsRead); err != nil {
		return rep, err
	}
	cur, limit, err := reportPage(q, cursorDebtors)
	if err != nil {
		return rep, err
	}
	madrid := verifactu.Madrid()
	now := a.now().In(madrid)
	rep.Today = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, madrid)
	err = a.store.Read(ctx, func(tx Tx) error {
		f := HolderFilter{Side: BalanceDebtors, Limit: reportBatch}
		for {
			batch, err := tx.AccountHolders(ctx, f)
			if err != nil {
				return err
			}
			ids := make([]string, len(batch))
			for i, h := range batch {
				ids[i] = h.Customer.ID
			}
			entries, err := tx.DebtEntries(ctx, ids)
			if err != nil {
				return err
			}
			for _, h := range batch {
				own := entries[h.Customer.ID]
				for i := range own {
					own[i].CreatedAt = own[i].CreatedAt.In(madrid)
				}
				row := DebtorRow{Customer: h.Customer, BalanceCents: h.BalanceCents, Aged: domain.AgeDebt(h.BalanceCents, own, now)}
				rep.Count++
				rep.TotalCents += row.BalanceCents
				for i, v := range row.Aged {
					rep.Aged[i] += v
				}
				if q.All || (afterDebtor(h, cur) && len(rep.Rows) <= limit) {
					rep.Rows = append(rep.Rows, row)
				}
			}
			if len(batch) < f.Limit {
				return nil
			}
			last := batch[len(batch)-1]
			f.AfterBalance, f.AfterID = last.BalanceCents, last.Customer.ID
		}
	})
	if err != nil {
		return DebtorsReport{}, err
	}
	if !q.All && len(rep.Rows) > limit {
		rep.Rows = rep.Rows[:limit]
		last := rep.Rows[limit-1]
		rep.NextCursor = encodeCursor(cursor{List: cursorDebtors, Seq: last.BalanceCents, Key: last.Customer.ID})
	}
	return rep, nil
}

// afterDebtor reports whether h comes after the cursor's row in the debtors' order (balance,
// then id, both descending).
func afterDebtor(h AccountHolder, cur cursor) bool {
	if cur.Key == "" {
		return true
	}
	return h.BalanceCents < cur.Seq || (h.BalanceCents == cur.Seq && h.Customer.ID < cur.Key)
}

// Creditors is the creditors report (manager): every customer who holds credit with us, the
// largest credit first, with the count and total of all of them.
func (a *App) Creditors(ctx context.Context, p domain.Principal, q ReportQuery) (CreditorsReport, error) {
	var rep CreditorsReport
	if err := authorize(p, domain.PermReportsRead); err != nil {
		return rep, err
	}
	cur, limit, err := reportPage(q, cursorCreditors)
	if err != nil {
		return rep, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		count, sum, err := tx.HolderTotals(ctx, BalanceCreditors)
		if err != nil {
			return err
		}
		rep.Count, rep.TotalCents = count, -sum
		f := HolderFilter{Side: BalanceCreditors, AfterBalance: cur.Seq, AfterID: cur.Key, Limit: limit + 1}
		if q.All {
			f.Limit = reportBatch
		}
		for {
			batch, err := tx.AccountHolders(ctx, f)
			if err != nil {
				return err
			}
			for _, h := range batch {
				rep.Rows = append(rep.Rows, CreditorRow{Customer: h.Customer, CreditCents: -h.BalanceCents})
			}
			if !q.All || len(batch) < f.Limit {
				return nil
			}
			last := batch[len(batch)-1]
			f.AfterBalance, f.AfterID = last.BalanceCents, last.Customer.ID
		}
	})
	if err != nil {
		return CreditorsReport{}, err
	}
	if !q.All && len(rep.Rows) > limit {
		rep.Rows = rep.Rows[:limit]
		last := rep.Rows[limit-1]
		rep.NextCursor = encodeCursor(cursor{List: cursorCreditors, Seq: -last.CreditCents, Key: last.Customer.ID})
	}
	return rep, nil
}

// reportPage checks a report's page size and cursor.
func reportPage(q ReportQuery, list string) (cursor, int, error) {
	var problems domain.Problems
	limit := DefaultPageSize
	if !q.All {
		limit = pageLimit(q.Limit, &problems)
	}
	cur, err := decodeCursor(q.Cursor, list, "")
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	return cur, limit, problems.Err()
}
