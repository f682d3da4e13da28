package auth

import (
	"strings"
	"testing"
)

var fast = Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	h, err := hashPassword("correct horse", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not PHC argon2id", h)
	}
	if ok, err := checkPassword("correct horse", h); err != nil || !ok {
		t.Errorf("right password refused: %v %v", ok, err)
	}
	if ok, _ := checkPassword("correct hors", h); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := hashPassword("correct horse", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "plain"} {
		if _, err := checkPassword("x", bad); err == nil {
			t.Errorf("hash %q accepted", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	s1, h1, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewToken()
	if s1 == s2 || !strings.HasPrefix(s1, TokenPrefix) || len(s1) < 40 {
		t.Errorf("weak tokens %q %q", s1, s2)
	}
	if HashToken(s1) != h1 || strings.Contains(h1, s1) {
		t.Error("hash does not match or contains the secret")
	}
	p, err := RandomPassword()
	if err != nil || len(p) != 20 {
		t.Errorf("password %q %v", p, err)
	}
}
