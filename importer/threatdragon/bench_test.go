package threatdragon_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/wardsec/ward/importer/threatdragon"
)

// synthetic writes a diagram of n processes in a row of boxes of ten, each
// with a threat and a flow to the next.
func synthetic(n int) []byte {
	var cells []map[string]any
	for i := range n {
		if i%10 == 0 {
			cells = append(cells, map[string]any{"id": fmt.Sprintf("b%d", i), "shape": "trust-boundary-box",
				"position": map[string]any{"x": i * 100, "y": 0}, "size": map[string]any{"width": 1000, "height": 200},
				"data": map[string]any{"type": "tm.Boundary", "name": fmt.Sprintf("Box %d", i/10)}})
		}
		cells = append(cells, map[string]any{"id": fmt.Sprintf("p%d", i), "shape": "process",
			"position": map[string]any{"x": i*100 + 10, "y": 50}, "size": map[string]any{"width": 80, "height": 80},
			"data": map[string]any{"type": "tm.Process", "name": fmt.Sprintf("Process %d", i), "threats": []any{
				map[string]any{"title": "Spoofed caller", "type": "Spoofing", "status": "Mitigated", "severity": "High", "mitigation": "mTLS"}}}})
		if i > 0 {
			cells = append(cells, map[string]any{"id": fmt.Sprintf("f%d", i), "shape": "flow",
				"source": map[string]any{"cell": fmt.Sprintf("p%d", i-1)}, "target": map[string]any{"cell": fmt.Sprintf("p%d", i)},
				"data": map[string]any{"type": "tm.Flow", "name": "Call", "protocol": "HTTPS", "isEncrypted": true}})
		}
	}
	data, err := json.Marshal(map[string]any{"summary": map[string]any{"title": "Synthetic", "owner": "Ann"},
		"detail": map[string]any{"diagrams": []any{map[string]any{"title": "Main", "cells": cells}}}})
	if err != nil {
		panic(err)
	}
	return data
}

func BenchmarkImport(b *testing.B) {
	data := synthetic(5000)
	im := threatdragon.New().(*threatdragon.Importer)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := im.Parse("synthetic.json", data)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Model.Threats) != 5000 {
			b.Fatalf("%d threats, want 5000", len(res.Model.Threats))
		}
	}
}
