package app

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/transfer"
)

// Existing is what an import does with a row that matches a customer already registered.
type Existing string

// Policies for rows that match a customer.
const (
	ExistingSkip   Existing = "skip"
	ExistingUpdate Existing = "update"
	ExistingRefuse Existing = "refuse"
)

// DefaultImportBatch is how many rows an import commits at a time: each batch is one
// transaction, all or nothing, with its audit entry.
const DefaultImportBatch = 1000

// maxReportedRefusals bounds the refused rows a report keeps (all go to OnRefused).
const maxReportedRefusals = 200

// ImportOptions say how to read a file's rows into the register.
type ImportOptions struct {
	Mapping      []transfer.Field // one field per column
	Key          ImportKey        // matched by; rows without it fall back to the other keys
	Existing     Existing
	CreateGroups bool // groups named in the file and missing are created (else refused rows)
	DryRun       bool // count what would happen, change nothing
	BatchSize    int  // 0: DefaultImportBatch
	FileName     string
	// Bulk lets a store that can (BulkLoader) drop the register's secondary indexes for the
	// import and rebuild them at the end: for large files (the CLI does it from 50,000 rows).
	Bulk bool
	// OnRefused hears every refused row (to write the refused-rows file).
	OnRefused func(RefusedRow) error
	// Progress hears after each batch how many rows are done.
	Progress func(done int64)
}

// RefusedRow is a row the import refused: its line, its cells as read, and why.
type RefusedRow struct {
	Line     int
	Cells    []string
	Problems []domain.FieldError
}

// Reason is the refusal in one line: "field: code; field: code".
func (r RefusedRow) Reason() string {
	var parts []string
	for _, p := range r.Problems {
		parts = append(parts, p.Field+": "+p.Code)
	}
	return strings.Join(parts, "; ")
}

// ImportReport is what an import did (or, dry, would do).
type ImportReport struct {
	DryRun    bool
	Rows      int64 // data rows read
	Created   int64
	Updated   int64
	Unchanged int64 // matched, update asked, nothing differed
	Skipped   int64 // matched under the policy skip
	Refused   int64
	// CreatedWithoutKey counts the created rows with no reference, tax id, e-mail nor id:
	// nothing tells them apart on a second run, which creates them again.
	CreatedWithoutKey int64
	Batches           int64
	BatchSize         int
	// GroupsCreated names the groups the import created (or would).
	GroupsCreated []string
	RefusedRows   []RefusedRow // the first maxReportedRefusals
}

// checkImportOptions refuses options that make no sense.
func checkImportOptions(o *ImportOptions) error {
	var p domain.Problems
	if o.Key == "" {
		o.Key = KeyReference
	}
	if o.Existing == "" {
		o.Existing = ExistingSkip
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultImportBatch
	}
	switch o.Key {
	case KeyReference, KeyTaxID, KeyEmail:
	default:
		p.Add("key", domain.FieldInvalid, map[string]any{"allowed": "reference, tax_id, email"})
	}
	switch o.Existing {
	case ExistingSkip, ExistingUpdate, ExistingRefuse:
	default:
		p.Add("existing", domain.FieldInvalid, map[string]any{"allowed": "skip, update, refuse"})
	}
	mapped := false
	for _, f := range o.Mapping {
		if !transfer.ValidField(f) {
			p.Add("mapping", domain.FieldInvalid, map[string]any{"field": string(f)})
		}
		mapped = mapped || f != transfer.FieldIgnore
	}
	if !mapped && !p.Has("mapping") {
		p.Add("mapping", domain.FieldRequired, nil)
	}
	return p.Err()
}

// importRow is one row on its way through a batch.
type importRow struct {
	line   int
	cells  []string
	parsed transfer.Parsed
}

