package app

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// SharedName is the blocking key of a similar name in the same postal code
// (domain.Customer.DuplicateNameKey), a reason two customers may be one.
const SharedName SharedField = "name"

// DuplicateReasons is the set of what two customers have in common, as bits whose order is
// their strength: a shared tax id outweighs everything else, a similar name weighs least.
type DuplicateReasons uint8

// Reasons of a duplicate pair.
const (
	ReasonName DuplicateReasons = 1 << iota
	ReasonPhone
	ReasonEmail
	ReasonTaxID
	allReasons = ReasonName | ReasonPhone | ReasonEmail | ReasonTaxID
)

// duplicateFields are the fields the scan looks at, strongest first, with their reason.
var duplicateFields = []struct {
	field  SharedField
	reason DuplicateReasons
}{{SharedTaxID, ReasonTaxID}, {SharedEmail, ReasonEmail}, {SharedPhone, ReasonPhone}, {SharedName, ReasonName}}

// Fields names the reasons, strongest first, by their API names.
func (r DuplicateReasons) Fields() []SharedField {
	out := []SharedField{}
	for _, f := range duplicateFields {
		if r&f.reason != 0 {
			out = append(out, f.field)
		}
	}
	return out
}

// Score ranks a pair: each reason adds its weight (tax id 4, e-mail 3, phone 2, name 1), so
// that several reasons together outrank one stronger reason alone (same e-mail and phone, 5,
// before same tax id, 4); between equal scores the stronger reasons come first.
func (r DuplicateReasons) Score() int {
	s := 0
	for i, f := range []DuplicateReasons{ReasonName, ReasonPhone, ReasonEmail, ReasonTaxID} {
		if r&f != 0 {
			s += i + 1
		}
	}
	return s
}

// rank orders pairs: higher first.
func (r DuplicateReasons) rank() int { return r.Score()<<4 | int(r) }

// maxPairGroup is the largest number of customers sharing one value whose pairs are listed.
// A value held by more (a company's switchboard phone, a shop's own e-mail typed for
// customers without one) says little about any two of them: it is reported once as a
// cluster, and its holders are paired only when something else links them too.
const maxPairGroup = 8

// maxClusters bounds the clusters a page reports, the largest first.
const maxClusters = 50

// DuplicateKeys are the values of one customer that duplicate detection compares.
type DuplicateKeys struct {
	TaxID   string
	Email   string // domain.EmailKey
	Phone   string // without its extension
	NameKey string // domain.Customer.DuplicateNameKey
}

func (k DuplicateKeys) value(f SharedField) string {
	switch f {
	case SharedTaxID:
		return k.TaxID
	case SharedEmail:
		return k.Email
	case SharedPhone:
		return k.Phone
	}
	return k.NameKey
}

// reasonsWith is what k and o have in common.
func (k DuplicateKeys) reasonsWith(o DuplicateKeys) DuplicateReasons {
	var r DuplicateReasons
	for _, f := range duplicateFields {
		if v := k.value(f.field); v != "" && v == o.value(f.field) {
			r |= f.reason
		}
	}
	return r
}

// SharedValue is a value of a field that several customers hold, and who.
type SharedValue struct {
	Value string
	Count int64
	Seqs  []int64 // the holders
}

// DuplicateDismissal is a pair a user said are two customers, with what they shared then.
// CustomerA's id sorts before CustomerB's.
type DuplicateDismissal struct {
	CustomerA, CustomerB string
	Reasons              DuplicateReasons
}

// DuplicateStore is the storage of duplicate detection (sqlstore/duplicates_scan.go).
type DuplicateStore interface {
	// SharedValues lists the values of field that more than one customer holds, with who
	// holds them, walking the field's index alone (a GROUP BY over it, never a comparison of
	// customers with each other).
	SharedValues(ctx context.Context, field SharedField) ([]SharedValue, error)
	// CustomerIDs returns the ids of the customers seqs (by primary key).
	CustomerIDs(ctx context.Context, seqs []int64) (map[int64]string, error)
	// DuplicateDismissals returns the dismissals of pairs whose CustomerA is one of ids.
	DuplicateDismissals(ctx context.Context, ids []string) ([]DuplicateDismissal, error)
	// PutDuplicateDismissal records (or replaces) a dismissal.
	PutDuplicateDismissal(ctx context.Context, d DuplicateDismissal, by string, at time.Time) error
	// DeleteDuplicateDismissal forgets a dismissal; CodeNotFound when there was none.
	DeleteDuplicateDismissal(ctx context.Context, a, b string) error
}

// pairEnd is one customer of a candidate pair: a scan keeps the seq, a page adds the id.
type pairEnd struct {
	Seq int64
	ID  string
}

