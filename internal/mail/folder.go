package mail

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
)

// Folder is the transport used when no SMTP server is configured: each message becomes an
// .eml file (named after its Message-ID) in a folder, which any mail program opens. Writing
// the same message twice leaves one file.
type Folder struct{ dir string }

// NewFolder returns a transport writing into dir, created when first needed.
func NewFolder(dir string) *Folder { return &Folder{dir: dir} }

// Dir is the folder the messages go to.
func (f *Folder) Dir() string { return f.dir }

// Send writes raw to <dir>/<message-id>.eml through a temporary file, so a reader never sees
// half a message.
func (f *Folder) Send(_ context.Context, _ string, _ []string, raw []byte) (string, error) {
	if err := os.MkdirAll(f.dir, 0o750); err != nil {
		return "", &SendError{Response: "cannot create the mail folder", Err: err}
	}
	name := fileName(raw) + ".eml"
	tmp, err := os.CreateTemp(f.dir, ".tmp-*")
	if err != nil {
		return "", &SendError{Response: "cannot write to the mail folder", Err: err}
	}
	_, werr := tmp.Write(raw)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), filepath.Join(f.dir, name))
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", &SendError{Response: "cannot write to the mail folder", Err: werr}
	}
	return fmt.Sprintf("written to %s", name), nil
}

// fileName is the message's Message-ID made safe as a file name.
func fileName(raw []byte) string {
	id := ""
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	if h, err := r.ReadMIMEHeader(); err == nil {
		id = strings.Trim(h.Get("Message-Id"), "<> ")
	}
	return safeName(id)
}

// FolderFile is the name of the file Folder writes the message with this Message-ID
// (without angle brackets) to: what an erasure removes.
func FolderFile(messageID string) string { return safeName(messageID) + ".eml" }

func safeName(id string) string {
	if id == "" {
		return "message"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '@' || r == '_' {
			return r
		}
		return '_'
	}, id)
}
