package httpapi

import (
	"net/http"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// Messages to customers (issue 10, docs/messages.md): preview or send a campaign, and read
// one with its counts.

type campaignAudienceJSON struct {
	Kind       string  `json:"kind"`
	CustomerID *string `json:"customer_id"`
	GroupID    *string `json:"group_id"`
	Q          string  `json:"q"`
	Balance    *string `json:"balance"`
}

type campaignJSON struct {
	ID           string               `json:"id"`
	Subject      string               `json:"subject"`
	Author       string               `json:"author"`
	CreatedAt    time.Time            `json:"created_at"`
	Audience     campaignAudienceJSON `json:"audience"`
	Recipients   int64                `json:"recipients"`
	Skipped      int64                `json:"skipped"`
	Counts       map[string]int64     `json:"counts"`
	Unsubscribed int64                `json:"unsubscribed"`
}

type recipientJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type campaignPreviewJSON struct {
	Recipients int           `json:"recipients"`
	Skipped    int           `json:"skipped"`
	CustomerID string        `json:"customer_id"`
	To         recipientJSON `json:"to"`
	Subject    string        `json:"subject"`
	Text       string        `json:"text"`
	HTML       string        `json:"html"`
}

func toCampaignJSON(v app.CampaignView) campaignJSON {
	out := campaignJSON{ID: v.ID, Subject: v.Subject, Author: v.AuthorName, CreatedAt: v.CreatedAt.UTC(),
		Audience:   campaignAudienceJSON{Kind: string(v.Audience), Q: v.Query, Balance: optional(v.Balance)},
		Recipients: v.Recipients, Skipped: v.Skipped, Unsubscribed: v.Unsubscribed, Counts: map[string]int64{}}
	if v.Audience == domain.AudienceCustomer {
		out.Audience.CustomerID = optional(v.AudienceID)
	} else {
		out.Audience.GroupID = optional(v.AudienceID)
	}
	for _, st := range []domain.OutboxStatus{domain.OutboxQueued, domain.OutboxSent, domain.OutboxFailed, domain.OutboxDropped} {
		out.Counts[string(st)] = v.Counts[st]
	}
	return out
}

// createCampaign previews ("preview": true: 200, nothing stored) or sends a message (201).
func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	d := app.MessageDraft{Audience: domain.AudienceKind(f.str("audience").Value), CustomerID: f.str("customer_id").Value,
		GroupID: f.str("group_id").Value, Query: f.str("q").Value, Balance: app.BalanceSide(f.str("balance").Value),
		Subject: f.str("subject").Value, Body: f.str("body").Value, Language: f.str("language").Value}
	preview := f.boolean("preview").Value
	if err := f.done(); err != nil {
		return err
	}
	if preview {
		pv, err := s.app.PreviewMessage(r.Context(), p, d)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, campaignPreviewJSON{Recipients: pv.Recipients, Skipped: pv.Skipped, CustomerID: pv.CustomerID,
			To: recipientJSON{Name: pv.To.Name, Email: pv.To.Email}, Subject: pv.Subject, Text: pv.Text, HTML: pv.HTML})
		return nil
	}
	c, err := s.app.SendMessage(r.Context(), p, d)
	if err != nil {
		return err
	}
	v, err := s.app.Campaign(r.Context(), p, c.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/campaigns/"+c.ID)
	writeJSON(w, http.StatusCreated, toCampaignJSON(v))
	return nil
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	v, err := s.app.Campaign(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCampaignJSON(v))
	return nil
}
