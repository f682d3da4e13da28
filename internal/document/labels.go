package document

// Lang is the language of a document's labels: Spanish (the default) or English. Anything
// but English prints in Spanish, as the rest of Clientela does.
type Lang string

// Supported languages.
const (
	Spanish Lang = "es"
	English Lang = "en"
)

func (l Lang) code() string {
	if l == English {
		return "en"
	}
	return "es"
}

// labels is one language's catalog of printed labels.
type labels map[string]string

// get returns the label for key; a missing key prints as itself (TestCatalogsHaveTheSameKeys
// keeps both catalogs complete).
func (m labels) get(key string) string {
	if s, ok := m[key]; ok {
		return s
	}
	return key
}

// catalog returns the labels of the language. Both catalogs live in this one file so that a
// new label is added in both languages at once. Built per document rather than held in a
// package variable, so that there is no shared mutable state.
func catalog(l Lang) labels {
	if l == English {
		return labelsEN()
	}
	return labelsES()
}

func labelsES() labels {
	return labels{
		"type.F1":             "Factura",
		"type.F2":             "Factura simplificada",
		"type.F3":             "Factura en sustitución de simplificadas",
		"type.R":              "Factura rectificativa",
		"number":              "Nº",
		"date":                "Fecha",
		"rectifies":           "Rectifica la factura",
		"customer":            "Cliente",
		"tax_id":              "NIF",
		"reference":           "Tarjeta",
		"group":               "Grupo",
		"discount":            "Descuento",
		"saving":              "Su ahorro",
		"label":               "Concepto",
		"quantity":            "Cant.",
		"unit_price":          "Precio",
		"unit_price_net":      "Precio s/IVA",
		"unit_price_net_note": "Precios sin IVA redondeados al céntimo; las bases son las del desglose.",
		"total":               "Total",
		"vat":                 "IVA",
		"vat_rate":            "Tipo",
		"vat_base":            "Base",
		"vat_amount":          "Cuota",
		"vat_breakdown":       "Desglose de IVA",
		"payments":            "Pagos",
		"change":              "Cambio",
		"method.cash":         "Efectivo",
		"method.card":         "Tarjeta",
		"method.account":      "Cargo en cuenta",
		"method.credit":       "Saldo a favor",
		"fingerprint":         "Huella",
		"qr_caption":          "QR tributario",
		"verifactu":           "VERI*FACTU",
		"verifactu_text":      "Factura verificable en la sede electrónica de la AEAT",
		"thanks":              "Gracias por su visita",
		"page":                "Página",
		"title.mr":            "Sr.",
		"title.mrs":           "Sra.",
		"title.ms":            "Srta.",
		"pdf.title":           "Factura",
		"pdf.subject":         "Factura emitida por",
		"unit_price_note":     "Precios con IVA incluido.",
		"no_lines":            "Sin líneas",
	}
}

func labelsEN() labels {
	return labels{
		"type.F1":             "Invoice",
		"type.F2":             "Simplified invoice",
		"type.F3":             "Invoice replacing simplified invoices",
		"type.R":              "Corrective invoice",
		"number":              "No.",
		"date":                "Date",
		"rectifies":           "Corrects invoice",
		"customer":            "Customer",
		"tax_id":              "Tax ID",
		"reference":           "Card",
		"group":               "Group",
		"discount":            "Discount",
		"saving":              "You saved",
		"label":               "Description",
		"quantity":            "Qty",
		"unit_price":          "Price",
		"unit_price_net":      "Net price",
		"unit_price_net_note": "Net prices rounded to the cent; the taxable bases are the breakdown's.",
		"total":               "Total",
		"vat":                 "VAT",
		"vat_rate":            "Rate",
		"vat_base":            "Base",
		"vat_amount":          "VAT amount",
		"vat_breakdown":       "VAT breakdown",
		"payments":            "Payments",
		"change":              "Change",
		"method.cash":         "Cash",
		"method.card":         "Card",
		"method.account":      "On account",
		"method.credit":       "Store credit",
		"fingerprint":         "Fingerprint",
		"qr_caption":          "Tax QR code",
		"verifactu":           "VERI*FACTU",
		"verifactu_text":      "Invoice verifiable at the Spanish tax agency's website",
		"thanks":              "Thank you for your visit",
		"page":                "Page",
		"title.mr":            "Mr",
		"title.mrs":           "Mrs",
		"title.ms":            "Ms",
		"pdf.title":           "Invoice",
		"pdf.subject":         "Invoice issued by",
		"unit_price_note":     "Prices include VAT.",
		"no_lines":            "No lines",
	}
}
