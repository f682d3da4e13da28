// Package web is the backoffice: server-rendered pages over the same use cases as the JSON
// API, for the shop owner and the cashiers. Pages work without JavaScript; a small script
// only makes the search narrow as one types and loads more rows while scrolling.
package web

import (
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
)

// Server serves the backoffice pages.
type Server struct {
	app    *app.App
	msgs   *i18n.Bundle
	log    *slog.Logger
	pages  *pages
	assets *assets
	mux    *http.ServeMux
	// countries holds the country picker's options per language, sorted by name.
	countries map[i18n.Lang][]option
	proxies   []netip.Prefix
}

// unsubscribePattern is the route mail programs POST to (see New).
const unsubscribePattern = "POST /unsubscribe/{token}"

// Options are the pages' settings.
type Options struct {
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client.
	TrustedProxies []netip.Prefix
}

// New returns the backoffice handler. It fails only if an embedded template does not parse,
// which a test catches before release.
func New(a *app.App, msgs *i18n.Bundle, log *slog.Logger, opts Options) (*Server, error) {
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	p, err := loadPages(as)
	if err != nil {
		return nil, err
	}
	s := &Server{app: a, msgs: msgs, log: log, pages: p, assets: as, mux: http.NewServeMux(),
		countries: map[i18n.Lang][]option{}, proxies: opts.TrustedProxies}
	for _, lang := range []i18n.Lang{i18n.Spanish, i18n.English} {
		s.countries[lang] = countryOptions(msgs, lang)
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	// Mail programs POST to a message's unsubscribe link from no page of ours (RFC 8058
	// one-click): that route alone is exempt. It needs no session and its token is the
	// only authority, so a forged cross-site POST can do no more than the link itself.
	cop.AddInsecureBypassPattern(unsubscribePattern)
	for _, rt := range s.routes() {
		h := s.withSession(rt)
		s.mux.Handle(rt.pattern, cop.Handler(h))
	}
	s.mux.Handle("GET /static/", http.HandlerFunc(s.assets.serve))
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// access says who may open a page.
type access int

const (
	public   access = iota // anyone, signed in or not (the login page)
	signedIn               // any signed-in user; perm, when set, narrows it
)

// pageFunc handles one page for a request whose caller is known (or, on public pages, may
// not be: the zero Principal).
type pageFunc func(w http.ResponseWriter, r *http.Request, rq *request) error

// route is one line of the route table: the permission a page needs is written next to it,
// and the use cases check it again.
type route struct {
	pattern string
	access  access
	perm    domain.Permission
	handle  pageFunc
}

// routes is the backoffice's route table.
func (s *Server) routes() []route {
	return []route{
		{"GET /{$}", signedIn, "", s.home},
		{"GET /login", public, "", s.loginForm},
		{"POST /login", public, "", s.login},
		{"GET /logout", signedIn, "", s.logoutForm},
		{"POST /logout", signedIn, "", s.logout},

		{"GET /customers", signedIn, domain.PermCustomersRead, s.customerList},
		{"GET /customers/new", signedIn, domain.PermCustomersCreate, s.customerNew},
		{"POST /customers/new", signedIn, domain.PermCustomersCreate, s.customerCreate},
		{"GET /customers/{id}", signedIn, domain.PermCustomersRead, s.customerProfile},
		{"GET /customers/{id}/edit", signedIn, domain.PermCustomersUpdate, s.customerEdit},
		{"POST /customers/{id}/edit", signedIn, domain.PermCustomersUpdate, s.customerUpdate},
		{"GET /customers/{id}/delete", signedIn, domain.PermCustomersDelete, s.customerDeleteForm},
		{"POST /customers/{id}/delete", signedIn, domain.PermCustomersDelete, s.customerDelete},

		{"GET /invoices", signedIn, domain.PermInvoicesRead, s.invoiceList},
		{"GET /invoices/{id}", signedIn, domain.PermInvoicesRead, s.invoiceShow},

		{"GET /groups", signedIn, domain.PermGroupsRead, s.groupList},
		{"GET /groups/new", signedIn, domain.PermGroupsWrite, s.groupNew},
		{"POST /groups/new", signedIn, domain.PermGroupsWrite, s.groupCreate},
		{"GET /groups/{id}", signedIn, domain.PermGroupsRead, s.groupEdit},
		{"POST /groups/{id}", signedIn, domain.PermGroupsWrite, s.groupUpdate},
		{"GET /groups/{id}/delete", signedIn, domain.PermGroupsWrite, s.groupDeleteForm},
		{"POST /groups/{id}/delete", signedIn, domain.PermGroupsWrite, s.groupDelete},
		{"GET /groups/{id}/move-members", signedIn, domain.PermGroupsWrite, s.groupMoveConfirm},
		{"POST /groups/{id}/move-members", signedIn, domain.PermGroupsWrite, s.groupMoveMembers},

		{"GET /settings/account", signedIn, "", s.accountForm},
		{"POST /settings/language", signedIn, "", s.setLanguage},
		{"POST /settings/password", signedIn, "", s.changePassword},
		{"GET /settings/users", signedIn, domain.PermUsersManage, s.userList},
		{"POST /settings/users", signedIn, domain.PermUsersManage, s.userAdd},
		{"POST /settings/users/{id}/role", signedIn, domain.PermUsersManage, s.userSetRole},
		{"GET /settings/users/{id}/disable", signedIn, domain.PermUsersManage, s.userDisableForm},
		{"POST /settings/users/{id}/disable", signedIn, domain.PermUsersManage, s.userDisable},
		{"POST /settings/users/{id}/enable", signedIn, domain.PermUsersManage, s.userEnable},
		{"GET /settings/users/{id}/password", signedIn, domain.PermUsersManage, s.userPasswordForm},
		{"POST /settings/users/{id}/password", signedIn, domain.PermUsersManage, s.userPasswordSave},
		{"GET /settings/shop", signedIn, domain.PermSettingsManage, s.shopForm},
		{"POST /settings/shop", signedIn, domain.PermSettingsManage, s.shopSave},
		{"GET /settings/tokens", signedIn, domain.PermUsersManage, s.tokenList},
		{"POST /settings/tokens", signedIn, domain.PermUsersManage, s.tokenCreate},
		{"GET /settings/tokens/{id}/revoke", signedIn, domain.PermUsersManage, s.tokenRevokeForm},
		{"POST /settings/tokens/{id}/revoke", signedIn, domain.PermUsersManage, s.tokenRevoke},

		// The till: cashiers and up (domain.PermTillUse); {id} is a ticket of the caller's, or
		// "new" for one the first action opens.
		{"GET /till", signedIn, domain.PermTillUse, s.tillHome},
		{"POST /till/tickets", signedIn, domain.PermTillUse, s.tillNew},
		{"GET /till/{id}", signedIn, domain.PermTillUse, s.tillTicket},
		{"POST /till/{id}/scan", signedIn, domain.PermTillUse, s.tillScan},
		{"POST /till/{id}/customer", signedIn, domain.PermTillUse, s.tillAttach},
		{"POST /till/{id}/customer/delete", signedIn, domain.PermTillUse, s.tillDetach},
		{"POST /till/{id}/lines", signedIn, domain.PermTillUse, s.tillAddLine},
		{"POST /till/{id}/lines/{line}", signedIn, domain.PermTillUse, s.tillChangeLine},
		{"POST /till/{id}/lines/{line}/delete", signedIn, domain.PermTillUse, s.tillRemoveLine},
		{"POST /till/{id}/delete", signedIn, domain.PermTillUse, s.tillDiscard},
		{"POST /till/{id}/close", signedIn, domain.PermTillUse, s.tillClose},
		{"GET /invoices/{id}/receipt", signedIn, domain.PermInvoicesRead, s.invoiceReceipt},
		{"GET /invoices/{id}/pdf", signedIn, domain.PermInvoicesRead, s.invoicePDF},

		// Customer accounts (issue 9): payments, deposits, adjustments.
		{"GET /customers/{id}/account", signedIn, domain.PermAccountsRead, s.customerAccount},
		{"POST /customers/{id}/account/payments", signedIn, domain.PermAccountsPay, s.accountMove(false)},
		{"POST /customers/{id}/account/adjustments", signedIn, domain.PermAccountsAdjust, s.accountMove(true)},
		{"GET /customers/{id}/account/entries/{entry}/receipt", signedIn, domain.PermAccountsRead, s.accountReceipt},

		// Reports and statements (issue 9).
		{"GET /reports/debtors", signedIn, domain.PermReportsRead, s.debtorsReport},
		{"GET /reports/debtors.csv", signedIn, domain.PermReportsRead, s.debtorsCSV},
		{"GET /reports/creditors", signedIn, domain.PermReportsRead, s.creditorsReport},
		{"GET /reports/creditors.csv", signedIn, domain.PermReportsRead, s.creditorsCSV},
		{"GET /customers/{id}/statement", signedIn, domain.PermAccountsRead, s.customerStatement},
		{"GET /customers/{id}/statement.pdf", signedIn, domain.PermAccountsRead, s.customerStatementPDF},
		{"POST /customers/{id}/statement/mail", signedIn, domain.PermAccountsRead, s.customerStatementMail},
		{"POST /invoices/{id}/mail", signedIn, domain.PermInvoicesRead, s.invoiceMail},

		// The account plan and the accounting export (issue 9).
		{"GET /settings/accounts", signedIn, domain.PermSettingsManage, s.accountPlanForm},
		{"POST /settings/accounts", signedIn, domain.PermSettingsManage, s.accountPlanSave},
		{"GET /exports", signedIn, domain.PermExportsRun, s.exportsPage},
		{"GET /exports/accounting", signedIn, domain.PermExportsRun, s.exportDownload},

		// E-mail (issue 10): the transport settings, a test message, the outbox's counts.
		{"GET /settings/mail", signedIn, domain.PermSettingsManage, s.mailSettings},
		{"POST /settings/mail", signedIn, domain.PermSettingsManage, s.mailSettingsSave},
		{"POST /settings/mail/test", signedIn, domain.PermSettingsManage, s.mailTest},

		// Backups (issue 12): the copies, "back up now", the schedule, a download (audited).
		{"GET /settings/backups", signedIn, domain.PermSettingsManage, s.backupsList},
		{"POST /settings/backups", signedIn, domain.PermSettingsManage, s.backupSettingsSave},
		{"POST /settings/backups/now", signedIn, domain.PermSettingsManage, s.backupNow},
		{"GET /settings/backups/{name}", signedIn, domain.PermSettingsManage, s.backupDownload},
		// Messages (issue 10): write to one customer, a group or a register search (managers);
		// the campaigns and their counts; the public unsubscribe link of every message (no
		// login; its POST is the one-click of RFC 8058 and skips the cross-origin check).
		{"GET /messages", signedIn, domain.PermMessagesSend, s.messageList},
		{"GET /messages/new", signedIn, domain.PermMessagesSend, s.messageNew},
		{"POST /messages/new", signedIn, domain.PermMessagesSend, s.messagePost},
		{"GET /messages/{id}", signedIn, domain.PermMessagesSend, s.messageShow},
		{"GET /unsubscribe/{token}", public, "", s.unsubscribeForm},
		{unsubscribePattern, public, "", s.unsubscribe},
		// Import and export (issue 11): a file's customers in three steps (upload and mapping,
		// dry run, import), the refused rows to download; the register, a search or a group
		// as CSV, .xlsx or vCard.
		{"GET /customers/import", signedIn, domain.PermCustomersUpdate, s.customerImport},
		{"POST /customers/import", signedIn, domain.PermCustomersUpdate, s.customerImportUpload},
		{"GET /customers/import/files/{token}", signedIn, domain.PermCustomersUpdate, s.customerImportMap},
		{"POST /customers/import/files/{token}/check", signedIn, domain.PermCustomersUpdate, s.customerImportCheck},
		{"POST /customers/import/files/{token}/run", signedIn, domain.PermCustomersUpdate, s.customerImportRun},
		{"GET /customers/import/files/{token}/rejects.csv", signedIn, domain.PermCustomersUpdate, s.customerImportRejects},
		{"GET /customers/export", signedIn, domain.PermExportsRun, s.customerExport},
		{"GET /customers/export/file", signedIn, domain.PermExportsRun, s.customerExportFile},
		// Duplicates (issue 11): the candidate pairs, and "No es duplicado" on one.
		{"GET /customers/duplicates", signedIn, domain.PermCustomersDelete, s.customerDuplicates},
		{"POST /customers/duplicates/dismiss", signedIn, domain.PermCustomersDelete, s.customerDuplicateDismiss},

		// Merging two customers (issue 11): the one of the path absorbs ?absorb= (a merge
		// deletes a record: the permission to delete customers).
		{"GET /customers/{id}/merge", signedIn, domain.PermCustomersDelete, s.customerMergePage},
		{"POST /customers/{id}/merge", signedIn, domain.PermCustomersDelete, s.customerMerge},

		// Privacy requests (issue 11, admins): a customer's data to read or download, their
		// erasure behind a confirmation; the retention period and a run now.
		{"GET /customers/{id}/privacy", signedIn, domain.PermPrivacy, s.customerPrivacy},
		{"GET /customers/{id}/privacy.json", signedIn, domain.PermPrivacy, s.customerPrivacyJSON},
		{"GET /customers/{id}/erase", signedIn, domain.PermPrivacy, s.customerEraseForm},
		{"POST /customers/{id}/erase", signedIn, domain.PermPrivacy, s.customerErase},
		{"GET /settings/privacy", signedIn, domain.PermPrivacy, s.privacySettings},
		{"POST /settings/privacy", signedIn, domain.PermPrivacy, s.privacySettingsSave},
		{"POST /settings/privacy/run", signedIn, domain.PermPrivacy, s.privacyRun},

		// Anything else: a page saying so, in the user's language.
		{"/", public, "", s.notFound},
	}
}

// RouteInfo describes one page route, for the role tests.
type RouteInfo struct {
	Pattern    string
	Public     bool
	Permission domain.Permission
}

// Routes lists the served patterns with what they need.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range s.routes() {
		out = append(out, RouteInfo{Pattern: rt.pattern, Public: rt.access == public, Permission: rt.perm})
	}
	return out
}

func (s *Server) notFound(http.ResponseWriter, *http.Request, *request) error {
	return domain.Errorf(domain.CodeNotFound)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, rq *request) error {
	http.Redirect(w, r, landing(rq.p), http.StatusSeeOther)
	return nil
}
