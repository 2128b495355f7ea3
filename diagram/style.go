package diagram

import (
	"strconv"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// Colours shared by every format, so a reader who learns one diagram can
// read the others.
const (
	inkColor      = "#212529"
	mutedColor    = "#495057"
	ghostColor    = "#868e96"
	ghostLine     = "#adb5bd"
	processFill   = "#ffffff"
	datastoreFill = "#e7f5ff"
	externalFill  = "#f1f3f5"
	edgeColor     = "#495057"
)

// trustStyle is a zone's fill and border, warm for untrusted zones and
// cool for trusted ones.
type trustStyle struct{ fill, line string }

func trustColors(t model.Trust) trustStyle {
	switch t {
	case model.Untrusted:
		return trustStyle{"#fff5f5", "#ff8787"}
	case model.TrustLow:
		return trustStyle{"#fff4e6", "#ffa94d"}
	case model.TrustMedium:
		return trustStyle{"#fff9db", "#fcc419"}
	case model.TrustHigh:
		return trustStyle{"#ebfbee", "#69db7c"}
	case model.Trusted:
		return trustStyle{"#e6fcf5", "#38d9a9"}
	}
	return trustStyle{"#f8f9fa", "#ced4da"}
}

// severityStyle is a threat badge: its background and text colour.
type severityStyle struct{ fill, text string }

func severityColors(s risk.Severity) severityStyle {
	switch s {
	case risk.Critical:
		return severityStyle{"#a61e4d", "#ffffff"}
	case risk.High:
		return severityStyle{"#e03131", "#ffffff"}
	case risk.Medium:
		return severityStyle{"#f59f00", "#212529"}
	case risk.Low:
		return severityStyle{"#1971c2", "#ffffff"}
	}
	return severityStyle{"#868e96", "#ffffff"}
}

// badge is the text of an element's threat mark, "" when nothing is open.
func (m mark) badge() string {
	if m.open == 0 {
		return ""
	}
	return strconv.Itoa(m.open) + " open · " + string(m.worst)
}

// zoneTitle labels a zone: its name and trust level.
func zoneTitle(name string, t model.Trust) string {
	if t == "" {
		return name
	}
	return name + " · trust: " + string(t)
}

// pullNote heads the label of a flow whose receiver opens the connection;
// the dot echoes the one drawn at the receiver's end.
const pullNote = "● receiver pulls"

// Legend texts.
const (
	legendPush = "data flow: the sender connects"
	legendPull = "the receiver connects"
)
