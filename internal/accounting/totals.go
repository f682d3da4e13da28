package accounting

import (
	"cmp"
	"slices"
)

// AccountTotal is what a period's entries moved on one account.
type AccountTotal struct {
	Number      string
	Label       string
	DebitCents  int64
	CreditCents int64
}

// Totals sums a journal: entries, lines, and Σ debit and credit per account. It is a Writer,
// so one pass can both write the journal and count it.
type Totals struct {
	Entries     int64
	Lines       int64
	DebitCents  int64
	CreditCents int64
	byAccount   map[string]*AccountTotal
}

// NewTotals returns empty totals.
func NewTotals() *Totals { return &Totals{byAccount: map[string]*AccountTotal{}} }

// WriteEntry adds an entry.
func (t *Totals) WriteEntry(e *Entry) error {
	t.Entries++
	for _, l := range e.Lines {
		t.Lines++
		t.DebitCents += l.DebitCents
		t.CreditCents += l.CreditCents
		a := t.byAccount[l.Account.Number]
		if a == nil {
			a = &AccountTotal{Number: l.Account.Number, Label: l.Account.Label}
			t.byAccount[l.Account.Number] = a
		}
		a.DebitCents += l.DebitCents
		a.CreditCents += l.CreditCents
	}
	return nil
}

// Flush does nothing.
func (t *Totals) Flush() error { return nil }

// Accounts lists the accounts moved, by number.
func (t *Totals) Accounts() []AccountTotal {
	out := make([]AccountTotal, 0, len(t.byAccount))
	for _, a := range t.byAccount {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b AccountTotal) int { return cmp.Compare(a.Number, b.Number) })
	return out
}
