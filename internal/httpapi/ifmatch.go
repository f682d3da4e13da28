package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/domain"
)

// fieldInvalidETag is the field error code of a malformed If-Match.
const fieldInvalidETag = "invalid_etag"

// etag is the entity tag of a record version: a strong tag of the version number.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the precondition of an update from If-Match, as RFC 9110 §13.1.1 defines it:
// "*" (any current version) or a list of entity tags, of which the current one must be one.
// Only strong tags can match; a weak tag (W/"3") or a tag that is no version of ours is read
// and never matches. Without the header the update is refused (428): a blind overwrite would
// lose a concurrent edit. A value that is not "*" nor a list of entity tags is a malformed
// request (400), not a stale version. The use case checks the precondition in its transaction.
func ifMatch(r *http.Request) (domain.Precondition, error) {
	value := strings.Join(r.Header.Values("If-Match"), ",")
	if strings.Trim(value, " \t,") == "" {
		return domain.Precondition{}, domain.Errorf(domain.CodePreconditionRequired)
	}
	if strings.Trim(value, " \t") == "*" {
		return domain.IfAnyVersion(), nil
	}
	versions, ok := parseETagList(value)
	if !ok {
		return domain.Precondition{}, badField("If-Match", fieldInvalidETag, nil)
	}
	return domain.IfVersion(versions...), nil
}

// parseETagList reads #entity-tag (RFC 9110 §5.6.1, §8.8.3): entity tags separated by commas
// and optional white space, empty elements allowed. It returns the versions named by strong
// tags, and false when the list is malformed.
func parseETagList(s string) ([]int64, bool) {
	var versions []int64
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i == len(s) {
			return versions, true
		}
		weak := strings.HasPrefix(s[i:], "W/")
		if weak {
			i += 2
		}
		if i == len(s) || s[i] != '"' {
			return nil, false
		}
		end := i + 1
		for end < len(s) && isETagChar(s[end]) {
			end++
		}
		if end == len(s) || s[end] != '"' {
			return nil, false
		}
		opaque := s[i+1 : end]
		i = end + 1
		if v, err := strconv.ParseInt(opaque, 10, 64); !weak && err == nil && etag(v) == `"`+opaque+`"` {
			versions = append(versions, v)
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) && s[i] != ',' {
			return nil, false
		}
	}
}

// isETagChar reports whether c may appear inside an entity tag's quotes (etagc).
func isETagChar(c byte) bool { return c == 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80 }
