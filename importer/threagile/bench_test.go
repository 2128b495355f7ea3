package threagile_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/threagile"
)

// synthetic writes a model of n technical assets, each linked to the next
// two, spread over n/50 trust boundaries, with a tracked risk per asset.
func synthetic(n int) []byte {
	var b strings.Builder
	b.WriteString("title: Synthetic\ndate: 2026-01-01\ndata_assets:\n  Data: {id: data, confidentiality: confidential, integrity: critical, availability: important}\ntechnical_assets:\n")
	for i := range n {
		fmt.Fprintf(&b, "  Asset %d:\n    id: a%d\n    type: process\n    technology: web-service-rest\n    data_assets_processed: [data]\n    communication_links:\n", i, i)
		for _, j := range []int{(i + 1) % n, (i + 2) % n} {
			fmt.Fprintf(&b, "      To %d: {target: a%d, protocol: https, authentication: token, data_assets_sent: [data], data_assets_received: [data]}\n", j, j)
		}
	}
	b.WriteString("trust_boundaries:\n")
	for z := 0; z*50 < n; z++ {
		fmt.Fprintf(&b, "  Zone %d:\n    id: z%d\n    type: network-cloud-security-group\n    technical_assets_inside: [", z, z)
		for i := z * 50; i < min(n, z*50+50); i++ {
			fmt.Fprintf(&b, "a%d, ", i)
		}
		b.WriteString("]\n")
	}
	b.WriteString("risk_tracking:\n")
	for i := range n {
		fmt.Fprintf(&b, "  missing-hardening@a%d: {status: mitigated, checked_by: Ann, date: 2026-01-02}\n", i)
	}
	return []byte(b.String())
}

func BenchmarkImport(b *testing.B) {
	data := synthetic(5000)
	im := threagile.New().(*threagile.Importer)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := im.Parse("synthetic.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Model.Flows) != 20000 {
			b.Fatalf("%d flows, want 20000", len(res.Model.Flows))
		}
	}
}
