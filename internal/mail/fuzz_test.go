package mail_test

import (
	"bytes"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/mail"
)

// FuzzRender: whatever the caller puts in a name, subject, header value or body, either the
// message is refused, or it renders to a message with exactly the headers Render writes
// (nothing injected), whose subject and names read back as given. Seeds: testdata/fuzz.
func FuzzRender(f *testing.F) {
	f.Add("Señora Muñoz", "maria@example.com", "Su factura", "<https://x.example/u>", "Hola\n.\nAdiós")
	f.Add("A\r\nBcc: x@y.z", "a@b.example", "S\nBcc: v@w.example", "v\r\nX: y", "")
	f.Add(`"Quoted" <evil@x.example>`, "a@b.example", "=?utf-8?q?hack?=", "x", "=_mixed_")
	f.Fuzz(func(t *testing.T, name, email, subject, header, text string) {
		m := mail.Message{
			MessageID: "fuzz@clientela.example", Date: time.Unix(1700000000, 0).UTC(),
			From:    mail.Address{Name: "Tienda", Email: "t@clientela.example"},
			To:      []mail.Address{{Name: name, Email: email}},
			Subject: subject, Text: text + "x", HTML: text,
			Headers:     []mail.Header{{Name: "X-Campaign", Value: header}},
			Attachments: []mail.Attachment{{Name: "f.bin", Data: []byte(text)}},
		}
		raw, err := m.Render()
		if err != nil {
			return
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("rendered message does not parse: %v\n%q", err, raw)
		}
		want := map[string]bool{"Date": true, "Message-Id": true, "From": true, "To": true, "Subject": true,
			"X-Campaign": true, "Mime-Version": true, "Content-Type": true}
		for k, v := range msg.Header {
			if !want[k] || len(v) != 1 {
				t.Fatalf("header %s %q: injected or repeated\n%q", k, v, raw)
			}
		}
		dec := new(mime.WordDecoder)
		if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
			t.Fatalf("subject %q read back as %q (%v)", subject, got, err)
		}
		if got, err := dec.DecodeHeader(msg.Header.Get("X-Campaign")); err != nil || got != header {
			t.Fatalf("header %q read back as %q (%v)", header, got, err)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != email || to[0].Name != strings.TrimSpace(name) && to[0].Name != name {
			t.Fatalf("to %q <%s> read back as %v (%v)", name, email, to, err)
		}
	})
}

// FuzzParseAddress: an address ParseAddress accepts is one mailbox, and written out by a
// message it reads back as the same name and address.
func FuzzParseAddress(f *testing.F) {
	f.Add("Señora Muñoz <maria@example.com>")
	f.Add(`"A, B" <a@b.example>`)
	f.Add("a@b.example, c@d.example")
	f.Add("x <a@b.example>\r\nBcc: v@w.example")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := mail.ParseAddress("to", s)
		if err != nil {
			return
		}
		m := mail.Message{MessageID: "f@clientela.example", Date: time.Unix(1700000000, 0).UTC(),
			From: mail.Address{Email: "t@clientela.example"}, To: []mail.Address{a}, Subject: "x", Text: "x"}
		raw, err := m.Render()
		if err != nil {
			t.Fatalf("accepted %q (%+v) but cannot render it: %v", s, a, err)
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != a.Email || to[0].Name != a.Name {
			t.Fatalf("%q: %+v read back as %v (%v)", s, a, to, err)
		}
	})
}
