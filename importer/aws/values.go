package aws

import (
	"strconv"
	"strings"

	"github.com/wardsec/ward/importer"
)

// str returns v as a string when it is a known scalar.
func str(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// boolean reads a CloudFormation boolean, which may be written as a string.
// known is false when v is absent or unknown.
func boolean(v any) (value, known bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(strings.ToLower(v))
		return b, err == nil
	}
	return false, false
}

func number(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case float64:
		return int(v), true
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

// unknown reports whether v is a value not known statically.
func unknown(v any) (importer.Unknown, bool) {
	u, ok := v.(importer.Unknown)
	return u, ok
}