// ImportCustomers reads rows (the header already read) into the register with opts, a batch
// at a time; each batch is one transaction with its audit entry, and the job ends with an
// entry holding the report. Rows are checked by the same rules as the customer form
// (domain.CustomerChanges.Apply, domain.Customer.Prepare, the group and the unique
// reference). A row that matches a customer by opts.Key (or, without it, by the other keys,
// or by an id column naming a customer) is skipped, updated or refused as opts.Existing says;
// an update that changes nothing counts as unchanged, so importing a file again changes
// nothing. Needs customers.update (and groups.write to create groups).
func (a *App) ImportCustomers(ctx context.Context, p domain.Principal, rows transfer.Rows, opts ImportOptions) (rep ImportReport, err error) {
	rep.DryRun = opts.DryRun
	if err := authorize(p, domain.PermCustomersUpdate); err != nil {
		return rep, err
	}
	if opts.CreateGroups && !opts.DryRun {
		if err := authorize(p, domain.PermGroupsWrite); err != nil {
			return rep, err
		}
	}
	if err := checkImportOptions(&opts); err != nil {
		return rep, err
	}
	rep.BatchSize = opts.BatchSize
	jobID, err := newID()
	if err != nil {
		return rep, err
	}
	im := &importer{a: a, p: p, opts: &opts, rep: &rep, jobID: jobID, groups: map[string]string{},
		seen: map[uint64]int{}, seed: maphash.MakeSeed()}
	if loader, ok := a.store.(BulkLoader); ok && opts.Bulk && !opts.DryRun {
		if err := loader.StartBulkLoadKeeping(ctx); err != nil {
			return rep, err
		}
		defer func() {
			if ferr := loader.FinishBulkLoad(context.WithoutCancel(ctx)); ferr != nil && err == nil {
				err = ferr
			}
		}()
	}
	// The shop's country, for the rows without one: read once, as the rows are prepared ahead.
	if err := a.store.Read(ctx, func(tx Tx) error {
		var err error
		im.country, err = a.defaultCountry(ctx, tx)
		return err
	}); err != nil {
		return rep, err
	}
	// One goroutine reads, converts and checks the rows of the next batch while this one
	// writes the batch before (on a million rows, the reading and checking is a quarter of the
	// work, the writing the rest).
	pctx, cancel := context.WithCancel(ctx)
	batches := make(chan preparedBatch, 1)
	go im.produce(pctx, rows, batches)
	defer func() {
		cancel()
		for range batches { // the producer is done with rows before the caller closes them
		}
	}()
	for pb := range batches {
		if pb.err != nil {
			return rep, pb.err
		}
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("import interrupted after %d rows: %w", rep.Rows, err)
		}
		if err := im.batch(ctx, pb.rows); err != nil {
			return rep, err
		}
		if opts.Progress != nil {
			opts.Progress(rep.Rows)
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("import interrupted after %d rows: %w", rep.Rows, err)
	}
	if opts.DryRun {
		return rep, nil
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		return a.audit(ctx, tx, p, domain.ActionImportCustomersDone, "import", jobID, nil, rep.auditDetails(opts))
	})
	return rep, err
}

func (r *ImportReport) auditDetails(o ImportOptions) map[string]any {
	return map[string]any{"file": o.FileName, "key": string(o.Key), "existing": string(o.Existing),
		"rows": r.Rows, "created": r.Created, "updated": r.Updated, "unchanged": r.Unchanged,
		"skipped": r.Skipped, "refused": r.Refused, "created_without_key": r.CreatedWithoutKey, "batches": r.Batches, "groups_created": len(r.GroupsCreated)}
}

// importer holds an import's state between batches.
type importer struct {
	a      *App
	p      domain.Principal
	opts   *ImportOptions
	rep    *ImportReport
	jobID  string
	groups map[string]string // name key → id ("" for a group a dry run would create)
	// seen holds the hashes of the keys of the rows taken so far, with their lines: a later
	// row with the same key is refused as a duplicate within the file (so that a second run
	// finds each customer once and changes nothing), and, in a dry run, of the references of
	// the rows that would be created. About 30 bytes a row. batchSeen holds the current
	// batch's, merged once it commits.
	seen, batchSeen map[uint64]int
	seed            maphash.Seed
	country         string // the shop's, for rows without one
}

// preparedBatch is a batch of rows read and checked alone, or the error that stopped reading.
type preparedBatch struct {
	rows []prepared
	err  error
}

