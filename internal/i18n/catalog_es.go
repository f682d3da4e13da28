package i18n

// spanish is the default catalog.
func spanish() map[string]string {
	return map[string]string{
		"error.validation_failed":     "Algunos datos no son válidos.",
		"error.invalid_request":       "La petición no es válida.",
		"error.not_found":             "No se ha encontrado.",
		"error.duplicate":             "Ya existe un registro con ese valor.",
		"error.conflict":              "La operación entra en conflicto con los datos actuales.",
		"error.group_not_empty":       "El grupo aún tiene {member_count} clientes. Páselos a otro grupo antes de suprimirlo.",
		"error.precondition_failed":   "Otra persona ha modificado este registro. Vuelva a cargarlo y repita el cambio.",
		"error.precondition_required": "Falta la cabecera If-Match con la versión (ETag) que se quiere modificar.",
		"error.unauthenticated":       "Hace falta identificarse con un token válido.",
		"error.forbidden":             "Su perfil no permite esta operación.",
		"error.body_too_large":        "La petición supera el tamaño máximo de {max} bytes.",
		"error.unsupported_media":     "El cuerpo debe ser JSON en UTF-8 (Content-Type: application/json).",
		"error.method_not_allowed":    "Método no permitido.",
		"error.internal":              "Error interno. Se ha registrado y lo revisaremos.",

		"field.required":                        "Obligatorio.",
		"field.too_long":                        "Como máximo {max} caracteres.",
		"field.too_short":                       "Como mínimo {min} caracteres.",
		"field.invalid":                         "Valor no válido.",
		"field.not_allowed":                     "No se admite para este tipo de cliente.",
		"field.out_of_range":                    "Debe estar entre {min} y {max}.",
		"field.taken":                           "Ya está en uso.",
		"field.unknown_field":                   "Campo desconocido.",
		"field.wrong_type":                      "Tipo incorrecto: se esperaba {expected}.",
		"field.invalid_utf8":                    "El texto no es UTF-8 válido.",
		"field.invalid_control_character":       "Contiene caracteres de control no permitidos.",
		"field.invalid_control_character_taxid": "El carácter de control del NIF/NIE/CIF no es correcto.",
		"field.digits_only":                     "Solo se admiten dígitos.",
		"field.requires_email":                  "Para enviar la factura por correo hace falta una dirección de correo electrónico.",
		"field.unknown_group":                   "El grupo no existe.",
		"field.same_group":                      "El grupo de destino es el mismo.",
		"field.invalid_cursor":                  "Cursor de paginación no válido.",
		"field.unknown_user":                    "El usuario no existe.",
		"field.invalid_json":                    "JSON mal formado.",
		"field.not_object":                      "Se esperaba un objeto JSON.",

		// Sign-in, sessions and user administration.
		"error.rate_limited":                        "Demasiados intentos fallidos. Vuelva a intentarlo dentro de {retry_after_seconds} segundos.",
		"error.conflict.last_admin":                 "Debe quedar al menos un administrador activo.",
		"error.conflict.self":                       "No puede desactivar su propio usuario.",
		"error.unauthenticated.invalid_credentials": "Usuario o contraseña incorrectos.",

		// Issue 7 item 13: a malformed If-Match.
		"field.invalid_etag": "No es una lista de ETag válida: envíe el ETag que leyó, como \"3\", varios separados por comas, o *.",

		// Issue 7 item 9: password checks busy (503).
		"error.busy": "El servidor está ocupado comprobando otras contraseñas. Vuelva a intentarlo en un momento.",

		// Issue 7 items 4 and 6: characters that disguise text, duplicate JSON members, tax ids
		// that do not fit the customer.
		"field.invisible_character": "Contiene un carácter invisible o que cambia el sentido del texto ({char}), con el que lo que se lee no es lo que se guarda. Bórrelo, o escriba el texto en vez de pegarlo.",
		"field.duplicate_key":       "Aparece dos veces en el mismo objeto JSON.",
		"field.invalid_vat_number":  "No es un NIF-IVA válido de {country}: tiene la forma {example}.",
		"field.taxid_for_persons":   "Es el NIF de una persona física (DNI, NIE o NIF K, L, M). Una empresa se identifica con su CIF: una letra, siete cifras y un carácter de control, como B12345674.",
		"field.taxid_for_companies": "Es un CIF, el NIF de una persona jurídica. Una persona física se identifica con su DNI, su NIE o un NIF K, L o M.",

		// Issue 8: la caja, los tickets y las facturas.
		"error.ticket_empty":                "El ticket no tiene líneas: añada una antes de cerrarlo.",
		"error.shop_not_ready":              "Las facturas necesitan el nombre y el NIF del comercio. Indíquelos en los datos del comercio ({settings_path}) y vuelva a cerrar el ticket.",
		"error.idempotency_key_reused":      "Esta Idempotency-Key ya se usó para otra petición. Envíe una clave nueva para cada operación nueva.",
		"error.conflict.rectifying_invoice": "Una factura rectificativa no se puede rectificar; rectifique la factura original.",
		"error.conflict.nothing_to_return":  "Ya se ha devuelto todo lo de esta factura.",
		"field.quantity_decimals":           "Una cantidad tiene como mucho {max} decimales.",
		"field.vat_rate_not_offered":        "El comercio no ofrece este tipo de IVA. Tipos ofrecidos (puntos básicos): {allowed}.",
		"field.payments_do_not_cover":       "Los pagos ({paid_cents} céntimos) no cubren el total ({due_cents} céntimos).",
		"field.payment_exceeds_due":         "Los pagos con tarjeta ({paid_cents} céntimos) no pueden superar el total ({due_cents} céntimos); solo el efectivo da cambio.",
		"field.return_exceeds_sold":         "Más de lo vendido menos lo ya devuelto: como mucho {max}.",
		"field.unknown_line":                "La factura no tiene ninguna línea en esta posición.",
		"field.unknown_reference":           "Ningún cliente tiene esta referencia (tarjeta de fidelización). El ticket no ha cambiado.",
		"field.unknown_customer":            "No existe ese cliente. El ticket no ha cambiado.",
	}
}
