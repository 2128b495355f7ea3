package threagile_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/importtest"
	"github.com/wardsec/ward/importer/threagile"
)

func parseInline(t *testing.T, input string) *importer.Result {
	t.Helper()
	im := &threagile.Importer{Now: func() time.Time { return today }}
	res, err := im.Parse("in.yaml", []byte(input))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return res
}

func TestMapping(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // lines the dump must hold
	}{
		{
			name: "type wins over a technology of another category",
			input: `title: t
technical_assets:
  A: {id: a, type: datastore, technology: web-server}
  B: {id: b, type: external-entity, technology: browser}
  C: {id: c, type: external-entity, used_as_client_by_human: true}
  D: {id: d, type: process, technology: hologram}
`,
			want: []string{
				`component a "A" kind=datastore`,
				`component b "B" kind=browser`,
				`component c "C" kind=user`,
				`component d "D" kind=process`,
				`warning 6:41: unknown technology "hologram" of technical asset d; using the generic kind process`,
			},
		},
		{
			name: "two-factor marks the target, vpn encrypts",
			input: `title: t
technical_assets:
  A:
    id: a
    type: process
    communication_links:
      Login: {target: b, protocol: http, vpn: true, authentication: two-factor}
      Lost: {target: nowhere}
  B: {id: b, type: process}
`,
			want: []string{
				`component b "B" kind=process zone= props={mfa=true authentication=password encrypted_in_transit=true}`,
				`flow a-to-b "Login" a->b protocol="http" auth=password encrypted=true`,
				`warning 8:22: communication link "Lost" of a targets unknown technical asset "nowhere"; left out`,
			},
		},
		{
			name: "boundaries: cycles and unrelated placements are refused",
			input: `title: t
technical_assets:
  A: {id: a, type: process}
trust_boundaries:
  X: {id: x, type: network-on-prem, technical_assets_inside: [a], trust_boundaries_nested: [y]}
  Y: {id: y, type: execution-environment, trust_boundaries_nested: [x]}
  Z: {id: z, type: network-dedicated-hoster, technical_assets_inside: [a]}
`,
			want: []string{
				`zone x "X" trust=high parent= @5:3`,
				`zone y "Y" trust=trusted parent=x @6:3`,
				`zone z "Z" trust=medium parent= @7:3`,
				`component a "A" kind=process zone=x`,
				`warning 6:69: nesting trust boundary "x" in y would put it inside itself; left out`,
				`warning 7:72: technical asset a is in trust boundaries x and z, which do not nest; keeping x`,
			},
		},
		{
			name: "acceptance dates fall back to the model's date, then today",
			input: `title: t
date: 2026-01-10
author: {name: Ann}
technical_assets:
  A: {id: a, type: process}
risk_tracking:
  missing-hardening@a: {status: accepted}
  ldap-injection@*@a@*: {status: false-positive, ticket: T-1}
`,
			want: []string{
				`threat ldap-injection-a "LDAP injection" target=a`,
				`accepted missing-hardening-a owner="Ann" reason="accepted without a justification" until=2027-01-10`,
				`accepted ldap-injection-a owner="Ann" reason="false positive (ticket T-1)" until=2027-01-10`,
			},
		},
		{
			name: "no date anywhere: a year from today, with a warning",
			input: `title: t
technical_assets:
  A: {id: a, type: process}
risk_tracking:
  missing-hardening@a: {status: accepted, checked_by: Bo}
`,
			want: []string{
				`accepted missing-hardening-a owner="Bo" reason="accepted without a justification" until=2027-06-01`,
				`warning 5:33: tracked risk missing-hardening@a has no date; its acceptance runs a year from today`,
			},
		},
		{
			name: "ids are made safe and unique",
			input: `title: t
technical_assets:
  A: {id: "-My Asset!", type: process}
  B: {id: "my-asset", type: process}
`,
			want: []string{
				`component My-Asset "A"`,
				`component my-asset "B"`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := importtest.Dump(parseInline(t, tc.input))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("dump lacks %q; got:\n%s", w, got)
				}
			}
		})
	}
}
