package engine_test

import (
	"fmt"
	"time"

	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

// Analyze a model held in memory with the built-in library.
func ExampleAnalyze() {
	m, err := model.ParseBytes("shop.ward.yaml", []byte(`title: Shop
actors: [{id: crooks, name: Credential stuffers, kind: external}]
components:
  - id: login
    name: Login API
    kind: aws.api-gateway
    properties: {public: true, authentication: password, logging: true, waf: true}
mitigations:
  - id: mfa
    title: Require a second factor
    kind: fix
    status: planned
    threats: [password-brute-force@login]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	lib, err := rules.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := engine.Analyze(m, lib, engine.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range res.Threats {
		if t.Rule == "password-brute-force" {
			fmt.Println(t.ID, t.Severity, t.Status, t.Actor)
			fmt.Println(t.Evidence)
		}
	}
	// Output:
	// password-brute-force@login medium mitigation-planned Credential stuffers
	// [authentication=password exposed=true]
}
