package diagram

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
)

// shopModel nests four zones (cloud ⊃ vpc ⊃ db-subnet), leaves one
// component outside every zone, and has a pulled flow and two features.
const shopModel = `
title: Shop
zones:
  - {id: internet, name: Internet, trust: untrusted}
  - {id: cloud, name: Cloud, trust: medium}
  - {id: vpc, name: VPC, trust: high, parent: cloud}
  - {id: db-subnet, name: DB subnet, trust: trusted, parent: vpc}
  - {id: partner, name: Partner, trust: low}
components:
  - {id: user, name: User, kind: browser, zone: internet}
  - {id: api, name: API, kind: api, zone: cloud}
  - {id: worker, name: Worker, kind: function, zone: vpc}
  - {id: db, name: DB, kind: database, zone: db-subnet}
  - {id: queue, name: Queue, kind: queue, zone: cloud}
  - {id: partner-svc, name: Partner service, kind: third-party-service, zone: partner}
  - {id: cron, name: Cron, kind: process}
flows:
  - {from: user, to: api, protocol: HTTPS}
  - {from: api, to: worker}
  - {from: worker, to: db}
  - {from: worker, to: queue}
  - {from: queue, to: partner-svc, initiator: destination}
  - {from: cron, to: api}
features:
  - {id: intake, name: Intake, components: [user, api]}
  - {id: storage, components: [db], flows: [worker-to-db]}
`

func shop(t *testing.T) *engine.Result {
	t.Helper()
	m, err := model.ParseBytes("shop.ward.yaml", []byte(shopModel))
	if err != nil {
		t.Fatal(err)
	}
	threat := func(target string, s risk.Severity, st engine.Status) *engine.Threat {
		return &engine.Threat{Target: target, Severity: s, Status: st}
	}
	return &engine.Result{Model: m, Threats: []*engine.Threat{
		threat("api", risk.Low, engine.Open),
		threat("api", risk.High, engine.MitigationPlanned),
		threat("api", risk.Critical, engine.Mitigated), // resolved: not counted
		threat("db", risk.Medium, engine.Accepted),     // resolved: not counted
		threat("worker", risk.Critical, engine.AcceptanceExpired),
		threat("user-to-api", risk.Medium, engine.Open),
	}}
}

// outline is a graph written small: nodes as "name" (ghosts "~name"),
// clusters as "name[members]", edges as "from>to" ("from~>to" pulled).
type outline struct {
	Clusters []string
	Top      []string
	Edges    []string
}

func outlineOf(g *Graph) outline {
	var o outline
	clustered := map[*node]bool{}
	var walk func(cl *cluster) string
	walk = func(cl *cluster) string {
		var parts []string
		for _, n := range cl.nodes {
			clustered[n] = true
			parts = append(parts, nodeName(n))
		}
		for _, c := range cl.children {
			parts = append(parts, walk(c))
		}
		return cl.name + "[" + strings.Join(parts, " ") + "]"
	}
	for _, cl := range g.clusters {
		o.Clusters = append(o.Clusters, walk(cl))
	}
	for _, n := range g.nodes {
		if !clustered[n] {
			o.Top = append(o.Top, nodeName(n))
		}
	}
	for _, e := range g.edges {
		arrow := ">"
		if e.pull {
			arrow = "~>"
		}
		o.Edges = append(o.Edges, e.from.name+arrow+e.to.name)
	}
	return o
}

func nodeName(n *node) string {
	if n.ghost {
		return "~" + n.name
	}
	return n.name
}

