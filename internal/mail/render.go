package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"unicode/utf8"
)

// Render validates m and returns it as RFC 5322 bytes with CRLF line ends:
//
//	text only:             text/plain
//	text and HTML:         multipart/alternative (text, then HTML)
//	with attachments:      multipart/mixed (the above, then each attachment in base64)
//
// Header text that is not ASCII becomes RFC 2047 encoded words; bodies are UTF-8 in
// quoted-printable. Boundaries are derived from the Message-ID, so the same message renders
// to the same bytes; they start with "=_", which neither quoted-printable nor base64 can
// produce, so no body can end a part early.
func (m *Message) Render() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header(&b, "Date", m.Date.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	header(&b, "Message-ID", "<"+m.MessageID+">")
	header(&b, "From", formatAddress(m.From))
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = formatAddress(a)
	}
	header(&b, "To", strings.Join(to, ", "))
	if m.ReplyTo != nil {
		header(&b, "Reply-To", formatAddress(*m.ReplyTo))
	}
	header(&b, "Subject", encodeText(m.Subject))
	for _, h := range m.Headers {
		header(&b, h.Name, encodeText(h.Value))
	}
	header(&b, "MIME-Version", "1.0")

	seed := sha256.Sum256([]byte(m.MessageID))
	boundary := func(kind string) string { return "=_" + kind + "_" + hex.EncodeToString(seed[:12]) }
	alternative := m.HTML != ""
	switch {
	case len(m.Attachments) > 0:
		mixed := boundary("mixed")
		header(&b, "Content-Type", `multipart/mixed; boundary="`+mixed+`"`)
		b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n")
		b.WriteString("\r\n--" + mixed + "\r\n")
		m.writeBody(&b, alternative, boundary("alt"))
		for _, a := range m.Attachments {
			b.WriteString("\r\n--" + mixed + "\r\n")
			writeAttachment(&b, a)
		}
		b.WriteString("\r\n--" + mixed + "--\r\n")
	default:
		m.writeBody(&b, alternative, boundary("alt"))
	}
	return b.Bytes(), nil
}

// writeBody writes the text part, or the text and HTML alternatives, headers included.
func (m *Message) writeBody(b *bytes.Buffer, alternative bool, boundary string) {
	if !alternative {
		writeText(b, "text/plain", m.Text)
		return
	}
	header(b, "Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n--" + boundary + "\r\n")
	writeText(b, "text/plain", m.Text)
	b.WriteString("\r\n--" + boundary + "\r\n")
	writeText(b, "text/html", m.HTML)
	b.WriteString("\r\n--" + boundary + "--\r\n")
}

func writeText(b *bytes.Buffer, mediaType, text string) {
	header(b, "Content-Type", mediaType+"; charset=utf-8")
	header(b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(b) // not Binary: "\n" becomes CRLF
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	_, _ = w.Write([]byte(text)) // writes to a bytes.Buffer do not fail
	_ = w.Close()
}

func writeAttachment(b *bytes.Buffer, a Attachment) {
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	header(b, "Content-Type", mime.FormatMediaType(strings.ToLower(ct), map[string]string{"name": a.Name}))
	header(b, "Content-Transfer-Encoding", "base64")
	header(b, "Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString(a.Data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc + "\r\n")
	}
}

// formatAddress writes a mailbox; net/mail quotes a display name with specials and encodes
// one that is not ASCII, so a name can never add an address or a header.
func formatAddress(a Address) string {
	return (&netmail.Address{Name: a.Name, Address: a.Email}).String()
}

// encodeText turns header text into encoded words when it is not plain ASCII, when it holds
// "=?" (which a reader would decode), or spaces a reader would drop or merge (leading,
// trailing, doubled, tabs): encoded words keep the text exactly.
func encodeText(s string) string {
	if strings.Contains(s, "=?") || strings.TrimSpace(s) != s || strings.Contains(s, "  ") || strings.Contains(s, "\t") {
		return forceB(s)
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// forceB writes s as base64 encoded words (mime's encoder leaves plain ASCII as it is), each
// of at most 45 bytes of whole characters.
func forceB(s string) string {
	var words []string
	for s != "" {
		n := 0
		for i, r := range s {
			if i+utf8.RuneLen(r) > 45 {
				break
			}
			n = i + utf8.RuneLen(r)
		}
		if n == 0 { // an invalid byte: Validate refuses those before we get here
			n = 1
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// header writes "Name: value" folded at spaces to keep lines near 78 characters.
func header(b *bytes.Buffer, name, value string) {
	line := name + ":"
	lineLen := len(line)
	b.WriteString(line)
	words := strings.Split(value, " ")
	for i, w := range words {
		if i > 0 && w != "" && lineLen+1+len(w) > 76 {
			b.WriteString("\r\n")
			lineLen = 0
		}
		b.WriteString(" " + w)
		lineLen += 1 + len(w)
	}
	b.WriteString("\r\n")
}
