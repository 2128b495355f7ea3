package model

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/wardsec/ward/risk"
)

// enumSpec lists the values of one typed-string enum, so the decoder can
// reject a bad value with its position and a suggestion.
type enumSpec struct {
	what   string
	values []string
}

var enumSpecs = map[reflect.Type]enumSpec{}

// enumOf registers the values of an enum type and returns them.
func enumOf[T ~string](what string, values ...T) []T {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	enumSpecs[reflect.TypeFor[T]()] = enumSpec{what: what, values: names}
	return values
}

func (e enumSpec) check(text string) error {
	if slices.Contains(e.values, text) {
		return nil
	}
	return fmt.Errorf("unknown %s %q (want one of %s)%s", e.what, text, strings.Join(e.values, ", "), DidYouMean(text, e.values))
}

// Enums the model borrows from the risk package.
var (
	_ = enumOf("likelihood", risk.Likelihoods...)
	_ = enumOf("impact", risk.Impacts...)
	_ = enumOf("severity", risk.Severities...)
)

// Coverage says whether a model covers the application, the platform it is
// hosted on, or both (a scope statement should always say which).
type Coverage string

// Coverage values.
const (
	CoversApplication Coverage = "application"
	CoversPlatform    Coverage = "platform"
	CoversBoth        Coverage = "both"
)

// Coverages lists the Coverage values.
var Coverages = enumOf("coverage", CoversApplication, CoversPlatform, CoversBoth)

// Classification is how sensitive a data asset is.
type Classification string

// Classification levels, from least to most sensitive.
const (
	Public       Classification = "public"
	Internal     Classification = "internal"
	Confidential Classification = "confidential"
	Restricted   Classification = "restricted"
)

// Classifications lists the levels in ascending order.
var Classifications = enumOf("classification", Public, Internal, Confidential, Restricted)

// Rank returns the position of c in Classifications (0 when unset).
func (c Classification) Rank() int {
	for i, v := range Classifications {
		if v == c {
			return i
		}
	}
	return 0
}

// Level is a low/medium/high rating, used for an asset's confidentiality,
// integrity and availability needs and for an actor's capability.
type Level string

// Level values.
const (
	LevelLow    Level = "low"
	LevelMedium Level = "medium"
	LevelHigh   Level = "high"
)

// Levels lists the Level values in ascending order.
var Levels = enumOf("level", LevelLow, LevelMedium, LevelHigh)

// ActorKind is what kind of actor an actor is: one of the four kinds
// of threat actor, or a legitimate user or service.
type ActorKind string

// Actor kinds.
const (
	APT               ActorKind = "apt"
	External          ActorKind = "external"
	MaliciousInsider  ActorKind = "malicious-insider"
	AccidentalInsider ActorKind = "accidental-insider"
	User              ActorKind = "user"
	Service           ActorKind = "service"
)

// ActorKinds lists every actor kind; ThreatActorKinds only the adversaries.
var (
	ActorKinds       = enumOf("actor kind", APT, External, MaliciousInsider, AccidentalInsider, User, Service)
	ThreatActorKinds = []ActorKind{APT, External, MaliciousInsider, AccidentalInsider}
)

// Title is how the assessment names an actor of kind k when the model
// declares none of that kind.
func (k ActorKind) Title() string {
	switch k {
	case APT:
		return "State-sponsored adversary (APT)"
	case External:
		return "External adversary"
	case MaliciousInsider:
		return "Malicious insider"
	case AccidentalInsider:
		return "Accidental insider"
	case User:
		return "User"
	case Service:
		return "Service"
	}
	return string(k)
}

// Trust is how far a zone is trusted.
type Trust string

// Trust levels, from least to most trusted.
const (
	Untrusted   Trust = "untrusted"
	TrustLow    Trust = "low"
	TrustMedium Trust = "medium"
	TrustHigh   Trust = "high"
	Trusted     Trust = "trusted"
)

// Trusts lists the levels in ascending order.
var Trusts = enumOf("trust level", Untrusted, TrustLow, TrustMedium, TrustHigh, Trusted)

// Rank returns the position of t in Trusts.
func (t Trust) Rank() int {
	for i, v := range Trusts {
		if v == t {
			return i
		}
	}
	return 0
}

// Stride is one letter of STRIDE.
type Stride string

// STRIDE categories.
const (
	Spoofing              Stride = "spoofing"
	Tampering             Stride = "tampering"
	Repudiation           Stride = "repudiation"
	InformationDisclosure Stride = "information-disclosure"
	DenialOfService       Stride = "denial-of-service"
	ElevationOfPrivilege  Stride = "elevation-of-privilege"
)

// Strides lists the categories in STRIDE order.
var Strides = enumOf("STRIDE category", Spoofing, Tampering, Repudiation, InformationDisclosure, DenialOfService, ElevationOfPrivilege)

