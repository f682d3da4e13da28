// Package domain holds Clientela's types and rules: customers, groups, users and roles, the
// audit trail. It does no I/O; storage, the application layer and the faces (API, pages, CLI)
// build on it.
package domain

import (
	"errors"
	"fmt"
)

// Code classifies an error; each face maps it to its own form (an HTTP status, an exit code).
type Code string

// Error codes. Users see a translated message for the code, never internal text.
const (
	CodeInvalid              Code = "validation_failed"
	CodeNotFound             Code = "not_found"
	CodeConflict             Code = "conflict"
	CodeDuplicate            Code = "duplicate"
	CodeGroupNotEmpty        Code = "group_not_empty"
	CodePreconditionFailed   Code = "precondition_failed"
	CodePreconditionRequired Code = "precondition_required"
	CodeUnauthenticated      Code = "unauthenticated"
	CodeForbidden            Code = "forbidden"
	CodeRateLimited          Code = "rate_limited" // Details["retry_after_seconds"]: when to retry
	CodeInternal             Code = "internal"

	// CodeBusy: the server has too much of this work under way (password checks); try again
	// shortly (Details["retry_after_seconds"]).
	CodeBusy Code = "busy"
)

// FieldError says what is wrong with one input field. Field uses the API's names ("email",
// "address.country"); Code is stable and translated by the faces; Params fill the message.
type FieldError struct {
	Field  string
	Code   string
	Params map[string]any
}

// Field error codes.
const (
	FieldRequired      = "required"
	FieldTooLong       = "too_long"
	FieldInvalid       = "invalid"
	FieldNotAllowed    = "not_allowed"
	FieldOutOfRange    = "out_of_range"
	FieldTaken         = "taken"
	FieldUnknown       = "unknown_field"
	FieldWrongType     = "wrong_type"
	FieldBadEncoding   = "invalid_utf8"
	FieldBadControl    = "invalid_control_character"
	FieldInvisible     = "invisible_character" // Params["char"]: the character, as "U+202E"
	FieldNotDigits     = "digits_only"
	FieldNeedsEmail    = "requires_email"
	FieldNoSuchGroup   = "unknown_group"
	FieldInvalidCursor = "invalid_cursor"
	FieldWrongPassword = "wrong_password" // the current password given is not the user's
)

// Field error codes of tax ids: a wrong Spanish control character; an EU VAT number not in its
// country's format (Params "country", the prefix, and "example"); a person's Spanish id (DNI,
// NIE, K/L/M NIF) on a company; a company's (CIF) on a person.
const (
	FieldTaxIDControl      = "invalid_control_character_taxid"
	FieldVATFormat         = "invalid_vat_number"
	FieldTaxIDForPersons   = "taxid_for_persons"
	FieldTaxIDForCompanies = "taxid_for_companies"
)

// Error is the one error type that crosses layers. Details carries extra facts for the
// client (e.g. a group's member count), never personal data.
type Error struct {
	Code    Code
	Fields  []FieldError
	Details map[string]any
	// Cause is kept for logs; it is never shown to users.
	Cause error
}

func (e *Error) Error() string {
	msg := string(e.Code)
	for _, f := range e.Fields {
		msg += fmt.Sprintf(" [%s: %s]", f.Field, f.Code)
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// Errorf builds an Error with a code and no fields.
func Errorf(code Code) *Error { return &Error{Code: code} }

// ErrorCode returns the code of err, CodeInternal for errors that are not ours.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Problems collects field errors while validating.
type Problems []FieldError

// Add records a problem with a field.
func (p *Problems) Add(field, code string, params map[string]any) {
	*p = append(*p, FieldError{Field: field, Code: code, Params: params})
}

// Has reports whether field already has a problem (only the first one per field is useful).
func (p Problems) Has(field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when there are no problems, else a validation Error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Fields: p}
}
