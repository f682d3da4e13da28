package i18n

// english is the English catalog; it has the same keys as spanish.
func english() map[string]string {
	return map[string]string{
		"error.validation_failed":     "Some data is not valid.",
		"error.invalid_request":       "The request is not valid.",
		"error.not_found":             "Not found.",
		"error.duplicate":             "A record with that value already exists.",
		"error.conflict":              "The operation conflicts with the current data.",
		"error.group_not_empty":       "The group still has {member_count} customers. Move them to another group before deleting it.",
		"error.precondition_failed":   "Someone else changed this record. Reload it and make your change again.",
		"error.precondition_required": "The If-Match header with the version (ETag) to change is missing.",
		"error.unauthenticated":       "A valid token is required.",
		"error.forbidden":             "Your role does not allow this.",
		"error.body_too_large":        "The request is larger than the maximum of {max} bytes.",
		"error.unsupported_media":     "The body must be JSON in UTF-8 (Content-Type: application/json).",
		"error.method_not_allowed":    "Method not allowed.",
		"error.internal":              "Internal error. It has been logged and we will look into it.",

		"field.required":                        "Required.",
		"field.too_long":                        "At most {max} characters.",
		"field.too_short":                       "At least {min} characters.",
		"field.invalid":                         "Not a valid value.",
		"field.not_allowed":                     "Not allowed for this kind of customer.",
		"field.out_of_range":                    "Must be between {min} and {max}.",
		"field.taken":                           "Already in use.",
		"field.unknown_field":                   "Unknown field.",
		"field.wrong_type":                      "Wrong type: expected {expected}.",
		"field.invalid_utf8":                    "The text is not valid UTF-8.",
		"field.invalid_control_character":       "Contains control characters that are not allowed.",
		"field.invalid_control_character_taxid": "The check character of the NIF/NIE/CIF is wrong.",
		"field.digits_only":                     "Digits only.",
		"field.requires_email":                  "Sending invoices by e-mail needs an e-mail address.",
		"field.unknown_group":                   "No such group.",
		"field.same_group":                      "The target group is the same group.",
		"field.invalid_cursor":                  "Not a valid page cursor.",
		"field.unknown_user":                    "No such user.",
		"field.invalid_json":                    "Malformed JSON.",
		"field.not_object":                      "A JSON object was expected.",

		// Sign-in, sessions and user administration.
		"error.rate_limited":                        "Too many failed attempts. Try again in {retry_after_seconds} seconds.",
		"error.conflict.last_admin":                 "At least one enabled administrator must remain.",
		"error.conflict.self":                       "You cannot disable your own user.",
		"error.unauthenticated.invalid_credentials": "Wrong user name or password.",

		// Issue 7 item 13: a malformed If-Match.
		"field.invalid_etag": "Not a valid list of ETags: send the ETag you read, such as \"3\", several separated by commas, or *.",

		// Issue 7 item 9: password checks busy (503).
		"error.busy": "The server is busy checking other passwords. Try again in a moment.",

		// Issue 7 items 4 and 6: characters that disguise text, duplicate JSON members, tax ids
		// that do not fit the customer.
		"field.invisible_character": "Contains an invisible or text-direction character ({char}) that makes what is read differ from what is stored. Delete it, or type the text instead of pasting it.",
		"field.duplicate_key":       "Appears twice in the same JSON object.",
		"field.invalid_vat_number":  "Not a valid {country} VAT number: it looks like {example}.",
		"field.taxid_for_persons":   "This is a natural person's NIF (DNI, NIE or a K, L, M NIF). A company is identified by its CIF: a letter, seven digits and a check character, like B12345674.",
		"field.taxid_for_companies": "This is a CIF, a legal person's NIF. A natural person is identified by their DNI, NIE or a K, L or M NIF.",

		// Issue 8: the till, tickets and invoices.
		"error.ticket_empty":                "The ticket has no lines: add one before closing it.",
		"error.shop_not_ready":              "Invoices need the shop's name and tax id (NIF). Set them in the shop's settings ({settings_path}) and close the ticket again.",
		"error.idempotency_key_reused":      "This Idempotency-Key was already used for another request. Send a new key for each new operation.",
		"error.conflict.rectifying_invoice": "A rectifying invoice cannot be rectified; correct the original invoice.",
		"error.conflict.nothing_to_return":  "Everything on this invoice has already been returned.",
		"field.quantity_decimals":           "A quantity has at most {max} decimals.",
		"field.vat_rate_not_offered":        "The shop does not offer this VAT rate. Rates offered (basis points): {allowed}.",
		"field.payments_do_not_cover":       "The payments ({paid_cents} cents) do not cover the total ({due_cents} cents).",
		"field.payment_exceeds_due":         "Card payments ({paid_cents} cents) cannot exceed the total ({due_cents} cents); only cash gives change.",
		"field.return_exceeds_sold":         "More than was sold, minus what was already returned: at most {max}.",
		"field.unknown_line":                "The invoice has no line at this position.",
		"field.unknown_reference":           "No customer has this reference (loyalty card). The ticket is unchanged.",
		"field.unknown_customer":            "No such customer. The ticket is unchanged.",
	}
}
