package i18n

// spanishBackups holds the texts of backups: the settings page and the banner of a failed
// copy, in Spanish (issue 12).
func spanishBackups() map[string]string {
	return map[string]string{
		"backups.title":         "Copias de seguridad",
		"backups.intro":         "Cada día a las {at} se hace una copia de la base de datos en {dir}, se comprueba abriéndola y se guardan las {keep} más recientes. Guarde también copias fuera de este equipo: descárguelas desde aquí.",
		"backups.postgres":      "La base de datos es PostgreSQL: sus copias de seguridad se hacen con pg_dump (vea docs/backups.md). Clientela no las hace.",
		"backups.last_ok":       "Última copia correcta: {when}.",
		"backups.last_failed":   "La última copia ({when}) FALLÓ:",
		"backups.now":           "Hacer una copia ahora",
		"backups.failed_now":    "La copia ha fallado; el motivo se indica arriba y en el registro del servidor.",
		"backups.unavailable":   "Este servidor no hace copias de seguridad.",
		"backups.copies":        "Copias guardadas",
		"backups.none":          "Todavía no hay copias.",
		"backups.taken_at":      "Fecha",
		"backups.size":          "Tamaño",
		"backups.check":         "Comprobación",
		"backups.check_ok":      "Correcta",
		"backups.check_unknown": "Sin comprobar",
		"backups.customers":     "Clientes",
		"backups.invoices":      "Facturas",
		"backups.by":            "Hecha por",
		"backups.by_schedule":   "Programada",
		"backups.by_cli":        "Línea de órdenes",
		"backups.download":      "Descargar",
		"backups.schedule":      "Programación",
		"backups.at":            "Hora de la copia diaria",
		"backups.at_hint":       "Hora local del servidor, HH:MM.",
		"backups.at_flag":       "Ahora manda la hora indicada al arrancar (--backup-at).",
		"backups.keep":          "Copias que se guardan",
		"backups.banner":        "La última copia de seguridad ({when}) ha fallado.",
		"backups.banner_link":   "Ver copias de seguridad",

		"flash.backup_taken":          "Copia {file} hecha y comprobada.",
		"flash.backup_settings_saved": "Programación de copias guardada.",
	}
}
