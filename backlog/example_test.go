package backlog_test

import (
	"fmt"

	"github.com/wardsec/ward/backlog"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/risk"
)

func ExampleItemOf() {
	t := &engine.Threat{
		Info:       &engine.Info{Title: "Brute force against sign-in"},
		ID:         "password-brute-force@order-api",
		TargetName: "Order API",
		Severity:   risk.High,
		Status:     engine.Open,
	}
	it := backlog.ItemOf(t)
	fmt.Println(it.Title)
	fmt.Println(it.Labels)
	fmt.Println(backlog.MarkedIDs(it.Body))
	// Output:
	// [HIGH] Brute force against sign-in — Order API
	// [ward severity:high]
	// [password-brute-force@order-api]
}
