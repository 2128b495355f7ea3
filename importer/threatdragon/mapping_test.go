package threatdragon_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/importtest"
)

func TestMapping(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // lines the dump must hold
	}{
		{
			name: "shapes without a data type, severities and statuses",
			input: `{"summary": {"title": "t"}, "detail": {"diagrams": [{"cells": [
{"id": "s", "shape": "store", "data": {"name": "Logs", "isALog": true, "threats": [
  {"title": "Low one", "type": "Integrity", "severity": "Low", "status": "Open"},
  {"title": "Odd one", "type": "Phishing", "severity": "Huge", "status": "NotApplicable", "mitigation": "Train staff"}]}}
]}]}}`,
			want: []string{
				`component logs "Logs" kind=log-store zone= props={encrypted_at_rest=false}`,
				`threat logs-low-one "Low one" target=logs stride=[tampering] likelihood=difficult impact=problematic`,
				`threat logs-odd-one "Odd one" target=logs stride=[tampering] likelihood= impact=`,
				`mitigation logs-odd-one "Train staff" kind=fix status=proposed ticket="" owner=""`,
				`warning 4:3: 1 threat marked not applicable: accepted until 2027-06-01`,
				`accepted logs-odd-one owner="unknown" reason="not applicable" until=2027-06-01`,
				`warning 4:3: unknown threat type "Phishing" of threat logs-odd-one; taking it as tampering`,
				`warning 4:3: unknown severity "Huge" of threat logs-odd-one (want Critical, High, Medium, Low or TBD); rated moderate and problematic`,
				`warning 4:3: threat logs-odd-one is not applicable, but the model names no owner or reviewer to own the acceptance; owner set to "unknown"`,
			},
		},
		{
			name: "two-way public flow, flows to elements left out",
			input: `{"summary": {"title": "t", "owner": "Kim"}, "detail": {"diagrams": [{"cells": [
{"id": "a", "shape": "actor", "data": {"type": "tm.Actor", "name": "User"}},
{"id": "p", "shape": "process", "data": {"type": "tm.Process", "name": "API", "isWebApplication": true}},
{"id": "x", "shape": "process", "data": {"type": "tm.Process", "name": "Legacy", "outOfScope": true, "threats": [{"title": "t"}]}},
{"id": "f1", "shape": "flow", "source": {"cell": "a"}, "target": {"cell": "p"}, "data": {"type": "tm.Flow", "name": "Calls", "isPublicNetwork": true, "isBidirectional": true}},
{"id": "f2", "shape": "flow", "source": {"cell": "p"}, "target": {"cell": "x"}, "data": {"type": "tm.Flow", "name": "Sync"}},
{"id": "f3", "shape": "flow", "source": {"cell": "p"}, "target": {"cell": "a"}, "data": {"type": "tm.Flow", "name": "Push", "outOfScope": true}}
]}]}}`,
			want: []string{
				`component api "API" kind=web-app zone= props={public=true}`,
				`flow user-to-api "Calls" user->api protocol="" auth= encrypted=false initiator=source`,
				`flow api-to-user "Calls" api->user protocol="" auth= encrypted=false initiator=destination`,
				`warning 4:1: "Legacy" is out of scope; left out with its flows and 1 threat`,
				`warning 6:1: flow "Sync" does not join two imported elements`,
				`warning 7:1: flow "Push" is out of scope; left out`,
			},
		},
		{
			name: "the centre of an element decides its box",
			input: `{"summary": {"title": "t"}, "detail": {"diagrams": [{"cells": [
{"id": "b", "shape": "trust-boundary-box", "position": {"x": 0, "y": 0}, "size": {"width": 100, "height": 100}, "data": {"type": "tm.Boundary", "name": "DMZ"}},
{"id": "in", "shape": "process", "position": {"x": 60, "y": 60}, "size": {"width": 80, "height": 80}, "data": {"type": "tm.Process", "name": "Half in"}},
{"id": "out", "shape": "process", "position": {"x": 70, "y": 70}, "size": {"width": 80, "height": 80}, "data": {"type": "tm.Process", "name": "Mostly out"}}
]}]}}`,
			want: []string{
				`zone dmz "DMZ" trust=medium parent=`,
				`component half-in "Half in" kind=process zone=dmz`,
				`component mostly-out "Mostly out" kind=process zone= `,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := parse(tc.input)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := importtest.Dump(res)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("dump lacks %q; got:\n%s", w, got)
				}
			}
		})
	}
}
