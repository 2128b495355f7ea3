package importer

import (
	"strconv"
	"strings"
	"unicode"
)

// IDs records the ids taken in each of Ward's namespaces ("element",
// "zone", "threat", ...) so that a source hands out each id once.
type IDs map[string]map[string]bool

// Claim returns id, or id-2, id-3, ... when it is taken in namespace, and
// marks the result taken.
func (ids IDs) Claim(namespace, id string) string {
	taken := ids[namespace]
	if taken == nil {
		taken = map[string]bool{}
		ids[namespace] = taken
	}
	for i, base := 2, id; taken[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	taken[id] = true
	return id
}

// Taken reports whether id is already used in namespace.
func (ids IDs) Taken(namespace, id string) bool { return ids[namespace][id] }

// SafeID turns text into an id of Ward's pattern: letters, digits, '.',
// '_' and '-', starting with a letter or digit, cut near maxLen. Runs of
// other characters become one '-'; text with nothing usable gives "x".
func SafeID(s string, maxLen int) string {
	var sb strings.Builder
	dash := false
	for _, c := range s {
		alnum := c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c))
		switch {
		case alnum || (sb.Len() > 0 && (c == '.' || c == '_' || c == '-')):
			sb.WriteRune(c)
			dash = c == '-'
		case sb.Len() > 0 && !dash:
			sb.WriteByte('-')
			dash = true
		}
		if sb.Len() >= maxLen {
			break
		}
	}
	id := strings.TrimRight(sb.String(), "-._")
	if id == "" {
		return "x"
	}
	return id
}
