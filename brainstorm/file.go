package brainstorm

import (
	"slices"
)

// File returns the model file the new threats go to, all in one: the first
// file that already lists hand-written threats, else the file of the first
// new threat's element, else the model's first file.
func (s *Session) File() string {
	m := s.res.Model
	for _, t := range m.Threats {
		if slices.Contains(m.Files, t.Pos.File) {
			return t.Pos.File
		}
	}
	if len(s.added) > 0 {
		id := s.added[0].Target.ID
		var at string
		if c := m.Component(id); c != nil {
			at = c.Pos.File
		} else if f := m.Flow(id); f != nil {
			at = f.Pos.File
		}
		if slices.Contains(m.Files, at) {
			return at
		}
	}
	if len(m.Files) == 0 {
		return m.Pos.File
	}
	return m.Files[0]
}
