package domain

import "time"

// AudienceKind is whom a message is written to.
type AudienceKind string

// The audiences of a message: one customer (a service message: sent whether or not they gave
// marketing consent), the members of a group, or the customers a search of the register finds
// (both campaigns: only those who gave marketing consent).
const (
	AudienceCustomer AudienceKind = "customer"
	AudienceGroup    AudienceKind = "group"
	AudienceSearch   AudienceKind = "search"
)

// Campaign is a message sent to one or many customers: one outbox message per recipient
// carries its id. It keeps no address: the recipients are the outbox's.
type Campaign struct {
	Seq        int64
	ID         string
	Subject    string // the subject's template, as written
	AuthorID   string
	AuthorName string
	Audience   AudienceKind
	// AudienceID is the customer's or the group's id; Query and Balance the search's text and
	// side of the accounts ("", debtors, creditors), with the search's group in AudienceID.
	AudienceID string
	Query      string
	Balance    string
	Recipients int64 // messages queued
	Skipped    int64 // customers of the audience left out: no e-mail, or no marketing consent
	CreatedAt  time.Time
}

// Audit actions of messages: a campaign sent (details: campaign_id, recipients; never
// addresses) and a customer's own opt-out through the link of a message.
const (
	ActionCampaignSend        = "campaign.send"
	ActionCustomerUnsubscribe = "customer.unsubscribe"
)

// Field error codes of messages.
const (
	FieldTemplate     = "invalid_template" // Params["error"]: what the template parser or its run said
	FieldNoRecipients = "no_recipients"    // nobody of the audience has an e-mail (and, for a campaign, consent)
)