// produce reads the rows a batch at a time, converts and prepares each (prepareRows), and
// sends the batches to out until the rows end, reading fails or ctx is done; it closes out.
func (im *importer) produce(ctx context.Context, rows transfer.Rows, out chan<- preparedBatch) {
	defer close(out)
	send := func(pb preparedBatch) bool {
		select {
		case out <- pb:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for eof := false; !eof; {
		batch := make([]importRow, 0, im.opts.BatchSize)
		for len(batch) < im.opts.BatchSize {
			line, cells, rerr := rows.Next()
			if errors.Is(rerr, io.EOF) {
				eof = true
				break
			}
			if rerr != nil {
				send(preparedBatch{err: &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "file", Code: domain.FieldInvalid,
					Params: map[string]any{"line": line}}}, Cause: rerr}})
				return
			}
			batch = append(batch, importRow{line: line, cells: cells})
		}
		if len(batch) == 0 || ctx.Err() != nil {
			return
		}
		prepared, err := im.prepareRows(batch)
		if !send(preparedBatch{rows: prepared, err: err}) || err != nil {
			return
		}
	}
}

func (im *importer) seenLine(h uint64) (int, bool) {
	if l, ok := im.batchSeen[h]; ok {
		return l, true
	}
	l, ok := im.seen[h]
	return l, ok
}

func (im *importer) hash(kind, v string) uint64 {
	return maphash.String(im.seed, kind+"\x00"+v)
}

