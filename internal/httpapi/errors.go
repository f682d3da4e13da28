package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
)

// errorBody is the JSON form of every error: {"error": {...}}.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code        string           `json:"code"`
	Message     string           `json:"message"`
	Fields      []fieldErrorJSON `json:"fields"`
	MemberCount *int64           `json:"member_count,omitempty"`
	// SettingsPath: where the setting missing for this is made (shop_not_ready).
	SettingsPath string `json:"settings_path,omitempty"`
	// Reason: why a conflict is refused (last_admin, nothing_to_return…).
	Reason string `json:"reason,omitempty"`
	// The amounts of an account's refusal (credit_limit_exceeded, insufficient_credit,
	// balance_not_zero), in cents.
	BalanceCents *int64 `json:"balance_cents,omitempty"`
	LimitCents   *int64 `json:"limit_cents,omitempty"`
	AmountCents  *int64 `json:"amount_cents,omitempty"`
	CreditCents  *int64 `json:"credit_cents,omitempty"`
}

type fieldErrorJSON struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// statusOf maps domain codes to HTTP statuses: the one table of it.
func statusOf(code domain.Code) int {
	switch code {
	case domain.CodeInvalid, domain.CodeTicketEmpty:
		return http.StatusUnprocessableEntity
	case domain.CodeNotFound:
		return http.StatusNotFound
	case domain.CodeConflict, domain.CodeDuplicate, domain.CodeGroupNotEmpty, domain.CodeShopNotReady, domain.CodeIdempotencyReused,
		domain.CodeCreditLimit, domain.CodeInsufficientCredit, domain.CodeBalanceNotZero:
		return http.StatusConflict
	case domain.CodePreconditionFailed:
		return http.StatusPreconditionFailed
	case domain.CodePreconditionRequired:
		return http.StatusPreconditionRequired
	case domain.CodeUnauthenticated:
		return http.StatusUnauthorized
	case domain.CodeForbidden:
		return http.StatusForbidden
	case domain.CodeRateLimited:
		return http.StatusTooManyRequests
	case domain.CodeBusy:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers with err in the caller's language. Internal errors are logged with
// their cause and shown to users only as a generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	lang := s.msgs.Pick(r.Header.Get("Accept-Language"))
	var body errorBody
	status := http.StatusInternalServerError
	var reqErr *requestError
	var domErr *domain.Error
	switch {
	case errors.As(err, &reqErr):
		status = reqErr.status
		body.Error.Code = reqErr.code
		body.Error.Message = s.msgs.T(lang, "error."+reqErr.code, reqErr.params)
		body.Error.Fields = s.fieldErrors(lang, reqErr.fields)
	case errors.As(err, &domErr) && domErr.Code != domain.CodeInternal:
		status = statusOf(domErr.Code)
		body.Error.Code = string(domErr.Code)
		key := "error." + string(domErr.Code)
		// A refusal with a reason ("last_admin") has a message of its own when the catalog has one.
		if reason, ok := domErr.Details["reason"].(string); ok && s.msgs.Has(lang, key+"."+reason) {
			key += "." + reason
		}
		body.Error.Message = s.msgs.T(lang, key, i18n.WithMoney(domErr.Details, lang))
		body.Error.Fields = s.fieldErrors(lang, domErr.Fields)
		body.Error.SettingsPath, _ = domErr.Details["settings_path"].(string)
		body.Error.Reason, _ = domErr.Details["reason"].(string)
		if n, ok := domErr.Details["member_count"].(int64); ok {
			body.Error.MemberCount = &n
		}
		for name, dst := range map[string]**int64{"balance_cents": &body.Error.BalanceCents, "limit_cents": &body.Error.LimitCents,
			"amount_cents": &body.Error.AmountCents, "credit_cents": &body.Error.CreditCents} {
			if n, ok := domErr.Details[name].(int64); ok {
				*dst = &n
			}
		}
		if n, ok := domErr.Details["retry_after_seconds"].(int64); ok && n > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(n, 10))
		}
	default:
		s.log.ErrorContext(r.Context(), "request failed", slog.String("route", r.Pattern), slog.Any("error", err))
		body.Error.Code = string(domain.CodeInternal)
		body.Error.Message = s.msgs.T(lang, "error.internal", nil)
		body.Error.Fields = []fieldErrorJSON{}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="clientela"`)
	}
	writeJSON(w, status, body)
}

func (s *Server) fieldErrors(lang i18n.Lang, fields []domain.FieldError) []fieldErrorJSON {
	out := make([]fieldErrorJSON, 0, len(fields))
	for _, f := range fields {
		out = append(out, fieldErrorJSON{Field: f.Field, Code: f.Code, Message: s.msgs.T(lang, "field."+f.Code, f.Params)})
	}
	return out
}
