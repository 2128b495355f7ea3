package brainstorm_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wardsec/ward/brainstorm"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

func ExampleWalk() {
	m, err := model.ParseBytes("shop.ward.yaml", []byte(`title: Shop
actors:
  - {id: fraudster, kind: external}
components:
  - {id: basket, kind: process}
`))
	if err != nil {
		panic(err)
	}
	lib, err := rules.Builtin()
	if err != nil {
		panic(err)
	}
	res, err := engine.Analyze(m, lib, engine.Options{})
	if err != nil {
		panic(err)
	}
	s := brainstorm.New(res, lib, time.Now())

	// A process is asked about all six STRIDE categories; one answer per
	// line, as a person would type them.
	answers := strings.NewReader(strings.Join([]string{
		"",                       // spoofing: nothing
		"Negative quantities",    // tampering: a title,
		"Refunds on a -1 order.", // a scenario,
		"fraudster", "easy", "",  // actor, likelihood, impact (default)
		"", "", "", "", "", // no more
		"y", // write them
	}, "\n"))
	p := brainstorm.NewLines(context.Background(), answers, io.Discard, false)
	defer p.Close()
	added, ok, err := brainstorm.Walk(s, p, "basket")
	if err != nil {
		panic(err)
	}
	for _, t := range added {
		fmt.Println(t.ID, t.Stride, t.Likelihood, t.Impact, ok)
	}
	// s.Prepare() would now add them to shop.ward.yaml in memory, and its
	// File.Commit() write it.

	// Output:
	// negative-quantities [tampering] easy problematic true
}