func TestSelection(t *testing.T) {
	res := shop(t)
	tests := []struct {
		name string
		opt  Options
		want outline
	}{
		{"whole model", Options{}, outline{
			Clusters: []string{"Internet[User]", "Cloud[API Queue VPC[Worker DB subnet[DB]]]", "Partner[Partner service]"},
			Top:      []string{"Cron"},
			Edges:    []string{"User>API", "API>Worker", "Worker>DB", "Worker>Queue", "Queue~>Partner service", "Cron>API"},
		}},
		{"zone with its sub-zones and crossing flows", Options{Zone: "vpc"}, outline{
			Clusters: []string{"VPC[Worker DB subnet[DB]]"},
			Top:      []string{"~API", "~Queue"},
			Edges:    []string{"API>Worker", "Worker>DB", "Worker>Queue"},
		}},
		{"leaf zone", Options{Zone: "partner"}, outline{
			Clusters: []string{"Partner[Partner service]"},
			Top:      []string{"~Queue"},
			Edges:    []string{"Queue~>Partner service"},
		}},
		{"feature by components", Options{Feature: "intake"}, outline{
			Clusters: []string{"Internet[User]", "Cloud[API]"},
			Edges:    []string{"User>API"},
		}},
		{"feature by a listed flow", Options{Feature: "storage"}, outline{
			Clusters: []string{"Cloud[VPC[DB subnet[DB]]]"},
			Top:      []string{"~Worker"},
			Edges:    []string{"Worker>DB"},
		}},
		{"summary", Options{Summary: true}, outline{
			Clusters: []string{"Cloud[Cloud VPC[VPC DB subnet]]"},
			Top:      []string{"Internet", "Partner", "(no zone)"},
			Edges:    []string{"Internet>Cloud", "Cloud>VPC", "VPC>DB subnet", "VPC>Cloud", "Cloud~>Partner", "(no zone)>Cloud"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Build(res, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, outlineOf(g)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarks(t *testing.T) {
	g, err := Build(shop(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, n := range g.nodes {
		got[n.name] = n.mark.badge()
	}
	for _, e := range g.edges {
		got[e.from.name+">"+e.to.name] = e.mark.badge()
	}
	want := map[string]string{
		"User": "", "API": "2 open · high", "Worker": "1 open · critical", "DB": "", "Queue": "",
		"Partner service": "", "Cron": "", "User>API": "1 open · medium", "API>Worker": "",
		"Worker>DB": "", "Worker>Queue": "", "Queue>Partner service": "", "Cron>API": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("marks (-want +got):\n%s", diff)
	}
}

func TestSummaryCounts(t *testing.T) {
	res := shop(t)
	g, err := Build(res, Options{Summary: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, n := range g.nodes {
		got[n.name] = n.detail + " | " + n.mark.badge()
	}
	want := map[string]string{
		"Internet":  "1 component | ",
		"Cloud":     "2 components | 2 open · high",
		"VPC":       "1 component | 1 open · critical",
		"DB subnet": "1 component | ",
		"Partner":   "1 component | ",
		"(no zone)": "1 component | ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zones (-want +got):\n%s", diff)
	}
	for _, e := range g.edges {
		if e.from.name == "Internet" && e.mark.badge() != "1 open · medium" {
			t.Errorf("Internet>Cloud mark %q, want the flow's open threat", e.mark.badge())
		}
	}

	// Folded to two levels, the DB subnet counts towards the VPC, and the
	// flow between them is inside the VPC.
	folded := buildSummary(res.Model, marksOf(res.Threats), 2, 3)
	o := outlineOf(folded)
	want2 := outline{
		Clusters: []string{"Cloud[Cloud VPC]"},
		Top:      []string{"Internet", "Partner", "(no zone)"},
		Edges:    []string{"Internet>Cloud", "Cloud>VPC", "VPC>Cloud", "Cloud~>Partner", "(no zone)>Cloud"},
	}
	if diff := cmp.Diff(want2, o); diff != "" {
		t.Errorf("folded summary (-want +got):\n%s", diff)
	}
	for _, n := range folded.nodes {
		if n.name == "VPC" && n.detail != "2 components, 1 flow inside, 1 sub-zone" {
			t.Errorf("folded VPC says %q", n.detail)
		}
	}
	if !strings.Contains(folded.title, "2 of 3 levels") {
		t.Errorf("folded title %q does not say it is folded", folded.title)
	}
}

func TestWrap(t *testing.T) {
	got := wrap([]string{"Customer order", "Customer credentials", "Payment card"}, 32)
	want := []string{"Customer order,", "Customer credentials,", "Payment card"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
