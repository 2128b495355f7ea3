package model_test

import (
	"errors"
	"fmt"

	"github.com/wardsec/ward/model"
)

// Load reads a model file, or a directory of *.ward.yaml files, and checks
// every reference in it.
func ExampleLoad() {
	m, err := model.Load("../examples/ecommerce/acme.ward.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Title)
	fmt.Println(len(m.Components), "components,", len(m.Flows), "flows")
	db := m.Component("order-db")
	fmt.Println(db.Kind, "in zone", db.Zone.ID, "at line", db.Pos.Line)
	// Output:
	// Acme e-commerce
	// 6 components, 5 flows
	// aws.rds in zone vpc at line 96
}

// A model with mistakes fails with every problem, each at its
// file:line:col, in an error that wraps model.ErrInvalid.
func ExampleParseBytes() {
	src := `title: Shop
components:
  - {id: api, kind: aws.lamda, zone: dmz}
`
	_, err := model.ParseBytes("shop.ward.yaml", []byte(src))
	fmt.Println(errors.Is(err, model.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// shop.ward.yaml:3:21: unknown component kind "aws.lamda" (see `ward kinds` for the catalog) (did you mean "aws.lambda"?)
	// shop.ward.yaml:3:38: unknown zone "dmz"
}
