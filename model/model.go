// Package model holds Ward's description of a system — assets, actors, trust
// zones, components, data flows, and what people know about its threats —
// and loads it from YAML with the file:line:col of every element.
package model

import "github.com/wardsec/ward/risk"

// Model is one system's threat model, read from one file or a directory of
// *.ward.yaml files.
type Model struct {
	Title       string        `yaml:"title"`
	Scope       Scope         `yaml:"scope"`
	Authors     []string      `yaml:"authors"`
	Created     Date          `yaml:"created"`
	Updated     Date          `yaml:"updated"`
	ReviewEvery Period        `yaml:"review_every"`
	Imports     []*Import     `yaml:"imports"`
	Assets      []*Asset      `yaml:"assets"`
	Actors      []*Actor      `yaml:"actors"`
	Zones       []*Zone       `yaml:"zones"`
	Components  []*Component  `yaml:"components"`
	Flows       []*Flow       `yaml:"flows"`
	Threats     []*Threat     `yaml:"threats"`
	Mitigations []*Mitigation `yaml:"mitigations"`
	Accepted    []*Acceptance `yaml:"accepted"`
	Doomsday    []*Doomsday   `yaml:"doomsday"`
	Features    []*Feature    `yaml:"features"`
	Risk        *RiskSpec     `yaml:"risk"`

	// Files are the files the model was read from, in load order.
	Files []string `yaml:"-"`
	Pos   Pos

	index *index
	// used holds the imported components the model's own elements refer
	// to; nil when the model imports nothing.
	used map[string]bool
}

// Scope states what the model covers.
type Scope struct {
	// Statement is the one-line scope statement, e.g. "A Threat Model for the
	// e-Commerce application hosted by Acme Corporation on AWS."
	Statement string `yaml:"statement"`
	// Covers says whether the application, the platform or both are in scope.
	Covers Coverage `yaml:"covers"`
	Pos    Pos
}

// Asset is data worth protecting.
type Asset struct {
	ID              string         `yaml:"id,required"`
	Name            string         `yaml:"name"`
	Description     string         `yaml:"description"`
	Classification  Classification `yaml:"classification"`
	Confidentiality Level          `yaml:"confidentiality"`
	Integrity       Level          `yaml:"integrity"`
	Availability    Level          `yaml:"availability"`
	// Tags mark regulated data: pii, phi, pci, credentials, student-records…
	Tags []string `yaml:"tags"`
	Pos  Pos
}

// Actor is a person or system that may attack or legitimately use the
// system.
type Actor struct {
	ID          string    `yaml:"id,required"`
	Name        string    `yaml:"name"`
	Kind        ActorKind `yaml:"kind,required"`
	Capability  Level     `yaml:"capability"`
	Description string    `yaml:"description"`
	Pos         Pos
}

// Zone is a trust boundary. Zones nest through Parent: internet ⊃ cloud
// account ⊃ VPC ⊃ private subnet.
type Zone struct {
	ID          string `yaml:"id,required"`
	Name        string `yaml:"name"`
	Trust       Trust  `yaml:"trust,required"`
	Parent      Ref    `yaml:"parent"`
	Description string `yaml:"description"`
	Pos         Pos
}

// Component is a node of the data-flow diagram: a process, a data store, an
// external entity or a cloud service of a known kind.
type Component struct {
	ID          string     `yaml:"id,required"`
	Name        string     `yaml:"name"`
	Kind        Kind       `yaml:"kind,required"`
	Zone        Ref        `yaml:"zone"`
	Description string     `yaml:"description"`
	Properties  Properties `yaml:"properties"`
	// Stores and Processes name the assets at rest in and handled by the
	// component.
	Stores    []Ref    `yaml:"stores"`
	Processes []Ref    `yaml:"processes"`
	Tags      []string `yaml:"tags"`
	Pos       Pos
	// Origin is the import alias path the element came from ("" for the
	// model's own), e.g. "platform" or "platform.network".
	Origin string `yaml:"-"`
}

