package i18n

// englishAccounts holds the texts of customer accounts: the ledger, payments and deposits, the account and credit tenders, in English (issue 9).
func englishAccounts() map[string]string {
	return map[string]string{
		"invoices.payment.account":  "On account",
		"invoices.payment.credit":   "Store credit",
		"invoices.payment.transfer": "Bank transfer",
	}
}
