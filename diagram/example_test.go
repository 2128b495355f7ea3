package diagram_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"path/filepath"
	"strings"

	"github.com/wardsec/ward/diagram"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

// Draw one zone of the Acme example: its two components, and the two it
// exchanges flows with outside, drawn faint.
func ExampleBuild() {
	m, err := model.Load(filepath.Join("..", "examples", "ecommerce"))
	if err != nil {
		log.Fatal(err)
	}
	lib, err := rules.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	res, err := engine.Analyze(m, lib, engine.Options{})
	if err != nil {
		log.Fatal(err)
	}
	g, err := diagram.Build(res, diagram.Options{Zone: "vpc"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Nodes(), "boxes,", g.Edges(), "arrows")

	var svg bytes.Buffer
	if err := diagram.Render(context.Background(), g, diagram.SVG, &svg); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(svg.String(), "Order VPC · trust: high"))
	fmt.Println(strings.SplitN(string(g.Mermaid()), "\n", 6)[4])
	// Output:
	// 4 boxes, 3 arrows
	// true
	//   subgraph z1["Order VPC · trust: high"]
}
