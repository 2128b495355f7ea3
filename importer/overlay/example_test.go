package overlay_test

import (
	"fmt"

	"github.com/wardsec/ward/importer/overlay"
	"github.com/wardsec/ward/model"
)

// An overlay names an imported component by its resource address; an
// entry for a resource the import no longer has is a warning.
func ExampleApply() {
	m, err := model.ParseBytes("imported.ward.yaml", []byte(`title: shop
components:
  - id: OrdersTable
    kind: aws.dynamodb
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := overlay.Parse("ward.overlay.yaml", []byte(`assets:
  - id: orders
components:
  - id: OrdersTable
    name: Orders
    stores: [orders]
  - id: OldQueue
    name: Retired
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range overlay.Apply(m, f) {
		fmt.Println("warning:", w)
	}
	c := m.Components[0]
	fmt.Println(c.Name, c.Stores[0].ID)
	// Output:
	// warning: ward.overlay.yaml:7:5: overlay names component "OldQueue", which the import no longer has; update or remove the entry
	// Orders orders
}
