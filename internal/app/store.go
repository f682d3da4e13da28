package app

import (
	"context"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// Store is the storage the use cases run on. Write runs fn in one read-write transaction and
// commits it when fn returns nil; Read runs fn in a read-only one, all of whose reads see one
// snapshot. ReadOne runs fn, which must run exactly one statement (one Tx method that reads
// one row set, such as CustomerByReference or SessionByHash), without a transaction: for
// lookups on hot paths, which a transaction's BEGIN and COMMIT would make several times
// slower; it cannot write either. Implementations: package sqlstore, on SQLite and on
// PostgreSQL.
type Store interface {
	Write(ctx context.Context, fn func(Tx) error) error
	Read(ctx context.Context, fn func(Tx) error) error
	ReadOne(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is what one transaction can do. Lookups of missing rows return a domain error with
// CodeNotFound; a stale version on update returns CodePreconditionFailed; a taken unique value
// returns CodeDuplicate naming the field.
type Tx interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	PutSetting(ctx context.Context, key, value string) error
	// PutSettingIfAbsent stores value unless key has one, and returns the value key holds
	// (the same in every process, however many race to add it).
	PutSettingIfAbsent(ctx context.Context, key, value string) (string, error)
	// ClaimSetting stores value when key has none or a smaller one (compared as text) and
	// reports whether it did: of processes racing to claim one value, exactly one wins.
	ClaimSetting(ctx context.Context, key, value string) (bool, error)

	CreateGroup(ctx context.Context, g *domain.Group) error
	Group(ctx context.Context, id string) (domain.Group, error)
	Groups(ctx context.Context, afterNameKey string, limit int) ([]domain.Group, error)
	UpdateGroup(ctx context.Context, g *domain.Group, expectedVersion int64) error
	DeleteGroup(ctx context.Context, id string) error
	GroupMemberCount(ctx context.Context, id string) (int64, error)
	// GroupMemberCounts counts the members of each of the groups ids (a group without
	// members may be missing from the map). Group and Groups leave MemberCount zero: only
	// what shows the count pays for it.
	GroupMemberCounts(ctx context.Context, ids []string) (map[string]int64, error)
	MoveGroupMembers(ctx context.Context, fromID, toID string, now time.Time) (int64, error)

	CreateCustomer(ctx context.Context, c *domain.Customer) error
	Customer(ctx context.Context, id string) (domain.Customer, error)
	CustomerByReference(ctx context.Context, reference string) (domain.Customer, error)
	UpdateCustomer(ctx context.Context, c *domain.Customer, expectedVersion int64) error
	DeleteCustomer(ctx context.Context, id string) error
	// ListCustomers pages through the register in name order.
	ListCustomers(ctx context.Context, f ListFilter) ([]domain.Customer, error)
	// MatchCustomers returns customers who have a word starting with every term, by tier
	// (TierNameWords, TierNamePrefixes, TierOther) and within a tier in storage order (seq),
	// after the position f.After. It never scores matches, so it stays fast on common terms.
	MatchCustomers(ctx context.Context, f MatchFilter) ([]Match, error)
	// ExactCustomers returns customers whose reference, tax id or e-mail equals the keys given.
	ExactCustomers(ctx context.Context, referenceKey, taxID, emailKey, groupID string, limit int) ([]domain.Customer, error)

	CreateUser(ctx context.Context, u *domain.User) error
	UserByUsername(ctx context.Context, username string) (domain.User, error)
	UserByID(ctx context.Context, id string) (domain.User, error)
	// Users lists every user by user name, without password hashes.
	Users(ctx context.Context) ([]domain.User, error)
	CountUsers(ctx context.Context) (int64, error)
	// CountEnabledAdmins counts the admins who are not disabled.
	CountEnabledAdmins(ctx context.Context) (int64, error)
	// LockUsers makes transactions that change roles or enabled state take turns, so that
	// two of them cannot each leave the other's admin as the last one and both go through.
	LockUsers(ctx context.Context) error
	SetUserRole(ctx context.Context, id string, role domain.Role) error
	SetUserDisabledAt(ctx context.Context, id string, at *time.Time) error
	SetUserPasswordHash(ctx context.Context, id, hash string) error
	SetUserLanguage(ctx context.Context, id, lang string) error

	CreateAPIToken(ctx context.Context, t *domain.APIToken) error
	APIToken(ctx context.Context, id string) (domain.APIToken, error)
	// APITokens lists every token with its user's name, newest first, without hashes.
	APITokens(ctx context.Context) ([]domain.APIToken, error)
	RevokeAPIToken(ctx context.Context, id string, at time.Time) error
	// TouchAPIToken records a use of a token unless one after staleBefore is recorded.
	TouchAPIToken(ctx context.Context, id string, at, staleBefore time.Time) error
	// PrincipalByTokenHash returns who holds a token: CodeUnauthenticated when the token is
	// unknown or revoked, or its user disabled.
	PrincipalByTokenHash(ctx context.Context, hash string) (domain.Principal, error)

	CreateSession(ctx context.Context, s *domain.Session) error
	// SessionByHash returns a session that expires after now and whose user is enabled,
	// with its principal; CodeUnauthenticated otherwise.
	SessionByHash(ctx context.Context, idHash string, now time.Time) (domain.Session, domain.Principal, error)
	// TouchSession moves a session's last request and expiry forward, unless its last
	// request is already after staleBefore (another request or process did it).
	TouchSession(ctx context.Context, idHash string, lastSeen, expires, staleBefore time.Time) error
	// DeleteSession deletes a session and returns its user's id; "" when there was none.
	DeleteSession(ctx context.Context, idHash string) (userID string, err error)
	// DeleteUserSessions deletes a user's sessions but the one with id exceptHash.
	DeleteUserSessions(ctx context.Context, userID, exceptHash string) (int64, error)
	PurgeSessions(ctx context.Context, now time.Time) (int64, error)

	// AddLoginFailure counts one failure against key and returns the count in the current
	// window. A window that started at or before staleBefore is over: the count starts again
	// at one in a window starting now.
	AddLoginFailure(ctx context.Context, key string, now, staleBefore time.Time) (LoginFailures, error)
	// UndoLoginFailure takes back one failure counted in the window that started at
	// windowStart (nothing when that window has been replaced).
	UndoLoginFailure(ctx context.Context, key string, windowStart time.Time) error
	ClearLoginFailures(ctx context.Context, key string) error
	// PurgeLoginFailures deletes the counts of windows that started at or before staleBefore.
	PurgeLoginFailures(ctx context.Context, staleBefore time.Time) (int64, error)

	AppendAudit(ctx context.Context, e *domain.AuditEntry) error
	AuditEntries(ctx context.Context, f AuditFilter) ([]domain.AuditEntry, error)

	RegisterLookups // duplicates.go
	AccountStore    // customer accounts: accounts_store.go
	JournalReads    // the accounting export: accounts_store.go
	ReportReads     // debtors and creditors: accounts_store.go
	OutboxStore     // e-mail: outbox_store.go
	CampaignStore   // messages to customers: campaigns_store.go
	ImportReads     // imports: imports_store.go
	DuplicateStore  // duplicate pairs: duplicate_pairs.go
	MergeStore      // merging two customers: merge_store.go
	PrivacyStore    // privacy requests and retention: privacy_store.go

	// The till: the shop's details, open tickets (sqlstore/tickets.go) and invoices
	// (sqlstore/invoices.go).

	// Shop returns the shop's details; Address.Country is left empty (it is the
	// default_country setting).
	Shop(ctx context.Context) (domain.Shop, error)
	UpdateShop(ctx context.Context, s *domain.Shop, expectedVersion int64) error
	CreateTicket(ctx context.Context, t *domain.Ticket) error
	// Ticket returns an open ticket with its lines and its customer's name; CodeNotFound once
	// it is closed or discarded.
	Ticket(ctx context.Context, id string) (domain.Ticket, error)
	// OpenTickets lists a user's open tickets, oldest first.
	OpenTickets(ctx context.Context, ownerID string) ([]domain.Ticket, error)
	// LockTicket starts a change of a ticket: it moves its version on by one and its
	// updated_at to at, holding the row until the transaction ends (so changes of one ticket
	// take turns), and returns the new version; CodeNotFound when there is no such ticket.
	LockTicket(ctx context.Context, id string, at time.Time) (int64, error)
	// SetTicketCustomer attaches a customer with the group discount captured now; nil detaches.
	SetTicketCustomer(ctx context.Context, ticketID string, c *domain.TicketCustomer) error
	AddTicketLine(ctx context.Context, ticketID string, l *domain.TicketLine) error
	UpdateTicketLine(ctx context.Context, ticketID string, l *domain.TicketLine) error
	DeleteTicketLine(ctx context.Context, ticketID, lineID string) error
	DeleteTicket(ctx context.Context, id string) error

	// ClaimIdempotencyKey records that key (in scope) is used for request with result, unless
	// it already is, and returns the request and result it holds: these when the claim is
	// new, the first ones otherwise. Two transactions claiming one key take turns
	// (PostgreSQL: the second waits for the first to commit, then reads its claim).
	ClaimIdempotencyKey(ctx context.Context, scope, key, request, result string, at time.Time) (heldRequest, heldResult string, err error)
	// NextInvoiceNumber takes the next number of a series in a year (from 1), holding the
	// counter until the transaction ends, so numbers are neither shared nor skipped.
	NextInvoiceNumber(ctx context.Context, series string, year int) (int64, error)
	// AdvanceChain takes the next place in the invoice chain, holding the chain's head until
	// the transaction ends, and returns the place (from 1) and the previous record's
	// fingerprint ("" for the first). SetChainHead stores the new record's.
	AdvanceChain(ctx context.Context) (position int64, previous string, err error)
	SetChainHead(ctx context.Context, fingerprint string) error
	// CreateInvoice stores an issued invoice with its lines, VAT and payments.
	CreateInvoice(ctx context.Context, inv *domain.Invoice) error
	// Invoice returns an invoice whole (lines, VAT, payments, the invoice it rectifies).
	Invoice(ctx context.Context, id string) (domain.Invoice, error)
	// ListInvoices returns invoices without their lines, newest first.
	ListInvoices(ctx context.Context, f InvoiceFilter) ([]domain.Invoice, error)
	// ReturnedQuantities sums, per line position of an invoice, the quantities its
	// rectifying invoices have returned (positive).
	ReturnedQuantities(ctx context.Context, invoiceID string) (map[int]domain.Quantity, error)
	// ChainRecords returns the chain's records after position, in order, at most limit.
	ChainRecords(ctx context.Context, afterPosition int64, limit int) ([]ChainRecord, error)
	// ChainHead returns the stored head of the chain and its length.
	ChainHead(ctx context.Context) (head string, length int64, err error)
	// CustomerInvoiceTotals lists the date and total of each invoice of a customer issued
	// at or after since, and the totals of all their invoices.
	CustomerInvoiceTotals(ctx context.Context, customerID string, since time.Time) (CustomerInvoiceSummary, error)
}

// InvoiceFilter selects invoices, newest first (by issue time, then storage order).
type InvoiceFilter struct {
	CustomerID  string
	RectifiesID string    // only the rectifying invoices of this one (index invoices_rectifies)
	From, To    time.Time // zero: unbounded; To is exclusive
	Number      string    // exact, or a prefix when it ends with no digits after the dash
	Type        domain.InvoiceType
	NameTerms   []string // folded words that must all appear in the customer's name
	// Before: after the row (issued at, seq) of the previous page; zero Seq for the first.
	BeforeAt  time.Time
	BeforeSeq int64
	Limit     int
}

// ChainRecord is one stored record of the invoice chain, with the invoice's own columns the
// record repeats (so that a change to either is seen).
type ChainRecord struct {
	Position    int64
	InvoiceID   string
	Record      verifactu.Record
	Fingerprint string

	IssuerTaxID string
	Number      string
	Type        domain.InvoiceType
	IssuedAt    time.Time
	VATCents    int64
	TotalCents  int64
}

// matchesRecord reports whether the invoice's columns still say what its record says.
func (c *ChainRecord) matchesRecord() bool {
	r := &c.Record
	return r.IDEmisorFactura == c.IssuerTaxID && r.NumSerieFactura == c.Number && r.TipoFactura == string(c.Type) &&
		r.FechaExpedicionFactura == verifactu.Date(c.IssuedAt.In(verifactu.Madrid())) &&
		r.CuotaTotal == verifactu.Amount(c.VATCents) && r.ImporteTotal == verifactu.Amount(c.TotalCents)
}

// CustomerInvoiceSummary is what a customer's invoices add up to.
type CustomerInvoiceSummary struct {
	TotalCents   int64 // every invoice, returns subtracted
	InvoiceCount int64 // invoices, rectifying ones not counted
	LastIssuedAt *time.Time
	// Recent are the invoices issued since the date asked for, oldest first.
	Recent []InvoiceAmount
}

// InvoiceAmount is an invoice's date and total.
type InvoiceAmount struct {
	IssuedAt   time.Time
	TotalCents int64
}

// LoginFailures is the failure count of one throttle key in its current window.
type LoginFailures struct {
	Count       int64
	WindowStart time.Time
}

// ListFilter pages through customers in name order.
type ListFilter struct {
	GroupID  string
	Balance  BalanceSide // only debtors or creditors; "" everyone
	AfterKey string      // sort key of the last row of the previous page
	AfterSeq int64       // and its seq; zero for the first page
	Limit    int
}

// MatchFilter is a search over the full-text index.
type MatchFilter struct {
	Terms   []string // folded, letters and digits only (search.QueryTerms)
	GroupID string
	After   MatchPosition // zero: from the first match
	Limit   int
}

// MatchPosition is a place in search results: after the customer with this seq in this tier.
type MatchPosition struct {
	Tier Tier
	Seq  int64
}

// Match is one search result and the tier it was found in.
type Match struct {
	Tier     Tier
	Customer domain.Customer
}

// Tier is how well a customer matches a search, best first; results come tier by tier, each
// in the order customers were registered.
type Tier int

// The tiers of a search. A customer is in the first tier whose rule they meet.
const (
	// TierExact: the reference, tax id or e-mail address is the whole query (found by
	// ExactCustomers, not MatchCustomers).
	TierExact Tier = 0
	// TierNameWords: every term is a whole word of the name (first, last or company name):
	// "vela" finds Vela here, and Velasco in the next tier.
	TierNameWords Tier = 1
	// TierNamePrefixes: every term starts a word of the name.
	TierNamePrefixes Tier = 2
	// TierOther: the rest, where some term matches only the city, e-mail, phone, reference
	// or tax id ("bar" in Barcelona).
	TierOther Tier = 3
)

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	EntityType string
	EntityID   string
	BeforeID   int64 // zero: from the newest
	Limit      int
}