// duplicateCandidate is one pair found by a scan; a.Seq < b.Seq.
type duplicateCandidate struct {
	a, b    pairEnd
	reasons DuplicateReasons
}

func (c duplicateCandidate) compare(o duplicateCandidate) int {
	return cmp.Or(cmp.Compare(o.reasons.rank(), c.reasons.rank()), cmp.Compare(c.a.Seq, o.a.Seq), cmp.Compare(c.b.Seq, o.b.Seq))
}

// DuplicateCluster is a value held by more than maxPairGroup customers.
type DuplicateCluster struct {
	Field  SharedField
	Value  string // empty for a name (the key is a hash): Sample names it
	Count  int64
	Sample domain.Customer // the first holder
}

// duplicateScan is what a scan of the register found. The last one is kept while the change
// feed is live (App.dupScans), until any customer changes: paging through the list, and
// coming back to it after dismissing a pair (which changes no customer), then costs no scan.
type duplicateScan struct {
	candidates []duplicateCandidate // in rank order
	clusters   []clusterValue       // the largest first
}

type clusterValue struct {
	field SharedField
	SharedValue
}

// scanDuplicates finds every candidate pair: for each field, the values several customers
// share and who holds them (one pass over the field's index). The holders of a value held by
// at most maxPairGroup customers are paired; every holder of every
// shared value counts for the reasons of a pair, however it was found. Its cost grows with the
// register's size (the index passes) and with the number of duplicates, never with the
// number of pairs of customers, and it reads no row of the table.
func scanDuplicates(ctx context.Context, tx Tx) (duplicateScan, error) {
	var scan duplicateScan
	// member[i][seq] is the value (its index in that field's list) customer seq shares in
	// duplicateFields[i].
	member := make([]map[int64]int32, len(duplicateFields))
	pairs := map[[2]int64]struct{}{}
	for i, f := range duplicateFields {
		shared, err := tx.SharedValues(ctx, f.field)
		if err != nil {
			return scan, err
		}
		member[i] = map[int64]int32{}
		for j, v := range shared {
			for _, seq := range v.Seqs {
				member[i][seq] = int32(j)
			}
			if v.Count > maxPairGroup {
				v.Seqs = nil // not kept with the cluster
				scan.clusters = append(scan.clusters, clusterValue{f.field, v})
				continue
			}
			seqs := slices.Sorted(slices.Values(v.Seqs))
			for x := range seqs {
				for y := x + 1; y < len(seqs); y++ {
					pairs[[2]int64{seqs[x], seqs[y]}] = struct{}{}
				}
			}
		}
	}
	scan.candidates = make([]duplicateCandidate, 0, len(pairs))
	for p := range pairs {
		var r DuplicateReasons
		for i, f := range duplicateFields {
			va, oka := member[i][p[0]]
			vb, okb := member[i][p[1]]
			if oka && okb && va == vb {
				r |= f.reason
			}
		}
		scan.candidates = append(scan.candidates, duplicateCandidate{a: pairEnd{Seq: p[0]}, b: pairEnd{Seq: p[1]}, reasons: r})
	}
	slices.SortFunc(scan.candidates, duplicateCandidate.compare)
	slices.SortStableFunc(scan.clusters, func(x, y clusterValue) int { return cmp.Compare(y.Count, x.Count) })
	return scan, nil
}

// DuplicatePair is two customers who may be one, with what they share. Keep is the proposed
// survivor of a merge (the one with more data; on a tie, the older), Other the one it would
// absorb.
type DuplicatePair struct {
	Keep, Other domain.Customer
	Reasons     DuplicateReasons
}

// DuplicatesQuery pages through the candidate pairs.
type DuplicatesQuery struct {
	Limit  int
	Cursor string
}

// DuplicatesPage is one page of candidate pairs, strongest first, and (on the first page)
// the values shared by too many customers to pair.
type DuplicatesPage struct {
	Pairs      []DuplicatePair
	Clusters   []DuplicateCluster
	NextCursor string
}

// dismissalChunk is how many candidates a page checks against the dismissals at once.
const dismissalChunk = 200

