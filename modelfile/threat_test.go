package modelfile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
	"github.com/wardsec/ward/risk"
)

// shop is a small model whose lists are indented by four; each case adds
// its own threats section.
const shop = `title: Shop   # the shop
components:
    - id: api
      kind: process
`

// replay has what makes a threat's text tricky: a colon in the title, a
// scenario over two lines, two STRIDE categories and a list.
var replay = &model.Threat{
	ID: "replay", Title: "Replayed: orders", Target: model.Ref{ID: "api"},
	Stride: []model.Stride{model.Tampering, model.Repudiation}, Likelihood: risk.Easy, Impact: risk.Severe,
	Scenario: "line one\nline two", Requirements: []string{"Sign orders"},
}

// replayItem is replay as a block list item with its "-" at column 0.
const replayItem = "- id: replay\n  title: 'Replayed: orders'\n  target: api\n  stride: [tampering, repudiation]\n" +
	"  scenario: |-\n    line one\n    line two\n  likelihood: easy\n  impact: severe\n  requirements:\n    - Sign orders\n"

// at puts the lines of text pad columns in.
func at(pad int, text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = strings.Repeat(" ", pad) + l
		}
	}
	return strings.Join(lines, "")
}

func TestAddThreatsLayouts(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           int
	}{
		{
			name: "no threats: a new list at the end, indented like the others",
			in:   shop,
			want: shop + "\nthreats:\n" + at(4, replayItem),
			line: 7,
		},
		{
			name: "no line ending at the end of the file",
			in:   strings.TrimSuffix(shop, "\n"),
			want: shop + "\nthreats:\n" + strings.TrimSuffix(at(4, replayItem), "\n"),
			line: 7,
		},
		{
			name: "after the last item, its comments kept with it, before a comment and the next section",
			in:   shop + "threats:\n    - id: old # keep\n      title: Old\n      target: api\n      # still old's\n      stride: [spoofing]\n\n# Next: mitigations\nmitigations: []\n",
			want: shop + "threats:\n    - id: old # keep\n      title: Old\n      target: api\n      # still old's\n      stride: [spoofing]\n" + at(4, replayItem) + "\n# Next: mitigations\nmitigations: []\n",
			line: 11,
		},
		{
			name: "list items at the key's column",
			in:   shop + "threats:\n- id: old\n  title: Old\n  target: api\n  stride: [spoofing]\nfeatures: []\n",
			want: shop + "threats:\n- id: old\n  title: Old\n  target: api\n  stride: [spoofing]\n" + replayItem + "features: []\n",
			line: 10,
		},
		{
			name: "CRLF line endings are kept",
			in:   crlf(shop + "threats:\n  - id: old\n    title: Old\n    target: api\n    stride: [spoofing]\n# end\n"),
			want: crlf(shop + "threats:\n  - id: old\n    title: Old\n    target: api\n    stride: [spoofing]\n" + at(2, replayItem) + "# end\n"),
			line: 10,
		},
		{
			name: "CRLF line endings in a new list",
			in:   crlf(shop),
			want: crlf(shop + "\nthreats:\n" + at(4, replayItem)),
			line: 7,
		},
		{
			name: "last item ends with a block of text holding a blank line",
			in:   shop + "threats:\n  - id: old\n    title: Old\n    target: api\n    stride: [spoofing]\n    scenario: |\n      first\n\n      # not a comment\n\nx-end: 1\n",
			want: shop + "threats:\n  - id: old\n    title: Old\n    target: api\n    stride: [spoofing]\n    scenario: |\n      first\n\n      # not a comment\n" + at(2, replayItem) + "\nx-end: 1\n",
			line: 14,
		},
		{
			name: "empty flow list becomes a block list, comment kept",
			in:   shop + "threats: []   # none yet\n#  - id: template\nmitigations: []\n",
			want: shop + "threats:   # none yet\n" + at(4, replayItem) + "#  - id: template\nmitigations: []\n",
			line: 6,
		},
		{
			name: "empty value",
			in:   shop + "threats:\nmitigations: []\n",
			want: shop + "threats:\n" + at(4, replayItem) + "mitigations: []\n",
			line: 6,
		},
		{
			name: "flow list on one line gets a flow entry",
			in:   shop + "threats: [{id: old, title: Old, target: api, stride: [spoofing]}]  # c\n",
			want: shop + "threats: [{id: old, title: Old, target: api, stride: [spoofing]}, {id: replay, title: 'Replayed: orders', target: api, stride: [tampering, repudiation], scenario: \"line one\\nline two\", likelihood: easy, impact: severe, requirements: [Sign orders]}]  # c\n",
			line: 5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := modelfile.New("shop.ward.yaml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			line, err := f.AddThreats([]*model.Threat{replay})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(f.Bytes())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if line != tt.line {
				t.Errorf("line %d, want %d", line, tt.line)
			}
			m, err := model.ParseBytes("shop.ward.yaml", f.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if got := m.HandThreat("replay"); got == nil || got.Title != replay.Title || got.Scenario != replay.Scenario || len(got.Stride) != 2 {
				t.Errorf("parsed back: %+v", got)
			}
		})
	}
}

