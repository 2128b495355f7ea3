package modelfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
)

func day(s string) model.Date {
	t, err := time.Parse(model.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return model.Date{Time: t}
}

var signTwice = modelfile.Mitigation{
	ID: "sign-orders-2", Title: "Sign orders: twice, to be sure", Kind: model.Fix, Status: model.Planned,
	Ticket: "https://tracker.acme.example/SEC-150#top", Due: day("2026-03-31"),
	Threats: []string{"queue-message-tampering@fulfillment-queue"},
}

// TestAddMitigationKeepsEveryByte edits a copy of the commented example
// model and checks the result is the original with exactly the new lines
// spliced in after the last mitigation.
func TestAddMitigationKeepsEveryByte(t *testing.T) {
	orig, err := os.ReadFile("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "acme.ward.yaml")
	if err := os.WriteFile(path, orig, 0o640); err != nil {
		t.Fatal(err)
	}
	f, err := modelfile.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	line, err := f.AddMitigation(signTwice)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	last := "    threats: [queue-message-tampering@fulfillment-queue]\n"
	at := strings.Index(string(orig), last) + len(last)
	inserted := `  - id: sign-orders-2
    title: 'Sign orders: twice, to be sure'
    kind: fix
    status: planned
    ticket: https://tracker.acme.example/SEC-150#top
    due: 2026-03-31
    threats: [queue-message-tampering@fulfillment-queue]
`
	want := string(orig[:at]) + inserted + string(orig[at:])
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Fatalf("file after the edit (-want +got):\n%s", diff)
	}
	if wantLine := strings.Count(string(orig[:at]), "\n") + 1; line != wantLine {
		t.Errorf("line %d, want %d", line, wantLine)
	}
	for _, l := range strings.Split(string(orig), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") && !strings.Contains(string(got), l+"\n") {
			t.Errorf("comment lost: %q", l)
		}
	}
	m, err := model.ParseBytes(path, got)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Mitigations); n != 4 || m.Mitigations[3].ID != "sign-orders-2" || m.Mitigations[3].Due.String() != "2026-03-31" {
		t.Errorf("parsed back: %d mitigations, last %+v", n, m.Mitigations[n-1])
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("permissions after commit: %v, %v; want -rw-r-----", st.Mode(), err)
	}
}

const (
	item = "  - id: sign\n    title: Sign orders\n    kind: fix\n    status: planned\n    threats: [tamper@queue]\n"
	sign = "    title: Sign orders\n    kind: fix\n    status: planned\n    threats: [tamper@queue]\n"
)

var newItem = modelfile.Mitigation{ID: "audit", Title: "Audit log", Kind: model.Monitoring, Status: model.Proposed, Threats: []string{"tamper@queue"}}

const newItemText = "  - id: audit\n    title: Audit log\n    kind: monitoring\n    status: proposed\n    threats: [tamper@queue]\n"