// Duplicates lists the pairs of customers who may be the same (manager, admin): those who
// share a tax id, an e-mail address, a phone number, or a similar name in the same postal
// code, strongest first, without the pairs dismissed (unless they have come to share
// something more since).
func (a *App) Duplicates(ctx context.Context, p domain.Principal, q DuplicatesQuery) (DuplicatesPage, error) {
	var page DuplicatesPage
	if err := authorize(p, domain.PermCustomersDelete); err != nil {
		return page, err
	}
	var problems domain.Problems
	limit := pageLimit(q.Limit, &problems)
	cur, err := decodeCursor(q.Cursor, cursorDuplicates, "")
	var after int
	if err == nil && q.Cursor != "" {
		after, err = strconv.Atoi(cur.Key)
	}
	if err != nil {
		problems.Add("cursor", domain.FieldInvalidCursor, nil)
	}
	if err := problems.Err(); err != nil {
		return page, err
	}
	err = a.store.Read(ctx, func(tx Tx) error {
		scan, ok := a.dupScans.get("")
		if !ok {
			gen := a.dupScans.begin()
			var err error
			if scan, err = scanDuplicates(ctx, tx); err != nil {
				return err
			}
			a.dupScans.put("", scan, gen)
		}
		start := 0
		if q.Cursor != "" {
			start = sort.Search(len(scan.candidates), func(i int) bool {
				c := scan.candidates[i]
				return cmp.Or(cmp.Compare(after, c.reasons.rank()), cmp.Compare(c.a.Seq, cur.Seq), cmp.Compare(c.b.Seq, cur.ID)) > 0
			})
		}
		var shown []duplicateCandidate
		for i := start; i < len(scan.candidates) && len(shown) <= limit; i += dismissalChunk {
			chunk := scan.candidates[i:min(i+dismissalChunk, len(scan.candidates))]
			kept, err := withoutDismissed(ctx, tx, chunk)
			if err != nil {
				return err
			}
			shown = append(shown, kept...)
		}
		if len(shown) > limit {
			shown = shown[:limit]
			last := shown[limit-1]
			page.NextCursor = encodeCursor(cursor{List: cursorDuplicates, Key: strconv.Itoa(last.reasons.rank()), Seq: last.a.Seq, ID: last.b.Seq})
		}
		// The page's customers in one statement (by the unique index on id).
		ids := make([]string, 0, 2*len(shown))
		for _, c := range shown {
			ids = append(ids, c.a.ID, c.b.ID)
		}
		found, err := tx.CustomersByKeys(ctx, KeyID, ids)
		if err != nil {
			return err
		}
		byID := make(map[string]domain.Customer, len(found))
		for _, c := range found {
			byID[c.ID] = c
		}
		for _, c := range shown {
			x, okX := byID[c.a.ID]
			y, okY := byID[c.b.ID]
			if !okX || !okY {
				continue // deleted since the scan kept in memory, before the change feed said so
			}
			page.Pairs = append(page.Pairs, proposeSurvivor(x, y, c.reasons))
		}
		if q.Cursor == "" {
			for _, cl := range scan.clusters[:min(len(scan.clusters), maxClusters)] {
				sample, err := tx.CustomersSharing(ctx, cl.field, cl.Value, "", 1)
				if err != nil {
					return err
				}
				c := DuplicateCluster{Field: cl.field, Count: cl.Count}
				if cl.field != SharedName {
					c.Value = cl.Value
				}
				if len(sample) > 0 {
					c.Sample = sample[0]
				}
				page.Clusters = append(page.Clusters, c)
			}
		}
		return nil
	})
	return page, err
}

