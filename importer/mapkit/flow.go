package mapkit

import "github.com/wardsec/ward/model"

// Flow adds a flow from one component to another, once; a missing end or
// a flow to itself adds nothing and gives nil.
func (b *Builder) Flow(from, to *model.Component, protocol string, pos model.Pos) *model.Flow {
	if from == nil || to == nil || from == to {
		return nil
	}
	return b.addFlow(from.ID, to.ID, protocol, pos)
}

// addFlow adds the flow between two component ids unless it is already
// there, and gives nil then; a set, not a scan of the flows, keeps large
// inputs linear.
func (b *Builder) addFlow(from, to, protocol string, pos model.Pos) *model.Flow {
	id := from + "-to-" + to
	if b.flows[id] {
		return nil
	}
	b.flows[id] = true
	f := &model.Flow{ID: id, From: model.Ref{ID: from}, To: model.Ref{ID: to}, Protocol: protocol,
		Encrypted: protocol == "https", Pos: pos}
	b.Model.Flows = append(b.Model.Flows, f)
	return f
}
