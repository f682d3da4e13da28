// Package reqlog lets a face (the API, the pages) tell the request logger who made a
// request. The logger wraps the faces, so it cannot see context values they add; it puts a
// holder in the context first, and the faces fill it.
package reqlog

import "context"

// Info is what the logger learns about a request from the face that served it.
type Info struct {
	UserID string
}

type key struct{}

// With returns a context carrying an empty Info for the faces to fill.
func With(ctx context.Context) (context.Context, *Info) {
	info := &Info{}
	return context.WithValue(ctx, key{}, info), info
}

// SetUser records who made the request, when a logger is listening.
func SetUser(ctx context.Context, userID string) {
	if info, ok := ctx.Value(key{}).(*Info); ok {
		info.UserID = userID
	}
}
