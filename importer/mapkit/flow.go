package mapkit

import "github.com/wardsec/ward/model"

// Flow adds a flow from one component to another, once; a missing end or
// a flow to itself adds nothing and gives nil.
func (b *Builder) Flow(from, to *model.Component, protocol string, pos model.Pos) *model.Flow {
	if from == nil || to == nil || from == to {
		return nil
	}
	id := from.ID + "-to-" + to.ID
	for _, f := range b.Model.Flows {
		if f.ID == id {
			return nil
		}
	}
	f := &model.Flow{ID: id, From: model.Ref{ID: from.ID}, To: model.Ref{ID: to.ID}, Protocol: protocol,
		Encrypted: protocol == "https", Pos: pos}
	b.Model.Flows = append(b.Model.Flows, f)
	return f
}
