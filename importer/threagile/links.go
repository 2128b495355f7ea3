package threagile

import (
	"strings"

	"github.com/wardsec/ward/model"
)

// link turns a communication link into a flow from its source to its
// target carrying the data sent, and, when data comes back, a flow the
// other way that the source initiates.
func (b *builder) link(l pendingLink) {
	r := b.r
	f := r.fields(l.Value, "communication link "+l.Title)
	target := r.str(f["target"], "target")
	to, ok := b.components[target]
	if !ok {
		r.warnf(f["target"], "communication link %q of %s targets unknown technical asset %q; left out", l.Title, l.From.ID, target)
		return
	}
	protocol := r.str(f["protocol"], "protocol")
	encrypted := r.flag(f["vpn"], "vpn")
	switch {
	case encryptedProtocols[protocol]:
		encrypted = true
	case protocol != "" && !plainProtocols[protocol]:
		r.warnf(f["protocol"], "unknown protocol %q of communication link %q; taken as unencrypted", protocol, l.Title)
	}
	var auth model.Authentication
	if word := r.str(f["authentication"], "authentication"); word != "" {
		a, ok := authentications[word]
		if !ok {
			r.warnf(f["authentication"], "unknown authentication %q of communication link %q (want none, credentials, session-id, token, client-certificate, two-factor or externalized)", word, l.Title)
		}
		auth = a
		if word == "two-factor" {
			if _, set := to.Properties.Get("mfa"); !set {
				to.Properties = append(to.Properties, model.Property{Name: "mfa", Value: true, Pos: r.pos(f["authentication"])})
			}
		}
	}
	fwd := &model.Flow{
		ID:   b.flowID(l.From.ID, to.ID, l.Title),
		Name: l.Title, From: model.Ref{ID: l.From.ID, Pos: r.pos(l.KeyAt)}, To: model.Ref{ID: to.ID, Pos: r.pos(f["target"])},
		Protocol: protocol, Authentication: auth, Encrypted: encrypted,
		Description: oneLine(r.str(f["description"], "description")),
		Data:        b.assetRefs(f["data_assets_sent"], "data_assets_sent"),
		Pos:         r.pos(l.KeyAt),
	}
	if n := f["readonly"]; r.flag(n, "readonly") {
		fwd.Properties = append(fwd.Properties, model.Property{Name: "x-readonly", Value: true, Pos: r.pos(n)})
	}
	b.m.Flows = append(b.m.Flows, fwd)
	b.links[l.SrcID+">"+linkID(l.Title)] = fwd.ID
	if back := b.assetRefs(f["data_assets_received"], "data_assets_received"); len(back) > 0 {
		b.m.Flows = append(b.m.Flows, &model.Flow{
			ID:   b.flowID(to.ID, l.From.ID, l.Title+" response"),
			Name: l.Title + " (response)", From: fwd.To, To: fwd.From,
			Protocol: protocol, Authentication: auth, Encrypted: encrypted,
			Data: back, Initiator: model.InitiatorDestination, Pos: fwd.Pos,
		})
	}
}

// flowID is FROM-to-TO, or FROM-title when two links join the same pair.
func (b *builder) flowID(from, to, title string) string {
	id := from + "-to-" + to
	if b.used.Taken("element", id) {
		id = from + "-" + safeID(linkID(title))
	}
	return b.claim("element", id)
}

// linkID is how Threagile names a link in risk ids: its title, lowered,
// spaces as dashes.
func linkID(title string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(title)), " ", "-")
}

// inbound gives each component the authentication and transport
// encryption its incoming links agree on, so that rules reading the
// component's properties see what the links say. Links that disagree
// leave the property unset.
func (b *builder) inbound() {
	type seen struct {
		auth      model.Authentication
		authMixed bool
		plain     bool
		at        model.Pos
	}
	in := map[string]*seen{}
	for _, f := range b.m.Flows {
		if f.Initiator == model.InitiatorDestination {
			continue // a response, not a caller
		}
		s := in[f.To.ID]
		if s == nil {
			s = &seen{auth: f.Authentication, at: f.Pos}
			in[f.To.ID] = s
		}
		s.authMixed = s.authMixed || s.auth != f.Authentication
		s.plain = s.plain || !f.Encrypted
	}
	for _, c := range b.m.Components {
		s := in[c.ID]
		if s == nil {
			continue
		}
		if _, set := c.Properties.Get("authentication"); !set && !s.authMixed && s.auth != "" {
			c.Properties = append(c.Properties, model.Property{Name: "authentication", Value: string(s.auth), Pos: s.at})
		}
		if _, set := c.Properties.Get("encrypted_in_transit"); !set {
			c.Properties = append(c.Properties, model.Property{Name: "encrypted_in_transit", Value: !s.plain, Pos: s.at})
		}
	}
}
