package i18n

// spanishAccounts holds the texts of customer accounts: the ledger, payments and deposits, the account and credit tenders, in Spanish (issue 9).
func spanishAccounts() map[string]string {
	return map[string]string{
		"invoices.payment.account":    "Cargo en cuenta",
		"invoices.payment.credit":     "Saldo a favor",
		"invoices.payment.transfer":   "Transferencia",
		"error.credit_limit_exceeded": "Venta a cuenta rechazada: el cliente debe {balance}, su límite de crédito es {limit} y esta venta añade {amount}. Un encargado puede autorizarla.",
		"error.insufficient_credit":   "El cliente solo tiene {credit} de saldo a favor: no se pueden usar {amount}.",
		"error.balance_not_zero":      "No se puede eliminar un cliente con la cuenta sin saldar (saldo {balance}). Liquide su cuenta primero.",
		"field.requires_customer":     "Cobrar a cuenta o con saldo a favor requiere un cliente en el ticket.",
	}
}
