package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

const validRule = `rules:
  - id: demo-open-bucket
    title: Open bucket
    stride: [information-disclosure]
    applies_to: [aws.s3]
    when: element.props.public && !element.props.encrypted_at_rest
    actors: [external]
    likelihood: {level: easy, rationale: scanners find open buckets within hours}
    impact: {level: severe, rationale: everything in it is published}
    scenario: "{{.Actor}} lists and downloads {{.Target}}."
    mitigations:
      - {kind: fix, title: Block public access}
`

func TestParseReportsPositions(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string // each must appear in the error, in order
	}{
		{
			name: "CEL syntax error points into the condition",
			file: strings.Replace(validRule, "element.props.public && !element.props.encrypted_at_rest", "element.props.public && (", 1),
			want: []string{"pack.yaml:6:"},
		},
		{
			name: "unknown property with suggestion",
			file: strings.Replace(validRule, "element.props.public &&", "element.props.publc &&", 1),
			want: []string{`pack.yaml:6:24: rule demo-open-bucket: CEL: element.props has no property "publc" (did you mean "public"?)`},
		},
		{
			name: "unknown element field",
			file: strings.Replace(validRule, "element.props.public &&", "element.zone.trusted &&", 1),
			want: []string{`element.zone has no field "trusted" (did you mean "trust"?)`},
		},
		{
			name: "condition of the wrong type",
			file: strings.Replace(validRule, "element.props.public && !element.props.encrypted_at_rest", `'"yes"'`, 1),
			want: []string{"pack.yaml:6:11: rule demo-open-bucket: CEL: condition must be true or false"},
		},
		{
			name: "multi-line block condition maps lines",
			file: strings.Replace(validRule, "    when: element.props.public && !element.props.encrypted_at_rest\n", "    when: |\n      element.props.public &&\n        element.props.nope\n", 1),
			want: []string{`pack.yaml:8:22: rule demo-open-bucket: CEL: element.props has no property "nope"`},
		},
		{
			name: "bad enum and unknown key",
			file: strings.Replace(strings.Replace(validRule, "level: easy", "level: trivial", 1), "    stride:", "    strid: []\n    stride:", 1),
			want: []string{`pack.yaml:4:5: unknown key "strid" in rule (did you mean "stride"?)`, `unknown likelihood "trivial"`},
		},
		{
			name: "unknown scenario field",
			file: strings.Replace(validRule, "{{.Target}}", "{{.Victim}}", 1),
			want: []string{"scenario template", "Victim"},
		},
		{
			name: "bad id, actor and references",
			file: strings.Replace(strings.Replace(validRule, "id: demo-open-bucket", "id: Demo_Bucket", 1), "actors: [external]", "actors: [user]\n    references: {cwe: [CWE200], capec: [CAPEC-1]}", 1),
			want: []string{"id must be kebab-case", `actor kind "user" is not a threat actor`, `CWE reference "CWE200" is malformed`},
		},
		{
			name: "applies to nothing known",
			file: strings.Replace(validRule, "applies_to: [aws.s3]", "applies_to: [aws.s4]", 1),
			want: []string{`applies_to "aws.s4"`},
		},
		{
			name: "duplicate id",
			file: validRule + strings.TrimPrefix(validRule, "rules:\n"),
			want: []string{`duplicate rule id "demo-open-bucket" (first at pack.yaml:2:5)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.Parse("pack.yaml", []byte(tt.file))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error lacks %q (in order):\n%s", w, msg)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestMatchAndEvidence(t *testing.T) {
	lib, err := rules.Parse("pack.yaml", []byte(validRule))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.ParseBytes("m.ward.yaml", []byte(`title: t
components:
  - {id: open, kind: aws.s3, properties: {public: true}}
  - {id: closed, kind: aws.s3, properties: {public: true, encrypted_at_rest: true}}
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := rules.NewContext(m)
	r := lib.Rule("demo-open-bucket")
	for i, want := range []bool{true, false} {
		got, err := r.Match(ctx.Component(i))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("component %d: match %v, want %v", i, got, want)
		}
	}
	ev := strings.Join(r.Evidence(ctx.Component(0)), ", ")
	if ev != "public=true, encrypted_at_rest=false (not set)" {
		t.Errorf("evidence %q", ev)
	}
}

func TestMergeRefusesRedefinition(t *testing.T) {
	a, err := rules.Parse("a.yaml", []byte(validRule))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rules.Parse("b.yaml", []byte(validRule))
	if err != nil {
		t.Fatal(err)
	}
	err = a.Clone().Merge(b)
	if err == nil || !strings.Contains(err.Error(), `b.yaml:2:5: rule id "demo-open-bucket" is already defined at a.yaml:2:5`) {
		t.Fatalf("got %v", err)
	}
	if len(a.Rules()) != 1 {
		t.Fatal("Clone+Merge changed the original library")
	}
}

func TestBuiltinCompiles(t *testing.T) {
	lib, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"password-brute-force", "datastore-incorrect-restore", "queue-message-tampering"} {
		if lib.Rule(id) == nil {
			t.Errorf("library lacks %s", id)
		}
	}
}
