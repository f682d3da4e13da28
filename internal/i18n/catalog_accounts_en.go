package i18n

// englishAccounts holds the texts of customer accounts: the ledger, payments and deposits, the account and credit tenders, in English (issue 9).
func englishAccounts() map[string]string {
	return map[string]string{
		"invoices.payment.account":    "On account",
		"invoices.payment.credit":     "Store credit",
		"invoices.payment.transfer":   "Bank transfer",
		"error.credit_limit_exceeded": "Sale on account refused: the customer owes {balance}, their credit limit is {limit} and this sale adds {amount}. A manager may allow it.",
		"error.insufficient_credit":   "The customer holds only {credit} of credit: {amount} cannot be used.",
		"error.balance_not_zero":      "A customer whose account is not settled cannot be deleted (balance {balance}). Settle the account first.",
		"field.requires_customer":     "Charging to an account or to store credit needs a customer on the ticket.",
	}
}