func TestAddThreatsInOrder(t *testing.T) {
	f, err := modelfile.New("shop.ward.yaml", []byte(shop))
	if err != nil {
		t.Fatal(err)
	}
	line, err := f.AddThreats([]*model.Threat{
		{ID: "a", Title: "A", Target: model.Ref{ID: "api"}, Stride: []model.Stride{model.Spoofing}, Actor: model.Ref{ID: "crook"}, TestCases: []string{"t"}, References: []string{"https://example.com/a#b"}},
		{ID: "b", Title: "B", Target: model.Ref{ID: "api"}, Stride: []model.Stride{model.Tampering}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := shop + "\nthreats:\n" +
		"    - id: a\n      title: A\n      target: api\n      stride: [spoofing]\n      actor: crook\n      test_cases:\n        - t\n      references:\n        - https://example.com/a#b\n" +
		"    - id: b\n      title: B\n      target: api\n      stride: [tampering]\n"
	if diff := cmp.Diff(want, string(f.Bytes())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if line != 7 {
		t.Errorf("line %d, want 7, where the first starts", line)
	}
	if line, err = f.AddThreats([]*model.Threat{{ID: "c", Title: "C", Target: model.Ref{ID: "api"}, Stride: []model.Stride{model.Spoofing}}}); err != nil || line != 20 {
		t.Errorf("a second call: line %d, %v; want 20", line, err)
	}
}

func TestAddThreatsRefuses(t *testing.T) {
	ok := func(id string) *model.Threat {
		return &model.Threat{ID: id, Title: "T", Target: model.Ref{ID: "api"}, Stride: []model.Stride{model.Spoofing}}
	}
	bad := func(change func(*model.Threat)) *model.Threat { t := ok("x"); change(t); return t }
	old := shop + "threats:\n    - id: old\n      title: Old\n      target: api\n      stride: [spoofing]\n"
	tests := []struct {
		name, in string
		ts       []*model.Threat
		want     string // in the error
		layout   bool   // a *LayoutError
	}{
		{"flow list over several lines", shop + "threats: [\n  {id: old, title: Old, target: api, stride: [spoofing]}]\n", []*model.Threat{ok("x")}, "shop.ward.yaml:5:10: a list or mapping in brackets that spans several lines", true},
		{"empty flow list over several lines", shop + "threats: [\n  ]\n", []*model.Threat{ok("x")}, "shop.ward.yaml:5:1: threats is an empty list or mapping Ward cannot find the end of", true},
		{"alias", "x-none: &none []\n" + shop + "threats: *none\n", []*model.Threat{ok("x")}, "shop.ward.yaml:6:1: threats is not a list", true},
		{"anchored list", shop + "threats: &t\n    - {id: old, title: Old, target: api, stride: [spoofing]}\n", []*model.Threat{ok("x")}, "write each list item on its own line", true},
		{"id already in the file", old, []*model.Threat{ok("x"), ok("old")}, `shop.ward.yaml:6: threat "old" is already there`, false},
		{"id twice in the batch", old, []*model.Threat{ok("x"), ok("y"), ok("x")}, `threat "x" is already there`, false},
		{"no threats", shop, nil, "no threats to add", false},
		{"no STRIDE category", shop, []*model.Threat{bad(func(t *model.Threat) { t.Stride = nil })}, "needs an id, a title, a target and a STRIDE category", false},
		{"no target", shop, []*model.Threat{bad(func(t *model.Threat) { t.Target.ID = "" })}, "needs an id, a title, a target", false},
		{"unknown STRIDE category", shop, []*model.Threat{bad(func(t *model.Threat) { t.Stride = []model.Stride{"sneezing"} })}, `unknown STRIDE category "sneezing"`, false},
		{"unknown likelihood", shop, []*model.Threat{bad(func(t *model.Threat) { t.Likelihood = "often" })}, `unknown likelihood "often"`, false},
		{"unknown impact", shop, []*model.Threat{bad(func(t *model.Threat) { t.Impact = "fatal" })}, `unknown impact "fatal"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := modelfile.New("shop.ward.yaml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			line, err := f.AddThreats(tt.ts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("line %d, error %v, want one containing %q", line, err, tt.want)
			}
			if !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error does not wrap model.ErrInvalid: %v", err)
			}
			var le *modelfile.LayoutError
			if errors.As(err, &le) != tt.layout {
				t.Errorf("LayoutError: %v, want %v", errors.As(err, &le), tt.layout)
			}
			if f.Changed() {
				t.Errorf("text changed after a refusal:\n%s", f.Bytes())
			}
		})
	}
}

func TestFormatThreats(t *testing.T) {
	got, err := modelfile.FormatThreats([]*model.Threat{replay})
	if err != nil {
		t.Fatal(err)
	}
	want := "threats:\n" + at(2, replayItem)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// What a person pastes into an empty model is a threats list.
	m, err := model.ParseBytes("shop.ward.yaml", []byte(shop+got))
	if err != nil || m.HandThreat("replay") == nil {
		t.Errorf("pasted into a model: %v", err)
	}
}
