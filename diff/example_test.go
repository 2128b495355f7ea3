package diff_test

import (
	"fmt"
	"os"
	"time"

	"github.com/wardsec/ward/diff"
	"github.com/wardsec/ward/engine"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/rules"
)

// ExampleCompare compares two versions of a model: the second signs the
// queue's messages, which resolves the tampering threat.
func ExampleCompare() {
	const v1 = `title: Shop
components:
  - {id: queue, kind: aws.sqs, properties: {message_signing: false}}
`
	const v2 = `title: Shop
components:
  - {id: queue, kind: aws.sqs, properties: {message_signing: true}}
`
	lib, err := rules.Builtin()
	if err != nil {
		panic(err)
	}
	analyze := func(name, src string) *engine.Result {
		m, err := model.ParseBytes(name, []byte(src))
		if err != nil {
			panic(err)
		}
		res, err := engine.Analyze(m, lib, engine.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err)
		}
		return res
	}
	d := diff.Compare(analyze("v1.ward.yaml", v1), analyze("v2.ward.yaml", v2))
	for _, t := range d.Resolved {
		fmt.Println("resolved:", t.ID)
	}
	if err := diff.Write(os.Stdout, diff.Markdown, d, diff.Options{}); err != nil {
		panic(err)
	}
	// Output:
	// resolved: queue-message-tampering@queue
	// **Threat model changes** (`v1.ward.yaml` → `v2.ward.yaml`): 1 resolved; model: 1 element changed.
	//
	// <details><summary><b>Resolved threats (1)</b></summary>
	//
	// | Severity | Status | Threat | Component |
	// | --- | --- | --- | --- |
	// | HIGH | open | Messages altered or forged on a queue<br>`queue-message-tampering@queue` | queue<br>`v1.ward.yaml:3:6` |
	//
	// </details>
	//
	// <details><summary><b>Components: 1 changed</b></summary>
	//
	// | Change | Element | What changed |
	// | --- | --- | --- |
	// | changed | `queue` | `message_signing`: false → true |
	//
	// </details>
}