// Name is the category's full name, e.g. "Information disclosure".
func (s Stride) Name() string {
	switch s {
	case Spoofing:
		return "Spoofing"
	case Tampering:
		return "Tampering"
	case Repudiation:
		return "Repudiation"
	case InformationDisclosure:
		return "Information disclosure"
	case DenialOfService:
		return "Denial of service"
	case ElevationOfPrivilege:
		return "Elevation of privilege"
	}
	return string(s)
}

// Letter is the category's initial, as in a compact assessment table ("DE").
func (s Stride) Letter() string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[0]))
}

// Property is the security property a category threatens.
func (s Stride) Property() Loss {
	switch s {
	case Spoofing, ElevationOfPrivilege:
		return LossAuthorization
	case Tampering, Repudiation:
		return LossIntegrity
	case InformationDisclosure:
		return LossConfidentiality
	case DenialOfService:
		return LossAvailability
	}
	return ""
}

// Loss is what a doomsday scenario loses.
type Loss string

// Loss values. Authorization loss (spoofing, elevation of privilege) leads to
// every other loss.
const (
	LossConfidentiality Loss = "confidentiality"
	LossIntegrity       Loss = "integrity"
	LossAvailability    Loss = "availability"
	LossAuthorization   Loss = "authorization"
)

// Losses lists the Loss values a doomsday scenario may name.
var Losses = enumOf("loss", LossConfidentiality, LossIntegrity, LossAvailability)

// Initiator says which end of a flow opens the connection. In the Acme
// example a warehouse system pulls orders from a queue: data flows queue → warehouse,
// but the warehouse (the destination) initiates.
type Initiator string

// Initiator values.
const (
	InitiatorSource      Initiator = "source"
	InitiatorDestination Initiator = "destination"
)

// Initiators lists the Initiator values.
var Initiators = enumOf("initiator", InitiatorSource, InitiatorDestination)

// MitigationKind is the three kinds of countermeasure: a permanent fix, a
// workaround, or monitoring.
type MitigationKind string

// Mitigation kinds.
const (
	Fix        MitigationKind = "fix"
	Workaround MitigationKind = "workaround"
	Monitoring MitigationKind = "monitoring"
)

// MitigationKinds lists the kinds.
var MitigationKinds = enumOf("mitigation kind", Fix, Workaround, Monitoring)

// MitigationStatus is how far a mitigation has got.
type MitigationStatus string

// Mitigation statuses, in order of progress.
const (
	Proposed    MitigationStatus = "proposed"
	Planned     MitigationStatus = "planned"
	Implemented MitigationStatus = "implemented"
	Verified    MitigationStatus = "verified"
)

// MitigationStatuses lists the statuses in order of progress.
var MitigationStatuses = enumOf("mitigation status", Proposed, Planned, Implemented, Verified)

// Done reports whether the mitigation is in place.
func (s MitigationStatus) Done() bool { return s == Implemented || s == Verified }

// Date is a calendar day, written YYYY-MM-DD.
type Date struct{ time.Time }

// DateLayout is how dates are written in model files.
const DateLayout = "2006-01-02"

func (d *Date) decodeScalar(text string, _ Pos) error {
	t, err := time.Parse(DateLayout, text)
	if err != nil {
		return fmt.Errorf("bad date %q: write it as YYYY-MM-DD", text)
	}
	d.Time = t
	return nil
}

// String formats d as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(DateLayout)
}

// Period is a review interval such as 90d, 12w or 6m.
type Period struct {
	Text string
	Days int
}

func (p *Period) decodeScalar(text string, _ Pos) error {
	bad := fmt.Errorf("bad period %q: write a number and d, w, m or y, e.g. 90d", text)
	if len(text) < 2 {
		return bad
	}
	n := 0
	for _, r := range text[:len(text)-1] {
		if r < '0' || r > '9' || n > 100000 {
			return bad
		}
		n = n*10 + int(r-'0')
	}
	unit := map[byte]int{'d': 1, 'w': 7, 'm': 30, 'y': 365}[text[len(text)-1]]
	if unit == 0 || n == 0 {
		return bad
	}
	p.Text, p.Days = text, n*unit
	return nil
}

// Authentication is how a caller proves who it is to a component or on a
// flow.
type Authentication string

// Authentication methods.
const (
	AuthNone        Authentication = "none"
	AuthPassword    Authentication = "password"
	AuthAPIKey      Authentication = "api-key"
	AuthToken       Authentication = "token"
	AuthOAuth       Authentication = "oauth"
	AuthSAML        Authentication = "saml"
	AuthMTLS        Authentication = "mtls"
	AuthIAM         Authentication = "iam"
	AuthCertificate Authentication = "certificate"
)

// Authentications lists the methods.
var Authentications = enumOf("authentication", AuthNone, AuthPassword, AuthAPIKey, AuthToken, AuthOAuth, AuthSAML, AuthMTLS, AuthIAM, AuthCertificate)