// batch runs one batch in one transaction: rolled back in a dry run.
func (im *importer) batch(ctx context.Context, batch []prepared) error {
	var counts ImportReport
	var refused []RefusedRow
	var newGroups []string
	errDry := errors.New("dry run")
	write := im.a.writeCustomers
	err := write(ctx, func(tx Tx) error {
		counts, refused, newGroups = ImportReport{}, refused[:0], newGroups[:0]
		if err := im.run(ctx, tx, im.country, batch, &counts, &refused, &newGroups); err != nil {
			return err
		}
		if im.opts.DryRun {
			return errDry
		}
		return im.a.audit(ctx, tx, im.p, domain.ActionImportCustomers, "import", im.jobID, nil, map[string]any{
			"batch": im.rep.Batches + 1, "rows": len(batch), "created": counts.Created, "updated": counts.Updated,
			"skipped": counts.Skipped, "refused": counts.Refused})
	})
	if err != nil && !errors.Is(err, errDry) {
		// The batch changed nothing: groups it created are gone too.
		for _, name := range newGroups {
			delete(im.groups, search.Key(name))
		}
		return fmt.Errorf("import batch %d (lines %d–%d): %w", im.rep.Batches+1, batch[0].row.line, batch[len(batch)-1].row.line, err)
	}
	for h, l := range im.batchSeen {
		im.seen[h] = l
	}
	r := im.rep
	r.Rows += int64(len(batch))
	r.Created += counts.Created
	r.Updated += counts.Updated
	r.Unchanged += counts.Unchanged
	r.Skipped += counts.Skipped
	r.Refused += counts.Refused
	r.CreatedWithoutKey += counts.CreatedWithoutKey
	r.Batches++
	r.GroupsCreated = append(r.GroupsCreated, newGroups...)
	for _, rr := range refused {
		if len(r.RefusedRows) < maxReportedRefusals {
			r.RefusedRows = append(r.RefusedRows, rr)
		}
		if im.opts.OnRefused != nil {
			if err := im.opts.OnRefused(rr); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyOf is the customer's value of key, in the form the store matches.
func keyOf(c *domain.Customer, key ImportKey) string {
	switch key {
	case KeyReference:
		return domain.ReferenceKey(c.Reference)
	case KeyTaxID:
		return c.TaxID
	case KeyEmail:
		return domain.EmailKey(c.Email)
	}
	return ""
}

// keyOrder is the chosen key first, then the others.
func keyOrder(k ImportKey) []ImportKey {
	out := []ImportKey{k}
	for _, o := range []ImportKey{KeyReference, KeyTaxID, KeyEmail} {
		if o != k {
			out = append(out, o)
		}
	}
	return out
}

// prepared is a row made into a customer, or refused.
type prepared struct {
	row      *importRow
	c        domain.Customer // the row alone, prepared (for the keys)
	key      ImportKey       // the key it is matched by ("" none)
	keyValue string
	problems domain.Problems
	aloneOK  bool   // c passed Prepare: a create can take it as it is
	refOK    bool   // c's reference passed Prepare
	doc      string // c's search document, when aloneOK and the store makes them ahead
}

// prepareRows converts each row of a batch and prepares it alone (for its keys, and as the
// customer a create takes as it is): no I/O, so it runs ahead of the writer.
func (im *importer) prepareRows(batch []importRow) ([]prepared, error) {
	rows := make([]prepared, len(batch))
	for i := range batch {
		r := &rows[i]
		r.row = &batch[i]
		parsed, problems := transfer.Convert(batch[i].cells, im.opts.Mapping)
		batch[i].parsed = parsed
		r.problems = problems
		if len(r.problems) > 0 {
			continue
		}
		// The row alone, normalised for its keys. Its other problems may not be the
		// outcome's (an update fills in what the row leaves out): the create or the update
		// checks the whole customer.
		r.c = domain.Customer{}
		parsed.Changes.Apply(&r.c)
		var alone domain.Problems
		if err := r.c.Prepare(im.country); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return nil, err
			}
			alone = de.Fields
		}
		r.aloneOK = len(alone) == 0
		r.refOK = !alone.Has("reference")
		if dm, ok := im.a.store.(CustomerDocumenter); ok && r.aloneOK {
			r.doc = dm.CustomerDocument(&r.c)
		}
		for _, k := range keyOrder(im.opts.Key) {
			if alone.Has(string(k)) {
				continue
			}
			if v := keyOf(&r.c, k); v != "" {
				r.key, r.keyValue = k, v
				break
			}
		}
	}
	return rows, nil
}

func (im *importer) run(ctx context.Context, tx Tx, country string, rows []prepared, counts *ImportReport,
	refused *[]RefusedRow, newGroups *[]string) error {
	now := im.a.now()
	im.batchSeen = map[uint64]int{}
	byKey := map[ImportKey][]string{}
	for i := range rows {
		r := &rows[i]
		if len(r.problems) > 0 {
			continue
		}
		if id := r.row.parsed.ID; id != "" && ValidID(id) {
			byKey[KeyID] = append(byKey[KeyID], id)
		}
		if ref := domain.ReferenceKey(r.c.Reference); ref != "" && r.refOK {
			byKey[KeyReference] = append(byKey[KeyReference], ref) // for the taken check
		}
		if r.key != "" && !ValidID(r.row.parsed.ID) { // a row with an id is matched by it alone (row)
			byKey[r.key] = append(byKey[r.key], r.keyValue)
		}
	}
	// The customers the batch's keys name, a query per key.
	existing := map[ImportKey]map[string][]domain.Customer{}
	for k, vals := range byKey {
		found, err := tx.CustomersByKeys(ctx, k, vals)
		if err != nil {
			return err
		}
		m := map[string][]domain.Customer{}
		for _, c := range found {
			v := keyOf(&c, k)
			if k == KeyID {
				v = c.ID
			}
			m[v] = append(m[v], c)
		}
		existing[k] = m
	}
	// Rows created earlier in this batch, by key and by reference.
	createdRefs := map[string]bool{} // reference keys of the batch's creates
	var creates []domain.Customer
	var docs []string // creates' search documents made ahead ("": none)
	refuse := func(r *prepared, field, code string, params map[string]any) {
		r.problems = append(r.problems, domain.FieldError{Field: field, Code: code, Params: params})
	}
	for i := range rows {
		r := &rows[i]
		if len(r.problems) == 0 {
			if err := im.row(ctx, tx, country, now, r, existing, createdRefs, &creates, &docs, counts, newGroups, refuse); err != nil {
				return err
			}
		}
		if len(r.problems) > 0 {
			counts.Refused++
			*refused = append(*refused, RefusedRow{Line: r.row.line, Cells: r.row.cells, Problems: r.problems})
		}
	}
	if len(creates) == 0 || im.opts.DryRun {
		return nil
	}
	if bc, ok := tx.(BulkCreator); ok {
		return bc.CreateCustomers(ctx, creates, docs)
	}
	for i := range creates {
		if err := tx.CreateCustomer(ctx, &creates[i]); err != nil {
			return err
		}
	}
	return nil
}

// row decides one valid row: create, update, skip or refuse.
func (im *importer) row(ctx context.Context, tx Tx, country string, now time.Time, r *prepared,
	existing map[ImportKey]map[string][]domain.Customer, createdRefs map[string]bool,
	creates *[]domain.Customer, docs *[]string, counts *ImportReport, newGroups *[]string, refuse func(*prepared, string, string, map[string]any)) error {
	parsed := &r.row.parsed
	// The group, by name.
	groupID := ""
	if parsed.HasGroup && parsed.Group != "" {
		id, err := im.group(ctx, tx, parsed.Group, newGroups)
		if err != nil {
			return err
		}
		if id == nil {
			refuse(r, "group", domain.FieldNoSuchGroup, map[string]any{"name": parsed.Group})
			return nil
		}
		groupID = *id
	}
	if parsed.HasGroup {
		parsed.Changes.GroupID = domain.Some(groupID)
	}
	// The customer it matches: a row with an id (an export's) by that id alone, since the id
	// names one customer whatever else they share with others; any other row by its key.
	var match *domain.Customer
	hasID := parsed.ID != "" && ValidID(parsed.ID)
	if hasID {
		h := im.hash("id", parsed.ID)
		if first, dup := im.seenLine(h); dup {
			refuse(r, "id", domain.FieldDuplicate, map[string]any{"line": first})
			return nil
		}
		im.batchSeen[h] = r.row.line
		if found := existing[KeyID][parsed.ID]; len(found) == 1 {
			match = &found[0]
		}
	} else if r.key != "" {
		h := im.hash(string(r.key), r.keyValue)
		if first, dup := im.seenLine(h); dup {
			// The file holds it twice: the first row wins, here and on every run.
			refuse(r, string(r.key), domain.FieldDuplicate, map[string]any{"line": first})
			return nil
		}
		im.batchSeen[h] = r.row.line
		holders := existing[r.key][r.keyValue]
		if len(holders) > 1 {
			refuse(r, string(r.key), domain.FieldAmbiguous, map[string]any{"count": len(holders)})
			return nil
		}
		if len(holders) == 1 {
			match = &holders[0]
		}
	}
	if match != nil {
		if im.opts.Existing != ExistingUpdate {
			return im.matched(r, match, counts, refuse)
		}
		return im.update(ctx, tx, country, now, r, match, counts, refuse)
	}
	// A new customer.
	c := domain.Customer{CreatedAt: now, UpdatedAt: now, Version: 1}
	if hasID {
		c.ID = parsed.ID
	} else {
		id, err := newID()
		if err != nil {
			return err
		}
		c.ID = id
	}
	doc := ""
	if r.aloneOK {
		// The row alone passed Prepare: the same customer, with its id, times and group (which
		// its search document does not hold).
		id := c.ID
		c = r.c
		c.ID, c.CreatedAt, c.UpdatedAt, c.Version, c.GroupID = id, now, now, 1, groupID
		doc = r.doc
	} else {
		parsed.Changes.Apply(&c)
		if err := c.Prepare(country); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return err
			}
			r.problems = append(r.problems, de.Fields...)
			return nil
		}
	}
	if c.MarketingConsent {
		c.MarketingConsentAt = &now
	}
	if ref := domain.ReferenceKey(c.Reference); ref != "" {
		_, seenRef := im.seenLine(im.hash("ref", ref))
		// The batch's references were looked up at once (run).
		taken := createdRefs[ref] || im.opts.DryRun && seenRef || len(existing[KeyReference][ref]) > 0
		if taken {
			refuse(r, "reference", domain.FieldTaken, nil)
			return nil
		}
		createdRefs[ref] = true
		if im.opts.DryRun {
			im.batchSeen[im.hash("ref", ref)] = r.row.line
		}
	}
	*creates = append(*creates, c)
	*docs = append(*docs, doc)
	counts.Created++
	if r.key == "" && !hasID {
		counts.CreatedWithoutKey++
	}
	return nil
}

