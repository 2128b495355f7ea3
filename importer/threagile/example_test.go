package threagile_test

import (
	"fmt"

	"github.com/wardsec/ward/importer/threagile"
)

// Import a Threagile model YAML held in memory.
func ExampleImporter_Parse() {
	res, err := threagile.New().(*threagile.Importer).Parse("shop.yaml", []byte(`title: Shop
data_assets:
  Orders: {id: orders, confidentiality: confidential, integrity: critical, availability: important}
technical_assets:
  Shop API:
    id: shop-api
    type: process
    technology: web-service-rest
    internet: true
    data_assets_processed: [orders]
    communication_links:
      Store Orders: {target: shop-db, protocol: jdbc-encrypted, authentication: credentials, data_assets_sent: [orders]}
  Shop DB: {id: shop-db, type: datastore, technology: database, encryption: transparent, data_assets_stored: [orders]}
risk_tracking:
  sql-nosql-injection@shop-api@shop-db: {status: mitigated, justification: Prepared statements, checked_by: Kim}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Model
	for _, c := range m.Components {
		fmt.Println(c.ID, c.Kind, c.Zone.ID, c.Pos)
	}
	for _, f := range m.Flows {
		fmt.Println(f.ID, f.Protocol, f.Authentication, f.Encrypted)
	}
	for _, mi := range m.Mitigations {
		fmt.Println(mi.Threats[0].ID, mi.Status)
	}
	// Output:
	// shop-api api internet shop.yaml:5:3
	// shop-db database  shop.yaml:13:3
	// shop-api-to-shop-db jdbc-encrypted password true
	// sql-nosql-injection-shop-api-shop-db implemented
}