// withoutDismissed drops from chunk the pairs dismissed with every reason they have now, and
// gives the others their customers' ids (a pair whose customer is gone since the scan is
// dropped too).
func withoutDismissed(ctx context.Context, tx Tx, chunk []duplicateCandidate) ([]duplicateCandidate, error) {
	seqs := make([]int64, 0, 2*len(chunk))
	for _, c := range chunk {
		seqs = append(seqs, c.a.Seq, c.b.Seq)
	}
	ids, err := tx.CustomerIDs(ctx, seqs)
	if err != nil {
		return nil, err
	}
	firsts := make([]string, 0, len(chunk))
	named := make([]duplicateCandidate, 0, len(chunk))
	for _, c := range chunk {
		a, okA := ids[c.a.Seq]
		b, okB := ids[c.b.Seq]
		if !okA || !okB {
			continue
		}
		c.a.ID, c.b.ID = a, b
		named = append(named, c)
		x, _ := orderedIDs(a, b)
		firsts = append(firsts, x)
	}
	dismissals, err := tx.DuplicateDismissals(ctx, firsts)
	if err != nil {
		return nil, err
	}
	if len(dismissals) == 0 {
		return named, nil
	}
	dismissed := make(map[[2]string]DuplicateReasons, len(dismissals))
	for _, d := range dismissals {
		dismissed[[2]string{d.CustomerA, d.CustomerB}] = d.Reasons
	}
	out := named[:0]
	for _, c := range named {
		x, y := orderedIDs(c.a.ID, c.b.ID)
		if r, ok := dismissed[[2]string{x, y}]; ok && c.reasons&^r == 0 {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

func orderedIDs(x, y string) (string, string) {
	if y < x {
		return y, x
	}
	return x, y
}

// proposeSurvivor orders a pair: a is the older (registered first); the one with more data
// is proposed to survive, on a tie the older.
func proposeSurvivor(a, b domain.Customer, reasons DuplicateReasons) DuplicatePair {
	if filledFields(&b) > filledFields(&a) {
		a, b = b, a
	}
	return DuplicatePair{Keep: a, Other: b, Reasons: reasons}
}

// filledFields counts the fields of c that hold something: of two records of one customer,
// the one with more is proposed to survive a merge.
func filledFields(c *domain.Customer) int {
	n := 0
	for _, v := range []string{string(c.Title), c.FirstName, c.LastName, c.CompanyName, c.LegalForm, c.TaxID, c.Email,
		c.Phone, c.Address.Line1, c.Address.Line2, c.Address.PostalCode, c.Address.City, c.Address.Region,
		c.Reference, c.AccountNumber, c.GroupID, c.Notes} {
		if v != "" {
			n++
		}
	}
	return n
}

// Audit actions of duplicate detection (entity: the customer of the pair whose id sorts
// first; details: the other's id and the reasons).
const (
	ActionDuplicateDismiss   = "customer.duplicate_dismiss"
	ActionDuplicateUndismiss = "customer.duplicate_undismiss"
)

// duplicateKeysOf are the compared values of c.
func duplicateKeysOf(c *domain.Customer) DuplicateKeys {
	return DuplicateKeys{TaxID: c.TaxID, Email: domain.EmailKey(c.Email), Phone: phoneKey(c.Phone), NameKey: c.DuplicateNameKey()}
}

// DuplicateReasonsBetween is what customers c and o have in common.
func DuplicateReasonsBetween(c, o *domain.Customer) DuplicateReasons {
	return duplicateKeysOf(c).reasonsWith(duplicateKeysOf(o))
}

// pairIDs checks the two ids of a pair and orders them; otherField names the second in
// errors ("other_id").
func pairIDs(id, otherID, otherField string) (string, string, error) {
	if !ValidID(id) {
		return "", "", domain.Errorf(domain.CodeNotFound)
	}
	var problems domain.Problems
	switch {
	case otherID == "":
		problems.Add(otherField, domain.FieldRequired, nil)
	case !ValidID(otherID) || otherID == id:
		problems.Add(otherField, domain.FieldInvalid, nil)
	}
	if err := problems.Err(); err != nil {
		return "", "", err
	}
	x, y := orderedIDs(id, otherID)
	return x, y, nil
}

// DismissDuplicate records that customers id and otherID are two people ("No es
// duplicado"): the pair leaves the list of duplicates, in every process, until they come to
// share something they did not share now. Audited.
func (a *App) DismissDuplicate(ctx context.Context, p domain.Principal, id, otherID string) (DuplicateReasons, error) {
	if err := authorize(p, domain.PermCustomersDelete); err != nil {
		return 0, err
	}
	x, y, err := pairIDs(id, otherID, "other_id")
	if err != nil {
		return 0, err
	}
	var reasons DuplicateReasons
	err = a.store.Write(ctx, func(tx Tx) error {
		cx, err := tx.Customer(ctx, x)
		if err != nil {
			return pairNotFound(err, x == otherID)
		}
		cy, err := tx.Customer(ctx, y)
		if err != nil {
			return pairNotFound(err, y == otherID)
		}
		reasons = DuplicateReasonsBetween(&cx, &cy)
		if err := tx.PutDuplicateDismissal(ctx, DuplicateDismissal{CustomerA: x, CustomerB: y, Reasons: reasons}, p.UserID, a.now()); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, ActionDuplicateDismiss, "customer", x, nil,
			map[string]any{"other_id": y, "reasons": reasons.Fields()})
	})
	return reasons, err
}

// UndismissDuplicate forgets a dismissal: the pair is listed again. CodeNotFound when the
// pair was not dismissed. Audited.
func (a *App) UndismissDuplicate(ctx context.Context, p domain.Principal, id, otherID string) error {
	if err := authorize(p, domain.PermCustomersDelete); err != nil {
		return err
	}
	if !ValidID(id) || !ValidID(otherID) {
		return domain.Errorf(domain.CodeNotFound)
	}
	x, y := orderedIDs(id, otherID)
	return a.store.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteDuplicateDismissal(ctx, x, y); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, ActionDuplicateUndismiss, "customer", x, nil, map[string]any{"other_id": y})
	})
}

// pairNotFound turns a missing second customer into a field error on other_id: the path's
// customer exists, the one named in the body does not.
func pairNotFound(err error, isOther bool) error {
	if isOther && domain.ErrorCode(err) == domain.CodeNotFound {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "other_id", Code: domain.FieldInvalid}}}
	}
	return err
}
