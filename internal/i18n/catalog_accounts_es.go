package i18n

// spanishAccounts holds the texts of customer accounts: the ledger, payments and deposits, the account and credit tenders, in Spanish (issue 9).
func spanishAccounts() map[string]string {
	return map[string]string{
		"invoices.payment.account":  "Cargo en cuenta",
		"invoices.payment.credit":   "Saldo a favor",
		"invoices.payment.transfer": "Transferencia",
	}
}
