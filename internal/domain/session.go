package domain

import "time"

// Session is a signed-in browser. The cookie holds a random secret; the store keeps only its
// hash (ID), so a leaked database does not let anyone in.
type Session struct {
	ID         string // SHA-256 hex of the secret
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SessionExpiry is when a session last seen at lastSeen ends: idle after its last request,
// and never later than maxAge after it began.
func SessionExpiry(createdAt, lastSeen time.Time, idle, maxAge time.Duration) time.Time {
	end := lastSeen.Add(idle)
	if abs := createdAt.Add(maxAge); abs.Before(end) {
		return abs
	}
	return end
}
