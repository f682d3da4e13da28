package app

import (
	"context"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/taxid"
)

// CustomerQuery lists or searches the register.
type CustomerQuery struct {
	Q       string
	GroupID string
	// Balance narrows the list to debtors or creditors (BalanceDebtors, BalanceCreditors).
	Balance BalanceSide
	Limit   int
	Cursor  string
}

// CustomerPage is one page of customers; NextCursor is empty on the last page.
type CustomerPage struct {
	Customers  []domain.Customer
	NextCursor string
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	maxExactHits    = 10
)

// Customers lists the register in name order, or, when Q holds words, searches it. Search
// results come by tier (see Tier): customers whose reference, tax id or e-mail is exactly Q;
// then those whose name has every word of Q as a whole word; then those whose name has a
// word starting with each; then every other customer with a word starting with each word of
// Q (city, e-mail, phone…). Within a tier they come in the order they were registered, and
// pages follow one another through the tiers, none twice and none left out.
func (a *App) Customers(ctx context.Context, p domain.Principal, q CustomerQuery) (CustomerPage, error) {
	var page CustomerPage
	if err := authorize(p, domain.PermCustomersRead); err != nil {
		return page, err
	}
	var problems domain.Problems
	limit := pageLimit(q.Limit, &problems)
	if q.GroupID != "" && !ValidID(q.GroupID) {
		problems.Add("group_id", domain.FieldInvalid, nil)
	}
	if !ValidBalanceSide(string(q.Balance)) {
		problems.Add("balance", domain.FieldInvalid, map[string]any{"allowed": "debtors, creditors"})
	}
	text := strings.TrimSpace(q.Q)
	var sq searchQuery
	list := cursorCustomers
	if text != "" {
		sq = newSearchQuery(text, q.GroupID, q.Balance)
		list = cursorSearch
	}
	cur, err := decodeCursor(q.Cursor, list, sq.fingerprint)
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	if err := problems.Err(); err != nil {
		return page, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		if list == cursorCustomers {
			return a.listPage(ctx, tx, ListFilter{GroupID: q.GroupID, Balance: q.Balance}, limit, cur, &page)
		}
		return a.searchPage(ctx, tx, sq, limit, cur, &page)
	})
	return page, err
}

func (a *App) listPage(ctx context.Context, tx Tx, f ListFilter, limit int, cur cursor, page *CustomerPage) error {
	f.AfterKey, f.AfterSeq, f.Limit = cur.Key, cur.Seq, limit+1
	rows, err := tx.ListCustomers(ctx, f)
	if err != nil {
		return err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		page.NextCursor = encodeCursor(cursor{List: cursorCustomers, Key: last.SortKey(), Seq: last.Seq})
	}
	page.Customers = rows
	return nil
}

// searchQuery is what a search looks for.
type searchQuery struct {
	terms                      []string // words, each the start of a word (search.QueryTerms)
	reference, taxID, emailKey string   // exact hits: the whole query as each of these
	groupID                    string
	balance                    BalanceSide // only debtors or creditors: the matches are sifted
	fingerprint                string      // names this search in its cursors
}

func newSearchQuery(text, groupID string, balance BalanceSide) searchQuery {
	sq := searchQuery{terms: search.QueryTerms(text), reference: domain.ReferenceKey(text), groupID: groupID, balance: balance}
	if t := taxid.Normalize(text); len(t) >= 5 && len(t) <= domain.MaxTaxIDLen {
		sq.taxID = t
	}
	if strings.Contains(text, "@") {
		sq.emailKey = domain.EmailKey(text)
	}
	scope := groupID
	if balance != BalanceAny {
		scope += "\x02" + string(balance)
	}
	sq.fingerprint = queryFingerprint(sq.terms, [3]string{sq.reference, sq.taxID, sq.emailKey}, scope)
	return sq
}

// searchPage fills page with the results of sq after the cursor's position, in tier order.
// The exact hits are looked up on every page (at most maxExactHits, by seq): on the pages
// that show them they are the first tier, and on every page they are left out of the word
// matches, which find them again. A search of one side of the accounts (sq.balance) sifts
// the matches batch by batch; after sideRounds batches without a full page it ends the page
// where it stopped, so that no request reads more than sideRounds × sideBatch matches.
func (a *App) searchPage(ctx context.Context, tx Tx, sq searchQuery, limit int, cur cursor, page *CustomerPage) error {
	exact, err := tx.ExactCustomers(ctx, sq.reference, sq.taxID, sq.emailKey, sq.groupID, maxExactHits)
	if err != nil {
		return err
	}
	if exact, err = onSide(ctx, tx, sq.balance, exact, func(c domain.Customer) string { return c.ID }); err != nil {
		return err
	}
	// One row more than the page holds tells whether another page follows.
	var rows []Match
	if cur.Tier == TierExact {
		for _, c := range exact {
			if c.Seq > cur.Seq {
				rows = append(rows, Match{Tier: TierExact, Customer: c})
			}
		}
	}
	var stopped *MatchPosition // a sifted search that ended its page early: where
	if len(rows) <= limit && len(sq.terms) > 0 {
		after := MatchPosition{Tier: cur.Tier, Seq: cur.Seq}
		if cur.Tier == TierExact {
			after = MatchPosition{}
		}
		for round := 1; len(rows) <= limit; round++ {
			want := limit + 1 - len(rows) + len(exact)
			if sq.balance != BalanceAny {
				want = max(want, sideBatch)
			}
			matches, err := tx.MatchCustomers(ctx, MatchFilter{Terms: sq.terms, GroupID: sq.groupID, After: after, Limit: want})
			if err != nil {
				return err
			}
			kept, err := onSide(ctx, tx, sq.balance, matches, func(m Match) string { return m.Customer.ID })
			if err != nil {
				return err
			}
			for _, m := range kept {
				if len(rows) > limit {
					break
				}
				if !containsCustomer(exact, m.Customer.ID) {
					rows = append(rows, m)
				}
			}
			if sq.balance == BalanceAny || len(matches) < want {
				break
			}
			last := matches[len(matches)-1]
			after = MatchPosition{Tier: last.Tier, Seq: last.Customer.Seq}
			if round == sideRounds && len(rows) <= limit {
				stopped = &after
				break
			}
		}
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		page.NextCursor = encodeCursor(cursor{List: cursorSearch, Tier: last.Tier, Seq: last.Customer.Seq, Query: sq.fingerprint})
	} else if stopped != nil {
		page.NextCursor = encodeCursor(cursor{List: cursorSearch, Tier: stopped.Tier, Seq: stopped.Seq, Query: sq.fingerprint})
	}
	for _, r := range rows {
		page.Customers = append(page.Customers, r.Customer)
	}
	return nil
}

// A search of one side of the accounts reads matches sideBatch at a time, at most
// sideRounds times a page.
const (
	sideBatch  = 200
	sideRounds = 10
)

// onSide keeps the items whose customer is on side (all of them for BalanceAny).
func onSide[T any](ctx context.Context, tx Tx, side BalanceSide, items []T, id func(T) string) ([]T, error) {
	if side == BalanceAny || len(items) == 0 {
		return items, nil
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	balances, err := tx.AccountBalances(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := items[:0:0]
	for _, it := range items {
		b := balances[id(it)]
		if (side == BalanceDebtors && b > 0) || (side == BalanceCreditors && b < 0) {
			out = append(out, it)
		}
	}
	return out, nil
}

func containsCustomer(list []domain.Customer, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}
