package document

import (
	"strings"
	"time"
)

// Kinds of account movements a receipt is printed for.
const (
	MovementPayment    = "payment"
	MovementDeposit    = "deposit"
	MovementAdjustment = "adjustment"
)

// Movement is a payment, deposit or adjustment on a customer's account, as its receipt
// shows it. Amounts are what the customer handed over (payments, deposits: positive) or the
// adjustment's signed amount; BalanceCents is the balance after it (> 0 the customer owes
// the shop, < 0 the shop owes the customer).
type Movement struct {
	Shop         Shop
	Kind         string
	At           time.Time
	CustomerName string
	Reference    string
	Method       string // cash, card, transfer; empty for adjustments
	AmountCents  int64
	BalanceCents int64
	Reason       string
	Cashier      string
	EntryID      string
}

// MovementReceipt renders the movement as plain text for an 80 mm till printer, like Receipt.
func MovementReceipt(m Movement, lang Lang) string {
	r := receiptWriter{lang: lang, lb: movementLabels(lang)}
	lb := r.lb
	r.centered(m.Shop.Name)
	if id := clean(m.Shop.TaxID); id != "" {
		r.centered(lb.get("tax_id") + " " + id)
	}
	for _, l := range addressLines(m.Shop.Address, m.Shop.Address.Country) {
		r.centered(l)
	}
	r.rule("=")
	r.text(lb.get("movement." + m.Kind))
	r.text(formatDateTime(m.At, lang))
	r.rule("-")
	r.text(lb.get("customer") + ": " + m.CustomerName)
	if clean(m.Reference) != "" {
		r.text(lb.get("reference") + ": " + m.Reference)
	}
	r.rule("-")
	amount := m.AmountCents
	if m.Kind != MovementAdjustment {
		amount = max(amount, -amount)
	}
	r.row(0, lb.get("amount"), r.money(amount))
	if m.Method != "" {
		r.row(2, lb.get("method."+m.Method), "")
	}
	if clean(m.Reason) != "" {
		r.text(lb.get("reason") + ": " + m.Reason)
	}
	r.rule("-")
	switch {
	case m.BalanceCents > 0:
		r.row(0, lb.get("balance.owes"), r.money(m.BalanceCents))
	case m.BalanceCents < 0:
		r.row(0, lb.get("balance.credit"), r.money(-m.BalanceCents))
	default:
		r.row(0, lb.get("balance.settled"), r.money(0))
	}
	r.rule("=")
	if m.Cashier != "" {
		r.text(lb.get("served_by") + ": " + m.Cashier)
	}
	if m.EntryID != "" {
		r.text(lb.get("entry") + ": " + m.EntryID[max(0, len(m.EntryID)-12):])
	}
	return strings.Join(r.lines, "\n") + "\n"
}

// movementLabels are the invoice's labels and those of account movements.
func movementLabels(l Lang) labels {
	lb := catalog(l)
	extra := map[Lang]labels{
		Spanish: {
			"movement.payment":    "Pago a cuenta",
			"movement.deposit":    "Entrega a cuenta (depósito)",
			"movement.adjustment": "Ajuste de cuenta",
			"amount":              "Importe",
			"method.transfer":     "Transferencia",
			"reason":              "Motivo",
			"balance.owes":        "Saldo pendiente",
			"balance.credit":      "Saldo a su favor",
			"balance.settled":     "Cuenta saldada",
			"served_by":           "Le atendió",
			"entry":               "Apunte",
		},
		English: {
			"movement.payment":    "Payment on account",
			"movement.deposit":    "Deposit on account",
			"movement.adjustment": "Account adjustment",
			"amount":              "Amount",
			"method.transfer":     "Bank transfer",
			"reason":              "Reason",
			"balance.owes":        "Balance owed",
			"balance.credit":      "Your credit",
			"balance.settled":     "Account settled",
			"served_by":           "Served by",
			"entry":               "Entry",
		},
	}
	add := extra[Spanish]
	if l == English {
		add = extra[English]
	}
	for k, v := range add {
		if _, taken := lb[k]; !taken {
			lb[k] = v
		}
	}
	return lb
}
