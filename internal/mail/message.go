// Package mail builds e-mail messages and hands them to a transport. Message.Render turns a
// message into RFC 5322 bytes (UTF-8, RFC 2047 encoded words in headers, quoted-printable
// text, base64 attachments, multipart/alternative inside multipart/mixed); the outbox stores
// those bytes and a Transport (SMTP, or a folder of .eml files) sends them unchanged, so a
// message sent twice is the same message, with the same Message-ID. Building does no I/O.
package mail

import (
	"strings"
	"time"
)

// Address is a mailbox with an optional display name.
type Address struct {
	Name  string
	Email string
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string // the file name the recipient sees ("factura-2026-A-17.pdf")
	ContentType string // "application/pdf"; empty: application/octet-stream
	Data        []byte
}

// Header is an extra header field, such as List-Unsubscribe.
type Header struct {
	Name  string
	Value string
}

// Message is one e-mail. MessageID is given by the caller and stays the message's identity
// through every retry ("0190f3c1-…@shop.example", without angle brackets; NewMessageID).
type Message struct {
	MessageID   string
	Date        time.Time
	From        Address
	To          []Address
	ReplyTo     *Address
	Subject     string
	Text        string // the plain-text part; required
	HTML        string // optional HTML alternative
	Attachments []Attachment
	Headers     []Header
}

// Bounds on what a message may hold.
const (
	MaxSubjectLen     = 250 // characters
	MaxNameLen        = 100 // display names, characters
	MaxHeaderValueLen = 900 // bytes, before encoding
	MaxRecipients     = 50
	MaxAttachments    = 20
	MaxFileNameLen    = 150 // characters
	MaxBodyLen        = 1 << 20
	MaxAttachmentLen  = 10 << 20
)

// NewMessageID joins a unique id and the domain of the sender's address into a Message-ID
// (without angle brackets).
func NewMessageID(uniqueID, fromEmail string) string {
	domain := "clientela.invalid"
	if at := strings.LastIndexByte(fromEmail, '@'); at >= 0 && at < len(fromEmail)-1 {
		domain = fromEmail[at+1:]
	}
	return uniqueID + "@" + domain
}

// UnsubscribeHeaders are the RFC 8058 one-click unsubscribe headers for link (an https URL
// that records the opt-out on a POST without login) and, optionally, a mailto address.
func UnsubscribeHeaders(link, mailto string) []Header {
	v := "<" + link + ">"
	if mailto != "" {
		v += ", <mailto:" + mailto + ">"
	}
	return []Header{
		{Name: "List-Unsubscribe", Value: v},
		{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"},
	}
}

// Envelope returns the SMTP envelope of m: the sender and the recipients' addresses.
func (m *Message) Envelope() (from string, to []string) {
	for _, a := range m.To {
		to = append(to, a.Email)
	}
	return m.From.Email, to
}
