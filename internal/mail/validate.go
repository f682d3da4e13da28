package mail

import (
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/domain"
)

// Validate checks m field by field and returns a domain validation error naming each bad
// field ("from.email", "to[0].email", "subject", "headers[1].value", "attachments[0].name").
// A header value or name with a CR, LF or other control character is refused, never
// encoded: it could only come from a bug or an attack.
func (m *Message) Validate() error {
	var p domain.Problems
	checkMessageID(&p, "message_id", m.MessageID)
	if m.Date.IsZero() {
		p.Add("date", domain.FieldRequired, nil)
	}
	checkAddress(&p, "from", m.From)
	if len(m.To) == 0 {
		p.Add("to", domain.FieldRequired, nil)
	} else if len(m.To) > MaxRecipients {
		p.Add("to", domain.FieldTooLong, map[string]any{"max": MaxRecipients})
	}
	for i, a := range m.To {
		checkAddress(&p, fmt.Sprintf("to[%d]", i), a)
	}
	if m.ReplyTo != nil {
		checkAddress(&p, "reply_to", *m.ReplyTo)
	}
	if strings.TrimSpace(m.Subject) == "" {
		p.Add("subject", domain.FieldRequired, nil)
	} else {
		checkLine(&p, "subject", m.Subject, MaxSubjectLen)
	}
	if strings.TrimSpace(m.Text) == "" {
		p.Add("text", domain.FieldRequired, nil)
	}
	checkBody(&p, "text", m.Text)
	checkBody(&p, "html", m.HTML)
	if len(m.Attachments) > MaxAttachments {
		p.Add("attachments", domain.FieldTooLong, map[string]any{"max": MaxAttachments})
	}
	for i, a := range m.Attachments {
		field := fmt.Sprintf("attachments[%d]", i)
		if strings.TrimSpace(a.Name) == "" {
			p.Add(field+".name", domain.FieldRequired, nil)
		} else {
			checkLine(&p, field+".name", a.Name, MaxFileNameLen)
			if strings.ContainsAny(a.Name, `/\`) {
				p.Add(field+".name", domain.FieldInvalid, nil)
			}
		}
		if a.ContentType != "" {
			mt, params, err := mime.ParseMediaType(a.ContentType)
			if err != nil || len(params) > 0 || strings.HasPrefix(mt, "multipart/") || !isASCIIPrintable(a.ContentType) {
				p.Add(field+".content_type", domain.FieldInvalid, nil)
			}
		}
		if len(a.Data) > MaxAttachmentLen {
			p.Add(field+".data", domain.FieldTooLong, map[string]any{"max": MaxAttachmentLen})
		}
	}
	for i, h := range m.Headers {
		field := fmt.Sprintf("headers[%d]", i)
		if !validHeaderName(h.Name) {
			p.Add(field+".name", domain.FieldInvalid, nil)
		} else if reservedHeaders[strings.ToLower(h.Name)] {
			p.Add(field+".name", domain.FieldNotAllowed, nil)
		}
		if strings.TrimSpace(h.Value) == "" {
			p.Add(field+".value", domain.FieldRequired, nil)
		} else if len(h.Value) > MaxHeaderValueLen {
			p.Add(field+".value", domain.FieldTooLong, map[string]any{"max": MaxHeaderValueLen})
		} else {
			checkLine(&p, field+".value", h.Value, MaxHeaderValueLen)
		}
	}
	return p.Err()
}

// reservedHeaders are written by Render from the message's own fields; an extra header may
// not repeat or override them.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true, "subject": true,
	"date": true, "message-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, "content-disposition": true, "return-path": true,
}

// ValidateAddress checks one address as Validate does, naming field in the error.
func ValidateAddress(field string, a Address) error {
	var p domain.Problems
	checkAddress(&p, field, a)
	return p.Err()
}

// ParseAddress reads "Name <user@host>" or "user@host" into an Address, refusing what
// Validate would refuse (field names the input in the error).
func ParseAddress(field, s string) (Address, error) {
	s = strings.TrimSpace(s)
	var p domain.Problems
	if s == "" {
		p.Add(field, domain.FieldRequired, nil)
		return Address{}, p.Err()
	}
	if !checkChars(&p, field, s) {
		return Address{}, p.Err()
	}
	parsed, err := netmail.ParseAddress(s)
	if err != nil {
		p.Add(field, domain.FieldInvalid, nil)
		return Address{}, p.Err()
	}
	a := Address{Name: parsed.Name, Email: parsed.Address}
	if err := ValidateAddress(field, a); err != nil {
		return Address{}, err
	}
	return a, nil
}

func checkAddress(p *domain.Problems, field string, a Address) {
	if a.Name != "" {
		checkLine(p, field+".name", a.Name, MaxNameLen)
	}
	e := a.Email
	switch {
	case e == "":
		p.Add(field+".email", domain.FieldRequired, nil)
		return
	case len(e) > domain.MaxEmailLen:
		p.Add(field+".email", domain.FieldTooLong, map[string]any{"max": domain.MaxEmailLen})
		return
	case !isASCIIPrintable(e) || strings.ContainsAny(e, " <>\"(),;:\\[]"):
		p.Add(field+".email", domain.FieldInvalid, nil)
		return
	}
	// net/mail decides what an address is; it must read back as exactly the address given
	// (no display name, comment or group smuggled in).
	parsed, err := netmail.ParseAddress(e)
	if err != nil || parsed.Name != "" || parsed.Address != e || strings.Count(e, "@") != 1 ||
		strings.HasPrefix(e, "@") || strings.HasSuffix(e, "@") || !strings.Contains(e[strings.IndexByte(e, '@'):], ".") {
		p.Add(field+".email", domain.FieldInvalid, nil)
	}
}

// checkMessageID accepts dot-atoms left and right of one "@", as RFC 5322's msg-id.
func checkMessageID(p *domain.Problems, field, id string) {
	if id == "" {
		p.Add(field, domain.FieldRequired, nil)
		return
	}
	left, right, ok := strings.Cut(id, "@")
	if !ok || len(id) > 250 || !dotAtom(left) || !dotAtom(right) {
		p.Add(field, domain.FieldInvalid, nil)
	}
}

func dotAtom(s string) bool {
	if s == "" || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r))) {
			return false
		}
	}
	return true
}

// checkLine refuses invalid UTF-8 and control characters (CR and LF above all) in a one-line
// header text, and bounds its length in characters.
func checkLine(p *domain.Problems, field, v string, max int) {
	if !checkChars(p, field, v) {
		return
	}
	if utf8.RuneCountInString(v) > max {
		p.Add(field, domain.FieldTooLong, map[string]any{"max": max})
	}
}

func checkChars(p *domain.Problems, field, v string) bool {
	if !utf8.ValidString(v) {
		p.Add(field, domain.FieldBadEncoding, nil)
		return false
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			p.Add(field, domain.FieldBadControl, nil)
			return false
		}
	}
	return true
}

// checkBody allows line breaks and tabs but no other control character.
func checkBody(p *domain.Problems, field, v string) {
	if len(v) > MaxBodyLen {
		p.Add(field, domain.FieldTooLong, map[string]any{"max": MaxBodyLen})
		return
	}
	if !utf8.ValidString(v) {
		p.Add(field, domain.FieldBadEncoding, nil)
		return
	}
	for _, r := range v {
		if r != '\n' && r != '\r' && r != '\t' && unicode.IsControl(r) {
			p.Add(field, domain.FieldBadControl, nil)
			return
		}
	}
}

// validHeaderName: RFC 5322 field names are printable ASCII but colon; we also keep to
// letters, digits and dashes, starting with a letter.
func validHeaderName(s string) bool {
	if s == "" || len(s) > 76 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

func isASCIIPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			if s[i] == ' ' {
				continue
			}
			return false
		}
	}
	return true
}
