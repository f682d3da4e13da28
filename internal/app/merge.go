package app

import (
	"context"
	"slices"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// MergeRequest is a merge of two customers as the user chose it: the survivor (the id the
// use case is called with) absorbs AbsorbedID.
type MergeRequest struct {
	AbsorbedID string
	// Fields says, for a field of domain.MergeFields, whose value stays ("survivor" or
	// "absorbed"); a field left out takes domain.DefaultMergeSide.
	Fields map[string]string
	// Versions are the versions of both records as the user saw them, by id. A merge needs
	// both; a preview checks those given. A record changed since is a conflict.
	Versions map[string]int64
	// Preview: work everything out and change nothing.
	Preview bool
}

// MergeField is one field of a merge: both values as shown and the side that stays.
type MergeField struct {
	Field    string
	Survivor string
	Absorbed string
	Differ   bool
	Side     domain.MergeSide
}

// MergeResult is a merge worked out (a preview) or done.
type MergeResult struct {
	Survivor domain.Customer // as read before the merge
	Absorbed domain.Customer // as read before the merge; gone once merged
	Merged   domain.Customer // the survivor after the merge
	Fields   []MergeField    // every field of domain.MergeFields, in its order
	// Consent: each record's last choice and the side that wins (the most recent).
	SurvivorConsent domain.ConsentChoice
	AbsorbedConsent domain.ConsentChoice
	ConsentSide     domain.MergeSide
	// GroupNames names the groups of both records (by id) for display; Group is the merged
	// customer's (nil: none).
	GroupNames map[string]string
	Group      *domain.Group
	// What moves from the absorbed customer, and the balances before and after.
	Moves                MergeMoves
	SurvivorBalanceCents int64
	MergedBalanceCents   int64
	Done                 bool // the merge is committed (false for a preview)
}

// MergeCustomers merges the customer absorbed into survivorID (managers and admins: a
// merge deletes a record). A preview changes nothing. Otherwise, in one transaction: both
// records are held and their versions checked against those the user saw (a change in
// between is CodeConflict, reason stale_version, naming the record), everything keyed by
// the absorbed id moves to the survivor (see MergeStore.MoveCustomerRecords), the absorbed
// record is deleted (search index too), the survivor takes the chosen values with a new
// version, and the audit keeps the absorbed record whole with what moved.
func (a *App) MergeCustomers(ctx context.Context, p domain.Principal, survivorID string, req MergeRequest) (MergeResult, error) {
	var res MergeResult
	if err := authorize(p, domain.PermCustomersDelete); err != nil {
		return res, err
	}
	if !ValidID(survivorID) {
		return res, domain.Errorf(domain.CodeNotFound)
	}
	sides, err := checkMergeRequest(survivorID, &req)
	if err != nil {
		return res, err
	}
	if req.Preview {
		err = a.store.Read(ctx, func(tx Tx) (err error) {
			res, err = a.planMerge(ctx, tx, survivorID, req, sides)
			return err
		})
		return res, err
	}
	err = a.writeCustomers(ctx, func(tx Tx) error {
		// The absorbed customer's open tickets, both accounts, then both records, each in id
		// order: the order a till closing a ticket (ticket, then account) and a deletion
		// (account, then record) take, so that none of them and no other merge of the pair
		// can wait on this one while it waits on them. No till books on either account
		// meanwhile.
		if err := tx.LockCustomerTickets(ctx, req.AbsorbedID); err != nil {
			return err
		}
		ids := []string{survivorID, req.AbsorbedID}
		slices.Sort(ids)
		for _, id := range ids {
			if _, err := tx.LockAccount(ctx, id, a.now()); err != nil {
				return err
			}
		}
		for _, id := range ids {
			if _, err := tx.LockCustomer(ctx, id); err != nil {
				return mergeNotFound(err, id == req.AbsorbedID)
			}
		}
		var err error
		if res, err = a.planMerge(ctx, tx, survivorID, req, sides); err != nil {
			return err
		}
		return a.doMerge(ctx, tx, p, &res, sides)
	})
	if err != nil {
		return MergeResult{}, err
	}
	return res, nil
}

// checkMergeRequest checks what can be checked without the records, and returns the sides
// chosen.
func checkMergeRequest(survivorID string, req *MergeRequest) (map[string]domain.MergeSide, error) {
	var problems domain.Problems
	switch {
	case req.AbsorbedID == "":
		problems.Add("absorb_id", domain.FieldRequired, nil)
	case req.AbsorbedID == survivorID:
		problems.Add("absorb_id", domain.FieldSameCustomer, nil)
	case !ValidID(req.AbsorbedID):
		problems.Add("absorb_id", domain.FieldNoSuchCustomer, nil)
	}
	sides := map[string]domain.MergeSide{}
	for _, f := range sortedKeys(req.Fields) {
		side := domain.MergeSide(req.Fields[f])
		switch {
		case !slices.Contains(domain.MergeFields, f):
			problems.Add("fields."+f, domain.FieldUnknown, nil)
		case side != domain.MergeSurvivor && side != domain.MergeAbsorbed:
			problems.Add("fields."+f, domain.FieldInvalid, map[string]any{"allowed": "survivor, absorbed"})
		default:
			sides[f] = side
		}
	}
	for _, id := range sortedKeys(req.Versions) {
		switch {
		case id != survivorID && id != req.AbsorbedID:
			problems.Add("versions."+id, domain.FieldUnknown, nil)
		case req.Versions[id] < 1:
			problems.Add("versions."+id, domain.FieldOutOfRange, map[string]any{"min": 1})
		}
	}
	if !req.Preview && !problems.Has("absorb_id") {
		for _, id := range []string{survivorID, req.AbsorbedID} {
			if _, ok := req.Versions[id]; !ok {
				problems.Add("versions."+id, domain.FieldRequired, nil)
			}
		}
	}
	return sides, problems.Err()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mergeNotFound turns a missing absorbed record into a field error (the survivor missing
// is the route's 404).
func mergeNotFound(err error, absorbed bool) error {
	if absorbed && domain.ErrorCode(err) == domain.CodeNotFound {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "absorb_id", Code: domain.FieldNoSuchCustomer}}}
	}
	return err
}

