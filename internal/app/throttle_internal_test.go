package app

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestThrottleKeysAreKeyed: a throttle key depends on the secret, so the table's keys cannot
// be matched against hashes of guessed user names and addresses; the parts are delimited
// unambiguously; and the user name counts without case or surrounding spaces.
func TestThrottleKeysAreKeyed(t *testing.T) {
	one, two := throttleHash("secret number one"), throttleHash("secret number two")
	if one.key("u", "till") == two.key("u", "till") {
		t.Error("two secrets give the same key")
	}
	if again := throttleHash("secret number one"); one.key("u", "till") != again.key("u", "till") {
		t.Error("one secret gives two keys for one name")
	}
	plain := sha256.Sum256([]byte("till\x00"))
	if strings.Contains(one.key("u", "till"), hex.EncodeToString(plain[:16])) {
		t.Error("the key is the unkeyed hash")
	}
	if one.key("ua", "a\x00b", "c") == one.key("ua", "a", "b\x00c") || one.key("ua", "ab", "c") == one.key("ua", "a", "bc") {
		t.Error("different parts give the same key")
	}
	if !strings.HasPrefix(one.key("a", "192.0.2.1"), "a:") || one.key("a", "x") == one.key("u", "x") {
		t.Error("the kind does not name the key")
	}
	a, b := one.loginLimits(" TILL ", "192.0.2.1"), one.loginLimits("till", "192.0.2.1")
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("limit %d differs by the user name's case: %v, %v", i, a[i], b[i])
		}
	}
	if a[0].max != loginPairLimit || a[1].max != loginUserLimit || a[2].max != loginAddressLimit {
		t.Errorf("limits %+v", a)
	}
}
