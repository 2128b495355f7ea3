package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer"
)

// TestExpansion checks instance addresses and references between them.
func TestExpansion(t *testing.T) {
	resources, err := resourcesOf([]byte(`
variable "queues" {
  default = {
    orders   = { fifo = true }
    invoices = { fifo = false }
  }
}

resource "aws_sqs_queue" "q" {
  for_each   = var.queues
  name       = "${each.key}-queue"
  fifo_queue = each.value.fifo
}

resource "aws_subnet" "s" {
  count      = 2
  cidr_block = "10.0.${count.index}.0/24"
}

resource "aws_lb" "l" {
  subnets         = aws_subnet.s[*].id
  security_groups = [aws_sqs_queue.q["orders"].arn, data.aws_security_group.x.id]
}
`))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]importer.Resource{}
	var ids []string
	for _, r := range resources {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	want := []string{`aws_sqs_queue.q["invoices"]`, `aws_sqs_queue.q["orders"]`, "aws_subnet.s[0]", "aws_subnet.s[1]", "aws_lb.l"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("ids (-want +got):\n%s", diff)
	}
	if n := byID[`aws_sqs_queue.q["orders"]`].Name; n != "orders-queue" {
		t.Errorf("each.key: name %q, want orders-queue", n)
	}
	if got := byID["aws_subnet.s[1]"].Props["CidrBlock"]; got != "10.0.1.0/24" {
		t.Errorf("count.index: CidrBlock %v", got)
	}
	lb := byID["aws_lb.l"].Props
	wantSubnets := []any{importer.ResourceRef{ID: "aws_subnet.s[0]", Attr: "id"}, importer.ResourceRef{ID: "aws_subnet.s[1]", Attr: "id"}}
	if diff := cmp.Diff(wantSubnets, lb["Subnets"]); diff != "" {
		t.Errorf("splat (-want +got):\n%s", diff)
	}
	groups, _ := lb["SecurityGroups"].([]any)
	if len(groups) != 2 || groups[0] != (importer.ResourceRef{ID: `aws_sqs_queue.q["orders"]`, Attr: "arn"}) {
		t.Fatalf("SecurityGroups %v", lb["SecurityGroups"])
	}
	if _, ok := groups[1].(importer.Unknown); !ok {
		t.Errorf("data source reference %v, want Unknown", groups[1])
	}
}
