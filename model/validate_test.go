package model_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/model"
)

// problems parses src as the single-file model m.ward.yaml and returns its
// problems, one file:line:col: message line each.
func problems(t *testing.T, src string) []string {
	t.Helper()
	_, err := model.ParseBytes("m.ward.yaml", []byte(src))
	if err == nil {
		return nil
	}
	if !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("error does not wrap ErrInvalid: %v", err)
	}
	return strings.Split(err.Error(), "\n")
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unknown key with suggestion",
			src: `title: t
components:
  - id: api
    kind: process
    zoen: dmz
`,
			want: []string{`m.ward.yaml:5:5: unknown key "zoen" in component (did you mean "zone"?)`},
		},
		{
			name: "unknown top-level key without suggestion",
			src: `title: t
owners: [me]
`,
			want: []string{`m.ward.yaml:2:1: unknown key "owners" in model`},
		},
		{
			name: "missing required key",
			src: `title: t
zones:
  - id: dmz
`,
			want: []string{`m.ward.yaml:3:5: zone is missing "trust"`},
		},
		{
			name: "dangling zone",
			src: `title: t
zones:
  - {id: vpc, trust: high, parent: account}
components:
  - {id: api, kind: process, zone: dmz}
`,
			want: []string{
				`m.ward.yaml:3:36: unknown zone "account"`,
				`m.ward.yaml:5:36: unknown zone "dmz"`,
			},
		},
		{
			name: "dangling asset",
			src: `title: t
components:
  - id: db
    kind: datastore
    stores: [orders]
    processes: [payments]
`,
			want: []string{
				`m.ward.yaml:5:14: unknown asset "orders"`,
				`m.ward.yaml:6:17: unknown asset "payments"`,
			},
		},
		{
			name: "dangling component in flow",
			src: `title: t
components:
  - {id: api, kind: process}
flows:
  - from: browser
    to: api
    data: [order]
`,
			want: []string{
				`m.ward.yaml:5:11: unknown component "browser"`,
				`m.ward.yaml:7:12: unknown asset "order"`,
			},
		},
		{
			name: "dangling threat target and actor",
			src: `title: t
threats:
  - id: t1
    title: Stolen keys
    target: vault
    stride: [information-disclosure]
    actor: mallory
`,
			want: []string{
				`m.ward.yaml:5:13: unknown component or flow "vault"`,
				`m.ward.yaml:7:12: unknown actor "mallory"`,
			},
		},
		{
			name: "dangling references in mitigations and acceptances",
			src: `title: t
components:
  - {id: api, kind: process}
mitigations:
  - id: m1
    title: Fix
    kind: fix
    status: planned
    threats: [nothing, "@api", some-rule@ghost]
accepted:
  - threat: other-rule@nowhere
    owner: me
    reason: later
    until: 2030-01-01
`,
			want: []string{
				`m.ward.yaml:9:15: unknown threat "nothing": write a hand-written threat's id or rule@target`,
				`m.ward.yaml:9:24: threat "@api" names no rule before "@"`,
				`m.ward.yaml:9:32: threat "some-rule@ghost" names unknown component or flow "ghost"`,
				`m.ward.yaml:11:13: threat "other-rule@nowhere" names unknown component or flow "nowhere"`,
			},
		},
		{
			name: "duplicate ids",
			src: `title: t
assets:
  - {id: order}
  - {id: order}
components:
  - {id: api, kind: process}
  - {id: db, kind: datastore}
flows:
  - {id: api, from: api, to: db}
`,
			want: []string{
				`m.ward.yaml:4:6: duplicate asset id "order" (first at m.ward.yaml:3:6)`,
				`m.ward.yaml:9:6: duplicate element id "api" (first at m.ward.yaml:6:6)`,
			},
		},
		{
			name: "duplicate default flow ids",
			src: `title: t
components:
  - {id: a, kind: process}
  - {id: b, kind: process}
flows:
  - {from: a, to: b}
  - {from: a, to: b, protocol: HTTPS}
`,
			want: []string{`m.ward.yaml:7:6: duplicate element id "a-to-b" (first at m.ward.yaml:6:6)`},
		},
		{
			name: "bad id",
			src: `title: t
assets:
  - id: "-order"
`,
			want: []string{`m.ward.yaml:3:5: asset id "-order" must start with a letter or digit and hold only letters, digits, '.', '_' and '-'`},
		},
		{
			name: "duplicate key",
			src: `title: t
title: u
`,
			// The YAML parser rejects the duplicate before Ward's decoder sees it.
			want: []string{`m.ward.yaml:2:1: duplicate key "title" in model`},
		},
		{
			name: "bad enums",
			src: `title: t
assets:
  - {id: a, classification: secret, integrity: hihg}
zones:
  - {id: z, trust: total}
components:
  - {id: q, kind: aws.sqss}
`,
			want: []string{
				`m.ward.yaml:3:29: unknown classification "secret" (want one of public, internal, confidential, restricted)`,
				`m.ward.yaml:3:48: unknown level "hihg" (want one of low, medium, high) (did you mean "high"?)`,
				`m.ward.yaml:5:20: unknown trust level "total" (want one of untrusted, low, medium, high, trusted)`,
				`m.ward.yaml:7:19: unknown component kind "aws.sqss" (see ` + "`ward kinds`" + ` for the catalog) (did you mean "aws.sqs"?)`,
			},
		},
		{
			name: "bad dates and period",
			src: `title: t
created: 2024-13-01
review_every: 3 months
accepted:
  - threat: x@y
    owner: me
    reason: later
    until: tomorrow
`,
			want: []string{
				`m.ward.yaml:2:10: bad date "2024-13-01": write it as YYYY-MM-DD`,
				`m.ward.yaml:3:15: bad period "3 months": write a number and d, w, m or y, e.g. 90d`,
				`m.ward.yaml:5:13: threat "x@y" names unknown component or flow "y"`,
				`m.ward.yaml:8:12: bad date "tomorrow": write it as YYYY-MM-DD`,
			},
		},
		{
			name: "updated before created",
			src: `title: t
created: 2024-05-01
updated: 2024-04-30
`,
			want: []string{`m.ward.yaml:1:1: updated (2024-04-30) is before created (2024-05-01)`},
		},
		{
			name: "zone cycle",
			src: `title: t
zones:
  - {id: a, trust: high, parent: b}
  - {id: b, trust: high, parent: a}
  - {id: c, trust: high, parent: c}
`,
			want: []string{
				`m.ward.yaml:3:34: zone "a" is inside itself through its parents`,
				`m.ward.yaml:4:34: zone "b" is inside itself through its parents`,
				`m.ward.yaml:5:34: zone "c" is inside itself through its parents`,
			},
		},
		{
			name: "risk matrix with unknown impact",
			src: `title: t
risk:
  matrix:
    catastrophic: [high, critical, critical]
`,
			want: []string{`m.ward.yaml:3:3: unknown impact "catastrophic" (want one of inconvenient, problematic, severe)`},
		},
		{
			name: "risk matrix row too short",
			src: `title: t
risk:
  matrix:
    severe: [high, critical]
`,
			want: []string{`m.ward.yaml:3:3: risk matrix row "severe" needs 3 severities (for difficult, moderate, easy), has 2`},
		},
		{
			name: "risk matrix with unknown severity",
			src: `title: t
risk:
  matrix:
    severe: [high, critical, extreme]
`,
			// The second line repeats the first: the decoder leaves the bad
			// cell empty and the matrix check reports it again.
			want: []string{
				`m.ward.yaml:4:30: unknown severity "extreme" (want one of low, medium, high, critical)`,
			},
		},
		{
			name: "property types and names",
			src: `title: t
components:
  - id: api
    kind: process
    properties:
      public: "yes"
      authentication: magic
      encrypted_at_rst: true
      data_residency: 42
      logging: [true]
      x-team: payments
`,
			want: []string{
				`m.ward.yaml:6:15: property public: must be true or false, not yes`,
				`m.ward.yaml:7:23: property authentication: must be one of none, password, api-key, token, oauth, saml, mtls, iam, certificate, not magic`,
				`m.ward.yaml:8:7: unknown property "encrypted_at_rst" (see ` + "`ward kinds --properties`" + `; custom ones start with "x-") (did you mean "encrypted_at_rest"?)`,
				`m.ward.yaml:9:23: property data_residency: must be text, not 42`,
				`m.ward.yaml:10:16: property logging: must be true or false, not [true]`,
			},
		},
		{
			name: "component property on a flow",
			src: `title: t
components:
  - {id: a, kind: process}
  - {id: b, kind: process}
flows:
  - from: a
    to: b
    properties:
      rate_limiting: true
      public: true
`,
			want: []string{`m.ward.yaml:10:7: property "public" applies to components, not flows`},
		},
		{
			name: "mitigation answering nothing",
			src: `title: t
components:
  - {id: api, kind: process}
mitigations:
  - id: m1
    title: Add a WAF
    kind: fix
    status: planned
  - id: m2
    title: Rotate keys
    kind: workaround
    status: proposed
    targets: [api]
`,
			want: []string{
				"m.ward.yaml:5:5: mitigation \"m1\" answers no threats: list `threats` or `rules`",
				"m.ward.yaml:9:5: mitigation \"m2\" answers no threats: list `threats` or `rules`",
				"m.ward.yaml:13:15: `targets` narrows `rules`; this mitigation lists no rules",
			},
		},
		{
			name: "wrong shapes",
			src: `title: [a, b]
authors: me
components:
  api: {kind: process}
`,
			want: []string{
				`m.ward.yaml:1:1: the model has no title`,
				`m.ward.yaml:1:8: title must be a single value, not a list`,
				`m.ward.yaml:2:10: authors must be a list`,
				`m.ward.yaml:4:3: components must be a list`,
			},
		},
		{
			name: "features",
			src: `title: t
components:
  - {id: api, kind: process}
flows:
  - {from: api, to: api}
features:
  - {id: checkout, components: [api, cart], flows: [api-to-api, nope]}
  - {id: empty}
  - {id: checkout, components: [api]}
`,
			want: []string{
				`m.ward.yaml:7:38: unknown component "cart"`,
				`m.ward.yaml:7:65: unknown flow "nope"`,
				"m.ward.yaml:8:6: feature \"empty\" touches nothing: list its `components` or `flows`",
				`m.ward.yaml:9:6: duplicate feature id "checkout" (first at m.ward.yaml:7:6)`,
			},
		},
		{
			name: "no title",
			src: `authors: [me]
`,
			want: []string{`m.ward.yaml:1:1: the model has no title`},
		},
		{
			name: "alias without anchor",
			src: `title: *name
`,
			want: []string{
				`m.ward.yaml:1:1: invalid YAML: unknown anchor 'name' referenced`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllProblemsAtOnce checks that one load reports every problem of a
// file, not only the first.
func TestAllProblemsAtOnce(t *testing.T) {
	src := `title: t
created: 2024-02-30
assets:
  - {id: order, classification: secret}
components:
  - id: api
    kind: process
    zone: dmz
    propertes: {}
flows:
  - {from: api, to: db}
`
	got := problems(t, src)
	want := []string{
		`m.ward.yaml:2:10: bad date "2024-02-30": write it as YYYY-MM-DD`,
		`m.ward.yaml:4:33: unknown classification "secret" (want one of public, internal, confidential, restricted)`,
		`m.ward.yaml:8:11: unknown zone "dmz"`,
		`m.ward.yaml:9:5: unknown key "propertes" in component (did you mean "properties"?)`,
		`m.ward.yaml:11:21: unknown component "db"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestProblemCap checks that a file with very many problems reports the
// first MaxDiagnostics and counts the rest.
func TestProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("title: t\ncomponents:\n")
	for range model.MaxDiagnostics + 20 {
		b.WriteString("  - {id: c, kind: process}\n")
	}
	_, err := model.ParseBytes("m.ward.yaml", []byte(b.String()))
	var ds model.Diagnostics
	if !errors.As(err, &ds) || len(ds) != model.MaxDiagnostics+19 {
		t.Fatalf("want %d problems, got %v", model.MaxDiagnostics+19, err)
	}
	msg := err.Error()
	if n := strings.Count("\n"+msg, "\nm.ward.yaml:"); n != model.MaxDiagnostics {
		t.Errorf("%d problems shown, want %d", n, model.MaxDiagnostics)
	}
	if want := "\n... and 19 more problems"; !strings.HasSuffix(msg, want) {
		t.Errorf("message ends %q, want %q", msg[max(0, len(msg)-40):], want)
	}
}

func TestValidModel(t *testing.T) {
	m, err := model.Load("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Flow("fulfillment-queue-to-warehouse"); got == nil || got.Initiator != model.InitiatorDestination {
		t.Errorf("flow fulfillment-queue-to-warehouse: %+v", got)
	}
	if got := m.Flow("order-api-to-order-service"); got == nil || got.Initiator != model.InitiatorSource {
		t.Errorf("default initiator: %+v", got)
	}
	var path []string
	for _, z := range m.ZonePath("vpc") {
		path = append(path, z.ID)
	}
	if diff := cmp.Diff([]string{"aws-account", "vpc"}, path); diff != "" {
		t.Errorf("zone path (-want +got):\n%s", diff)
	}
	if c := m.Component("order-db"); c == nil || c.Pos.Line == 0 || !c.Properties.Bool("encrypted_at_rest") {
		t.Errorf("component order-db: %+v", c)
	}
	if ds := m.Validate(); len(ds) > 0 {
		t.Errorf("validating again: %v", ds)
	}
}