// matched counts a row that matches a customer under skip or refuse (match nil: a row earlier
// in the file).
func (im *importer) matched(r *prepared, match *domain.Customer, counts *ImportReport, refuse func(*prepared, string, string, map[string]any)) error {
	if im.opts.Existing == ExistingRefuse {
		params := map[string]any{}
		if match != nil {
			params["customer_id"] = match.ID
		}
		field := string(r.key)
		if r.row.parsed.ID != "" {
			field = "id"
		}
		refuse(r, field, domain.FieldExists, params)
		return nil
	}
	counts.Skipped++
	return nil
}

func (im *importer) update(ctx context.Context, tx Tx, country string, now time.Time, r *prepared, match *domain.Customer,
	counts *ImportReport, refuse func(*prepared, string, string, map[string]any)) error {
	before := *match
	c := *match
	r.row.parsed.Changes.Apply(&c)
	if err := c.Prepare(country); err != nil {
		var de *domain.Error
		if !errors.As(err, &de) {
			return err
		}
		r.problems = append(r.problems, de.Fields...)
		return nil
	}
	if c.MarketingConsent && !before.MarketingConsent {
		c.MarketingConsentAt = &now
	}
	changed := domain.ChangedFields(&before, &c)
	if len(changed) == 0 {
		counts.Unchanged++
		return nil
	}
	if ref := domain.ReferenceKey(c.Reference); ref != "" && ref != domain.ReferenceKey(before.Reference) {
		if holder, err := tx.CustomerByReference(ctx, c.Reference); err == nil && holder.ID != c.ID {
			refuse(r, "reference", domain.FieldTaken, nil)
			return nil
		} else if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return err
		}
	}
	counts.Updated++
	if im.opts.DryRun {
		return nil
	}
	c.Version, c.UpdatedAt = before.Version+1, now
	return tx.UpdateCustomer(ctx, &c, before.Version)
}

