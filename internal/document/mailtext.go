package document

import (
	"strings"
	"time"
)

// The e-mails that carry a shop's documents: a subject and a plain-text body, in the
// document's language, with the document attached by the caller. Plain text only: what the
// customer needs is in the attachment, and a plain message is read the same everywhere.

// InvoiceMailSubject is the subject of the e-mail that carries an invoice.
func InvoiceMailSubject(inv *Invoice, lang Lang) string {
	lb := mailLabels(lang)
	return fill(lb.get("mail.invoice.subject"), "number", inv.Number, "shop", clean(inv.Shop.Name))
}

// InvoiceMailText is the body of the e-mail that carries an invoice.
func InvoiceMailText(inv *Invoice, lang Lang) string {
	lb := mailLabels(lang)
	name := ""
	if inv.Customer != nil {
		name = partyName(inv.Customer, catalog(lang))
	}
	var b strings.Builder
	b.WriteString(greeting(lb, name))
	b.WriteString("\n\n")
	b.WriteString(fill(lb.get("mail.invoice.body"), "number", inv.Number, "date", formatDate(inv.IssuedAt, lang),
		"total", formatMoney(inv.TotalCents, lang)))
	b.WriteString("\n\n")
	b.WriteString(lb.get("mail.thanks"))
	b.WriteString("\n")
	b.WriteString(signature(inv.Shop))
	return b.String()
}

// InvoiceFileName is the attachment's name: "factura-F2026-000042.pdf".
func InvoiceFileName(inv *Invoice, lang Lang) string {
	return mailLabels(lang).get("mail.invoice.file") + "-" + inv.Number + ".pdf"
}

// StatementMailSubject is the subject of the e-mail that carries a statement.
func StatementMailSubject(st *Statement, lang Lang) string {
	lb := mailLabels(lang)
	return fill(lb.get("mail.statement.subject"), "from", formatDate(st.From, lang), "to", formatDate(st.To, lang),
		"shop", clean(st.Shop.Name))
}

// StatementMailText is the body of the e-mail that carries a statement.
func StatementMailText(st *Statement, lang Lang) string {
	lb := mailLabels(lang)
	var b strings.Builder
	b.WriteString(greeting(lb, partyName(&st.Customer, catalog(lang))))
	b.WriteString("\n\n")
	b.WriteString(fill(lb.get("mail.statement.body"), "from", formatDate(st.From, lang), "to", formatDate(st.To, lang)))
	b.WriteString("\n")
	switch {
	case st.ClosingCents > 0:
		b.WriteString(fill(lb.get("mail.statement.owes"), "amount", formatMoney(st.ClosingCents, lang)))
	case st.ClosingCents < 0:
		b.WriteString(fill(lb.get("mail.statement.credit"), "amount", formatMoney(-st.ClosingCents, lang)))
	default:
		b.WriteString(lb.get("mail.statement.settled"))
	}
	b.WriteString("\n\n")
	b.WriteString(lb.get("mail.thanks"))
	b.WriteString("\n")
	b.WriteString(signature(st.Shop))
	return b.String()
}

// StatementFileName is the statement attachment's name: "extracto-2026-01-01-2026-03-31.pdf".
func StatementFileName(st *Statement, lang Lang) string {
	return mailLabels(lang).get("mail.statement.file") + "-" + st.From.Format(time.DateOnly) + "-" + st.To.Format(time.DateOnly) + ".pdf"
}

func greeting(lb labels, name string) string {
	if name == "" {
		return lb.get("mail.greeting")
	}
	return fill(lb.get("mail.greeting_named"), "name", name)
}

func signature(s Shop) string {
	out := clean(s.Name)
	if id := clean(s.TaxID); id != "" {
		out += "\n" + id
	}
	return out
}

func formatDate(t time.Time, l Lang) string {
	if l == English {
		return t.Format("2 January 2006")
	}
	return t.Format("02/01/2006")
}

// fill replaces {name} placeholders, in one pass (a value holding "{…}" stays as it is).
func fill(s string, kv ...string) string {
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// mailLabels are the e-mails' texts.
func mailLabels(l Lang) labels {
	if l == English {
		return labels{
			"mail.invoice.subject":   "Your invoice {number} from {shop}",
			"mail.invoice.body":      "Please find attached invoice {number} of {date}, for {total}.",
			"mail.invoice.file":      "invoice",
			"mail.statement.subject": "Your statement from {from} to {to} — {shop}",
			"mail.statement.body":    "Please find attached the statement of your account from {from} to {to}.",
			"mail.statement.owes":    "Your balance at the end of the period: {amount} owed.",
			"mail.statement.credit":  "Your balance at the end of the period: {amount} in your favour.",
			"mail.statement.settled": "Your account was settled at the end of the period.",
			"mail.statement.file":    "statement",
			"mail.greeting":          "Hello,",
			"mail.greeting_named":    "Dear {name},",
			"mail.thanks":            "Thank you for your custom.",
		}
	}
	return labels{
		"mail.invoice.subject":   "Su factura {number} de {shop}",
		"mail.invoice.body":      "Le adjuntamos la factura {number} del {date}, por un importe de {total}.",
		"mail.invoice.file":      "factura",
		"mail.statement.subject": "Su extracto del {from} al {to} — {shop}",
		"mail.statement.body":    "Le adjuntamos el extracto de su cuenta del {from} al {to}.",
		"mail.statement.owes":    "Saldo al final del periodo: {amount} pendiente de pago.",
		"mail.statement.credit":  "Saldo al final del periodo: {amount} a su favor.",
		"mail.statement.settled": "Al final del periodo su cuenta estaba saldada.",
		"mail.statement.file":    "extracto",
		"mail.greeting":          "Buenos días:",
		"mail.greeting_named":    "Estimado/a {name}:",
		"mail.thanks":            "Gracias por su confianza.",
	}
}
