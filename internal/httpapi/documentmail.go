package httpapi

import (
	"net/http"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// mailJSON is an e-mail as the API shows it: where it stands, never its body.
type mailJSON struct {
	ID           string  `json:"id"`
	Kind         string  `json:"kind"`
	Status       string  `json:"status"`
	Recipient    string  `json:"recipient"`
	Subject      string  `json:"subject"`
	Attempts     int     `json:"attempts"`
	LastResponse *string `json:"last_response"`
	CreatedAt    string  `json:"created_at"`
	SentAt       *string `json:"sent_at"`
}

func toMailJSON(m *domain.OutboxMessage) mailJSON {
	out := mailJSON{ID: m.ID, Kind: string(m.Kind), Status: string(m.Status), Recipient: m.Recipient, Subject: m.Subject,
		Attempts: m.Attempts, LastResponse: optional(m.LastResponse), CreatedAt: m.CreatedAt.UTC().Format(time.RFC3339Nano)}
	if m.SentAt != nil {
		s := m.SentAt.UTC().Format(time.RFC3339Nano)
		out.SentAt = &s
	}
	return out
}

// invoiceMails lists the e-mails that carried an invoice, newest first.
func (s *Server) invoiceMails(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	mails, err := s.app.InvoiceMails(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]mailJSON, len(mails))
	for i := range mails {
		out[i] = toMailJSON(&mails[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": out})
	return nil
}

// sendInvoiceMail queues the invoice's e-mail to its customer: 202, it goes out shortly.
func (s *Server) sendInvoiceMail(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	m, err := s.app.SendInvoiceMail(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, toMailJSON(&m))
	return nil
}

// sendStatementMail queues a customer's statement for the period (?from, ?to) by e-mail.
func (s *Server) sendStatementMail(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	m, err := s.app.SendStatement(r.Context(), p, r.PathValue("id"), q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, toMailJSON(&m))
	return nil
}