// group returns the id of the group named name (nil when it does not exist and may not be
// created), creating it when the options say so.
func (im *importer) group(ctx context.Context, tx Tx, name string, newGroups *[]string) (*string, error) {
	g := domain.Group{Name: name}
	key := g.NameKey()
	if id, ok := im.groups[key]; ok {
		return &id, nil
	}
	found, err := tx.GroupByNameKey(ctx, key)
	switch {
	case err == nil:
		im.groups[key] = found.ID
		return &found.ID, nil
	case domain.ErrorCode(err) != domain.CodeNotFound:
		return nil, err
	case !im.opts.CreateGroups:
		return nil, nil
	}
	now := im.a.now()
	id, err := newID()
	if err != nil {
		return nil, err
	}
	g = domain.Group{ID: id, CreatedAt: now, UpdatedAt: now, Version: 1}
	domain.GroupChanges{Name: domain.Some(name)}.Apply(&g)
	if err := g.Prepare(); err != nil {
		return nil, nil //nolint:nilerr // an unusable name refuses the row, as an unknown group
	}
	if im.opts.DryRun {
		im.groups[key] = ""
		*newGroups = append(*newGroups, g.Name)
		empty := ""
		return &empty, nil
	}
	if err := tx.CreateGroup(ctx, &g); err != nil {
		return nil, err
	}
	if err := im.a.audit(ctx, tx, im.p, domain.ActionGroupCreate, "group", g.ID, domain.GroupChangedFields(&domain.Group{}, &g),
		map[string]any{"import": im.jobID}); err != nil {
		return nil, err
	}
	im.groups[key] = g.ID
	*newGroups = append(*newGroups, g.Name)
	return &g.ID, nil
}
