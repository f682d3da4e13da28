package i18n

// spanishDuplicates holds the texts of the duplicates page, in Spanish (issue 11).
func spanishDuplicates() map[string]string {
	return map[string]string{
		"customers.duplicates":      "Duplicados",
		"duplicates.title":          "Posibles duplicados",
		"duplicates.intro":          "Parejas de clientes que pueden ser la misma persona o empresa: el mismo NIF, correo o teléfono, o un nombre parecido (sin tener en cuenta acentos, orden ni abreviaturas como Mª o Fco.) en el mismo código postal. Las más probables, primero. Se propone conservar la ficha con más datos (o la más antigua).",
		"duplicates.none":           "No hay posibles duplicados.",
		"duplicates.reason_tax_id":  "Mismo NIF",
		"duplicates.reason_email":   "Mismo correo",
		"duplicates.reason_phone":   "Mismo teléfono",
		"duplicates.reason_name":    "Nombre parecido en el mismo código postal",
		"duplicates.field":          "Dato",
		"duplicates.keep":           "Se conserva",
		"duplicates.other":          "Se fusiona en la otra",
		"duplicates.name":           "Nombre",
		"duplicates.tax_id":         "NIF",
		"duplicates.email":          "Correo",
		"duplicates.phone":          "Teléfono",
		"duplicates.postal_code":    "Código postal",
		"duplicates.group":          "Grupo",
		"duplicates.created":        "Alta",
		"duplicates.merge":          "Fusionar",
		"duplicates.dismiss":        "No es duplicado",
		"duplicates.next":           "Siguientes",
		"duplicates.clusters_title": "Datos que comparten muchos clientes",
		"duplicates.clusters_intro": "Un dato que tienen más de 8 clientes (la centralita de una empresa, el correo de la tienda) no basta para emparejarlos: se muestra una vez. Sus clientes aparecen arriba solo si coinciden en algo más.",
		"duplicates.reason":         "Motivo",
		"duplicates.value":          "Valor",
		"duplicates.count":          "Clientes",
		"duplicates.sample":         "Por ejemplo",
		"flash.duplicate_dismissed": "Pareja descartada: no volverá a aparecer salvo que compartan algún dato más.",
	}
}
