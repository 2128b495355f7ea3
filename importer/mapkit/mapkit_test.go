package mapkit_test

import (
	"strings"
	"testing"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/importer/mapkit"
)

func TestBuilder(t *testing.T) {
	b := mapkit.New("test")
	r1 := &importer.Resource{ID: "a/b c", Type: "X::Thing"}
	r2 := &importer.Resource{ID: "a/b:c", Type: "X::Thing"}
	c1 := b.Component(r1, "process", mapkit.InternetZone)
	b.Unknown(r2, "process", mapkit.InternetZone)
	c2 := b.ComponentOf("a/b:c")
	if c1.ID != "a-b-c" || c2 == nil || c2.ID != "a-b-c-2" {
		t.Fatalf("ids %q, %v: want unique safe ids", c1.ID, c2)
	}
	b.Set(r1, c1, "public", importer.Unknown{Why: "var.x has no default"})
	b.SetBool(r1, c1, "logging", nil, mapkit.Ptr(true), false)
	b.SetBool(r1, c1, "encrypted", false, nil, true)
	b.FromInternet(c1, "https", r1.Pos)
	b.FromInternet(c1, "https", r1.Pos)
	res := b.Finish("Test")
	if _, set := c1.Properties.Get("public"); set {
		t.Error("an unknown value was set")
	}
	if v, _ := c1.Properties.Get("logging"); v.Value != true {
		t.Error("the default was not used")
	}
	if v, _ := c1.Properties.Get("encrypted"); v.Value != true {
		t.Error("negate did not flip a disable… setting")
	}
	if len(res.Model.Flows) != 1 || res.Model.Components[0].ID != mapkit.InternetID {
		t.Errorf("want one internet flow and the internet entity first: %d flows, first %s", len(res.Model.Flows), res.Model.Components[0].ID)
	}
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Message, "not known to the Test mapping")
	}
	if !warned {
		t.Errorf("no unknown-type warning: %v", res.Warnings)
	}
}

func TestFlow(t *testing.T) {
	b := mapkit.New("test")
	a := b.Component(&importer.Resource{ID: "a"}, "process", mapkit.InternetZone)
	c := b.Component(&importer.Resource{ID: "c"}, "database", mapkit.InternetZone)
	if f := b.Flow(a, c, "https", a.Pos); f == nil || f.ID != "a-to-c" || !f.Encrypted {
		t.Fatalf("flow %+v; want a-to-c, encrypted", f)
	}
	if b.Flow(a, c, "https", a.Pos) != nil || b.Flow(a, a, "https", a.Pos) != nil || b.Flow(a, nil, "tds", a.Pos) != nil {
		t.Error("a repeated flow, a flow to itself or to nothing was added")
	}
	b.FromInternet(c, "tds", c.Pos)
	if res := b.Finish("Test"); len(res.Model.Flows) != 2 || res.Model.Flows[1].Encrypted {
		t.Errorf("flows %v; want two, the TDS one not marked encrypted", res.Model.Flows)
	}
}
