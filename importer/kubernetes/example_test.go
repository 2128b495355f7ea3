package kubernetes_test

import (
	"fmt"
	"log"

	"github.com/wardsec/ward/importer/kubernetes"
)

// Import a directory of manifests and list how traffic enters and moves
// through the cluster.
func ExampleNew() {
	res, err := kubernetes.New().Import("testdata/shop")
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Model.Flows {
		if f.Protocol != "kubelet" {
			fmt.Println(f.From.ID, "->", f.To.ID)
		}
	}
	// Output:
	// service.shop.frontend -> deployment.shop.frontend
	// service.shop.backend -> deployment.shop.backend
	// service.shop.postgres -> statefulset.shop.postgres
	// internet -> ingress.shop.shop
	// ingress.shop.shop -> service.shop.frontend
	// deployment.shop.frontend -> deployment.shop.backend
	// deployment.shop.backend -> statefulset.shop.postgres
}
