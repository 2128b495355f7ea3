package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/wardsec/ward/importer"
)

func TestAddressParts(t *testing.T) {
	tests := []struct {
		addr   string
		parts  []string
		config string
	}{
		{"aws_s3_bucket.b", []string{"aws_s3_bucket", "b"}, "aws_s3_bucket.b"},
		{"aws_subnet.a[0]", []string{"aws_subnet", "a[0]"}, "aws_subnet.a"},
		{`module.net["x.y]"].aws_subnet.a["k"]`, []string{"module", `net["x.y]"]`, "aws_subnet", `a["k"]`}, "module.net.aws_subnet.a"},
		{`module.a[1].module.b.aws_vpc.v`, []string{"module", "a[1]", "module", "b", "aws_vpc", "v"}, "module.a.module.b.aws_vpc.v"},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			parts := addressParts(tc.addr)
			if diff := cmp.Diff(tc.parts, parts); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
			if got := configAddress(parts); got != tc.config {
				t.Errorf("config address %q, want %q", got, tc.config)
			}
		})
	}
}

func TestResolveRefs(t *testing.T) {
	ids := map[string]bool{"aws_vpc.main": true, "module.net[0].aws_vpc.main": true, `aws_subnet.s["a"]`: true}
	tests := []struct {
		name  string
		refs  []string
		scope string
		want  []importer.ResourceRef
	}{
		{"attribute then resource, once", []string{"aws_vpc.main.id", "aws_vpc.main"}, "", []importer.ResourceRef{{ID: "aws_vpc.main", Attr: "id"}}},
		{"same module instance", []string{"aws_vpc.main.arn"}, "module.net[0].", []importer.ResourceRef{{ID: "module.net[0].aws_vpc.main", Attr: "arn"}}},
		{"instance key", []string{`aws_subnet.s["a"].id`, "aws_subnet.s"}, "", []importer.ResourceRef{{ID: `aws_subnet.s["a"]`, Attr: "id"}}},
		{"not resources", []string{"var.vpc_id", "local.x", "data.aws_vpc.v.id", "module.net.other", "each.value"}, "", nil},
		{"module output followed", []string{"module.net[0].vpc_id", "module.net"}, "", []importer.ResourceRef{{ID: "module.net[0].aws_vpc.main", Attr: "id"}}},
		{"not in the plan", []string{"aws_vpc.other.id"}, "", nil},
		{"malformed", []string{"aws_vpc.[", ""}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &planConfig{outputs: map[string]*tfjson.Expression{
				"module.net.vpc_id": {ExpressionData: &tfjson.ExpressionData{References: []string{"aws_vpc.main.id", "aws_vpc.main"}}},
			}}
			if diff := cmp.Diff(tc.want, c.resolveRefs(tc.refs, tc.scope, ids, 0)); diff != "" {
				t.Errorf("refs (-want +got):\n%s", diff)
			}
		})
	}
}
