package mail

import (
	"context"
	"errors"
	"fmt"
)

// Transport delivers rendered messages. Send hands raw (the bytes Render made) to the
// transport for the envelope sender and recipients and returns the server's answer
// ("250 2.0.0 Ok: queued as 4F3A"), or an error; a *SendError says whether trying again
// later may work.
type Transport interface {
	Send(ctx context.Context, from string, to []string, raw []byte) (response string, err error)
}

// SendError is a failed delivery with the server's answer, when there was one.
type SendError struct {
	// Permanent: the server refused the message for good (a 5xx answer); trying again will
	// not help. Otherwise (a 4xx answer, no server, a dropped connection) it may.
	Permanent bool
	Code      int    // the SMTP reply code; 0 without an answer
	Response  string // the server's answer, or what went wrong
	Err       error
}

func (e *SendError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp %d %s", e.Code, e.Response)
	}
	return e.Response
}

func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a delivery that will fail the same way again.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// Response is the answer err carries: the server's reply, or the error's text.
func Response(err error) string {
	var se *SendError
	if errors.As(err, &se) {
		return se.Error()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
