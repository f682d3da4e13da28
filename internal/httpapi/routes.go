package httpapi

import "github.com/clientela/clientela/internal/domain"

// routes is the API's route table; each route names the permission it needs, so the whole
// authorization matrix reads in one screen. The use cases check the same permissions again.
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/me", "", s.me},
		{"GET /api/v1/openapi.json", "", s.openAPI},

		{"GET /api/v1/customers", domain.PermCustomersRead, s.listCustomers},
		{"POST /api/v1/customers", domain.PermCustomersCreate, s.createCustomer},
		{"GET /api/v1/customers/by-reference/{reference}", domain.PermCustomersRead, s.customerByReference},
		{"GET /api/v1/customers/{id}", domain.PermCustomersRead, s.getCustomer},
		{"PATCH /api/v1/customers/{id}", domain.PermCustomersUpdate, s.updateCustomer},
		{"DELETE /api/v1/customers/{id}", domain.PermCustomersDelete, s.deleteCustomer},

		{"GET /api/v1/groups", domain.PermGroupsRead, s.listGroups},
		{"POST /api/v1/groups", domain.PermGroupsWrite, s.createGroup},
		{"GET /api/v1/groups/{id}", domain.PermGroupsRead, s.getGroup},
		{"PATCH /api/v1/groups/{id}", domain.PermGroupsWrite, s.updateGroup},
		{"DELETE /api/v1/groups/{id}", domain.PermGroupsWrite, s.deleteGroup},
		{"POST /api/v1/groups/{id}/move-members", domain.PermGroupsWrite, s.moveGroupMembers},

		{"GET /api/v1/audit", domain.PermAuditRead, s.auditLog},

		{"GET /api/v1/shop", domain.PermSettingsManage, s.getShop},
		{"PATCH /api/v1/shop", domain.PermSettingsManage, s.updateShop},

		{"POST /api/v1/tickets", domain.PermTillUse, s.openTicket},
		{"GET /api/v1/tickets", domain.PermTillUse, s.listTickets},
		{"GET /api/v1/tickets/{id}", domain.PermTillUse, s.getTicket},
		{"DELETE /api/v1/tickets/{id}", domain.PermTillUse, s.discardTicket},
		{"POST /api/v1/tickets/{id}/lines", domain.PermTillUse, s.addTicketLine},
		{"PATCH /api/v1/tickets/{id}/lines/{line_id}", domain.PermTillUse, s.updateTicketLine},
		{"DELETE /api/v1/tickets/{id}/lines/{line_id}", domain.PermTillUse, s.removeTicketLine},
		{"PUT /api/v1/tickets/{id}/customer", domain.PermTillUse, s.attachCustomer},
		{"DELETE /api/v1/tickets/{id}/customer", domain.PermTillUse, s.detachCustomer},
		{"POST /api/v1/tickets/{id}/close", domain.PermTillUse, s.closeTicket},

		{"GET /api/v1/invoices", domain.PermInvoicesRead, s.listInvoices},
		{"GET /api/v1/invoices/{id}", domain.PermInvoicesRead, s.getInvoice},
		{"GET /api/v1/invoices/{id}/pdf", domain.PermInvoicesRead, s.invoicePDF},
		{"GET /api/v1/invoices/{id}/receipt", domain.PermInvoicesRead, s.invoiceReceipt},
		{"POST /api/v1/invoices/{id}/rectify", domain.PermInvoicesRectify, s.rectifyInvoice},

		// Customer accounts (issue 9).
		{"GET /api/v1/customers/{id}/account", domain.PermAccountsRead, s.getAccount},
		{"POST /api/v1/customers/{id}/account/payments", domain.PermAccountsPay, s.postMovement(domain.LedgerPayment)},
		{"POST /api/v1/customers/{id}/account/deposits", domain.PermAccountsPay, s.postMovement(domain.LedgerDeposit)},
		{"POST /api/v1/customers/{id}/account/adjustments", domain.PermAccountsAdjust, s.postMovement(domain.LedgerAdjustment)},
		{"GET /api/v1/customers/{id}/account/entries/{entry_id}", domain.PermAccountsRead, s.getLedgerEntry},
		{"GET /api/v1/customers/{id}/account/entries/{entry_id}/receipt", domain.PermAccountsRead, s.ledgerEntryReceipt},

		// Reports and statements (issue 9).
		{"GET /api/v1/reports/debtors", domain.PermReportsRead, s.debtorsReport},
		{"GET /api/v1/reports/creditors", domain.PermReportsRead, s.creditorsReport},
		{"GET /api/v1/customers/{id}/statement", domain.PermAccountsRead, s.customerStatement},
		{"POST /api/v1/customers/{id}/statement/mail", domain.PermAccountsRead, s.sendStatementMail},
		{"GET /api/v1/invoices/{id}/mail", domain.PermInvoicesRead, s.invoiceMails},
		{"POST /api/v1/invoices/{id}/mail", domain.PermInvoicesRead, s.sendInvoiceMail},

		// The account plan and the accounting export (issue 9).
		{"GET /api/v1/settings/accounts", domain.PermSettingsManage, s.getAccountPlan},
		{"PATCH /api/v1/settings/accounts", domain.PermSettingsManage, s.updateAccountPlan},
		{"GET /api/v1/exports/accounting", domain.PermExportsRun, s.exportAccounting},

		// E-mail (issue 10): the transport settings.
		{"GET /api/v1/settings/mail", domain.PermSettingsManage, s.getMailSettings},
		{"PATCH /api/v1/settings/mail", domain.PermSettingsManage, s.updateMailSettings},

		// Messages to customers (issue 10): preview or send a campaign; read one with its counts.
		{"POST /api/v1/campaigns", domain.PermMessagesSend, s.createCampaign},
		{"GET /api/v1/campaigns/{id}", domain.PermMessagesSend, s.getCampaign},
		// Import and export (issue 11): the customers export.
		{"GET /api/v1/exports/customers", domain.PermExportsRun, s.exportCustomers},
		{"GET /api/v1/customers/export", domain.PermExportsRun, s.exportCustomers},

		// Import (issue 11): a CSV, .xlsx or vCard file into the register, or its dry run.
		{"POST /api/v1/imports", domain.PermCustomersUpdate, s.importCustomers},

		// Duplicates (issue 11): candidate pairs, strongest first, and the pairs dismissed as
		// two customers ("No es duplicado").
		{"GET /api/v1/customers/duplicates", domain.PermCustomersDelete, s.listDuplicates},
		{"POST /api/v1/customers/{id}/duplicate-dismissals", domain.PermCustomersDelete, s.dismissDuplicate},
		{"DELETE /api/v1/customers/{id}/duplicate-dismissals/{other_id}", domain.PermCustomersDelete, s.undismissDuplicate},

		// Merging two customers (issue 11): {id} absorbs absorb_id, or a preview of it. A merge
		// deletes the absorbed record, hence the permission to delete customers.
		{"POST /api/v1/customers/{id}/merge", domain.PermCustomersDelete, s.mergeCustomers},

		// Privacy requests (issue 11, docs/privacy.md): a customer's package of everything
		// held, erasure, and the retention period of invoice snapshots (admins).
		{"GET /api/v1/customers/{id}/privacy-export", domain.PermPrivacy, s.privacyExport},
		{"POST /api/v1/customers/{id}/erase", domain.PermPrivacy, s.eraseCustomer},
		{"GET /api/v1/settings/privacy", domain.PermPrivacy, s.getPrivacySettings},
		{"PATCH /api/v1/settings/privacy", domain.PermPrivacy, s.updatePrivacySettings},
	}
}