// Flow is data moving between two components.
type Flow struct {
	// ID defaults to "<from>-to-<to>".
	ID             string         `yaml:"id"`
	Name           string         `yaml:"name"`
	From           Ref            `yaml:"from,required"`
	To             Ref            `yaml:"to,required"`
	Protocol       string         `yaml:"protocol"`
	Data           []Ref          `yaml:"data"`
	Authentication Authentication `yaml:"authentication"`
	Encrypted      bool           `yaml:"encrypted"`
	// Initiator says which end opens the connection; it defaults to the
	// source.
	Initiator   Initiator  `yaml:"initiator"`
	Properties  Properties `yaml:"properties"`
	Description string     `yaml:"description"`
	Pos         Pos
	Origin      string `yaml:"-"` // as Component.Origin
}

// Threat is a threat written by hand ("evil brainstorming").
type Threat struct {
	ID           string          `yaml:"id,required"`
	Title        string          `yaml:"title,required"`
	Target       Ref             `yaml:"target,required"`
	Stride       []Stride        `yaml:"stride,required"`
	Actor        Ref             `yaml:"actor"`
	Scenario     string          `yaml:"scenario"`
	Likelihood   risk.Likelihood `yaml:"likelihood"`
	Impact       risk.Impact     `yaml:"impact"`
	Requirements []string        `yaml:"requirements"`
	TestCases    []string        `yaml:"test_cases"`
	References   []string        `yaml:"references"`
	Pos          Pos
	Origin       string `yaml:"-"` // as Component.Origin
}

// Mitigation is a countermeasure: a permanent fix, a workaround or
// monitoring, answering threats by id or every threat of some rules.
type Mitigation struct {
	ID          string           `yaml:"id,required"`
	Title       string           `yaml:"title,required"`
	Description string           `yaml:"description"`
	Kind        MitigationKind   `yaml:"kind,required"`
	Status      MitigationStatus `yaml:"status,required"`
	Ticket      string           `yaml:"ticket"`
	Owner       string           `yaml:"owner"`
	Due         Date             `yaml:"due"`
	// Threats are threat ids ("rule@target" or a hand-written threat's id).
	Threats []Ref `yaml:"threats"`
	// Rules answers every threat of these rules, on Targets only if given.
	Rules   []Ref `yaml:"rules"`
	Targets []Ref `yaml:"targets"`
	Pos     Pos
	Origin  string `yaml:"-"` // as Component.Origin
}

// Acceptance records a risk accepted by its owner until a date.
type Acceptance struct {
	Threat Ref    `yaml:"threat,required"`
	Owner  string `yaml:"owner,required"`
	Reason string `yaml:"reason,required"`
	Until  Date   `yaml:"until,required"`
	Pos    Pos
	Origin string `yaml:"-"` // as Component.Origin
}

// Doomsday is a worst business outcome. A threat that can cause the named
// loss to one of its assets is raised one severity level.
type Doomsday struct {
	ID          string `yaml:"id,required"`
	Title       string `yaml:"title,required"`
	Description string `yaml:"description"`
	Assets      []Ref  `yaml:"assets,required"`
	Loss        []Loss `yaml:"loss,required"`
	Pos         Pos
}

// Feature is a slice of the system that ships on its own: the components
// and flows it touches. Its unmitigated threats block the feature, not the
// whole workload, and a diagram or report can be drawn for it alone.
type Feature struct {
	ID          string `yaml:"id,required"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Owner       string `yaml:"owner"`
	// Components and Flows name the elements the feature touches. A flow
	// between two of its components belongs to it without being listed.
	Components []Ref `yaml:"components"`
	Flows      []Ref `yaml:"flows"`
	Pos        Pos
}

// RiskSpec replaces the default risk matrix. Each row is an impact level
// and lists the severity for difficult, moderate and easy likelihood.
type RiskSpec struct {
	Matrix map[string][]risk.Severity `yaml:"matrix,required"`
	Pos    Pos
}

// Ref is a reference by id to another element, kept with where it was
// written so a dangling reference can be pointed at.
type Ref struct {
	ID  string
	Pos Pos
}

func (r *Ref) decodeScalar(text string, p Pos) error {
	r.ID, r.Pos = text, p
	return nil
}

// IsZero reports whether the reference is unset.
func (r Ref) IsZero() bool { return r.ID == "" }
