// Package risk ranks threats: likelihood (ease of exploitation) × impact
// through a matrix, giving a severity.
package risk

import "fmt"

// Likelihood is the ease of exploitation of a threat.
type Likelihood string

// Likelihood levels, from hardest to easiest to exploit.
const (
	Difficult Likelihood = "difficult"
	Moderate  Likelihood = "moderate"
	Easy      Likelihood = "easy"
)

// Likelihoods lists the levels in ascending order.
var Likelihoods = []Likelihood{Difficult, Moderate, Easy}

// Impact is how much harm a threat does when it happens.
type Impact string

// Impact levels, from least to most harmful.
const (
	Inconvenient Impact = "inconvenient"
	Problematic  Impact = "problematic"
	Severe       Impact = "severe"
)

// Impacts lists the levels in ascending order.
var Impacts = []Impact{Inconvenient, Problematic, Severe}

// Severity is the rank of a threat.
type Severity string

// Severity levels, from least to most severe.
const (
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Severities lists the levels in ascending order.
var Severities = []Severity{Low, Medium, High, Critical}

// Rank returns the position of l in Likelihoods, or -1 if l is not a level.
func (l Likelihood) Rank() int { return indexOf(Likelihoods, l) }

// Rank returns the position of i in Impacts, or -1 if i is not a level.
func (i Impact) Rank() int { return indexOf(Impacts, i) }

// Rank returns the position of s in Severities, or -1 if s is not a level.
func (s Severity) Rank() int { return indexOf(Severities, s) }

// Valid reports whether l is a known level.
func (l Likelihood) Valid() bool { return l.Rank() >= 0 }

// Valid reports whether i is a known level.
func (i Impact) Valid() bool { return i.Rank() >= 0 }

// Valid reports whether s is a known level.
func (s Severity) Valid() bool { return s.Rank() >= 0 }

// Raise returns the next severity up; Critical stays Critical.
func (s Severity) Raise() Severity {
	r := s.Rank()
	if r < 0 || r == len(Severities)-1 {
		return s
	}
	return Severities[r+1]
}

// AtLeast reports whether s is as severe as floor or more.
func (s Severity) AtLeast(floor Severity) bool { return s.Rank() >= floor.Rank() }

// ParseSeverity returns the severity named s.
func ParseSeverity(s string) (Severity, error) {
	if v := Severity(s); v.Valid() {
		return v, nil
	}
	return "", fmt.Errorf("unknown severity %q (want low, medium, high or critical)", s)
}

// Matrix maps impact (rows) × likelihood (columns) to severity.
type Matrix [3][3]Severity

// Default is the classic matrix (Difficult/Moderate/Easy × Inconvenient/
// Problematic → Low/Medium/High), extended with a Severe row reaching Critical.
func Default() Matrix {
	return Matrix{
		{Low, Low, Medium},       // inconvenient
		{Low, Medium, High},      // problematic
		{Medium, High, Critical}, // severe
	}
}

// Score returns the severity of a threat of likelihood l and impact i.
// Unknown levels score as the middle level, so a typo never hides a threat.
func (m Matrix) Score(l Likelihood, i Impact) Severity {
	lr, ir := l.Rank(), i.Rank()
	if lr < 0 {
		lr = 1
	}
	if ir < 0 {
		ir = 1
	}
	return m[ir][lr]
}

// Validate reports an error when a cell is not a severity.
func (m Matrix) Validate() error {
	for i, row := range m {
		for l, s := range row {
			if !s.Valid() {
				return fmt.Errorf("risk matrix %s × %s: unknown severity %q", Impacts[i], Likelihoods[l], s)
			}
		}
	}
	return nil
}

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}
