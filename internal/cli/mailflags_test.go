package cli

import (
	"io"
	"testing"
)

// TestPublicURLFlag: --public-url (or CLIENTELA_PUBLIC_URL) is the base of unsubscribe
// links, without a trailing slash; anything but an http(s) address is refused; left out, serve
// uses the listen address (empty here).
func TestPublicURLFlag(t *testing.T) {
	for _, tc := range []struct {
		flag, env, want string
		ok              bool
	}{
		{"", "", "", true},
		{"https://tienda.example/", "", "https://tienda.example", true},
		{"", "https://shop.example/clientela", "https://shop.example/clientela", true},
		{"http://127.0.0.1:8080", "https://ignored.example", "http://127.0.0.1:8080", true},
		{"ftp://tienda.example", "", "", false},
		{"tienda.example", "", "", false},
		{"https://tienda.example/?x=1", "", "", false},
	} {
		env := Env{Stderr: io.Discard, Getenv: func(k string) string {
			if k == "CLIENTELA_PUBLIC_URL" {
				return tc.env
			}
			return ""
		}}
		fs := newFlagSet("serve", env)
		m := addMailFlags(fs, env)
		var args []string
		if tc.flag != "" {
			args = []string{"--public-url", tc.flag}
		}
		if err := parse(fs, args); err != nil {
			t.Fatal(err)
		}
		cfg, err := m.config(t.TempDir())
		if (err == nil) != tc.ok {
			t.Errorf("%q %q: error %v", tc.flag, tc.env, err)
			continue
		}
		if err == nil && cfg.PublicURL != tc.want {
			t.Errorf("%q %q: public URL %q, want %q", tc.flag, tc.env, cfg.PublicURL, tc.want)
		}
	}
}