func TestAddMitigationLayouts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "block list, then a comment and the next section",
			in:   "title: t\nmitigations:\n" + item + "\n# Worst outcomes.\ndoomsday: []\n",
			want: "title: t\nmitigations:\n" + item + newItemText + "\n# Worst outcomes.\ndoomsday: []\n",
		},
		{
			name: "comment indented inside the last item stays with it",
			in:   "title: t\nmitigations:\n" + item + "    # reviewed in May\n",
			want: "title: t\nmitigations:\n" + item + "    # reviewed in May\n" + newItemText,
		},
		{
			name: "items at the key's column",
			in:   "title: t\nmitigations:\n- id: sign\n  title: Sign orders\n  kind: fix\n  status: planned\n  threats: [tamper@queue]\n",
			want: "title: t\nmitigations:\n- id: sign\n  title: Sign orders\n  kind: fix\n  status: planned\n  threats: [tamper@queue]\n" +
				"- id: audit\n  title: Audit log\n  kind: monitoring\n  status: proposed\n  threats: [tamper@queue]\n",
		},
		{
			name: "CRLF line endings are kept",
			in:   "title: t\r\nmitigations:\r\n" + crlf(item) + "# end\r\n",
			want: "title: t\r\nmitigations:\r\n" + crlf(item) + crlf(newItemText) + "# end\r\n",
		},
		{
			name: "no line ending at the end of the file",
			in:   "title: t\nmitigations:\n" + strings.TrimSuffix(item, "\n"),
			want: "title: t\nmitigations:\n" + item + strings.TrimSuffix(newItemText, "\n"),
		},
		{
			name: "last item ends with a block of text holding a blank line",
			in:   "title: t\nmitigations:\n" + item + "    description: |\n      first\n\n      # not a comment\n\nx-end: 1\n",
			want: "title: t\nmitigations:\n" + item + "    description: |\n      first\n\n      # not a comment\n" + newItemText + "\nx-end: 1\n",
		},
		{
			name: "empty flow list becomes a block list, comment kept",
			in:   "title: t\nmitigations: []   # none yet\n#  - id: template\naccepted: []\n",
			want: "title: t\nmitigations:   # none yet\n" + newItemText + "#  - id: template\naccepted: []\n",
		},
		{
			name: "empty value",
			in:   "title: t\nmitigations:\ndoomsday: []\n",
			want: "title: t\nmitigations:\n" + newItemText + "doomsday: []\n",
		},
		{
			name: "null value",
			in:   "title: t\nmitigations: ~\n",
			want: "title: t\nmitigations:\n" + newItemText,
		},
		{
			name: "flow list on one line gets a flow entry",
			in:   "title: t\nmitigations: [{id: sign, title: Sign, kind: fix, status: planned, threats: [tamper@queue]} ]  # c\n",
			want: "title: t\nmitigations: [{id: sign, title: Sign, kind: fix, status: planned, threats: [tamper@queue]}, {id: audit, title: Audit log, kind: monitoring, status: proposed, threats: [tamper@queue]} ]  # c\n",
		},
		{
			name: "missing section is added at the end, indented like the other lists",
			in:   "title: t\ncomponents:\n    - {id: queue, kind: aws.sqs}\n# the end\n",
			want: "title: t\ncomponents:\n    - {id: queue, kind: aws.sqs}\n# the end\n\nmitigations:\n" +
				"    - id: audit\n      title: Audit log\n      kind: monitoring\n      status: proposed\n      threats: [tamper@queue]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := modelfile.New("m.ward.yaml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.AddMitigation(newItem); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(f.Bytes())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestAddMitigationRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		m        modelfile.Mitigation
		want     string // in the error
		layout   bool   // a *LayoutError
	}{
		{"flow list over several lines", "title: t\nmitigations: [\n  {id: sign, title: S, kind: fix, status: planned, threats: [x]}]\n", newItem, "m.ward.yaml:2:14: a list or mapping in brackets that spans several lines", true},
		{"alias", "title: t\nx-none: &none []\nmitigations: *none\n", newItem, "m.ward.yaml:3:1: mitigations is not a list", true},
		{"anchored list", "title: t\nmitigations: &m\n" + item, newItem, "write each list item on its own line", true},
		{"id already there", "title: t\nmitigations:\n" + item, modelfile.Mitigation{ID: "sign", Title: "x", Kind: model.Fix, Status: model.Planned, Threats: []string{"a@b"}}, `m.ward.yaml:3: mitigation "sign" is already there`, false},
		{"unknown status", "title: t\n", modelfile.Mitigation{ID: "a", Title: "x", Kind: model.Fix, Status: "done", Threats: []string{"a@b"}}, `unknown mitigation status "done"`, false},
		{"no threat", "title: t\n", modelfile.Mitigation{ID: "a", Title: "x", Kind: model.Fix, Status: model.Planned}, "needs an id, a title and a threat", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := modelfile.New("m.ward.yaml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.AddMitigation(tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
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

func TestUpdateMitigation(t *testing.T) {
	tests := []struct {
		name, in, want string
		u              modelfile.MitigationUpdate
	}{
		{
			name: "status: only that value's bytes change",
			in:   "title: t   # the title\nmitigations:\n  - id: sign   # signed\n    title: Sign\n    kind: fix\n    status: 'planned'   # since May\n    threats: [a@b]\n",
			want: "title: t   # the title\nmitigations:\n  - id: sign   # signed\n    title: Sign\n    kind: fix\n    status: implemented   # since May\n    threats: [a@b]\n",
			u:    modelfile.MitigationUpdate{Status: model.Implemented},
		},
		{
			name: "the right item among several",
			in:   "title: t\nmitigations:\n  - {id: one, title: One, kind: fix, status: planned, threats: [a@b]}\n  - id: two\n    title: Two\n    kind: fix\n    status: planned\n    threats: [a@b]\n",
			want: "title: t\nmitigations:\n  - {id: one, title: One, kind: fix, status: planned, threats: [a@b]}\n  - id: two\n    title: Two\n    kind: fix\n    status: verified\n    threats: [a@b]\n",
			u:    modelfile.MitigationUpdate{Status: model.Verified},
		},
		{
			name: "flow item",
			in:   "title: t\nmitigations:\n  - {id: one, title: One, kind: fix, status: planned, threats: [a@b]}\n",
			want: "title: t\nmitigations:\n  - {id: one, title: One, kind: fix, status: planned, threats: [a@b, c@d], ticket: SEC-1}\n",
			u:    modelfile.MitigationUpdate{Ticket: "SEC-1", Threat: "c@d"},
		},
		{
			name: "missing keys are added at the item's end, threat to a block list",
			in:   "title: t\nmitigations:\n  - id: two\n    title: Two\n    kind: fix\n    status: planned\n    threats:\n      - a@b\n    # note\n\ndoomsday: []\n",
			want: "title: t\nmitigations:\n  - id: two\n    title: Two\n    kind: fix\n    status: planned\n    threats:\n      - a@b\n      - c@d\n    # note\n    owner: sec-team\n    due: 2026-06-30\n\ndoomsday: []\n",
			u:    modelfile.MitigationUpdate{Owner: "sec-team", Due: day("2026-06-30"), Threat: "c@d"},
		},
		{
			name: "a threat already listed is not added again",
			in:   "title: t\nmitigations:\n  - {id: one, title: One, kind: fix, status: planned, threats: [a@b]}\n",
			want: "title: t\nmitigations:\n  - {id: one, title: One, kind: fix, status: planned, threats: [a@b]}\n",
			u:    modelfile.MitigationUpdate{Threat: "a@b"},
		},
		{
			name: "rules-only mitigation gets a threats list",
			in:   "title: t\nmitigations:\n  - id: waf\n    title: WAF\n    kind: fix\n    status: planned\n    rules: [r]\n",
			want: "title: t\nmitigations:\n  - id: waf\n    title: WAF\n    kind: fix\n    status: planned\n    rules: [r]\n    threats: [x@y]\n",
			u:    modelfile.MitigationUpdate{Threat: "x@y"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := modelfile.New("m.ward.yaml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			id := "sign"
			if strings.Contains(tt.in, "id: two") {
				id = "two"
			} else if strings.Contains(tt.in, "id: one") {
				id = "one"
			} else if strings.Contains(tt.in, "id: waf") {
				id = "waf"
			}
			if _, err := f.UpdateMitigation(id, tt.u); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(f.Bytes())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateMitigationRefusesAsAWhole(t *testing.T) {
	in := "title: t\nmitigations:\n  - id: sign\n    title: Sign\n    kind: fix\n    status: planned\n    owner: >-\n      the security\n      team\n    threats: [a@b]\n"
	f, err := modelfile.New("m.ward.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.UpdateMitigation("sign", modelfile.MitigationUpdate{Status: model.Verified, Owner: "ops"})
	var le *modelfile.LayoutError
	if !errors.As(err, &le) || le.Pos.Line != 7 || !strings.Contains(err.Error(), "owner is a block of text") {
		t.Fatalf("error %v, want a layout error at line 7 about owner", err)
	}
	if f.Changed() {
		t.Errorf("the status was changed although the update as a whole failed:\n%s", f.Bytes())
	}
	if _, err := f.UpdateMitigation("nope", modelfile.MitigationUpdate{Status: model.Verified}); !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), `no mitigation "nope"`) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestAcceptance(t *testing.T) {
	in := "title: t\naccepted:\n  - threat: a@b\n    owner: cto\n    reason: old\n    until: 2025-01-01\n  - threat: a@b\n    owner: cto\n    reason: \"still old\"\n    until: 2025-06-01   # renew yearly\n"
	f, err := modelfile.New("m.ward.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	a := modelfile.Acceptance{Threat: "a@b", Owner: "ciso", Reason: "Behind the VPN; low exposure", Until: day("2027-01-01")}
	line, err := f.UpdateAcceptance(a)
	if err != nil {
		t.Fatal(err)
	}
	want := "title: t\naccepted:\n  - threat: a@b\n    owner: cto\n    reason: old\n    until: 2025-01-01\n  - threat: a@b\n    owner: ciso\n    reason: Behind the VPN; low exposure\n    until: 2027-01-01   # renew yearly\n"
	if diff := cmp.Diff(want, string(f.Bytes())); diff != "" {
		t.Errorf("renewing the last acceptance (-want +got):\n%s", diff)
	}
	if line != 7 {
		t.Errorf("line %d, want 7", line)
	}
	a.Threat = "c@d"
	if line, err = f.AddAcceptance(a); err != nil || line != 11 {
		t.Fatalf("add: line %d, %v", line, err)
	}
	want += "  - threat: c@d\n    owner: ciso\n    reason: Behind the VPN; low exposure\n    until: 2027-01-01\n"
	if diff := cmp.Diff(want, string(f.Bytes())); diff != "" {
		t.Errorf("adding (-want +got):\n%s", diff)
	}
}

func TestNewRefusesABrokenFile(t *testing.T) {
	for name, in := range map[string]string{
		"not YAML":      "title: [\n",
		"unknown key":   "title: t\nmitigatons: []\n",
		"flow top":      "{title: t}\n",
		"bad enum":      "title: t\nmitigations:\n  - {id: a, title: b, kind: fixed, status: planned, threats: [x]}\n",
		"empty file":    "",
		"only comments": "# nothing\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := modelfile.New("m.ward.yaml", []byte(in)); !errors.Is(err, model.ErrInvalid) {
				t.Errorf("error %v, want one wrapping model.ErrInvalid", err)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	in := "title: t\nmitigations:\n" + item + "doomsday: []\n"
	f, err := modelfile.New("m.ward.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if d := f.Diff(); d != "" {
		t.Errorf("diff before any edit: %q", d)
	}
	if _, err := f.UpdateMitigation("sign", modelfile.MitigationUpdate{Status: model.Verified}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddMitigation(newItem); err != nil {
		t.Fatal(err)
	}
	want := `--- a/m.ward.yaml
+++ b/m.ward.yaml
@@ -3,6 +3,11 @@
   - id: sign
     title: Sign orders
     kind: fix
-    status: planned
+    status: verified
     threats: [tamper@queue]
+  - id: audit
+    title: Audit log
+    kind: monitoring
+    status: proposed
+    threats: [tamper@queue]
 doomsday: []
`
	if diff := cmp.Diff(want, f.Diff()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAddSectionToIndentedTopLevel(t *testing.T) {
	f, err := modelfile.New("m.ward.yaml", []byte("  title: t\n  authors: [me]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddMitigation(newItem); err != nil {
		t.Fatal(err)
	}
	want := "  title: t\n  authors: [me]\n\n  mitigations:\n" +
		"    - id: audit\n      title: Audit log\n      kind: monitoring\n      status: proposed\n      threats: [tamper@queue]\n"
	if diff := cmp.Diff(want, string(f.Bytes())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
