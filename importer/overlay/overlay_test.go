package overlay_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/overlay"
	"github.com/wardsec/ward/model"
)

const imported = `title: imported
zones:
  - id: vpc
    trust: high
components:
  - id: Bucket
    name: Bucket
    kind: aws.s3
    zone: vpc
    properties:
      encrypted_at_rest: false
    tags: [storage]
`

func parseModel(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := model.ParseBytes("imported.ward.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestApply(t *testing.T) {
	m := parseModel(t, imported)
	f, err := overlay.Parse("ward.overlay.yaml", []byte(`title: Shop
assets:
  - id: orders
    name: Orders
components:
  - id: Bucket
    name: Order archive
    stores: [orders]
    tags: [storage, pii]
    properties:
      encrypted_at_rest: true
  - id: Renamed
    name: Old queue
`))
	if err != nil {
		t.Fatal(err)
	}
	warnings := overlay.Apply(m, f)
	if len(warnings) != 1 || warnings[0].Pos.Line != 12 || !strings.Contains(warnings[0].Message, `"Renamed"`) {
		t.Errorf("warnings = %v, want one at ward.overlay.yaml:12 naming Renamed", warnings)
	}
	if err := m.Validate().Err(); err != nil {
		t.Fatalf("merged model does not validate: %v", err)
	}
	c := m.Component("Bucket")
	if m.Title != "Shop" || c.Name != "Order archive" {
		t.Errorf("title %q, name %q: the overlay did not win", m.Title, c.Name)
	}
	if !c.Properties.Bool("encrypted_at_rest") || len(c.Properties) != 1 {
		t.Errorf("properties = %v, want encrypted_at_rest replaced", c.Properties)
	}
	if len(c.Stores) != 1 || c.Stores[0].ID != "orders" {
		t.Errorf("stores = %v", c.Stores)
	}
	if !slices.Equal(c.Tags, []string{"storage", "pii"}) {
		t.Errorf("tags = %v, want added without repeats", c.Tags)
	}
}

func TestParseReportsPosition(t *testing.T) {
	_, err := overlay.Parse("ward.overlay.yaml", []byte("components:\n  - id: A\n    nmae: x\n")) //nolint:misspell // the typo is the test
	if err == nil || !strings.Contains(err.Error(), "ward.overlay.yaml:3:5") || !strings.Contains(err.Error(), `"name"`) {
		t.Errorf("err = %v, want a positioned unknown-key error suggesting name", err)
	}
}

func TestStamp(t *testing.T) {
	gen := []byte(overlay.GeneratedMark + " from cloudformation t.yaml\ntitle: x\n")
	stamped := overlay.Stamp(gen)
	if got := overlay.Check(stamped); got != overlay.Generated {
		t.Errorf("Check(stamped) = %v, want Generated", got)
	}
	edited := append(slices.Clone(stamped), "# mine\n"...)
	if got := overlay.Check(edited); got != overlay.Edited {
		t.Errorf("Check(edited) = %v, want Edited", got)
	}
	if got := overlay.Check(gen); got != overlay.Edited {
		t.Errorf("Check(no hash) = %v, want Edited", got)
	}
	if got := overlay.Check([]byte("title: mine\n")); got != overlay.Foreign {
		t.Errorf("Check(hand-written) = %v, want Foreign", got)
	}
	if err := overlay.Guard("m.ward.yaml", edited); err == nil || !strings.Contains(err.Error(), "edited by hand") {
		t.Errorf("Guard(edited) = %v", err)
	}
}

func TestCompare(t *testing.T) {
	before := parseModel(t, imported)
	after := parseModel(t, strings.Replace(imported, "encrypted_at_rest: false", "encrypted_at_rest: true", 1)+
		"  - id: Queue\n    kind: aws.rds\n    zone: vpc\n")
	ch := overlay.Compare(before, after)
	if len(ch.New) != 1 || ch.New[0].ID != "Queue" || len(ch.Removed) != 0 {
		t.Errorf("new %v removed %v", ch.New, ch.Removed)
	}
	if len(ch.Changed) != 1 || !slices.Equal(ch.Changed[0].Fields, []string{"properties.encrypted_at_rest"}) {
		t.Errorf("changed = %v", ch.Changed)
	}
	back := overlay.Compare(after, before)
	if len(back.Removed) != 1 || back.Removed[0].ID != "Queue" {
		t.Errorf("removed = %v", back.Removed)
	}
	if !overlay.Compare(before, before).Empty() {
		t.Error("a model compared with itself changed")
	}
}

// FuzzParse: no input makes the overlay parser panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("components:\n  - id: A\n    name: x\n"))
	f.Add([]byte("title: t\nassets:\n  - id: a\n"))
	f.Fuzz(func(_ *testing.T, data []byte) {
		_, _ = overlay.Parse("fuzz.yaml", data) // only a panic fails
	})
}