// planMerge reads both records and works the merge out.
func (a *App) planMerge(ctx context.Context, tx Tx, survivorID string, req MergeRequest, sides map[string]domain.MergeSide) (MergeResult, error) {
	var res MergeResult
	var err error
	if res.Survivor, err = tx.Customer(ctx, survivorID); err != nil {
		return res, err
	}
	if res.Absorbed, err = tx.Customer(ctx, req.AbsorbedID); err != nil {
		return res, mergeNotFound(err, true)
	}
	// A record changed since the user saw it: the merge would lose what they did not see.
	for _, c := range []*domain.Customer{&res.Survivor, &res.Absorbed} {
		if v, ok := req.Versions[c.ID]; ok && v != c.Version {
			return res, &domain.Error{Code: domain.CodeConflict,
				Fields:  []domain.FieldError{{Field: "versions." + c.ID, Code: domain.FieldStaleVersion, Params: map[string]any{"current": c.Version}}},
				Details: map[string]any{"reason": domain.ReasonStaleVersion, "customer_id": c.ID}}
		}
	}
	s, ab := &res.Survivor, &res.Absorbed
	for _, f := range domain.MergeFields {
		side, ok := sides[f]
		if !ok {
			side = domain.DefaultMergeSide(s, ab, f)
		}
		sv, av := domain.MergeValue(s, f), domain.MergeValue(ab, f)
		res.Fields = append(res.Fields, MergeField{Field: f, Survivor: sv, Absorbed: av, Differ: sv != av, Side: side})
		sides[f] = side
	}
	if res.SurvivorConsent, err = consentChoice(ctx, tx, s); err != nil {
		return res, err
	}
	if res.AbsorbedConsent, err = consentChoice(ctx, tx, ab); err != nil {
		return res, err
	}
	res.ConsentSide = domain.MergeConsent(res.SurvivorConsent, res.AbsorbedConsent)
	res.Merged = domain.MergedCustomer(s, ab, sides, res.ConsentSide)
	country, err := a.defaultCountry(ctx, tx)
	if err != nil {
		return res, err
	}
	if err := res.Merged.Prepare(country); err != nil {
		return res, err
	}
	res.GroupNames = map[string]string{}
	for _, id := range []string{s.GroupID, ab.GroupID} {
		if id == "" || res.GroupNames[id] != "" {
			continue
		}
		g, err := tx.Group(ctx, id)
		if err != nil {
			return res, err
		}
		res.GroupNames[id] = g.Name
		if id == res.Merged.GroupID {
			res.Group = &g
		}
	}
	if res.Moves, err = tx.MergeCounts(ctx, ab.ID); err != nil {
		return res, err
	}
	if res.SurvivorBalanceCents, err = tx.AccountBalance(ctx, s.ID); err != nil {
		return res, err
	}
	res.MergedBalanceCents = res.SurvivorBalanceCents + res.Moves.BalanceCents
	return res, nil
}

// consentChoice is a record's last consent choice: the later of its consent date (set when
// consent is given, and by an unsubscribe link) and the last change the audit recorded.
func consentChoice(ctx context.Context, tx Tx, c *domain.Customer) (domain.ConsentChoice, error) {
	ch := domain.ConsentChoice{Consent: c.MarketingConsent, At: c.MarketingConsentAt}
	last, err := tx.LastConsentChange(ctx, c.ID)
	if err != nil {
		return ch, err
	}
	if last != nil && (ch.At == nil || last.After(*ch.At)) {
		ch.At = last
	}
	return ch, nil
}

