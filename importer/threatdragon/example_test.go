package threatdragon_test

import (
	"fmt"

	"github.com/wardsec/ward/importer/threatdragon"
)

// Import a Threat Dragon v2 JSON model held in memory.
func ExampleImporter_Parse() {
	res, err := threatdragon.New().(*threatdragon.Importer).Parse("shop.json", []byte(`{
  "summary": {"title": "Shop", "owner": "Kim"},
  "detail": {"diagrams": [{"title": "Main", "cells": [
    {"id": "a", "shape": "actor", "data": {"type": "tm.Actor", "name": "Customer"}},
    {"id": "p", "shape": "process", "data": {"type": "tm.Process", "name": "Shop API", "threats": [
      {"title": "Forged session", "type": "Spoofing", "status": "Mitigated", "severity": "High", "mitigation": "Signed cookies"}]}},
    {"id": "f", "shape": "flow", "source": {"cell": "a"}, "target": {"cell": "p"},
     "data": {"type": "tm.Flow", "name": "Orders", "protocol": "HTTPS", "isEncrypted": true}}
  ]}]}
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Model
	for _, c := range m.Components {
		fmt.Println(c.ID, c.Kind, c.Pos)
	}
	for _, t := range m.Threats {
		fmt.Println(t.ID, t.Stride, t.Likelihood, t.Impact, t.Pos)
	}
	for _, mi := range m.Mitigations {
		fmt.Println(mi.Title, mi.Status)
	}
	// Output:
	// customer external-entity shop.json:4:5
	// shop-api process shop.json:5:5
	// shop-api-forged-session [spoofing] moderate severe shop.json:6:7
	// Signed cookies implemented
}