// doMerge commits a planned merge in the transaction that holds both records.
func (a *App) doMerge(ctx context.Context, tx Tx, p domain.Principal, res *MergeResult, sides map[string]domain.MergeSide) error {
	s, ab := &res.Survivor, &res.Absorbed
	now := a.now()
	tc := domain.TicketCustomer{ID: s.ID}
	if g := res.Group; g != nil {
		tc.GroupID, tc.GroupName, tc.DiscountBasisPoints = g.ID, g.Name, g.DiscountBasisPoints
	}
	moved, err := tx.MoveCustomerRecords(ctx, ab.ID, tc, now)
	if err != nil {
		return err
	}
	res.Moves = moved
	res.MergedBalanceCents = res.SurvivorBalanceCents + moved.BalanceCents
	// The absorbed record goes first: its reference, which the survivor may take, is unique.
	if err := tx.DeleteCustomer(ctx, ab.ID); err != nil {
		return err
	}
	m := &res.Merged
	if m.MarketingConsent && m.MarketingConsentAt == nil {
		m.MarketingConsentAt = &now
	}
	m.Version, m.UpdatedAt = s.Version+1, now
	if err := tx.UpdateCustomer(ctx, m, s.Version); err != nil {
		return err
	}
	choices := map[string]any{}
	for f, side := range sides {
		choices[f] = string(side)
	}
	// The one audit entry that keeps field values: an admin must be able to see what the
	// absorbed record held (docs/merge.md).
	if err := a.audit(ctx, tx, p, domain.ActionCustomerMerge, "customer", s.ID, domain.ChangedFields(s, m), map[string]any{
		"absorbed_id": ab.ID, "absorbed": CustomerRecord(ab), "choices": choices, "consent_from": string(res.ConsentSide),
		"moved_records": moved.record(), "balance_cents": res.MergedBalanceCents,
	}); err != nil {
		return err
	}
	if err := a.audit(ctx, tx, p, domain.ActionCustomerMergedTo, "customer", ab.ID, nil, map[string]any{"survivor_id": s.ID}); err != nil {
		return err
	}
	res.Done = true
	return nil
}

func (m MergeMoves) record() map[string]any {
	return map[string]any{"invoices": m.Invoices, "invoice_total_cents": m.InvoiceTotalCents, "ledger_entries": m.LedgerEntries,
		"balance_cents": m.BalanceCents, "open_tickets": m.Tickets, "messages": m.Messages, "campaigns": m.Campaigns,
		"unsubscribes": m.Unsubscribes}
}

// CustomerRecord is a customer whole, under the API's field names: what a merge's audit
// entry keeps of the absorbed record.
func CustomerRecord(c *domain.Customer) map[string]any {
	r := map[string]any{
		"id": c.ID, "kind": string(c.Kind), "title": string(c.Title), "first_name": c.FirstName, "last_name": c.LastName,
		"company_name": c.CompanyName, "legal_form": c.LegalForm, "display_name": c.DisplayName(), "tax_id": c.TaxID,
		"email": c.Email, "phone": c.Phone,
		"address": map[string]any{"line1": c.Address.Line1, "line2": c.Address.Line2, "postal_code": c.Address.PostalCode,
			"city": c.Address.City, "region": c.Address.Region, "country": c.Address.Country},
		"reference": c.Reference, "account_number": c.AccountNumber, "group_id": c.GroupID, "notes": c.Notes,
		"invoice_by_email": c.InvoiceByEmail, "marketing_consent": c.MarketingConsent,
		"credit_limit_cents": c.CreditLimitCents, "created_at": c.CreatedAt.Format(time.RFC3339Nano),
		"updated_at": c.UpdatedAt.Format(time.RFC3339Nano), "version": c.Version,
	}
	if c.MarketingConsentAt != nil {
		r["marketing_consent_at"] = c.MarketingConsentAt.Format(time.RFC3339Nano)
	}
	return r
}

// MergeHistory lists the merges a customer absorbed, newest first (the audit entries of
// action customer.merge on it), for the merge page and the admin's eye.
func (a *App) MergeHistory(ctx context.Context, p domain.Principal, customerID string) ([]domain.AuditEntry, error) {
	if err := authorize(p, domain.PermCustomersDelete); err != nil {
		return nil, err
	}
	if !ValidID(customerID) {
		return nil, domain.Errorf(domain.CodeNotFound)
	}
	var out []domain.AuditEntry
	err := a.store.Read(ctx, func(tx Tx) error {
		var before int64
		for range maxMergeHistoryPages {
			rows, err := tx.AuditEntries(ctx, AuditFilter{EntityType: "customer", EntityID: customerID, BeforeID: before, Limit: MaxPageSize})
			if err != nil {
				return err
			}
			for _, e := range rows {
				if e.Action == domain.ActionCustomerMerge {
					out = append(out, e)
				}
			}
			if len(rows) < MaxPageSize {
				return nil
			}
			before = rows[len(rows)-1].ID
		}
		return nil
	})
	return out, err
}

// maxMergeHistoryPages bounds the audit pages MergeHistory reads (of MaxPageSize entries).
const maxMergeHistoryPages = 10

// MergeVersions is the versions field of a merge for two records read together.
func MergeVersions(s, ab *domain.Customer) map[string]int64 {
	return map[string]int64{s.ID: s.Version, ab.ID: ab.Version}
}
